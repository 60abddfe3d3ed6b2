// Funnel report: of the accounts assigned in a period, how many were visited,
// contacted, promised and paid, as a funnel chart and a table.

import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { EmptyState } from '../../shared/ui/EmptyState';
import { useI18n } from '../../shared/ui/i18n-context';
import type { ReportFilters } from './api';
import { percent } from './heatmap';
import { NO_FILTERS, PeriodFilters } from './PeriodFilters';
import { productivityApi, type FunnelReport as Report } from './productivity-api';
import { ReportChart } from './ReportChart';
import './reports.css';
import './productivity.css';

export function FunnelReport(props: { api: ApiClient }) {
  const { api } = props;
  const { t } = useI18n();
  const [filters, setFilters] = useState<ReportFilters>(NO_FILTERS);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    productivityApi.funnel(api, filters).then(setReport, (failure: unknown) => {
      setReport(null);
      setError(describeError(failure, t));
    });
  }, [api, filters]);

  const label = (stage: string) => t(`funnel.stage.${stage}` as 'funnel.stage.assigned');
  const option = useMemo(() => {
    if (report === null) return {};
    return {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: '10%',
          width: '80%',
          label: { show: true, position: 'inside' },
          data: report.stages.map((stage) => ({ name: label(stage.stage), value: stage.accounts })),
        },
      ],
    };
  }, [report]);

  const assigned = report?.stages[0]?.accounts ?? 0;
  const paid = report?.stages[report.stages.length - 1]?.accounts ?? 0;

  return (
    <section class="reports" aria-labelledby="reports-funnel">
      <h2 id="reports-funnel">{t('funnel.title')}</h2>
      <p class="reports__intro">{t('funnel.intro')}</p>
      <PeriodFilters api={api} filters={filters} withAgent={false} onChange={setFilters} />
      {error !== null && (
        <p class="reports__error" role="alert">
          {error}
        </p>
      )}
      {report !== null && assigned === 0 && <EmptyState title={t('funnel.empty.title')} body={t('funnel.empty.body')} />}
      {report !== null && assigned > 0 && (
        <div class="reports__body">
          <ReportChart
            option={option}
            summary={t('funnel.summary', { assigned: String(assigned), paid: String(paid), rate: percent(paid / assigned) })}
          />
          <table class="reports__table">
            <caption>{t('funnel.caption', { from: report.from, to: report.to })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('funnel.column.stage')}</th>
                <th scope="col">{t('funnel.column.accounts')}</th>
                <th scope="col">{t('funnel.column.fromPrevious')}</th>
                <th scope="col">{t('funnel.column.fromAssigned')}</th>
              </tr>
            </thead>
            <tbody>
              {report.stages.map((stage) => (
                <tr key={stage.stage}>
                  <th scope="row">{label(stage.stage)}</th>
                  <td>{stage.accounts}</td>
                  <td>{percent(stage.rate_from_previous)}</td>
                  <td>{percent(stage.rate_from_assigned)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="reports__note">{t('funnel.paidAny', { count: String(report.paid_any) })}</p>
        </div>
      )}
    </section>
  );
}
