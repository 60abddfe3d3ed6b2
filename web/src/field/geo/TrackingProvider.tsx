// Keeps the position tracker running for as long as the signed-in shell is
// mounted, whichever screen is open, so positions recorded during a visit
// reach the server's verdict. The tracker runs while a shift is open.

import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { languageTag, type Language } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import { useServices, useStored } from '../services';
import { Tracker, type TrackerStatus } from './tracker';

export interface TrackingState {
  /** True while a shift is open; undefined until the first read of the device database returns. */
  open: boolean | undefined;
  status: TrackerStatus;
}

const TrackingContext = createContext<TrackingState | null>(null);

export function TrackingProvider(props: { children: ComponentChildren }) {
  const services = useServices();
  const shift = useStored(async (s) => ({ open: (await s.tracking.openShift()) !== undefined }));
  const [status, setStatus] = useState<TrackerStatus>({ lastFix: null, error: null });
  const tracker = useRef<Tracker | null>(null);
  const open = shift?.open;

  useEffect(() => {
    const created = new Tracker(
      services.tracking,
      () => void services.sync.sync(),
      (next) => {
        setStatus(next);
        // The pending count and the logout guard read the stored positions.
        if (next.lastFix !== null && next.error === null) services.changes.notify();
      },
    );
    tracker.current = created;
    return () => {
      created.stop();
      tracker.current = null;
    };
  }, [services]);

  useEffect(() => {
    if (open === true) tracker.current?.start();
    else tracker.current?.stop();
  }, [open, services]);

  return <TrackingContext.Provider value={{ open, status }}>{props.children}</TrackingContext.Provider>;
}

export function useTracking(): TrackingState {
  const value = useContext(TrackingContext);
  if (value === null) {
    throw new Error('useTracking must be called inside <TrackingProvider>');
  }
  return value;
}

/** Formats the time of a fix as hours and minutes in the app's language. */
export function fixTime(ms: number, language: Language): string {
  return new Date(ms).toLocaleTimeString(languageTag(language), { hour: '2-digit', minute: '2-digit' });
}

/**
 * Renders the "tracking on" line under the header on every screen while a shift is open,
 * pinned to the top of the screen as the agent scrolls.
 */
export function TrackingIndicator() {
  const { t, language } = useI18n();
  const { open, status } = useTracking();
  if (open !== true) return null;
  return (
    <div class="field-tracking-bar">
      <p class="tracking-on field-tracking" role="status">
        <span class="tracking-on__dot" aria-hidden="true" />
        {status.error === 'denied' ? t('field.trackingDenied') : t('field.trackingOn')}
        {status.lastFix !== null ? (
          <span class="tracking-on__detail">
            {' '}
            {t('field.lastFix', {
              time: fixTime(status.lastFix.fix_time, language),
              accuracy: Math.round(status.lastFix.accuracy_m),
            })}
          </span>
        ) : null}
      </p>
    </div>
  );
}
