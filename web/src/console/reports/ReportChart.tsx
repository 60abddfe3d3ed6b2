// An ECharts chart of the productivity or funnel report. The table beside it
// carries the same numbers for screen readers and keyboards, so the chart is an
// image with a summary label.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';

export function ReportChart(props: { option: Record<string, unknown>; summary: string }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const { option } = props;

  useEffect(() => {
    let cancelled = false;
    let dispose = () => {};
    import('./productivity-echarts').then(
      ({ echarts }) => {
        if (cancelled || element.current === null) return;
        const chart = echarts.init(element.current, undefined, { renderer: 'svg' });
        chart.setOption({ animation: false, ...option });
        const resize = () => chart.resize();
        window.addEventListener('resize', resize);
        dispose = () => {
          window.removeEventListener('resize', resize);
          chart.dispose();
        };
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      dispose();
    };
  }, [option]);

  if (failed) {
    return <p class="reports__chart-failed">{t('reports.chartFailed')}</p>;
  }
  return <div ref={element} class="reports__chart" role="img" aria-label={props.summary} />;
}
