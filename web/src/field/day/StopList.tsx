// The day's stops in route order, with a search box. Each stop can open the
// phone's maps app or start the visit.

import { useMemo, useState } from 'preact/hooks';
import type { DayStop } from '../../shared/field-api';
import { useI18n } from '../../shared/ui/i18n-context';
import { fold } from '../../shared/rules/text';
import { addressLine, isAndroid, navigationUrl, debtorName } from './navigate';

export function matchesSearch(stop: DayStop, query: string): boolean {
  const needle = fold(query.trim());
  if (needle === '') return true;
  const haystack = fold(
    [debtorName(stop.account), stop.account.lender_account_id, stop.account.lender_name, addressLine(stop.address)].join(' '),
  );
  return needle.split(/\s+/).every((word) => haystack.includes(word));
}

export function money(cents: number | null, language: string): string | null {
  if (cents === null) return null;
  return (cents / 100).toLocaleString(language === 'es' ? 'es-MX' : 'en-US', { style: 'currency', currency: 'MXN' });
}

export function StopList(props: { stops: DayStop[]; done: Set<string>; onVisit: (stop: DayStop) => void }) {
  const { t, language } = useI18n();
  const [query, setQuery] = useState('');
  const android = isAndroid();
  const shown = useMemo(
    () => [...props.stops].sort((a, b) => a.route_order - b.route_order).filter((stop) => matchesSearch(stop, query)),
    [props.stops, query],
  );

  return (
    <section aria-labelledby="stops-title">
      <h2 id="stops-title" class="visually-hidden">
        {t('field.stops')}
      </h2>
      <div class="form-field">
        <label for="stop-search">{t('field.search')}</label>
        <input id="stop-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </div>
      {shown.length === 0 ? <p class="hint">{t('field.noMatches')}</p> : null}
      <ol class="stop-list">
        {shown.map((stop) => {
          const visited = stop.visited || props.done.has(stop.account.id);
          const overdue = money(stop.account.overdue_cents, language);
          return (
            <li key={stop.assignment_id} class={visited ? 'stop stop--visited' : 'stop'}>
              <div class="stop__head">
                <span class="stop__order" aria-label={t('field.routeOrder')}>
                  {stop.route_order}
                </span>
                <span class="stop__name">{debtorName(stop.account)}</span>
                {visited ? <span class="badge">{t('field.visited')}</span> : null}
              </div>
              <p class="stop__address">{addressLine(stop.address)}</p>
              <p class="stop__meta">
                {stop.account.lender_name} · {stop.account.lender_account_id}
                {overdue !== null ? ` · ${t('field.overdue', { amount: overdue })}` : ''}
                {stop.account.days_past_due !== null ? ` · ${t('field.daysPastDue', { days: stop.account.days_past_due })}` : ''}
              </p>
              <div class="stop__actions">
                <a class="button" href={navigationUrl(stop.address, android)} target="_blank" rel="noopener">
                  {t('field.navigate')}
                </a>
                <button type="button" class="button button--primary" onClick={() => props.onVisit(stop)}>
                  {visited ? t('field.visitAgain') : t('field.visit')}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
