// The best contact hours heatmap, in each address's local time, with filters by
// period, lender, portfolio, agent, channel and zone, and a table with the same numbers ranked by
// the chosen measure.

import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Lender, Portfolio, User } from '../../shared/types';
import { EmptyState } from '../../shared/ui/EmptyState';
import { listAgents } from '../agents/api';
import { useI18n } from '../../shared/ui/i18n-context';
import { exportUrl, reportsApi, type ContactHoursReport, type ReportFilters, type ReportZone } from './api';
import { ContactHoursChart, type ChartData } from './ContactHoursChart';
import { heatmapPoints, hourRange, MEASURES, maxValue, percent, rankable, rankHours, type Measure } from './heatmap';
import './reports.css';

/** Channels of contact attempts: field visits and those recorded by hand. */
const CHANNELS = ['visit', 'phone', 'email', 'sms', 'whatsapp'] as const;

const EMPTY_FILTERS: ReportFilters = { from: '', to: '', lenderId: '', portfolioId: '', agentId: '' };
const WEEKDAY_KEYS = [
  'reports.weekday.1',
  'reports.weekday.2',
  'reports.weekday.3',
  'reports.weekday.4',
  'reports.weekday.5',
  'reports.weekday.6',
  'reports.weekday.7',
] as const;

export function ContactHoursView(props: { api: ApiClient }) {
  const { api } = props;
  const { t } = useI18n();
  const [filters, setFilters] = useState<ReportFilters>(EMPTY_FILTERS);
  const [measure, setMeasure] = useState<Measure>('success_rate');
  const [report, setReport] = useState<ContactHoursReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [portfolios, setPortfolios] = useState<Portfolio[]>([]);
  const [agents, setAgents] = useState<User[]>([]);
  const [zones, setZones] = useState<ReportZone[]>([]);

  useEffect(() => {
    api.listLenders().then(setLenders, () => setLenders([]));
    listAgents(api).then(setAgents, () => setAgents([]));
    reportsApi.zones(api).then(setZones, () => setZones([]));
  }, [api]);

  useEffect(() => {
    api.listPortfolios(filters.lenderId === '' ? null : filters.lenderId).then(setPortfolios, () => setPortfolios([]));
  }, [api, filters.lenderId]);

  useEffect(() => {
    setError(null);
    reportsApi.contactHours(api, filters).then(setReport, (failure: unknown) => {
      setReport(null);
      setError(describeError(failure, t));
    });
  }, [api, filters]);

  const weekdayLabels = WEEKDAY_KEYS.map((key) => t(key));
  const measureLabel = t(`reports.measure.${measure}`);
  const isRate = measure !== 'attempts';
  const format = (value: number) => (isRate ? percent(value) : String(value));
  const ranked = useMemo(() => (report === null ? [] : rankHours(report.cells, measure)), [report, measure]);
  const chart: ChartData | null = useMemo(() => {
    if (report === null || report.attempts === 0) return null;
    const best = ranked.find((cell) => rankable(cell, measure));
    const summary =
      best === undefined
        ? t('reports.summaryNone', { measure: measureLabel })
        : t('reports.summary', {
            measure: measureLabel,
            day: weekdayLabels[best.weekday - 1] ?? '',
            hours: hourRange(best.hour),
            value: format(best[measure]),
          });
    return {
      points: heatmapPoints(report.cells, measure),
      max: maxValue(report.cells, measure),
      isRate,
      weekdayLabels,
      measureLabel,
      summary,
    };
  }, [report, measure, ranked]);

  const update = (change: Partial<ReportFilters>) => setFilters((current) => ({ ...current, ...change }));

  return (
    <section class="reports" aria-labelledby="reports-contact-hours">
      <h2 id="reports-contact-hours">{t('reports.contactHours.title')}</h2>
      <p class="reports__intro">{t('reports.contactHours.intro')}</p>
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
          <select
            value={filters.lenderId}
            onChange={(event) => update({ lenderId: event.currentTarget.value, portfolioId: '' })}
          >
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
        {agents.length > 0 && (
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
        <label>
          {t('reports.channel')}
          <select value={filters.channel ?? ''} onChange={(event) => update({ channel: event.currentTarget.value })}>
            <option value="">{t('reports.all')}</option>
            {CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {t(`reports.custom.channel.${channel}`)}
              </option>
            ))}
          </select>
        </label>
        {zones.length > 0 && (
          <label>
            {t('reports.zone')}
            <select value={filters.zone ?? ''} onChange={(event) => update({ zone: event.currentTarget.value })}>
              <option value="">{t('reports.all')}</option>
              {zones.map((zone) => (
                <option key={zone.zone} value={zone.zone}>
                  {zone.municipality}, {zone.state}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('reports.measure')}
          <select value={measure} onChange={(event) => setMeasure(event.currentTarget.value as Measure)}>
            {MEASURES.map((option) => (
              <option key={option} value={option}>
                {t(`reports.measure.${option}`)}
              </option>
            ))}
          </select>
        </label>
      </form>

      {error !== null && (
        <p class="reports__error" role="alert">
          {error}
        </p>
      )}
      {report !== null && (
        <p class="reports__totals">
          {t('reports.totals', {
            from: report.from,
            to: report.to,
            attempts: String(report.attempts),
            contact: percent(report.attempts === 0 ? 0 : report.right_party / report.attempts),
            success: percent(report.attempts === 0 ? 0 : report.successes / report.attempts),
          })}
        </p>
      )}
      {report !== null && report.attempts > 0 && (
        <p class="reports__downloads">
          <a class="button button--small" href={exportUrl(filters, 'csv')} download>
            {t('reports.download.csv')}
          </a>{' '}
          <a class="button button--small" href={exportUrl(filters, 'xlsx')} download>
            {t('reports.download.xlsx')}
          </a>
        </p>
      )}
      {report !== null && report.attempts === 0 && (
        <EmptyState title={t('reports.empty.title')} body={t('reports.empty.body')} />
      )}
      {chart !== null && report !== null && (
        <div class="reports__body">
          <ContactHoursChart data={chart} />
          <table class="reports__table">
            <caption>{t('reports.table.caption', { measure: measureLabel })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.table.day')}</th>
                <th scope="col">{t('reports.table.hours')}</th>
                <th scope="col">{t('reports.measure.attempts')}</th>
                <th scope="col">{t('reports.measure.contact_rate')}</th>
                <th scope="col">{t('reports.measure.success_rate')}</th>
              </tr>
            </thead>
            <tbody>
              {ranked.map((cell) => (
                <tr key={`${cell.weekday}-${cell.hour}`}>
                  <th scope="row">{weekdayLabels[cell.weekday - 1]}</th>
                  <td>{hourRange(cell.hour)}</td>
                  <td>{cell.attempts}</td>
                  <td>{percent(cell.contact_rate)}</td>
                  <td>{percent(cell.success_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {isRate && ranked.some((cell) => !rankable(cell, measure)) && (
            <p class="reports__note">{t('reports.table.fewAttempts')}</p>
          )}
        </div>
      )}
    </section>
  );
}
