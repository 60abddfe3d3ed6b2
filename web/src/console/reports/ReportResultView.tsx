// A custom report's numbers: an optional chart and, always beside it, a table with the
// same numbers for screen readers and keyboards.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';
import { chartOptions } from './chartOptions';
import { type ChartType, type CustomMeasure, type ReportResult, formatMeasure } from './customApi';

/**
 * Tables with more columns than this go below the chart at full width, because beside
 * the chart they would overflow a 1280 px wide window.
 */
const SIDE_TABLE_MAX_COLUMNS = 4;

export function ReportResultView(props: { result: ReportResult; chart: ChartType; caption: string }) {
  const { result, chart, caption } = props;
  const { t } = useI18n();
  const measureLabel = (measure: CustomMeasure) => t(`reports.custom.measure.${measure}`);

  if (result.rows.length === 0) {
    return <p class="reports__note">{t('reports.custom.noRows', { from: result.from, to: result.to })}</p>;
  }
  const columns = result.dimensions.length + result.measures.length;
  const layout = columns > SIDE_TABLE_MAX_COLUMNS ? 'reports__body reports__body--stacked' : 'reports__body';
  return (
    <div class={layout}>
      <ResultChart result={result} chart={chart} summary={caption} />
      <div class="reports__scroll">
        <table class="reports__table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              {result.dimensions.map((dimension) => (
                <th scope="col" key={dimension}>
                  {t(`reports.custom.dimension.${dimension}`)}
                </th>
              ))}
              {result.measures.map((measure) => (
                <th scope="col" key={measure}>
                  {measureLabel(measure)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={row.keys.join('|')}>
                {row.labels.map((label, index) =>
                  index === 0 ? (
                    <th scope="row" key={index}>
                      {label}
                    </th>
                  ) : (
                    <td key={index}>{label}</td>
                  ),
                )}
                {result.measures.map((measure) => (
                  <td key={measure}>{formatMeasure(measure, row.values[measure])}</td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={Math.max(result.dimensions.length, 1)}>
                {t('reports.custom.total')}
              </th>
              {result.measures.map((measure) => (
                <td key={measure}>{formatMeasure(measure, result.totals[measure])}</td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      {result.truncated && <p class="reports__note">{t('reports.custom.truncated')}</p>}
    </div>
  );
}

function ResultChart(props: { result: ReportResult; chart: ChartType; summary: string }) {
  const { result, chart, summary } = props;
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const options = chartOptions(
    chart,
    result,
    (measure) => t(`reports.custom.measure.${measure}`),
    t('reports.custom.axis.pesos'),
  );

  useEffect(() => {
    if (options === null) return;
    let cancelled = false;
    let dispose = () => {};
    import('./echarts-setup').then(
      ({ echarts }) => {
        if (cancelled || element.current === null) return;
        const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
        instance.setOption(options);
        dispose = () => instance.dispose();
      },
      () => setFailed(true),
    );
    return () => {
      cancelled = true;
      dispose();
    };
  }, [result, chart]);

  if (options === null) return null;
  if (failed) return <p class="reports__note">{t('reports.chartFailed')}</p>;
  return <div class="reports__chart" ref={element} role="img" aria-label={summary} />;
}
