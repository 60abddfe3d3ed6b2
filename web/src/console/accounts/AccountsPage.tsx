// "Cuentas" section of the console: the accounts list, the lenders and
// portfolios, the portfolio import wizard, and one account at `#/accounts/{id}`.
// Viewers only read. The server rejects their writes anyway, so hiding the
// controls only spares them an error.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import type { EntityId, Role, User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { listAgents } from '../agents/api';
import { AccountPage } from './AccountPage';
import { accountIdFromHash } from './AccountPageApi';
import { AccountsList } from './AccountsList';
import { ImportWizard } from './ImportWizard';
import { LendersPanel } from './LendersPanel';
import { AssignByArea } from './AssignByArea';
import { PaymentsImport } from './PaymentsImport';
import { loadedPortfolios, useCatalog } from './useCatalog';
import './accounts.css';

/** Roles that may create lenders and portfolios and import files. */
const MANAGING_ROLES: readonly Role[] = ['admin', 'supervisor'];

export function canManageAccounts(role: Role): boolean {
  return MANAGING_ROLES.includes(role);
}

export function AccountsPage(props: { api: ApiClient; role: Role }) {
  const [accountId, setAccountId] = useState(() => accountIdFromHash(location.hash));

  useEffect(() => {
    const onHashChange = () => setAccountId(accountIdFromHash(location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  if (accountId !== null) {
    return <AccountPage key={accountId} api={props.api} role={props.role} accountId={accountId} />;
  }
  return <AccountsOverview api={props.api} role={props.role} />;
}

function AccountsOverview(props: { api: ApiClient; role: Role }) {
  const { api } = props;
  const { t } = useI18n();
  const catalog = useCatalog(api);
  const canManage = canManageAccounts(props.role);
  const [view, setView] = useState<'list' | 'import' | 'payments' | 'area'>('list');
  const [portfolioFilter, setPortfolioFilter] = useState<EntityId | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const importButtonRef = useRef<HTMLButtonElement>(null);
  const returningFromImport = useRef(false);
  const [agents, setAgents] = useState<User[]>([]);

  useEffect(() => {
    if (!canManage) return;
    listAgents(api).then(
      (list) => setAgents(list.filter((agent) => agent.active)),
      () => setAgents([]),
    );
  }, [api, canManage]);

  // Back in the list, put focus on the button that opened the wizard.
  useEffect(() => {
    if (view === 'list' && returningFromImport.current) {
      returningFromImport.current = false;
      importButtonRef.current?.focus();
    }
  }, [view]);

  const openImport = () => setView('import');

  const closeImport = (importedPortfolio: EntityId | null) => {
    returningFromImport.current = true;
    if (importedPortfolio !== null) {
      setPortfolioFilter(importedPortfolio);
    }
    // Account counts and the list change after an import, and a cancelled
    // wizard may have been open while someone else imported.
    catalog.reload();
    setRefreshKey((key) => key + 1);
    setView('list');
  };

  if (view === 'import' && canManage) {
    // The wizard starts only with the portfolios loaded, so that it never
    // claims there are none while they are still on their way.
    const state = catalog.state;
    return (
      <div class="accounts-page">
        {state.kind === 'loaded' ? (
          <ImportWizard api={api} portfolios={state.portfolios} onClose={closeImport} />
        ) : null}
        {state.kind === 'loading' ? <p role="status">{t('lenders.loading')}</p> : null}
        {state.kind === 'failed' ? (
          <div role="alert" class="form-error">
            <p>{state.message}</p>
            <button type="button" class="button button--small" onClick={catalog.reload}>
              {t('common.retry')}
            </button>
            <button type="button" class="button button--small" onClick={() => closeImport(null)}>
              {t('import.cancel')}
            </button>
          </div>
        ) : null}
      </div>
    );
  }

  if (view === 'payments' && canManage) {
    return (
      <div class="accounts-page">
        <PaymentsImport api={api} onClose={() => setView('list')} />
      </div>
    );
  }

  if (view === 'area' && canManage) {
    return (
      <div class="accounts-page">
        <AssignByArea
          api={api}
          agents={agents}
          portfolios={loadedPortfolios(catalog.state)}
          onAssigned={() => setRefreshKey((key) => key + 1)}
          onClose={() => setView('list')}
        />
      </div>
    );
  }

  const importButton = canManage ? (
    <>
      <button ref={importButtonRef} type="button" class="button button--primary" onClick={openImport}>
        {t('accounts.import')}
      </button>
      <button type="button" class="button" onClick={() => setView('payments')}>
        {t('payments.open')}
      </button>
      <button type="button" class="button" onClick={() => setView('area')}>
        {t('assignArea.open')}
      </button>
    </>
  ) : null;

  return (
    <div class="accounts-page">
      {importButton !== null ? (
        <div class="accounts-page__toolbar" role="group" aria-label={t('accounts.toolbar')}>
          {importButton}
        </div>
      ) : null}
      <AccountsList
        api={api}
        portfolios={loadedPortfolios(catalog.state)}
        portfolioId={portfolioFilter}
        onPortfolioChange={setPortfolioFilter}
        refreshKey={refreshKey}
        canImport={canManage}
        agents={agents}
        canAssign={canManage}
      />
      <LendersPanel api={api} catalog={catalog} canManage={canManage} />
    </div>
  );
}
