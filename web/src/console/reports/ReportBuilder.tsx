// Report builder: pick dimensions, measures, filters, period and chart type, run the
// report, export it before saving, save it, download it, and share it by a read-only link.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Lender, User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { listAgents } from '../agents/api';
import {
  CHARTS,
  CUSTOM_MEASURES,
  DIMENSIONS,
  MAX_DIMENSIONS,
  type ChartType,
  type CustomMeasure,
  type Dimension,
  type ReportDefinition,
  type ReportResult,
  type SavedReport,
  customReportsApi,
  savedExportUrl,
} from './customApi';
import { type ExportFormat, exportDefinition, saveFile } from './customExport';
import { ReportResultView } from './ReportResultView';
import { SharePanel } from './SharePanel';

const VERDICTS = ['verified', 'doubtful', 'rejected', 'none'] as const;
const CHANNELS = ['visit', 'phone', 'email', 'sms', 'whatsapp'] as const;

export const EMPTY_DEFINITION: ReportDefinition = {
  dimensions: ['agent'],
  measures: ['attempts', 'contact_rate'],
  filters: {},
  period: { last_days: 30 },
  chart: 'bars',
};

/** Adds `value` to `list`, or takes it out when present. */
export function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}

export function ReportBuilder(props: { api: ApiClient }) {
  const { api } = props;
  const { t } = useI18n();
  const [definition, setDefinition] = useState<ReportDefinition>(EMPTY_DEFINITION);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<SavedReport[]>([]);
  const [current, setCurrent] = useState<SavedReport | null>(null);
  const [result, setResult] = useState<ReportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [agents, setAgents] = useState<User[]>([]);
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [exporting, setExporting] = useState(false);

  const reloadSaved = () => customReportsApi.listSaved(api).then(setSaved, () => setSaved([]));
  useEffect(() => {
    reloadSaved();
    listAgents(api).then(setAgents, () => setAgents([]));
    api.listLenders().then(setLenders, () => setLenders([]));
  }, [api]);

  const change = (update: Partial<ReportDefinition>) => setDefinition((old) => ({ ...old, ...update }));
  const setFilter = (dimension: Dimension, values: (string | number)[]) =>
    setDefinition((old) => {
      const filters = { ...old.filters };
      if (values.length === 0) delete filters[dimension];
      else filters[dimension] = values;
      return { ...old, filters };
    });
  const fail = (failure: unknown) => {
    setNotice(null);
    setError(describeError(failure, t));
  };

  const run = () => {
    setError(null);
    customReportsApi.query(api, definition).then(setResult, (failure: unknown) => {
      setResult(null);
      fail(failure);
    });
  };
  const exportFile = (format: ExportFormat) => {
    setError(null);
    setNotice(null);
    setExporting(true);
    exportDefinition(api, definition, format)
      .then((file) => {
        saveFile(file);
        setNotice(t('reports.custom.exported', { file: file.name }));
      }, fail)
      .finally(() => setExporting(false));
  };
  const save = () => {
    setError(null);
    customReportsApi.save(api, name, definition, current?.id).then((report) => {
      setCurrent(report);
      setNotice(t('reports.custom.saved', { name: report.name }));
      reloadSaved();
    }, fail);
  };
  const open = (report: SavedReport) => {
    setCurrent(report);
    setName(report.name);
    setDefinition(report.definition);
    setResult(null);
    setNotice(null);
  };
  const remove = () => {
    if (current === null) return;
    customReportsApi.remove(api, current.id).then(() => {
      setCurrent(null);
      setName('');
      reloadSaved();
    }, fail);
  };

  const fixedPeriod = definition.period.last_days === undefined;
  const chart = definition.chart ?? 'table';
  const selectedVerdicts = (definition.filters.verdict ?? []).map(String);
  const selectedChannels = (definition.filters.channel ?? []).map(String);

  return (
    <section class="reports reports__builder" aria-labelledby="reports-builder-title">
      <h2 id="reports-builder-title">{t('reports.custom.title')}</h2>
      {saved.length > 0 && (
        <nav aria-label={t('reports.custom.savedList')} class="reports__saved">
          <h3>{t('reports.custom.savedList')}</h3>
          <ul>
            {saved.map((report) => (
              <li key={report.id}>
                <button type="button" class="link-button" aria-current={current?.id === report.id} onClick={() => open(report)}>
                  {report.name}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <form
        class="reports__filters"
        onSubmit={(event) => {
          event.preventDefault();
          run();
        }}
      >
        <fieldset>
          <legend>{t('reports.custom.dimensions', { max: MAX_DIMENSIONS })}</legend>
          {DIMENSIONS.map((dimension) => (
            <label key={dimension}>
              <input
                type="checkbox"
                name="dimension"
                value={dimension}
                checked={definition.dimensions.includes(dimension)}
                disabled={!definition.dimensions.includes(dimension) && definition.dimensions.length >= MAX_DIMENSIONS}
                onChange={() => change({ dimensions: toggle(definition.dimensions, dimension) })}
              />
              {t(`reports.custom.dimension.${dimension}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('reports.custom.measures')}</legend>
          {CUSTOM_MEASURES.map((measure: CustomMeasure) => (
            <label key={measure}>
              <input
                type="checkbox"
                name="measure"
                value={measure}
                checked={definition.measures.includes(measure)}
                onChange={() => change({ measures: toggle(definition.measures, measure) })}
              />
              {t(`reports.custom.measure.${measure}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('reports.custom.filters')}</legend>
          <label>
            {t('reports.agent')}
            <select
              name="agent"
              value={String(definition.filters.agent?.[0] ?? '')}
              onChange={(event) => setFilter('agent', event.currentTarget.value === '' ? [] : [event.currentTarget.value])}
            >
              <option value="">{t('reports.all')}</option>
              {agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reports.lender')}
            <select
              name="lender"
              value={String(definition.filters.lender?.[0] ?? '')}
              onChange={(event) => setFilter('lender', event.currentTarget.value === '' ? [] : [event.currentTarget.value])}
            >
              <option value="">{t('reports.all')}</option>
              {lenders.map((lender) => (
                <option key={lender.id} value={lender.id}>
                  {lender.name}
                </option>
              ))}
            </select>
          </label>
          {VERDICTS.map((verdict) => (
            <label key={verdict}>
              <input
                type="checkbox"
                name="verdict"
                value={verdict}
                checked={selectedVerdicts.includes(verdict)}
                onChange={() => setFilter('verdict', toggle(selectedVerdicts, verdict))}
              />
              {t(`reports.custom.verdict.${verdict}`)}
            </label>
          ))}
          {CHANNELS.map((channel) => (
            <label key={channel}>
              <input
                type="checkbox"
                name="channel"
                value={channel}
                checked={selectedChannels.includes(channel)}
                onChange={() => setFilter('channel', toggle(selectedChannels, channel))}
              />
              {t(`reports.custom.channel.${channel}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('reports.custom.period')}</legend>
          <label>
            <input
              type="radio"
              name="period-kind"
              checked={!fixedPeriod}
              onChange={() => change({ period: { last_days: 30 } })}
            />
            {t('reports.custom.lastDays')}
          </label>
          {!fixedPeriod && (
            <label>
              {t('reports.custom.days')}
              <input
                type="number"
                name="last-days"
                min={1}
                max={366}
                value={definition.period.last_days}
                onInput={(event) => change({ period: { last_days: Number(event.currentTarget.value) } })}
              />
            </label>
          )}
          <label>
            <input type="radio" name="period-kind" checked={fixedPeriod} onChange={() => change({ period: { from: '', to: '' } })} />
            {t('reports.custom.fixedDates')}
          </label>
          {fixedPeriod && (
            <>
              <label>
                {t('reports.from')}
                <input
                  type="date"
                  name="from"
                  value={definition.period.from ?? ''}
                  onInput={(event) => change({ period: { ...definition.period, from: event.currentTarget.value } })}
                />
              </label>
              <label>
                {t('reports.to')}
                <input
                  type="date"
                  name="to"
                  value={definition.period.to ?? ''}
                  onInput={(event) => change({ period: { ...definition.period, to: event.currentTarget.value } })}
                />
              </label>
            </>
          )}
        </fieldset>
        <label>
          {t('reports.custom.chart')}
          <select name="chart" value={chart} onChange={(event) => change({ chart: event.currentTarget.value as ChartType })}>
            {CHARTS.map((option) => (
              <option key={option} value={option}>
                {t(`reports.custom.chart.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button">
          {t('reports.custom.run')}
        </button>
        <span class="reports__export">
          <button type="button" class="button" disabled={exporting} onClick={() => exportFile('csv')}>
            {t('reports.custom.export.csv')}
          </button>
          <button type="button" class="button" disabled={exporting} onClick={() => exportFile('xlsx')}>
            {t('reports.custom.export.xlsx')}
          </button>
        </span>
      </form>

      <form
        class="reports__save"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <label>
          {t('reports.custom.name')}
          <input type="text" name="report-name" value={name} maxLength={120} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <button type="submit" class="button">
          {current === null ? t('reports.custom.save') : t('reports.custom.update')}
        </button>
        {current !== null && (
          <>
            <button type="button" class="button button--small" onClick={() => setCurrent(null)}>
              {t('reports.custom.saveAsNew')}
            </button>{' '}
            <button type="button" class="button button--small" onClick={remove}>
              {t('reports.custom.delete')}
            </button>
          </>
        )}
      </form>

      {error !== null && (
        <p class="reports__error" role="alert">
          {error}
        </p>
      )}
      {notice !== null && <p role="status">{notice}</p>}
      {current !== null && (
        <p class="reports__downloads">
          <a class="button button--small" href={savedExportUrl(current.id, 'csv')} download>
            {t('reports.download.csv')}
          </a>{' '}
          <a class="button button--small" href={savedExportUrl(current.id, 'xlsx')} download>
            {t('reports.download.xlsx')}
          </a>
        </p>
      )}
      {current !== null && <SharePanel api={api} report={current} />}
      {result !== null && (
        <ReportResultView result={result} chart={chart} caption={t('reports.custom.caption', { from: result.from, to: result.to })} />
      )}
    </section>
  );
}
