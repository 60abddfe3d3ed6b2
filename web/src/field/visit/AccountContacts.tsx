// The account block of the visit screen: the lender, its payment references
// (agents take no money, so the debtor pays there), the lender's collection
// phones and the debtor's phones as tap-to-call links.

import type { DayLender, DayStop } from '../../shared/field-api';
import { useI18n } from '../../shared/ui/i18n-context';
import './contacts.css';

/** `tel:` target for a phone as the lender wrote it: digits, and a leading + if any. */
export function telHref(phone: string): string {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}

function PhoneLinks(props: { phones: string[] }) {
  const { t } = useI18n();
  return (
    <ul class="contacts__phones">
      {props.phones.map((phone) => (
        <li key={phone}>
          <a class="contacts__call" href={telHref(phone)} aria-label={t('field.contacts.call', { phone })}>
            {phone}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function AccountContacts(props: { stop: DayStop; lenders: DayLender[] }) {
  const { t } = useI18n();
  const account = props.stop.account;
  const lender = props.lenders.find((l) => l.id === account.lender_id) ?? null;
  const references = lender?.payment_references ?? [];
  const lenderPhones = lender?.collection_phones ?? [];
  const debtorPhones = [
    ...new Set(account.persons.filter((p) => p.role === 'debtor').flatMap((p) => p.phones)),
  ];

  return (
    <section class="contacts" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t('field.contacts.title')}</h2>
      <dl class="contacts__facts">
        <dt>{t('field.contacts.lender')}</dt>
        <dd>{lender?.name ?? account.lender_name}</dd>
        <dt>{t('field.contacts.account')}</dt>
        <dd>{account.lender_account_id}</dd>
      </dl>
      <h3>{t('field.contacts.paymentReferences')}</h3>
      {references.length === 0 ? (
        <p class="hint">{t('field.contacts.noReferences')}</p>
      ) : (
        <ul class="contacts__references">
          {references.map((reference) => (
            <li key={reference}>{reference}</li>
          ))}
        </ul>
      )}
      <h3>{t('field.contacts.lenderPhones')}</h3>
      {lenderPhones.length === 0 ? <p class="hint">{t('field.contacts.noPhones')}</p> : <PhoneLinks phones={lenderPhones} />}
      <h3>{t('field.contacts.debtorPhones')}</h3>
      {debtorPhones.length === 0 ? <p class="hint">{t('field.contacts.noPhones')}</p> : <PhoneLinks phones={debtorPhones} />}
    </section>
  );
}
