// The visits list with filters by day, agent, lender, portfolio, result code
// and verdict. Each row links to the visit's evidence page, and older visits
// load a page at a time on request.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Lender, Portfolio, User } from '../../shared/types';
import { EmptyState } from '../../shared/ui/EmptyState';
import { useI18n } from '../../shared/ui/i18n-context';
import { EMPTY_FILTERS, listVisits, type VisitFilters, type VisitSummary } from './api';
import { formatDateTime, pickLabel, visitHash } from './format';

interface Catalog {
  agents: User[];
  lenders: Lender[];
  portfolios: Portfolio[];
}

type ListState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'loaded'; visits: VisitSummary[]; nextCursor: string | null; loadingMore: boolean };

function useCatalog(api: ApiClient): Catalog {
  const [catalog, setCatalog] = useState<Catalog>({ agents: [], lenders: [], portfolios: [] });
  useEffect(() => {
    let cancelled = false;
    // The filters still work as free choices when a catalogue cannot be read,
    // so a failure here only leaves that drop-down empty.
    Promise.all([
      api.listUsers().catch(() => [] as User[]),
      api.listLenders().catch(() => [] as Lender[]),
      api.listPortfolios().catch(() => [] as Portfolio[]),
    ]).then(([users, lenders, portfolios]) => {
      if (cancelled) return;
      setCatalog({ agents: users.filter((user) => user.role === 'agent'), lenders, portfolios });
    });
    return () => {
      cancelled = true;
    };
  }, [api]);
  return catalog;
}

