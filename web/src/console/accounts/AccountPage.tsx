// One account at `#/accounts/{id}`: header, persons, addresses on a map, the
// contact history (field visits and manual contacts), the "Registrar contacto"
// form and the pin for addresses without a point. Viewers only read, and the
// server rejects their writes anyway.

import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Role } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { formatPesos } from '../visits/format';
import { type AccountPageData, getAccount } from './AccountPageApi';
import { AccountAddresses } from './AccountPageAddresses';
import { ContactForm } from './AccountPageContactForm';
import { ContactHistory } from './AccountPageHistory';
import { AccountMap } from './AccountPageMap';
import './AccountPage.css';

type PageState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; data: AccountPageData };

export function canRecordContacts(role: Role): boolean {
  return role === 'admin' || role === 'supervisor';
}

export function AccountPage(props: { api: ApiClient; role: Role; accountId: string }) {
  const { api, accountId } = props;
  const { t } = useI18n();
  const [state, setState] = useState<PageState>({ kind: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [pinTarget, setPinTarget] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ latitude: number; longitude: number } | null>(null);

  useEffect(() => {
    let cancelled = false;
    getAccount(api, accountId).then(
      (data) => {
        if (!cancelled) setState({ kind: 'loaded', data });
      },
      (failure: unknown) => {
        if (!cancelled) setState({ kind: 'failed', message: describeError(failure, t) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, accountId, reloads]);

  const reload = () => setReloads((n) => n + 1);
  const back = (
    <p>
      <a href="#/accounts">← {t('account.backToList')}</a>
    </p>
  );
  if (state.kind === 'loading') {
    return (
      <>
        {back}
        <p role="status">{t('common.loading')}</p>
      </>
    );
  }
  if (state.kind === 'failed') {
    return (
      <>
        {back}
        <div role="alert" class="form-error">
          <p>
            {t('account.loadFailed')} {state.message}
          </p>
          <button type="button" class="button button--small" onClick={reload}>
            {t('common.retry')}
          </button>
        </div>
      </>
    );
  }

  const { data } = state;
  const canWrite = canRecordContacts(props.role);
  const startPin = (addressId: string) => {
    setPinTarget(addressId);
    setPicked(null);
  };
  const endPin = (saved: boolean) => {
    setPinTarget(null);
    setPicked(null);
    if (saved) reload();
  };
  return (
    <article class="account" aria-labelledby="account-title">
      {back}
      <AccountHeader data={data} />
      <AccountPersons data={data} />
      <AccountAddresses
        api={api}
        accountId={accountId}
        addresses={data.addresses}
        canPin={canWrite}
        pinTarget={pinTarget}
        picked={picked}
        onStartPin={startPin}
        onPick={setPicked}
        onEndPin={endPin}
      />
      <AccountMap addresses={data.addresses} pinTarget={pinTarget} picked={picked} onPick={setPicked} />
      {canWrite ? <ContactForm api={api} account={data} onRecorded={reload} /> : null}
      <ContactHistory history={data.history} zone={data.addresses[0]?.time_zone ?? null} />
    </article>
  );
}

function AccountHeader(props: { data: AccountPageData }) {
  const { account, persons, assignment } = props.data;
  const { t, language } = useI18n();
  const title = useRef<HTMLHeadingElement>(null);

  // Opening the page from the list moves keyboard focus to its title.
  useEffect(() => title.current?.focus(), []);
  const debtor = persons.find((person) => person.role === 'debtor');
  const money = (cents: number | null) => (cents === null ? '—' : formatPesos(cents, language));
  const custom = Object.entries(account.custom_fields);
  return (
    <>
      <h2 id="account-title" ref={title} tabIndex={-1}>
        {t('account.title', { account: account.lender_account_id, debtor: debtor?.name ?? '—' })}
      </h2>
      <dl class="account__facts">
        <dt>{t('account.fact.lender')}</dt>
        <dd>{account.lender_name}</dd>
        <dt>{t('account.fact.portfolio')}</dt>
        <dd>{account.portfolio_name}</dd>
        <dt>{t('account.fact.lenderAccountId')}</dt>
        <dd>{account.lender_account_id}</dd>
        <dt>{t('account.fact.product')}</dt>
        <dd>{account.product ?? '—'}</dd>
        <dt>{t('account.fact.principal')}</dt>
        <dd>{money(account.principal_cents)}</dd>
        <dt>{t('account.fact.overdue')}</dt>
        <dd>{money(account.overdue_cents)}</dd>
        <dt>{t('account.fact.daysPastDue')}</dt>
        <dd>{account.days_past_due ?? '—'}</dd>
        <dt>{t('account.fact.currency')}</dt>
        <dd>{account.currency}</dd>
        <dt>{t('account.fact.agent')}</dt>
        <dd>{assignment?.agent_name ?? t('account.unassigned')}</dd>
        {custom.map(([name, value]) => (
          <Fragment key={name}>
            <dt>{name}</dt>
            <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}

function AccountPersons(props: { data: AccountPageData }) {
  const { t } = useI18n();
  const { persons } = props.data;
  return (
    <section class="account__section" aria-labelledby="account-persons-title">
      <h3 id="account-persons-title">{t('account.section.persons')}</h3>
      {persons.length === 0 ? <p>{t('account.noPersons')}</p> : null}
      <ul class="account__persons">
        {persons.map((person) => (
          <li key={person.id}>
            <strong>{person.name}</strong> · {t(`account.role.${person.role}`)}
            <br />
            {t('account.phones')}: {person.phones.length > 0 ? person.phones.join(', ') : '—'}
            <br />
            {t('account.emails')}: {person.emails.length > 0 ? person.emails.join(', ') : '—'}
          </li>
        ))}
      </ul>
    </section>
  );
}
