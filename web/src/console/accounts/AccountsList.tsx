// Paged list of accounts with a text search and a portfolio filter.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { AccountPage, EntityId, Portfolio, User } from '../../shared/types';
import { EmptyState } from '../../shared/ui/EmptyState';
import { useI18n } from '../../shared/ui/i18n-context';
import { AssignBar } from './AssignBar';
import { MISSING, formatAddress, formatCents } from './format';

export const ACCOUNTS_PER_PAGE = 50;

interface AccountsListProps {
  api: ApiClient;
  portfolios: Portfolio[];
  portfolioId: EntityId | null;
  onPortfolioChange: (portfolioId: EntityId | null) => void;
  /** Changing this number loads the current page again, for example after an import. */
  refreshKey: number;
  /** Chooses the empty state's text: how to import, or who imports. */
  canImport: boolean;
  /** Agents the selected accounts can be assigned to; empty hides the selection. */
  agents: User[];
  canAssign: boolean;
}

type LoadState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; page: AccountPage };

export function AccountsList(props: AccountsListProps) {
  const { api, portfolioId } = props;
  const { t } = useI18n();
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const latestLoad = useRef(0);
  const [selected, setSelected] = useState<EntityId[]>([]);

  const fetchPage = () => {
    const current = ++latestLoad.current;
    setLoad({ kind: 'loading' });
    api.listAccounts({ portfolioId, search, page, perPage: ACCOUNTS_PER_PAGE }).then(
      (result) => {
        if (current === latestLoad.current) setLoad({ kind: 'loaded', page: result });
      },
      (failure: unknown) => {
        if (current === latestLoad.current) setLoad({ kind: 'failed', message: describeError(failure, t) });
      },
    );
  };

  // The parent changes the portfolio after an import and bumps `refreshKey`,
  // and either way the old page number may no longer exist.
  useEffect(() => setPage(1), [portfolioId, props.refreshKey]);
  useEffect(() => setSelected([]), [portfolioId, search, page, props.refreshKey]);

  // `fetchPage` reads `t` only for error text, so a language change needs no refetch.
  useEffect(fetchPage, [api, portfolioId, search, page, props.refreshKey]);

  const onSearch = (event: Event) => {
    event.preventDefault();
    setSearch(searchInput.trim());
    setPage(1);
  };

  const onPortfolioChange = (value: string) => {
    const portfolio = props.portfolios.find((candidate) => String(candidate.id) === value);
    props.onPortfolioChange(portfolio ? portfolio.id : null);
    setPage(1);
  };

  const clearFilters = () => {
    setSearchInput('');
    setSearch('');
    props.onPortfolioChange(null);
    setPage(1);
  };

  const filtered = search !== '' || portfolioId !== null;

  return (
    <section aria-labelledby="accounts-list-title" class="accounts-list">
      <h2 id="accounts-list-title">{t('accounts.listTitle')}</h2>
      <form class="accounts-filters" role="search" onSubmit={onSearch}>
        <div class="form-field accounts-filters__search">
          <label for="accounts-search">{t('accounts.search')}</label>
          <input
            id="accounts-search"
            type="search"
            autocomplete="off"
            value={searchInput}
            onInput={(event) => setSearchInput(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button">
          {t('accounts.searchSubmit')}
        </button>
        <div class="form-field accounts-filters__portfolio">
          <label for="accounts-portfolio">{t('accounts.portfolioFilter')}</label>
          <select
            id="accounts-portfolio"
            value={portfolioId === null ? '' : String(portfolioId)}
            onChange={(event) => onPortfolioChange(event.currentTarget.value)}
          >
            <option value="">{t('accounts.allPortfolios')}</option>
            {props.portfolios.map((portfolio) => (
              <option key={String(portfolio.id)} value={String(portfolio.id)}>
                {portfolio.lender_name} · {portfolio.name}
              </option>
            ))}
          </select>
        </div>
      </form>

      {load.kind === 'loading' ? (
        <p role="status" class="accounts-list__loading">
          {t('accounts.loading')}
        </p>
      ) : null}
      {load.kind === 'failed' ? (
        <div role="alert" class="form-error">
          <p>{load.message}</p>
          <button type="button" class="button button--small" onClick={fetchPage}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
      {load.kind === 'loaded' && load.page.total === 0 && !filtered ? (
        <EmptyState
          title={t('empty.accounts.title')}
          body={props.canImport ? t('empty.accounts.body') : t('accounts.emptyReadOnly')}
        />
      ) : null}
      {load.kind === 'loaded' && load.page.accounts.length === 0 && filtered ? (
        <div class="accounts-empty">
          <p>{t('accounts.noMatches')}</p>
          <button type="button" class="button button--small" onClick={clearFilters}>
            {t('accounts.clearFilters')}
          </button>
        </div>
      ) : null}
      {load.kind === 'loaded' && load.page.accounts.length > 0 && props.canAssign ? (
        <AssignBar api={api} agents={props.agents} selected={selected} onAssigned={() => setSelected([])} />
      ) : null}
      {load.kind === 'loaded' && load.page.accounts.length > 0 ? (
        <AccountsTable
          page={load.page}
          onPage={setPage}
          selection={props.canAssign ? { selected, onChange: setSelected } : null}
        />
      ) : null}
    </section>
  );
}

interface Selection {
  selected: EntityId[];
  onChange: (selected: EntityId[]) => void;
}

function AccountsTable(props: { page: AccountPage; onPage: (page: number) => void; selection: Selection | null }) {
  const { t } = useI18n();
  const { accounts, total, page, per_page: perPage } = props.page;
  const { selection } = props;
  const isSelected = (id: EntityId) => selection !== null && selection.selected.includes(id);
  const allSelected = selection !== null && accounts.every((account) => isSelected(account.id));
  const toggle = (id: EntityId) => {
    if (selection === null) return;
    selection.onChange(isSelected(id) ? selection.selected.filter((other) => other !== id) : [...selection.selected, id]);
  };
  const toggleAll = () => selection?.onChange(allSelected ? [] : accounts.map((account) => account.id));
  const pages = Math.max(1, Math.ceil(total / Math.max(1, perPage)));
  const from = (page - 1) * perPage + 1;
  const to = from + accounts.length - 1;

  return (
    <>
      <p class="accounts-list__count">{t('accounts.showing', { from, to, total })}</p>
      <div class="table-scroll">
        <table class="data-table accounts-table">
          <thead>
            <tr>
              {selection !== null ? (
                <th scope="col">
                  <input type="checkbox" aria-label={t('assign.selectPage')} checked={allSelected} onChange={toggleAll} />
                </th>
              ) : null}
              <th scope="col">{t('accounts.colAccount')}</th>
              <th scope="col">{t('accounts.colDebtor')}</th>
              <th scope="col">{t('accounts.colPortfolio')}</th>
              <th scope="col" class="numeric">
                {t('accounts.colOverdue')}
              </th>
              <th scope="col" class="numeric">
                {t('accounts.colDays')}
              </th>
              <th scope="col">{t('accounts.colAddress')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => (
              <tr key={String(account.id)}>
                {selection !== null ? (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('assign.selectAccount', { account: account.lender_account_id })}
                      checked={isSelected(account.id)}
                      onChange={() => toggle(account.id)}
                    />
                  </td>
                ) : null}
                <td class="nowrap" data-label={t('accounts.colAccount')}>
                  <a
                    href={`#/accounts/${encodeURIComponent(String(account.id))}`}
                    aria-label={t('account.open', { account: account.lender_account_id })}
                  >
                    {account.lender_account_id}
                  </a>
                </td>
                <th scope="row">{account.debtor_name}</th>
                <td data-label={t('accounts.colPortfolio')}>
                  {account.lender_name}
                  <br />
                  <span class="muted">{account.portfolio_name}</span>
                </td>
                <td class="numeric nowrap" data-label={t('accounts.colOverdue')}>
                  {formatCents(account.overdue_cents, account.currency)}
                </td>
                <td class="numeric" data-label={t('accounts.colDays')}>
                  {account.days_past_due ?? MISSING}
                </td>
                <td class="accounts-table__address" data-label={t('accounts.colAddress')}>
                  {formatAddress(account)}
                  {account.needs_pin ? (
                    <>
                      <br />
                      <span class="tag">{t('accounts.needsPin')}</span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav class="pager" aria-label={t('accounts.pagination')}>
          <button type="button" class="button button--small" disabled={page <= 1} onClick={() => props.onPage(page - 1)}>
            {t('accounts.previous')}
          </button>
          <span>{t('accounts.pageOf', { page, pages })}</span>
          <button
            type="button"
            class="button button--small"
            disabled={page >= pages}
            onClick={() => props.onPage(page + 1)}
          >
            {t('accounts.next')}
          </button>
        </nav>
      ) : null}
    </>
  );
}
