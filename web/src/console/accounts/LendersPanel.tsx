// "Otorgantes y carteras": the organization's lenders with their portfolios,
// and for admins and supervisors the forms that create them.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import type { Lender, Portfolio } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { CreateLenderForm, CreatePortfolioForm } from './LenderForms';
import type { Catalog } from './useCatalog';

interface LendersPanelProps {
  api: ApiClient;
  catalog: Catalog;
  canManage: boolean;
}

export function LendersPanel(props: LendersPanelProps) {
  const { catalog, canManage } = props;
  const { t } = useI18n();
  const state = catalog.state;
  const [status, setStatus] = useState<string | null>(null);
  const [editing, setEditing] = useState<Lender | null>(null);

  const onLenderSaved = (lender: Lender) => {
    setEditing(null);
    catalog.reload();
    setStatus(t('lenders.updated', { name: lender.name }));
  };

  const onLenderCreated = (lender: Lender) => {
    catalog.addLender(lender);
    setStatus(t('lenders.created', { name: lender.name }));
  };

  const onPortfolioCreated = (portfolio: Portfolio) => {
    catalog.addPortfolio(portfolio);
    setStatus(t('portfolios.created', { name: portfolio.name, lender: portfolio.lender_name }));
  };

  return (
    <section aria-labelledby="lenders-title" class="lenders-panel">
      <h2 id="lenders-title">{t('lenders.title')}</h2>
      {state.kind === 'loading' ? <p role="status">{t('lenders.loading')}</p> : null}
      {state.kind === 'failed' ? (
        <div role="alert" class="form-error">
          <p>{state.message}</p>
          <button type="button" class="button button--small" onClick={catalog.reload}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
      {state.kind === 'loaded' ? (
        <>
          <LendersTable
            lenders={state.lenders}
            portfolios={state.portfolios}
            canManage={canManage}
            onEdit={canManage ? setEditing : null}
          />
          <p role="status" class="status-message lenders-panel__status">
            {status}
          </p>
          {canManage && editing !== null ? (
            <div class="lenders-panel__forms">
              <CreateLenderForm
                key={String(editing.id)}
                api={props.api}
                editing={editing}
                onCreated={onLenderSaved}
                onCancel={() => setEditing(null)}
              />
            </div>
          ) : null}
          {canManage && editing === null ? (
            <div class="lenders-panel__forms">
              <CreateLenderForm api={props.api} onCreated={onLenderCreated} />
              <CreatePortfolioForm api={props.api} lenders={state.lenders} onCreated={onPortfolioCreated} />
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function LendersTable(props: {
  lenders: Lender[];
  portfolios: Portfolio[];
  canManage: boolean;
  onEdit: ((lender: Lender) => void) | null;
}) {
  const { t } = useI18n();
  if (props.lenders.length === 0) {
    return <p>{props.canManage ? t('lenders.emptyManage') : t('lenders.empty')}</p>;
  }

  const accountCount = (count: number) =>
    count === 1 ? t('lenders.accountsOne') : t('lenders.accountsMany', { count });

  return (
    <div class="table-scroll">
      <table class="data-table lenders-table">
        <thead>
          <tr>
            <th scope="col">{t('lenders.colLender')}</th>
            <th scope="col">{t('lenders.colRedeco')}</th>
            <th scope="col">{t('lenders.colPhones')}</th>
            <th scope="col">{t('lenders.colPortfolios')}</th>
            {props.onEdit !== null ? <th scope="col">{t('lenders.colActions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.lenders.map((lender) => {
            const portfolios = props.portfolios.filter((portfolio) => String(portfolio.lender_id) === String(lender.id));
            return (
              <tr key={String(lender.id)}>
                <th scope="row">{lender.name}</th>
                <td>{lender.redeco_registration ?? '—'}</td>
                <td>
                  {lender.collection_phones.length > 0 ? (
                    <ul class="plain-list">
                      {lender.collection_phones.map((phone) => (
                        <li key={phone} class="nowrap">
                          {phone}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {portfolios.length === 0 ? (
                    <span class="muted">{t('lenders.noPortfolios')}</span>
                  ) : (
                    <ul class="plain-list">
                      {portfolios.map((portfolio) => (
                        <li key={String(portfolio.id)}>
                          {portfolio.name} <span class="muted">· {accountCount(portfolio.account_count)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                {props.onEdit !== null ? (
                  <td>
                    <button
                      type="button"
                      class="button button--small"
                      aria-label={t('lenders.editLabel', { name: lender.name })}
                      onClick={() => props.onEdit?.(lender)}
                    >
                      {t('lenders.edit')}
                    </button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
