// The day package: the copy stored on the device, refreshed from the server
// when the app starts online, when the connection returns to a package from an
// earlier day, or on the agent's request.

import { useCallback, useEffect, useState } from 'preact/hooks';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';
import { loadDay, saveDay, type StoredDay } from '../storage/day';
import { useServices } from '../services';

export interface DayState {
  stored: StoredDay | null;
  loading: boolean;
  downloading: boolean;
  error: string | null;
  download: () => Promise<void>;
}

/** True when both instants fall on the same date in the device's time zone. */
export function isSameLocalDay(first: number, second: number): boolean {
  return new Date(first).toDateString() === new Date(second).toDateString();
}

export function useDay(online: boolean): DayState {
  const services = useServices();
  const { t } = useI18n();
  const [stored, setStored] = useState<StoredDay | null>(null);
  const [loading, setLoading] = useState(true);
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = useCallback(async () => {
    setDownloading(true);
    setError(null);
    try {
      const day = await services.api.getDay();
      const saved = await saveDay(services.db, day, Date.now());
      if (day.shift !== null) {
        await services.tracking.adoptServerShift(day.shift.id, day.shift.clocked_in_at);
      }
      setStored(saved);
      services.changes.notify();
      // Ask once the agent relies on offline data; browsers may grant it quietly.
      void navigator.storage?.persist?.().catch(() => false);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setDownloading(false);
    }
  }, [services, t]);

  useEffect(() => {
    let cancelled = false;
    loadDay(services.db).then(
      (day) => {
        if (cancelled) return;
        setStored(day ?? null);
        setLoading(false);
        if (online) void download();
      },
      () => setLoading(false),
    );
    return () => {
      cancelled = true;
    };
    // Loads once; a later return to online refreshes through the effect below.
  }, [services]);

  // A package from an earlier day may list accounts no longer assigned, so the first
  // connection of a new day replaces it. A package from today stays while the agent works.
  const stale = stored !== null && !isSameLocalDay(stored.received_at, Date.now());
  useEffect(() => {
    if (online && stale && !downloading) void download();
  }, [online, stale]);

  return { stored, loading, downloading, error, download };
}
