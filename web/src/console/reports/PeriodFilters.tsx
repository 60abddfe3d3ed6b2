// Period, lender, portfolio and (optionally) agent filters of the productivity
// and funnel reports.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import type { Lender, Portfolio, User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { listAgents } from '../agents/api';
import type { ReportFilters } from './api';

export const NO_FILTERS: ReportFilters = { from: '', to: '', lenderId: '', portfolioId: '', agentId: '' };

export function PeriodFilters(props: {
  api: ApiClient;
  filters: ReportFilters;
  withAgent: boolean;
  onChange: (filters: ReportFilters) => void;
}) {
  const { api, filters, onChange } = props;
  const { t } = useI18n();
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [portfolios, setPortfolios] = useState<Portfolio[]>([]);
  const [agents, setAgents] = useState<User[]>([]);

  useEffect(() => {
    api.listLenders().then(setLenders, () => setLenders([]));
    if (props.withAgent) listAgents(api).then(setAgents, () => setAgents([]));
  }, [api, props.withAgent]);

  useEffect(() => {
    api.listPortfolios(filters.lenderId === '' ? null : filters.lenderId).then(setPortfolios, () => setPortfolios([]));
  }, [api, filters.lenderId]);

  const update = (change: Partial<ReportFilters>) => onChange({ ...filters, ...change });

  return (
    <form class="reports__filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        {t('reports.from')}
        <input type="date" value={filters.from} onInput={(event) => update({ from: event.currentTarget.value })} />
      </label>
      <label>
        {t('reports.to')}
        <input type="date" value={filters.to} onInput={(event) => update({ to: event.currentTarget.value })} />
      </label>
      <label>
        {t('reports.lender')}
        <select value={filters.lenderId} onChange={(event) => update({ lenderId: event.currentTarget.value, portfolioId: '' })}>
          <option value="">{t('reports.all')}</option>
          {lenders.map((lender) => (
            <option key={lender.id} value={lender.id}>
              {lender.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('reports.portfolio')}
        <select value={filters.portfolioId} onChange={(event) => update({ portfolioId: event.currentTarget.value })}>
          <option value="">{t('reports.all')}</option>
          {portfolios.map((portfolio) => (
            <option key={portfolio.id} value={portfolio.id}>
              {portfolio.lender_name} · {portfolio.name}
            </option>
          ))}
        </select>
      </label>
      {props.withAgent && agents.length > 0 && (
        <label>
          {t('reports.agent')}
          <select value={filters.agentId} onChange={(event) => update({ agentId: event.currentTarget.value })}>
            <option value="">{t('reports.all')}</option>
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </form>
  );
}
