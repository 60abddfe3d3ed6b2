// Read-only links of a saved report: create one with an expiry, copy it, list the
// existing ones and revoke them. Dates show in the viewer's local time.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { type Language, languageTag } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import { type ReportShare, type SavedReport, customReportsApi } from './customApi';

/**
 * Formats a server timestamp such as "2026-07-30T12:00:00Z" as a date and time in
 * `timeZone`, or in the browser's zone when it is absent. Text that is not a timestamp is
 * returned unchanged.
 */
export function localDateTime(timestamp: string, language: Language, timeZone?: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;
  return new Intl.DateTimeFormat(languageTag(language), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** `timeZone` replaces the browser's zone, for tests. */
export function SharePanel(props: { api: ApiClient; report: SavedReport; timeZone?: string }) {
  const { api, report, timeZone } = props;
  const { t, language } = useI18n();
  const [days, setDays] = useState(7);
  const [link, setLink] = useState<string | null>(null);
  const [shares, setShares] = useState<ReportShare[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reload = () => customReportsApi.listShares(api, report.id).then(setShares, () => setShares([]));
  useEffect(() => {
    setLink(null);
    reload();
  }, [api, report.id]);

  const fail = (failure: unknown) => setError(describeError(failure, t));
  const create = () => {
    setError(null);
    customReportsApi.share(api, report.id, days).then((created) => {
      setLink(`${window.location.origin}${created.url_path}`);
      reload();
    }, fail);
  };
  const revoke = (share: ReportShare) => {
    setError(null);
    customReportsApi.revoke(api, report.id, share.id).then(() => {
      setLink(null);
      reload();
    }, fail);
  };

  return (
    <section class="reports__share" aria-labelledby="reports-share-title">
      <h3 id="reports-share-title">{t('reports.share.title')}</h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create();
        }}
      >
        <label>
          {t('reports.share.days')}
          <input type="number" name="share-days" min={1} max={90} value={days} onInput={(event) => setDays(Number(event.currentTarget.value))} />
        </label>
        <button type="submit" class="button button--small">
          {t('reports.share.create')}
        </button>
      </form>
      {link !== null && (
        <p>
          <label>
            {t('reports.share.link')}
            <input type="text" name="share-link" readOnly value={link} />
          </label>{' '}
          <button type="button" class="button button--small" onClick={() => void navigator.clipboard?.writeText(link)}>
            {t('reports.share.copy')}
          </button>
        </p>
      )}
      {error !== null && (
        <p class="reports__error" role="alert">
          {error}
        </p>
      )}
      {shares.length > 0 && (
        <table class="reports__table">
          <caption>{t('reports.share.listCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.share.created')}</th>
              <th scope="col">{t('reports.share.expires')}</th>
              <th scope="col">{t('reports.share.status')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('reports.share.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shares.map((share) => (
              <tr key={share.id}>
                <td>
                  <time dateTime={share.created_at}>{localDateTime(share.created_at, language, timeZone)}</time>
                </td>
                <td>
                  <time dateTime={share.expires_at}>{localDateTime(share.expires_at, language, timeZone)}</time>
                </td>
                <td>{share.active ? t('reports.share.active') : t('reports.share.inactive')}</td>
                <td>
                  {share.active && (
                    <button type="button" class="button button--small" onClick={() => revoke(share)}>
                      {t('reports.share.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