export function VisitsList(props: { api: ApiClient }) {
  const { api } = props;
  const { t, language } = useI18n();
  const catalog = useCatalog(api);
  const [draft, setDraft] = useState<VisitFilters>(EMPTY_FILTERS);
  const [filters, setFilters] = useState<VisitFilters>(EMPTY_FILTERS);
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    listVisits(api, filters).then(
      (page) => {
        if (!cancelled) setState({ kind: 'loaded', visits: page.visits, nextCursor: page.next_cursor, loadingMore: false });
      },
      (failure: unknown) => {
        if (!cancelled) setState({ kind: 'failed', message: describeError(failure, t) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, filters, attempt]);

  const loadMore = () => {
    if (state.kind !== 'loaded' || state.nextCursor === null) return;
    const current = state;
    setState({ ...current, loadingMore: true });
    listVisits(api, filters, current.nextCursor).then(
      (page) =>
        setState({
          kind: 'loaded',
          visits: [...current.visits, ...page.visits],
          nextCursor: page.next_cursor,
          loadingMore: false,
        }),
      (failure: unknown) => setState({ kind: 'failed', message: describeError(failure, t) }),
    );
  };

  const set = (name: keyof VisitFilters) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setDraft((previous) => ({ ...previous, [name]: value }));
  };
  const portfolios = catalog.portfolios.filter(
    (portfolio) => draft.lender_id === '' || String(portfolio.lender_id) === draft.lender_id,
  );
  const filtered = Object.values(filters).some((value) => value.trim() !== '');

  return (
    <section class="visits" aria-labelledby="visits-list-title">
      <h2 id="visits-list-title" class="visually-hidden">
        {t('visits.listTitle')}
      </h2>
      <form
        class="visits__filters"
        aria-label={t('visits.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <label>
          {t('visits.filter.from')}
          <input type="date" value={draft.from} onInput={set('from')} />
        </label>
        <label>
          {t('visits.filter.to')}
          <input type="date" value={draft.to} onInput={set('to')} />
        </label>
        <label>
          {t('visits.filter.agent')}
          <select value={draft.agent_id} onChange={set('agent_id')}>
            <option value="">{t('visits.filter.all')}</option>
            {catalog.agents.map((agent) => (
              <option key={agent.id} value={String(agent.id)}>
                {agent.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('visits.filter.lender')}
          <select value={draft.lender_id} onChange={set('lender_id')}>
            <option value="">{t('visits.filter.all')}</option>
            {catalog.lenders.map((lender) => (
              <option key={lender.id} value={String(lender.id)}>
                {lender.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('visits.filter.portfolio')}
          <select value={draft.portfolio_id} onChange={set('portfolio_id')}>
            <option value="">{t('visits.filter.all')}</option>
            {portfolios.map((portfolio) => (
              <option key={portfolio.id} value={String(portfolio.id)}>
                {portfolio.lender_name} · {portfolio.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('visits.filter.resultCode')}
          <input type="text" value={draft.result_code} onInput={set('result_code')} placeholder="PTP" size={10} />
        </label>
        <label>
          {t('visits.filter.verdict')}
          <select value={draft.verdict} onChange={set('verdict')}>
            <option value="">{t('visits.filter.all')}</option>
            <option value="verified">{t('visits.verdict.verified')}</option>
            <option value="doubtful">{t('visits.verdict.doubtful')}</option>
            <option value="rejected">{t('visits.verdict.rejected')}</option>
          </select>
        </label>
        <div class="visits__filter-actions">
          <button type="submit" class="button button--primary">
            {t('visits.filter.apply')}
          </button>
          <button
            type="button"
            class="button"
            onClick={() => {
              setDraft(EMPTY_FILTERS);
              setFilters(EMPTY_FILTERS);
            }}
          >
            {t('visits.filter.clear')}
          </button>
        </div>
      </form>

      {state.kind === 'loading' ? (
        <p role="status">{t('common.loading')}</p>
      ) : state.kind === 'failed' ? (
        <div role="alert" class="form-error">
          <p>
            {t('visits.loadFailed')} {state.message}
          </p>
          <button type="button" class="button button--small" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </div>
      ) : state.visits.length === 0 ? (
        <EmptyState
          title={filtered ? t('visits.noMatchTitle') : t('empty.visits.title')}
          body={filtered ? t('visits.noMatchBody') : t('visits.emptyBody')}
        />
      ) : (
        <>
          <VisitsTable visits={state.visits} language={language} />
          {state.nextCursor !== null ? (
            <button type="button" class="button" onClick={loadMore} disabled={state.loadingMore}>
              {state.loadingMore ? t('common.loading') : t('visits.loadMore')}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

function VisitsTable(props: { visits: VisitSummary[]; language: 'es' | 'en' }) {
  const { t } = useI18n();
  return (
    <div class="visits__table-wrap">
      <table class="visits__table">
        <thead>
          <tr>
            <th scope="col">{t('visits.column.finished')}</th>
            <th scope="col">{t('visits.column.agent')}</th>
            <th scope="col">{t('visits.column.account')}</th>
            <th scope="col">{t('visits.column.address')}</th>
            <th scope="col">{t('visits.column.result')}</th>
            <th scope="col">{t('visits.column.verdict')}</th>
          </tr>
        </thead>
        <tbody>
          {props.visits.map((visit) => (
            <tr key={visit.id}>
              <td>
                <a href={visitHash(visit.id)}>{formatDateTime(visit.finished_at, props.language, null)}</a>
              </td>
              <td>{visit.agent_name}</td>
              <td>
                {visit.lender_account_id}
                <span class="visits__muted">
                  {' '}
                  · {visit.lender_name}
                  {visit.debtor_name ? ` · ${visit.debtor_name}` : ''}
                </span>
              </td>
              <td>{visit.address_text}</td>
              <td>
                {pickLabel(visit.result_label_es, visit.result_label_en, props.language) ?? visit.result_code ?? '—'}
              </td>
              <td>
                <span class={`verdict-badge verdict-badge--${visit.verdict}`}>{t(`visits.verdict.${visit.verdict}`)}</span>
                {visit.pin_state === 'pending' ? <span class="visits__pin">{t('visits.pinPending')}</span> : null}
                {visit.status === 'waiting_for_attachments' ? (
                  <span class="visits__muted"> {t('visits.waitingFiles')}</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
