// What has not reached the server yet: visits by state, shifts and positions.
// One button sends now, and another exports everything to a file.

import { useState } from 'preact/hooks';
import type { MessageKey } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import { go } from '../route';
import { useServices, useStored } from '../services';
import type { RecordState } from '../storage/outbox';
import { buildExport, downloadJson } from './exportFile';

const STATE_KEYS: Record<RecordState, MessageKey> = {
  draft: 'field.state.draft',
  finalized: 'field.state.finalized',
  queued: 'field.state.queued',
  uploading: 'field.state.uploading',
  acknowledged: 'field.state.acknowledged',
};

export function PendingScreen(props: { online: boolean }) {
  const { t } = useI18n();
  const services = useServices();
  const [busy, setBusy] = useState(false);
  const pending = useStored(async (s) => ({
    visits: await s.outbox.unsent(),
    shifts: (await s.tracking.unsyncedShifts()).length,
    positions: await s.tracking.countPositions(),
  }));

  const sendNow = async () => {
    setBusy(true);
    try {
      await services.sync.sync(true);
    } finally {
      setBusy(false);
    }
  };

  const exportAll = async () => downloadJson(await buildExport(services.outbox, services.tracking, Date.now()));

  const unblock = async (id: string) => {
    await services.outbox.unblock(id);
    await sendNow();
  };

  const discard = async (id: string) => {
    if (!window.confirm(t('field.discardConfirm'))) return;
    await services.outbox.discardDraft(id);
    services.changes.notify();
  };

  if (pending === undefined) return <p role="status">{t('common.loading')}</p>;
  const nothing = pending.visits.length === 0 && pending.shifts === 0 && pending.positions === 0;

  return (
    <>
      <h1>{t('field.pendingTitle')}</h1>
      {nothing ? <p role="status">{t('field.pendingNone')}</p> : null}
      <ul class="pending-list">
        {pending.visits.map((record) => (
          <li key={record.id} class="pending">
            <span class="pending__label">{record.label}</span>
            <span class="badge">{t(STATE_KEYS[record.state])}</span>
            {record.sync.blocked !== null ? (
              <p class="form-error">{t('field.blocked', { reason: record.sync.last_error ?? record.sync.blocked })}</p>
            ) : record.sync.last_error !== null ? (
              <p class="hint">{t('field.lastError', { attempts: record.sync.attempts })}</p>
            ) : null}
            <div class="stop__actions">
              {record.state === 'draft' ? (
                <>
                  <button type="button" class="button button--primary" onClick={() => go({ screen: 'visit', id: record.id })}>
                    {t('field.continue')}
                  </button>
                  <button type="button" class="button button--danger" onClick={() => void discard(record.id)}>
                    {t('field.discard')}
                  </button>
                </>
              ) : null}
              {record.sync.blocked !== null ? (
                <button type="button" class="button" onClick={() => void unblock(record.id)}>
                  {t('common.retry')}
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {pending.shifts > 0 ? <p>{t('field.pendingShifts', { count: pending.shifts })}</p> : null}
      {pending.positions > 0 ? <p>{t('field.pendingPositions', { count: pending.positions })}</p> : null}
      <div class="stack">
        <button type="button" class="button button--primary button--block" onClick={() => void sendNow()} disabled={busy || !props.online || nothing}>
          {busy ? t('field.sending') : t('field.sendNow')}
        </button>
        <button type="button" class="button button--block" onClick={() => void exportAll()} disabled={nothing}>
          {t('field.exportFile')}
        </button>
        <button type="button" class="button button--block" onClick={() => go({ screen: 'day' })}>
          {t('field.backToDay')}
        </button>
      </div>
    </>
  );
}
