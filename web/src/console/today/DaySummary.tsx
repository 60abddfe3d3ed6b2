// The day's numbers above the live map: planned and finished visits by
// verdict, promises to pay and the amount promised.

import { useI18n } from '../../shared/ui/i18n-context';
import type { DaySummary } from './todayApi';

export function DaySummaryCards(props: { summary: DaySummary }) {
  const { t, language } = useI18n();
  const locale = language === 'es' ? 'es-MX' : 'en-US';
  const { summary } = props;
  const pesos = (summary.promised_cents / 100).toLocaleString(locale, { style: 'currency', currency: 'MXN' });
  const items: Array<[string, string, string]> = [
    ['planned', t('today.planned'), summary.planned.toLocaleString(locale)],
    ['done', t('today.done'), summary.done.toLocaleString(locale)],
    ['verified', t('today.verified'), summary.verified.toLocaleString(locale)],
    ['doubtful', t('today.doubtful'), summary.doubtful.toLocaleString(locale)],
    ['rejected', t('today.rejected'), summary.rejected.toLocaleString(locale)],
    ['promises', t('today.promises'), summary.promises.toLocaleString(locale)],
    ['promised', t('today.promised'), pesos],
  ];
  return (
    <dl class="day-summary" aria-label={t('today.summaryLabel')}>
      {items.map(([key, label, value]) => (
        <div key={key} class={`day-summary__item day-summary__item--${key}`}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
