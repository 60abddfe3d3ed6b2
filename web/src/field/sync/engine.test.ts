import { createHash } from 'node:crypto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { FieldApi, type CheckInBody } from '../../shared/field-api';
import { Outbox } from '../storage/outbox';
import { openFieldDb } from '../storage/schema';
import { TrackingStore } from '../storage/tracking';
import { backoffDelay, BACKOFF_MAX_MS } from './backoff';
import { SyncEngine } from './engine';
import { FakeFieldServer, type Fault } from './fake-server';

const CHECK_IN: CheckInBody = {
  fix: { latitude: 19.4326, longitude: -99.1332, accuracy_m: 12, fix_time: 1_700_000_000_000 },
  device_time: 1_700_000_000_500,
  server_offset_ms: -300,
  on_device: { decision: 'accepted', reasons: [] },
};

async function setup() {
  const db = await openFieldDb(new IDBFactory());
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const server = new FakeFieldServer();
  const outbox = new Outbox(db, now);
  const tracking = new TrackingStore(db);
  const api = new FieldApi({ fetch: server.fetch });
  api.setCsrfToken('token');
  const engine = new SyncEngine({ outbox, tracking, transport: api, now, random: () => 0.5 });
  return {
    db,
    server,
    outbox,
    tracking,
    engine,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

function photo(seed: string): { bytes: ArrayBuffer; sha256: string } {
  const bytes = new TextEncoder().encode(`jpeg bytes ${seed}`).buffer as ArrayBuffer;
  return { bytes, sha256: createHash('sha256').update(new Uint8Array(bytes)).digest('hex') };
}

async function finishedVisit(outbox: Outbox, seed = 'a') {
  const draft = await outbox.createDraft({
    assignment_id: 'as-1',
    account_id: `acc-${seed}`,
    address_id: 'addr-1',
    form_version_id: 'fv-1',
    label: 'Juana Pérez',
    started_at: 1_700_000_000_000,
    check_in: CHECK_IN,
  });
  const image = photo(seed);
  await outbox.attach(draft.id, { sha256: image.sha256, kind: 'photo', content_type: 'image/jpeg', bytes: image.bytes.byteLength, question: 'facade_photo' }, image.bytes);
  await outbox.saveAnswers(draft.id, { result_code: 'PP', promise_amount: 1500, facade_photo: image.sha256 });
  expect(await outbox.finalize(draft.id, 1_700_000_600_000)).toBe(true);
  return { id: draft.id, image };
}

describe('outbox', () => {
  it('freezes the body at finalize and refuses later edits', async () => {
    const { outbox } = await setup();
    const { id } = await finishedVisit(outbox);
    const record = await outbox.get(id);
    expect(record?.state).toBe('finalized');
    expect(record?.body?.answers).toEqual(record?.answers);
    expect(record?.body?.finished_at).toBe(1_700_000_600_000);
    expect(await outbox.finalize(id, 1_700_000_700_000)).toBe(false);
    await expect(outbox.saveAnswers(id, { notes: 'tarde' })).rejects.toMatchObject({ code: 'not_draft' });
    expect((await outbox.get(id))?.body?.finished_at).toBe(1_700_000_600_000);
  });

  it('keeps only attachments that answers still reference', async () => {
    const { outbox } = await setup();
    const draft = await outbox.createDraft({
      assignment_id: null, account_id: 'acc', address_id: 'addr', form_version_id: 'fv', label: 'x', started_at: 1, check_in: CHECK_IN,
    });
    const first = photo('first');
    const second = photo('second');
    const ref = { kind: 'photo' as const, content_type: 'image/jpeg', question: 'facade_photo' };
    await outbox.attach(draft.id, { ...ref, sha256: first.sha256, bytes: 1 }, first.bytes);
    await outbox.attach(draft.id, { ...ref, sha256: second.sha256, bytes: 1 }, second.bytes);
    await outbox.saveAnswers(draft.id, { facade_photo: second.sha256 });
    await outbox.finalize(draft.id, 2);
    const record = await outbox.get(draft.id);
    expect(record?.body?.attachments.map((a) => a.sha256)).toEqual([second.sha256]);
    expect(record?.body?.assignment_id).toBeUndefined();
  });

  it('refuses to finalize without a check-in', async () => {
    const { outbox } = await setup();
    const draft = await outbox.createDraft({
      assignment_id: null, account_id: 'acc', address_id: 'addr', form_version_id: 'fv', label: 'x', started_at: 1, check_in: null,
    });
    await expect(outbox.finalize(draft.id, 2)).rejects.toMatchObject({ code: 'incomplete' });
    expect((await outbox.get(draft.id))?.state).toBe('draft');
  });

  it('answers survive reopening the database', async () => {
    const factory = new IDBFactory();
    const first = await openFieldDb(factory);
    const draft = await new Outbox(first).createDraft({
      assignment_id: null, account_id: 'acc', address_id: 'addr', form_version_id: 'fv', label: 'x', started_at: 1, check_in: null,
    });
    await new Outbox(first).saveAnswers(draft.id, { promise_amount: 250.5, tags: ['a', 'b'] });
    first.close();
    const reopened = await openFieldDb(factory);
    expect((await new Outbox(reopened).get(draft.id))?.answers).toEqual({ promise_amount: 250.5, tags: ['a', 'b'] });
  });
});

describe('sync engine', () => {
  it('uploads the photo, then the visit, and stores the receipt', async () => {
    const { outbox, server, engine } = await setup();
    const { id, image } = await finishedVisit(outbox);
    const report = await engine.sync();
    expect(report.acknowledged).toBe(1);
    expect(server.visits.size).toBe(1);
    expect(server.attachments.has(image.sha256)).toBe(true);
    expect(server.log).toEqual([`PUT /api/field/attachments/${image.sha256}`, `PUT /api/field/visits/${id}`]);
    const record = await outbox.get(id);
    expect(record?.state).toBe('acknowledged');
    expect(record?.receipt?.receipt.visit_id).toBe(id);
    expect(await outbox.blob(image.sha256)).toBeUndefined();
  });

  it('a lost answer is settled by the receipt, without a second PUT', async () => {
    const { outbox, server, engine } = await setup();
    const { id } = await finishedVisit(outbox);
    let lost = false;
    server.fault = (method, path) => (method === 'PUT' && path.includes('/visits/') && !lost ? ((lost = true), 'lose_response') : null);
    const first = await engine.sync();
    expect(first.acknowledged).toBe(0);
    const pending = await outbox.get(id);
    expect(pending?.state).toBe('queued');
    expect(pending?.sync.sent).toBe(true);
    expect(server.visits.size).toBe(1);

    const second = await engine.sync(true);
    expect(second.acknowledged).toBe(1);
    expect(server.count('PUT', '/api/field/visits/')).toBe(1);
    expect(server.count('GET', `/api/field/visits/${id}/receipt`)).toBe(1);
    expect((await outbox.get(id))?.state).toBe('acknowledged');
  });

  it('waits out the backoff unless the network comes back', async () => {
    const { outbox, server, engine, advance } = await setup();
    const { id } = await finishedVisit(outbox);
    server.fault = () => 'refuse';
    await engine.sync();
    const failed = await outbox.get(id);
    expect(failed?.sync.attempts).toBe(1);
    expect(failed?.sync.next_attempt_at).toBe(1_700_000_000_000 + backoffDelay(1, 0.5));
    server.fault = () => null;

    await engine.sync();
    expect(server.visits.size).toBe(0);
    advance(backoffDelay(1, 0.5));
    await engine.sync();
    expect(server.visits.size).toBe(1);
    expect((await outbox.get(id))?.state).toBe('acknowledged');
  });

  it('an online event sends at once, ignoring the backoff', async () => {
    const { outbox, server, engine } = await setup();
    await finishedVisit(outbox);
    server.fault = () => 'refuse';
    await engine.sync();
    server.fault = () => null;
    expect((await engine.sync(true)).acknowledged).toBe(1);
  });

  it('two taps and overlapping passes still make one visit', async () => {
    const { outbox, server, engine } = await setup();
    const draft = await outbox.createDraft({
      assignment_id: null, account_id: 'acc', address_id: 'addr', form_version_id: 'fv', label: 'x', started_at: 1, check_in: CHECK_IN,
    });
    const taps = await Promise.all([outbox.finalize(draft.id, 5), outbox.finalize(draft.id, 6)]);
    expect(taps.filter(Boolean)).toHaveLength(1);
    await Promise.all([engine.sync(true), engine.sync(true), engine.sync(false)]);
    expect(server.visits.size).toBe(1);
    expect(server.count('PUT', '/api/field/visits/')).toBe(1);
  });

  it('a tab closed mid-upload resumes through the receipt', async () => {
    const { outbox, server, engine, db } = await setup();
    const { id } = await finishedVisit(outbox);
    // The first tab got as far as sending the PUT, then died.
    await outbox.enqueueFinalized();
    const uploading = await outbox.beginUpload(id);
    await outbox.markSent(id);
    await new FieldApi({ fetch: server.fetch }).putVisit(id, uploading!.body!).catch(() => undefined);
    expect((await outbox.get(id))?.state).toBe('uploading');

    const restarted = new SyncEngine({ outbox: new Outbox(db), tracking: new TrackingStore(db), transport: new FieldApi({ fetch: server.fetch }) });
    await new Outbox(db).recoverInterrupted();
    expect((await restarted.sync()).acknowledged).toBe(1);
    expect(server.visits.size).toBe(1);
    expect((await outbox.get(id))?.state).toBe('acknowledged');
  });

  it('sends every visit exactly once through random failures', async () => {
    const { outbox, server, engine, advance } = await setup();
    const ids = [];
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
      ids.push((await finishedVisit(outbox, seed)).id);
    }
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const faults: Fault[] = ['refuse', 'lose_response', 'server_error', null, null];
    server.fault = () => faults[Math.floor(random() * faults.length)] ?? null;
    for (let round = 0; round < 60; round++) {
      await engine.sync(round % 3 === 0);
      advance(BACKOFF_MAX_MS);
    }
    server.fault = () => null;
    await engine.sync(true);
    for (const id of ids) {
      expect((await outbox.get(id))?.state).toBe('acknowledged');
    }
    expect(server.visits.size).toBe(ids.length);
    expect(server.log.some((line) => line.startsWith('PUT /api/field/visits/'))).toBe(true);
    expect(server.attachments.size).toBe(ids.length);
  });

  it('uploads attachments the server reports missing', async () => {
    const { outbox, server, engine } = await setup();
    const { id, image } = await finishedVisit(outbox);
    // The attachment upload is lost before it reaches the server.
    server.fault = (method, path) => (method === 'PUT' && path.includes('/attachments/') && !server.visits.has(id) ? 'refuse' : null);
    await engine.sync();
    expect(server.visits.size).toBe(0);
    server.fault = () => null;
    server.attachments.clear();
    expect((await engine.sync(true)).acknowledged).toBe(1);
    expect(server.attachments.has(image.sha256)).toBe(true);
  });

  it('a conflict blocks the record instead of retrying forever', async () => {
    const { outbox, server, engine } = await setup();
    const { id } = await finishedVisit(outbox);
    server.visits.set(id, { body: '{"other":true}', receipt: { visit_id: id, received_at: 1, content_sha256: 'x' }, attachments: [] });
    await engine.sync();
    const record = await outbox.get(id);
    expect(record?.state).toBe('queued');
    expect(record?.sync.blocked).toBe('visit_conflict');
    const puts = server.count('PUT', '/api/field/visits/');
    await engine.sync(true);
    expect(server.count('PUT', '/api/field/visits/')).toBe(puts);
  });

  it('stops on 401 and keeps the record queued', async () => {
    const { outbox, server, engine } = await setup();
    const { id } = await finishedVisit(outbox);
    server.status401 = true;
    const report = await engine.sync();
    expect(report.needsLogin).toBe(true);
    expect((await outbox.get(id))?.state).toBe('queued');
    server.status401 = false;
    expect((await engine.sync(true)).acknowledged).toBe(1);
  });

  it('sends positions in batches and keeps them when the network fails', async () => {
    const { tracking, server, engine } = await setup();
    for (let i = 0; i < 450; i++) {
      await tracking.addPosition({ fix_time: i, latitude: 19.4, longitude: -99.1, accuracy_m: 10 });
    }
    server.fault = (method) => (method === 'POST' ? 'refuse' : null);
    await engine.sync();
    expect(await tracking.countPositions()).toBe(450);
    server.fault = () => null;
    const report = await engine.sync(true);
    expect(report.positionsSent).toBe(450);
    expect(server.count('POST', '/api/field/positions')).toBe(3);
    expect((server.positions as { fix_time: number }[]).map((p) => p.fix_time)).toEqual(Array.from({ length: 450 }, (_, i) => i));
    expect(await tracking.countPositions()).toBe(0);
  });

  it('sends clock-in and clock-out under one shift id', async () => {
    const { tracking, server, engine } = await setup();
    const shift = await tracking.clockIn(100);
    expect((await tracking.clockIn(200)).id).toBe(shift.id);
    await engine.sync();
    expect(server.shifts.get(shift.id)).toEqual({ clocked_in_at: 100 });
    await tracking.clockOut(900);
    await engine.sync();
    expect(server.shifts.get(shift.id)).toEqual({ clocked_in_at: 100, clocked_out_at: 900 });
    expect(await tracking.unsyncedShifts()).toEqual([]);
    expect(await tracking.openShift()).toBeUndefined();
  });
});

describe('backoff', () => {
  it('doubles from 2 s up to 5 minutes', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 0.999999))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(backoffDelay(30, 0.999999)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(1, 0)).toBe(1_000);
  });
});

