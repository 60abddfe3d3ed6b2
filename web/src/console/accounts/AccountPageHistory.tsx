// The contact history of an account: field visits (linked to their evidence at
// `#/visits/{id}`) and manual contacts, newest first as the server sends them. A promise
// to pay shows how imported payments judged it, whichever channel made it.

import { useI18n } from '../../shared/ui/i18n-context';
import { formatDateTime, formatPesos, pickLabel } from '../visits/format';
import type { HistoryEntry, PromiseOutcome } from './AccountPageApi';

export function ContactHistory(props: { history: HistoryEntry[]; zone: string | null }) {
  const { t, language } = useI18n();
  return (
    <section class="account__section" aria-labelledby="account-history-title">
      <h3 id="account-history-title">{t('account.section.history')}</h3>
      {props.history.length === 0 ? (
        <p>{t('account.history.empty')}</p>
      ) : (
        <table class="account__history">
          <thead>
            <tr>
              <th scope="col">{t('account.history.when')}</th>
              <th scope="col">{t('account.history.channel')}</th>
              <th scope="col">{t('account.history.who')}</th>
              <th scope="col">{t('account.history.result')}</th>
              <th scope="col">{t('account.history.promise')}</th>
              <th scope="col">{t('account.history.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {props.history.map((entry) => (
              <tr key={`${entry.kind}-${entry.id}`} data-kind={entry.kind}>
                <td class="nowrap">
                  {entry.kind === 'visit' ? (
                    <a href={`#/visits/${encodeURIComponent(entry.id)}`}>
                      {formatDateTime(entry.at, language, props.zone)}
                    </a>
                  ) : (
                    formatDateTime(entry.at, language, props.zone)
                  )}
                </td>
                <td>{t(`account.channel.${entry.channel}`)}</td>
                <td>{entry.user_name}</td>
                <td>{pickLabel(entry.result_label_es, entry.result_label_en, language) ?? entry.result_code ?? '—'}</td>
                <td class="nowrap">
                  {entry.promise_amount_cents !== null
                    ? `${formatPesos(entry.promise_amount_cents, language)}${entry.promise_date ? ` · ${entry.promise_date}` : ''}`
                    : '—'}
                  {entry.promise_outcome !== null && <OutcomeLine outcome={entry.promise_outcome} />}
                </td>
                <td>{detailText(entry, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

function OutcomeLine(props: { outcome: PromiseOutcome }) {
  const { t, language } = useI18n();
  const { outcome } = props;
  const progress = t('account.promise.progress', {
    paid: formatPesos(outcome.paid_cents, language),
    due: outcome.due_on,
  });
  return (
    <span
      class="account__promise"
      data-status={outcome.status}
      title={t('account.promise.source', { source: t(`account.channel.${outcome.source}`) })}
    >
      <strong>{t(`account.promise.${outcome.status}`)}</strong> · {progress}
    </span>
  );
}

function detailText(entry: HistoryEntry, t: Translate): string {
  const parts: string[] = [];
  if (entry.verdict !== null) parts.push(t(`account.verdict.${entry.verdict}`));
  if (entry.person_name !== null) parts.push(entry.person_name);
  if (entry.person_met !== null) {
    const key = `account.personMet.${entry.person_met}`;
    parts.push(isPersonMetKey(key) ? t(key) : entry.person_met);
  }
  if (entry.note !== null) parts.push(entry.note);
  return parts.length > 0 ? parts.join(' · ') : '—';
}

const PERSON_MET_KEYS = [
  'account.personMet.debtor',
  'account.personMet.guarantor',
  'account.personMet.third_party',
  'account.personMet.reference',
  'account.personMet.minor',
  'account.personMet.older_adult',
] as const;

function isPersonMetKey(key: string): key is (typeof PERSON_MET_KEYS)[number] {
  return (PERSON_MET_KEYS as readonly string[]).includes(key);
}
