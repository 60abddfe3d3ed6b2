// Agent productivity report: visits per day as bars, and a table sortable by
// every measure (visits, distance, time between visits, verified share, contact
// rate, promises and promises kept).

import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { MessageKey } from '../../shared/i18n';
import { EmptyState } from '../../shared/ui/EmptyState';
import { useI18n } from '../../shared/ui/i18n-context';
import type { ReportFilters } from './api';
import { percent } from './heatmap';
import { NO_FILTERS, PeriodFilters } from './PeriodFilters';
import {
  PRODUCTIVITY_COLUMNS,
  pesos,
  productivityApi,
  sortAgents,
  type AgentProductivity,
  type ProductivityColumn,
  type ProductivityReport as Report,
  type SortOrder,
} from './productivity-api';
import { ReportChart } from './ReportChart';
import './reports.css';
import './productivity.css';

function cellText(agent: AgentProductivity, column: ProductivityColumn): string {
  switch (column) {
    case 'agent_name':
      return agent.agent_name;
    case 'visits_per_day':
      return agent.visits_per_day.toFixed(1);
    case 'distance_km':
      return agent.distance_km.toFixed(1);
    case 'minutes_between_visits':
      return agent.minutes_between_visits === null ? '—' : String(Math.round(agent.minutes_between_visits));
    case 'verified_share':
    case 'contact_rate':
      return percent(agent[column]);
    case 'promised_cents':
      return pesos(agent.promised_cents);
    case 'promises_kept':
      return `${agent.promises_kept} / ${agent.promises_kept + agent.promises_broken}`;
    default:
      return String(agent[column]);
  }
}

export function ProductivityReport(props: { api: ApiClient }) {
  const { api } = props;
  const { t } = useI18n();
  const [filters, setFilters] = useState<ReportFilters>(NO_FILTERS);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [order, setOrder] = useState<SortOrder>({ column: 'visits', descending: true });

  useEffect(() => {
    setError(null);
    productivityApi.productivity(api, filters).then(setReport, (failure: unknown) => {
      setReport(null);
      setError(describeError(failure, t));
    });
  }, [api, filters]);

  const agents = useMemo(() => (report === null ? [] : sortAgents(report.agents, order)), [report, order]);
  const option = useMemo(
    () => ({
      grid: { left: 48, right: 16, top: 16, bottom: 64, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: agents.map((agent) => agent.agent_name), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', name: t('productivity.column.visits_per_day') },
      series: [{ type: 'bar', barMaxWidth: 48, data: agents.map((agent) => Number(agent.visits_per_day.toFixed(1))) }],
    }),
    [agents],
  );

  const sortBy = (column: ProductivityColumn) =>
    setOrder((current) =>
      current.column === column ? { column, descending: !current.descending } : { column, descending: column !== 'agent_name' },
    );
  const ariaSort = (column: ProductivityColumn) => {
    if (order.column !== column) return undefined;
    return order.descending ? 'descending' : 'ascending';
  };

  return (
    <section class="reports" aria-labelledby="reports-productivity">
      <h2 id="reports-productivity">{t('productivity.title')}</h2>
      <p class="reports__intro">{t('productivity.intro')}</p>
      <PeriodFilters api={api} filters={filters} withAgent onChange={setFilters} />
      {error !== null && (
        <p class="reports__error" role="alert">
          {error}
        </p>
      )}
      {report !== null && agents.length === 0 && (
        <EmptyState title={t('reports.empty.title')} body={t('reports.empty.body')} />
      )}
      {report !== null && agents.length > 0 && (
        <div class="reports__stack">
          <ReportChart option={option} summary={t('productivity.chartSummary', { from: report.from, to: report.to })} />
          <table class="reports__table">
            <caption>{t('productivity.caption', { from: report.from, to: report.to })}</caption>
            <thead>
              <tr>
                {PRODUCTIVITY_COLUMNS.map((column) => (
                  <th key={column} scope="col" aria-sort={ariaSort(column)}>
                    <button type="button" class="reports__sort" onClick={() => sortBy(column)}>
                      {t(`productivity.column.${column}` as MessageKey)}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {agents.map((agent) => (
                <tr key={agent.agent_id}>
                  {PRODUCTIVITY_COLUMNS.map((column) =>
                    column === 'agent_name' ? (
                      <th key={column} scope="row">
                        {agent.agent_name}
                      </th>
                    ) : (
                      <td key={column}>{cellText(agent, column)}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <p class="reports__note">{t('productivity.note')}</p>
        </div>
      )}
    </section>
  );
}
