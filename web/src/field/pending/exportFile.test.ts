import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../storage/outbox';
import { openFieldDb } from '../storage/schema';
import { TrackingStore } from '../storage/tracking';
import { buildExport } from './exportFile';

describe('pending export', () => {
  it('holds unsent records with their photos', async () => {
    const db = await openFieldDb(new IDBFactory());
    const outbox = new Outbox(db);
    const draft = await outbox.createDraft({
      assignment_id: null, account_id: 'acc', address_id: 'addr', form_version_id: 'fv', label: 'Juana', started_at: 1, check_in: null,
    });
    const bytes = new TextEncoder().encode('foto').buffer as ArrayBuffer;
    const sha256 = 'a'.repeat(64);
    await outbox.attach(draft.id, { sha256, kind: 'photo', content_type: 'image/jpeg', bytes: 4, question: 'facade_photo' }, bytes);
    await outbox.saveAnswers(draft.id, { facade_photo: sha256, notes: 'ok' });

    const file = await buildExport(outbox, new TrackingStore(db), 99);
    expect(file.format).toBe('ronda.field.pending');
    expect(file.exported_at).toBe(99);
    expect(file.visits).toHaveLength(1);
    expect(file.visits[0]?.record.answers).toEqual({ facade_photo: sha256, notes: 'ok' });
    expect(file.visits[0]?.attachments).toEqual([{ sha256, content_type: 'image/jpeg', data_base64: btoa('foto') }]);
  });

  it('leaves acknowledged records out', async () => {
    const db = await openFieldDb(new IDBFactory());
    const outbox = new Outbox(db);
    const draft = await outbox.createDraft({
      assignment_id: null, account_id: 'acc', address_id: 'addr', form_version_id: 'fv', label: 'Juana', started_at: 1, check_in: null,
    });
    await outbox.acknowledge(draft.id, {
      receipt: { visit_id: draft.id, received_at: 5, content_sha256: 'x' }, status: 'complete', missing_attachments: [], verdict: null,
    });
    expect((await buildExport(outbox, new TrackingStore(db), 1)).visits).toEqual([]);
  });

  it('contains unsent shifts and positions', async () => {
    const db = await openFieldDb(new IDBFactory());
    const tracking = new TrackingStore(db);
    const open = await tracking.clockIn(1_000);
    const synced = await tracking.clockIn(2_000);
    expect(synced.id).toBe(open.id);
    await tracking.addPosition({ fix_time: 1_100, latitude: 19.43, longitude: -99.13, accuracy_m: 9 });
    await tracking.addPosition({ fix_time: 1_200, latitude: 19.44, longitude: -99.14, accuracy_m: 12, battery_pct: 80 });

    const file = await buildExport(new Outbox(db), tracking, 5);
    expect(file.version).toBe(2);
    expect(file.shifts).toEqual([{ id: open.id, clocked_in_at: 1_000, clocked_out_at: null, version: 1, synced_version: 0 }]);
    expect(file.positions.map((p) => p.fix_time)).toEqual([1_100, 1_200]);
    expect(file.positions[1]?.battery_pct).toBe(80);

    await tracking.markShiftSynced(open.id, 1);
    const batch = await tracking.positionBatch(10);
    await tracking.deletePositions(batch.keys);
    const later = await buildExport(new Outbox(db), tracking, 6);
    expect(later.shifts).toEqual([]);
    expect(later.positions).toEqual([]);
  });
});
