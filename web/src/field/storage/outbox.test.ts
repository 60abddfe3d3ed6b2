import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox';
import { openFieldDb } from './schema';

async function tapped(outbox: Outbox) {
  return outbox.createDraft({
    assignment_id: 'as-1', account_id: 'acc-1', address_id: 'addr-1', form_version_id: 'fv-1', label: 'Juana', started_at: 1, check_in: null,
  });
}

describe('untouched drafts', () => {
  it('a tap on "Visitar" alone leaves nothing pending; a typed answer does', async () => {
    const outbox = new Outbox(await openFieldDb(new IDBFactory()));
    const draft = await tapped(outbox);
    expect(await outbox.unsent()).toEqual([]);
    // Leaving and coming back still resumes the same draft.
    expect((await outbox.openDraftFor('acc-1'))?.id).toBe(draft.id);

    await outbox.saveAnswers(draft.id, { notes: 'Portón azul' });
    expect((await outbox.unsent()).map((r) => r.id)).toEqual([draft.id]);
    expect(await outbox.discardIfUntouched(draft.id)).toBe(false);
    expect((await outbox.get(draft.id))?.answers).toEqual({ notes: 'Portón azul' });
  });

  it('drops only drafts with no check-in, answer or attachment', async () => {
    const outbox = new Outbox(await openFieldDb(new IDBFactory()));
    const empty = await tapped(outbox);
    const withPhoto = await tapped(outbox);
    await outbox.attach(withPhoto.id, { sha256: 'b'.repeat(64), kind: 'pin_photo', content_type: 'image/jpeg', bytes: 1, question: 'check_in' }, new Uint8Array([1]).buffer);

    expect(await outbox.discardIfUntouched(empty.id)).toBe(true);
    expect(await outbox.get(empty.id)).toBeUndefined();
    expect(await outbox.discardIfUntouched(withPhoto.id)).toBe(false);
    expect((await outbox.unsent()).map((r) => r.id)).toEqual([withPhoto.id]);
    expect(await outbox.discardIfUntouched('missing')).toBe(false);
  });
});