/** Builds a window the test drives: `online` fires on it, `visibilitychange` on its document. */
function fakeWindow() {
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  const win = Object.assign(new EventTarget(), { document });
  return {
    win: win as unknown as Window,
    show(state: DocumentVisibilityState) {
      document.visibilityState = state;
      document.dispatchEvent(new Event('visibilitychange'));
    },
  };
}

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('sync engine signals', () => {
  it('sends waiting visits when it starts', async () => {
    const { outbox, server, engine } = await setup();
    const { id } = await finishedVisit(outbox);
    const { win } = fakeWindow();
    const detach = engine.attach(win);
    await until(async () => (await outbox.get(id))?.state === 'acknowledged', 'the first pass');
    detach();
    expect(server.count('PUT', `/api/field/visits/${id}`)).toBe(1);
  });

  it('retries on return to foreground', async () => {
    const { outbox, server, engine } = await setup();
    const { id } = await finishedVisit(outbox);
    server.fault = () => 'refuse';
    const page = fakeWindow();
    const detach = engine.attach(page.win);
    await until(async () => (await outbox.get(id))?.sync.attempts === 1 && (await outbox.get(id))?.state === 'queued', 'the failed first pass');
    // The backoff has not run out on the engine's clock, so only a forced pass sends.
    expect((await outbox.get(id))?.sync.next_attempt_at).toBe(1_700_000_000_000 + backoffDelay(1, 0.5));
    server.fault = () => null;

    page.show('hidden');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await outbox.get(id))?.state).toBe('queued');
    expect(server.visits.size).toBe(0);

    page.show('visible');
    await until(async () => (await outbox.get(id))?.state === 'acknowledged', 'the foreground pass');
    expect(server.visits.size).toBe(1);

    // Once detached, the page's signals start nothing.
    detach();
    const second = await finishedVisit(outbox, 'b');
    page.show('hidden');
    page.show('visible');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await outbox.get(second.id))?.state).toBe('finalized');
  });
});
