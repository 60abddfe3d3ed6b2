// Promises to pay across the organization's accounts, below the payments import:
// filters by status, lender, medium and due date, and one row per promise with
// its outcome against the imported payments. Reloads when `refreshKey` changes.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Lender } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { formatPesos } from '../visits/format';

export type PromiseStatus = 'pending' | 'kept' | 'broken';
export type PromiseSource = 'visit' | 'phone' | 'email' | 'sms' | 'whatsapp';

/** One row of `GET /api/promises`. */
export interface PromiseRow {
  source: PromiseSource;
  status: PromiseStatus;
  created_on: string;
  promised_on: string;
  due_on: string;
  amount_cents: number;
  paid_cents: number;
  visit_id: string | null;
  contact_attempt_id: string | null;
  account_id: string;
  lender_account_id: string;
  debtor_name: string | null;
  lender_id: string;
  lender_name: string;
  portfolio_id: string;
  agent_id: string;
  agent_name: string | null;
}

export interface PromisePage {
  promises: PromiseRow[];
  next_offset: number | null;
}

export interface PromiseFilters {
  status: string;
  lender_id: string;
  source: string;
  from: string;
  to: string;
}

const PAGE = 100;
const STATUSES: PromiseStatus[] = ['pending', 'kept', 'broken'];
const SOURCES: PromiseSource[] = ['visit', 'phone', 'email', 'sms', 'whatsapp'];
const EMPTY: PromiseFilters = { status: '', lender_id: '', source: '', from: '', to: '' };

/** Builds the list's query string, without the empty filters. */
export function promisesQuery(filters: PromiseFilters, offset: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== '') params.set(name, value);
  }
  params.set('limit', String(PAGE));
  if (offset > 0) params.set('offset', String(offset));
  return params.toString();
}

export function PromisesList(props: { api: ApiClient; lenders: Pick<Lender, 'id' | 'name'>[]; refreshKey: number }) {
  const { api, lenders } = props;
  const { t, language } = useI18n();
  const [filters, setFilters] = useState<PromiseFilters>(EMPTY);
  const [rows, setRows] = useState<PromiseRow[]>([]);
  const [nextOffset, setNextOffset] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (offset: number) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.request<PromisePage>('GET', `/api/promises?${promisesQuery(filters, offset)}`);
      setRows((previous) => (offset === 0 ? page.promises : [...previous, ...page.promises]));
      setNextOffset(page.next_offset);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(0);
  }, [api, filters, props.refreshKey]);

  const set = (name: keyof PromiseFilters) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setFilters((current) => ({ ...current, [name]: value }));
  };

  return (
    <section class="promises-list" aria-labelledby="promises-list-title">
      <h2 id="promises-list-title">{t('promises.title')}</h2>
      <div class="accounts-filters">
        <div class="form-field">
          <label for="promises-status">{t('promises.filter.status')}</label>
          <select id="promises-status" value={filters.status} onChange={set('status')}>
            <option value="">{t('promises.filter.all')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`account.promise.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="form-field">
          <label for="promises-lender">{t('promises.filter.lender')}</label>
          <select id="promises-lender" value={filters.lender_id} onChange={set('lender_id')}>
            <option value="">{t('promises.filter.all')}</option>
            {lenders.map((lender) => (
              <option key={lender.id} value={String(lender.id)}>
                {lender.name}
              </option>
            ))}
          </select>
        </div>
        <div class="form-field">
          <label for="promises-source">{t('promises.filter.source')}</label>
          <select id="promises-source" value={filters.source} onChange={set('source')}>
            <option value="">{t('promises.filter.all')}</option>
            {SOURCES.map((source) => (
              <option key={source} value={source}>
                {t(`account.channel.${source}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="form-field">
          <label for="promises-from">{t('promises.filter.dueFrom')}</label>
          <input id="promises-from" type="date" value={filters.from} onChange={set('from')} />
        </div>
        <div class="form-field">
          <label for="promises-to">{t('promises.filter.dueTo')}</label>
          <input id="promises-to" type="date" value={filters.to} onChange={set('to')} />
        </div>
      </div>
      {error !== null && (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      {error === null && !loading && rows.length === 0 && <p class="muted">{t('promises.empty')}</p>}
      {rows.length > 0 && (
        <table class="data-table">
          <thead>
            <tr>
              <th>{t('promises.column.account')}</th>
              <th>{t('promises.column.debtor')}</th>
              <th>{t('promises.column.source')}</th>
              <th>{t('promises.column.amount')}</th>
              <th>{t('promises.column.paid')}</th>
              <th>{t('promises.column.promisedOn')}</th>
              <th>{t('promises.column.dueOn')}</th>
              <th>{t('promises.column.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.visit_id ?? row.contact_attempt_id ?? row.account_id} data-status={row.status}>
                <td>
                  <a href={`#/accounts/${encodeURIComponent(row.account_id)}`}>{row.lender_account_id}</a>
                </td>
                <td>{row.debtor_name ?? '—'}</td>
                <td>{t(`account.channel.${row.source}`)}</td>
                <td>{formatPesos(row.amount_cents, language)}</td>
                <td>{formatPesos(row.paid_cents, language)}</td>
                <td>{row.promised_on}</td>
                <td>{row.due_on}</td>
                <td>{t(`account.promise.${row.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextOffset !== null && (
        <button type="button" class="button" disabled={loading} onClick={() => void load(nextOffset)}>
          {t('promises.more')}
        </button>
      )}
    </section>
  );
}
