import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../storage/outbox';
import { openFieldDb } from '../storage/schema';
import { buildExport } from './exportFile';

describe('pending export', () => {
  it('holds unsent records with their photos', async () => {
    const outbox = new Outbox(await openFieldDb(new IDBFactory()));
    const draft = await outbox.createDraft({
      assignment_id: null, account_id: 'acc', address_id: 'addr', form_version_id: 'fv', label: 'Juana', started_at: 1, check_in: null,
    });
    const bytes = new TextEncoder().encode('foto').buffer as ArrayBuffer;
    const sha256 = 'a'.repeat(64);
    await outbox.attach(draft.id, { sha256, kind: 'photo', content_type: 'image/jpeg', bytes: 4, question: 'facade_photo' }, bytes);
    await outbox.saveAnswers(draft.id, { facade_photo: sha256, notes: 'ok' });

    const file = await buildExport(outbox, 99);
    expect(file.format).toBe('ronda.field.pending');
    expect(file.exported_at).toBe(99);
    expect(file.visits).toHaveLength(1);
    expect(file.visits[0]?.record.answers).toEqual({ facade_photo: sha256, notes: 'ok' });
    expect(file.visits[0]?.attachments).toEqual([{ sha256, content_type: 'image/jpeg', data_base64: btoa('foto') }]);
  });

  it('leaves acknowledged records out', async () => {
    const outbox = new Outbox(await openFieldDb(new IDBFactory()));
    const draft = await outbox.createDraft({
      assignment_id: null, account_id: 'acc', address_id: 'addr', form_version_id: 'fv', label: 'Juana', started_at: 1, check_in: null,
    });
    await outbox.acknowledge(draft.id, {
      receipt: { visit_id: draft.id, received_at: 5, content_sha256: 'x' }, status: 'complete', missing_attachments: [], verdict: null,
    });
    expect((await buildExport(outbox, 1)).visits).toEqual([]);
  });
});
