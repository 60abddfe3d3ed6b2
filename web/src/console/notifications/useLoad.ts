// Loads one resource for a panel and keeps the newest response, or the error
// text for the user.

import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';

export type Loaded<T> = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; value: T };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { state: Loaded<T>; reload: () => void } {
  const { t } = useI18n();
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  const latest = useRef(0);

  const reload = () => {
    const current = ++latest.current;
    load().then(
      (value) => {
        if (current === latest.current) setState({ kind: 'loaded', value });
      },
      (failure: unknown) => {
        if (current === latest.current) setState({ kind: 'failed', message: describeError(failure, t) });
      },
    );
  };

  useEffect(reload, deps);
  return { state, reload };
}

/** Formats an RFC 3339 time for the user's language, or a dash when absent. */
export function formatTime(value: string | null, language: string): string {
  if (value === null) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(language === 'en' ? 'en-US' : 'es-MX', { dateStyle: 'short', timeStyle: 'short' });
}
