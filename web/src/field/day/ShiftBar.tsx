// Clock-in and clock-out on "Mi día". The tracker itself and the indicator
// that tracking is on live in the shell (geo/TrackingProvider.tsx), so
// positions are recorded on every screen while a shift is open.

import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';
import { useTracking } from '../geo/TrackingProvider';
import { useServices } from '../services';

export function ShiftBar() {
  const services = useServices();
  const { t } = useI18n();
  const { open } = useTracking();
  const [busy, setBusy] = useState(false);

  const toggle = async () => {
    if (busy || open === undefined) return;
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
      {open === false ? <p class="hint">{t('field.shiftClosed')}</p> : null}
      <button
        type="button"
        class={open === true ? 'button button--block' : 'button button--primary button--block'}
        onClick={() => void toggle()}
        disabled={busy || open === undefined}
      >
        {open === true ? t('field.clockOut') : t('field.clockIn')}
      </button>
    </section>
  );
}
