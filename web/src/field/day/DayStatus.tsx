// The day package's state: ready to work offline (and since when), or still
// to download; and how much of the device's storage the app uses.

import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';
import { isSameLocalDay, type DayState } from './useDay';

interface StorageInfo {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

function useStorageInfo(refresh: unknown): StorageInfo {
  const [info, setInfo] = useState<StorageInfo>({ usage: null, quota: null, persisted: null });
  useEffect(() => {
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (storage === undefined) return;
    void Promise.all([storage.estimate?.().catch(() => null), storage.persisted?.().catch(() => null)]).then(
      ([estimate, persisted]) =>
        setInfo({ usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted: persisted ?? null }),
    );
  }, [refresh]);
  return info;
}

/** True once the service worker holds the app, or where there is none (development server). */
function useAppCached(): boolean {
  const [cached, setCached] = useState(() => !import.meta.env.PROD || !('serviceWorker' in navigator));
  useEffect(() => {
    if (cached) return;
    let active = true;
    void navigator.serviceWorker.ready.then(() => active && setCached(true));
    return () => {
      active = false;
    };
  }, []);
  return cached;
}

export function formatBytes(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toLocaleString(language, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

export function DayStatus(props: { day: DayState; online: boolean }) {
  const { t, language } = useI18n();
  const { day, online } = props;
  const cached = useAppCached();
  const storage = useStorageInfo(day.stored?.received_at);
  const stored = day.stored;
  const locale = language === 'es' ? 'es-MX' : 'en';

  return (
    <section class="day-status" aria-labelledby="day-status-title">
      {stored !== null && cached ? (
        <p id="day-status-title" class="day-status__ready" role="status">
          {t('field.readyOffline')}
        </p>
      ) : (
        <p id="day-status-title" class="day-status__missing">
          {stored === null ? t('field.dayMissing') : t('field.appNotCached')}
        </p>
      )}
      {stored !== null ? (
        <p class="hint">
          {t('field.dayFetchedAt', {
            time: new Date(stored.received_at).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' }),
          })}
        </p>
      ) : null}
      {stored !== null && !isSameLocalDay(stored.received_at, Date.now()) ? (
        <p class="form-error" role="alert">
          {t('field.dayOutdated', {
            date: new Date(stored.received_at).toLocaleDateString(locale, { dateStyle: 'medium' }),
          })}
        </p>
      ) : null}
      <button
        type="button"
        class="button button--block"
        onClick={() => void day.download()}
        disabled={day.downloading || !online}
      >
        {day.downloading ? t('field.downloading') : stored === null ? t('field.downloadDay') : t('field.refreshDay')}
      </button>
      {day.error !== null ? (
        <p role="alert" class="form-error">
          {day.error}
        </p>
      ) : null}
      {storage.usage !== null ? (
        <p class="hint">
          {t('field.storageUsage', {
            used: formatBytes(storage.usage, locale),
            quota: storage.quota === null ? '?' : formatBytes(storage.quota, locale),
          })}{' '}
          {storage.persisted === true ? t('field.storagePersistent') : t('field.storageNotPersistent')}
        </p>
      ) : null}
    </section>
  );
}
