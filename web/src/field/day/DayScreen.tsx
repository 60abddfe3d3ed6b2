// "Mi día": the day package's state, the shift, and the stops as a list or a map.

import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import type { DayStop } from '../../shared/field-api';
import { EmptyState } from '../../shared/ui/EmptyState';
import { useI18n } from '../../shared/ui/i18n-context';
import { go } from '../route';
import { debtorName } from './navigate';
import { useServices, useStored } from '../services';
import { DayStatus } from './DayStatus';
import { ShiftBar } from './ShiftBar';
import { StopList } from './StopList';
import type { DayState } from './useDay';

const StopMap = lazy(() => import('./StopMap'));

export function DayScreen(props: { day: DayState; online: boolean }) {
  const { t } = useI18n();
  const services = useServices();
  const [view, setView] = useState<'list' | 'map'>('list');
  const [error, setError] = useState<string | null>(null);
  const records = useStored((s) => s.outbox.all());
  const stored = props.day.stored;
  const stops = stored?.day.stops ?? [];
  const done = new Set((records ?? []).filter((r) => r.state !== 'draft').map((r) => r.account_id));

  const startVisit = async (stop: DayStop) => {
    setError(null);
    const formVersionId = stored?.day.form_for.collection ?? null;
    if (formVersionId === null) {
      setError(t('field.noForm'));
      return;
    }
    const existing = await services.outbox.openDraftFor(stop.account.id);
    const draft =
      existing ??
      (await services.outbox.createDraft({
        assignment_id: stop.assignment_id,
        account_id: stop.account.id,
        address_id: stop.address.id,
        form_version_id: formVersionId,
        label: debtorName(stop.account),
        started_at: Date.now(),
        check_in: null,
      }));
    if (existing === undefined) services.changes.notify();
    go({ screen: 'visit', id: draft.id });
  };

  return (
    <>
      <h1>{t('field.myDay')}</h1>
      <DayStatus day={props.day} online={props.online} />
      <ShiftBar />
      {error !== null ? (
        <p role="alert" class="form-error">
          {error}
        </p>
      ) : null}
      {props.day.loading ? (
        <p role="status">{t('common.loading')}</p>
      ) : stops.length === 0 ? (
        <EmptyState title={t('field.emptyTitle')} body={t('field.emptyBody')} />
      ) : (
        <>
          <div class="segmented" role="group" aria-label={t('field.view')}>
            <button type="button" class="button" aria-pressed={view === 'list'} onClick={() => setView('list')}>
              {t('field.viewList')}
            </button>
            <button type="button" class="button" aria-pressed={view === 'map'} onClick={() => setView('map')}>
              {t('field.viewMap')}
            </button>
          </div>
          {view === 'map' ? (
            <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
              {!props.online ? <p class="hint">{t('field.mapOffline')}</p> : null}
              <StopMap stops={stops} online={props.online} onVisit={(stop) => void startVisit(stop)} />
            </Suspense>
          ) : (
            <StopList stops={stops} done={done} onVisit={(stop) => void startVisit(stop)} />
          )}
        </>
      )}
    </>
  );
}
