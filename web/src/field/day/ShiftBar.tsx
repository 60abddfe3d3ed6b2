// Clock-in and clock-out, and the indicator that tracking is on. Positions
// are recorded only while a shift is open and the app is open.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';
import { Tracker, type TrackerStatus } from '../geo/tracker';
import { useServices, useStored } from '../services';

export function ShiftBar() {
  const services = useServices();
  const { t } = useI18n();
  const shift = useStored((s) => s.tracking.openShift());
  const [status, setStatus] = useState<TrackerStatus>({ lastFix: null, error: null });
  const [busy, setBusy] = useState(false);
  const tracker = useRef<Tracker | null>(null);

  useEffect(() => {
    tracker.current = new Tracker(services.tracking, () => void services.sync.sync(), setStatus);
    return () => tracker.current?.stop();
  }, [services]);

  const open = shift !== undefined;
  useEffect(() => {
    if (open) tracker.current?.start();
    else tracker.current?.stop();
  }, [open]);

  const toggle = async () => {
    if (busy) return;
    setBusy(true);
    try {
      if (open) await services.tracking.clockOut(Date.now());
      else await services.tracking.clockIn(Date.now());
      services.changes.notify();
      void services.sync.sync(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="shift-bar" aria-label={t('field.shift')}>
      {open ? (
        <p class="tracking-on" role="status">
          <span class="tracking-on__dot" aria-hidden="true" />
          {status.error === 'denied' ? t('field.trackingDenied') : t('field.trackingOn')}
          {status.lastFix !== null ? (
            <span class="tracking-on__detail">
              {' '}
              {t('field.lastFix', {
                time: new Date(status.lastFix.fix_time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
                accuracy: Math.round(status.lastFix.accuracy_m),
              })}
            </span>
          ) : null}
        </p>
      ) : (
        <p class="hint">{t('field.shiftClosed')}</p>
      )}
      <button type="button" class={open ? 'button button--block' : 'button button--primary button--block'} onClick={() => void toggle()} disabled={busy}>
        {open ? t('field.clockOut') : t('field.clockIn')}
      </button>
    </section>
  );
}
