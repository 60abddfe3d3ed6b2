// Visit records on the device and their way to the server:
//
//   draft → finalized → queued → uploading → acknowledged
//
// A draft is being filled and changes freely. Finalizing freezes the request
// body, so every upload sends the same bytes under the same client UUID and
// the server can deduplicate. Only the server's receipt moves a record to
// acknowledged; until then the record and its attachments stay on the device.

import type { AttachmentRef, CheckInBody, Uuid, VisitBody, VisitReceipt } from '../../shared/field-api';
import type { Database, Tx } from './idb';
import { newUuid } from './ids';
import { BLOBS, VISITS } from './schema';

export type RecordState = 'draft' | 'finalized' | 'queued' | 'uploading' | 'acknowledged';

export interface SyncStatus {
  attempts: number;
  /** Earliest time of the next automatic attempt, ms. */
  next_attempt_at: number;
  last_error: string | null;
  /** Set once a PUT may have reached the server; the next attempt asks for the receipt first. */
  sent: boolean;
  /** Error code the server gave that retrying cannot fix (conflict, invalid answers). */
  blocked: string | null;
}

export interface VisitRecord {
  id: Uuid;
  state: RecordState;
  created_at: number;
  updated_at: number;
  assignment_id: Uuid | null;
  account_id: Uuid;
  address_id: Uuid;
  form_version_id: Uuid;
  /** Shown on the pending screen. */
  label: string;
  started_at: number;
  finished_at: number | null;
  check_in: CheckInBody | null;
  answers: Record<string, unknown>;
  attachments: AttachmentRef[];
  body: VisitBody | null;
  sync: SyncStatus;
  receipt: VisitReceipt | null;
}

export interface StoredBlob {
  sha256: string;
  content_type: string;
  data: ArrayBuffer;
  record_id: Uuid;
}

export interface NewDraft {
  assignment_id: Uuid | null;
  account_id: Uuid;
  address_id: Uuid;
  form_version_id: Uuid;
  label: string;
  started_at: number;
  check_in: CheckInBody | null;
}

export class OutboxError extends Error {
  constructor(
    readonly code: 'not_found' | 'not_draft' | 'incomplete',
    message: string,
  ) {
    super(message);
    this.name = 'OutboxError';
  }
}

const UNSENT: RecordState[] = ['draft', 'finalized', 'queued', 'uploading'];

export class Outbox {
  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  async createDraft(init: NewDraft): Promise<VisitRecord> {
    const at = this.now();
    const record: VisitRecord = {
      id: newUuid(),
      state: 'draft',
      created_at: at,
      updated_at: at,
      ...init,
      finished_at: null,
      answers: {},
      attachments: [],
      body: null,
      sync: { attempts: 0, next_attempt_at: 0, last_error: null, sent: false, blocked: null },
      receipt: null,
    };
    await this.db.put(VISITS, record);
    return record;
  }

  get(id: Uuid): Promise<VisitRecord | undefined> {
    return this.db.get<VisitRecord>(VISITS, id);
  }

  all(): Promise<VisitRecord[]> {
    return this.db.getAll<VisitRecord>(VISITS);
  }

  /**
   * Records that have not reached the server yet, oldest first. A draft the
   * agent opened but never touched contains nothing to send and is left out.
   */
  async unsent(): Promise<VisitRecord[]> {
    const records = await this.all();
    return records
      .filter((r) => UNSENT.includes(r.state) && !isUntouched(r))
      .sort((a, b) => a.created_at - b.created_at);
  }

  /** Deletes the draft if the agent left it untouched; returns whether it did. */
  async discardIfUntouched(id: Uuid): Promise<boolean> {
    return this.db.transact([VISITS], 'readwrite', async (tx) => {
      const record = await tx.get<VisitRecord>(VISITS, id);
      if (record === undefined || !isUntouched(record)) {
        return false;
      }
      await tx.delete(VISITS, id);
      return true;
    });
  }

  /** The open draft for an assignment or account, so that leaving and coming back resumes it. */
  async openDraftFor(accountId: Uuid): Promise<VisitRecord | undefined> {
    const records = await this.all();
    return records.find((r) => r.state === 'draft' && r.account_id === accountId);
  }

  saveAnswers(id: Uuid, answers: Record<string, unknown>): Promise<VisitRecord> {
    return this.editDraft(id, (record) => {
      record.answers = answers;
    });
  }

  setCheckIn(id: Uuid, checkIn: CheckInBody): Promise<VisitRecord> {
    return this.editDraft(id, (record) => {
      record.check_in = checkIn;
    });
  }

  /** Stores the bytes and puts the reference on the draft, replacing an earlier one for the same question and kind. */
  async attach(id: Uuid, ref: AttachmentRef, data: ArrayBuffer): Promise<VisitRecord> {
    return this.db.transact([VISITS, BLOBS], 'readwrite', async (tx) => {
      const record = await this.requireDraft(tx, id);
      const blob: StoredBlob = { sha256: ref.sha256, content_type: ref.content_type, data, record_id: id };
      await tx.put(BLOBS, blob);
      record.attachments = [
        ...record.attachments.filter((a) => !(a.question === ref.question && a.kind === ref.kind)),
        ref,
      ];
      record.updated_at = this.now();
      await tx.put(VISITS, record);
      return record;
    });
  }

  blob(sha256: string): Promise<StoredBlob | undefined> {
    return this.db.get<StoredBlob>(BLOBS, sha256);
  }

  /**
   * Freezes a draft's request body. Returns false when the record was already
   * past draft, which makes a second tap on "send" harmless.
   */
  async finalize(id: Uuid, finishedAt: number): Promise<boolean> {
    return this.db.transact([VISITS], 'readwrite', async (tx) => {
      const record = await tx.get<VisitRecord>(VISITS, id);
      if (record === undefined) {
        throw new OutboxError('not_found', `Visit record ${id} does not exist`);
      }
      if (record.state !== 'draft') {
        return false;
      }
      if (record.check_in === null) {
        throw new OutboxError('incomplete', `Visit record ${id} has no check-in`);
      }
      const referenced = new Set(referencedHashes(record.answers));
      const attachments = record.attachments.filter((a) => a.kind === 'pin_photo' || referenced.has(a.sha256));
      const body: VisitBody = {
        account_id: record.account_id,
        address_id: record.address_id,
        form_version_id: record.form_version_id,
        started_at: record.started_at,
        finished_at: finishedAt,
        check_in: record.check_in,
        answers: record.answers,
        attachments,
      };
      if (record.assignment_id !== null) {
        body.assignment_id = record.assignment_id;
      }
      record.attachments = attachments;
      record.body = body;
      record.finished_at = finishedAt;
      record.state = 'finalized';
      record.updated_at = this.now();
      await tx.put(VISITS, record);
      return true;
    });
  }

  /** Hands finalized records to the sync engine. */
  async enqueueFinalized(): Promise<void> {
    await this.db.transact([VISITS], 'readwrite', async (tx) => {
      const finalized = await tx.byIndex<VisitRecord>(VISITS, 'state', 'finalized');
      for (const record of finalized) {
        record.state = 'queued';
        record.updated_at = this.now();
        await tx.put(VISITS, record);
      }
    });
  }

  /** Moves a queued record to uploading; returns it, or undefined if it is not queued. */
  async beginUpload(id: Uuid): Promise<VisitRecord | undefined> {
    return this.db.transact([VISITS], 'readwrite', async (tx) => {
      const record = await tx.get<VisitRecord>(VISITS, id);
      if (record === undefined || record.state !== 'queued') {
        return undefined;
      }
      record.state = 'uploading';
      record.sync.attempts += 1;
      record.updated_at = this.now();
      await tx.put(VISITS, record);
      return record;
    });
  }

  /** Notes that the visit's PUT is about to leave, so a lost answer is looked up by receipt. */
  markSent(id: Uuid): Promise<VisitRecord> {
    return this.update(id, (record) => {
      record.sync.sent = true;
    });
  }

  /** Stores the receipt and deletes the attachments' bytes, which the server now holds. */
  async acknowledge(id: Uuid, receipt: VisitReceipt): Promise<void> {
    await this.db.transact([VISITS, BLOBS], 'readwrite', async (tx) => {
      const record = await tx.get<VisitRecord>(VISITS, id);
      if (record === undefined) {
        return;
      }
      record.state = 'acknowledged';
      record.receipt = receipt;
      record.sync.last_error = null;
      record.sync.blocked = null;
      record.updated_at = this.now();
      await tx.put(VISITS, record);
      for (const blob of await tx.byIndex<StoredBlob>(BLOBS, 'record_id', id)) {
        await tx.delete(BLOBS, blob.sha256);
      }
    });
  }

  /** Puts a record back in the queue after a failed attempt. */
  retryLater(id: Uuid, error: string, nextAttemptAt: number, blocked: string | null): Promise<VisitRecord> {
    return this.update(id, (record) => {
      record.state = 'queued';
      record.sync.last_error = error;
      record.sync.next_attempt_at = nextAttemptAt;
      record.sync.blocked = blocked;
    });
  }

  /**
   * After a crash or a closed tab, records left in uploading are queued again.
   * Their PUT may have reached the server, so they count as sent.
   */
  async recoverInterrupted(): Promise<void> {
    await this.db.transact([VISITS], 'readwrite', async (tx) => {
      for (const record of await tx.byIndex<VisitRecord>(VISITS, 'state', 'uploading')) {
        record.state = 'queued';
        record.sync.sent = true;
        await tx.put(VISITS, record);
      }
    });
  }

  /** Clears a blocked mark so that the next pass tries again. */
  unblock(id: Uuid): Promise<VisitRecord> {
    return this.update(id, (record) => {
      record.sync.blocked = null;
      record.sync.next_attempt_at = 0;
    });
  }

  /** Deletes a draft the agent abandoned, with its attachments. Finalized records cannot be discarded. */
  async discardDraft(id: Uuid): Promise<void> {
    await this.db.transact([VISITS, BLOBS], 'readwrite', async (tx) => {
      await this.requireDraft(tx, id);
      await tx.delete(VISITS, id);
      for (const blob of await tx.byIndex<StoredBlob>(BLOBS, 'record_id', id)) {
        await tx.delete(BLOBS, blob.sha256);
      }
    });
  }

  private editDraft(id: Uuid, change: (record: VisitRecord) => void): Promise<VisitRecord> {
    return this.db.transact([VISITS], 'readwrite', async (tx) => {
      const record = await this.requireDraft(tx, id);
      change(record);
      record.updated_at = this.now();
      await tx.put(VISITS, record);
      return record;
    });
  }

  private update(id: Uuid, change: (record: VisitRecord) => void): Promise<VisitRecord> {
    return this.db.transact([VISITS], 'readwrite', async (tx) => {
      const record = await tx.get<VisitRecord>(VISITS, id);
      if (record === undefined) {
        throw new OutboxError('not_found', `Visit record ${id} does not exist`);
      }
      change(record);
      record.updated_at = this.now();
      await tx.put(VISITS, record);
      return record;
    });
  }

  private async requireDraft(tx: Tx, id: Uuid): Promise<VisitRecord> {
    const record = await tx.get<VisitRecord>(VISITS, id);
    if (record === undefined) {
      throw new OutboxError('not_found', `Visit record ${id} does not exist`);
    }
    if (record.state !== 'draft') {
      throw new OutboxError('not_draft', `Visit record ${id} is ${record.state} and can no longer change`);
    }
    return record;
  }
}

/** A draft with no check-in, no answers and no attachments: opened by a tap and nothing more. */
export function isUntouched(record: VisitRecord): boolean {
  return (
    record.state === 'draft' &&
    record.check_in === null &&
    Object.keys(record.answers).length === 0 &&
    record.attachments.length === 0
  );
}

/** Every 64-hex string among the answers, in repeats too: photos and signatures answer with their hash. */
export function referencedHashes(answers: unknown): string[] {
  if (typeof answers === 'string') {
    return /^[0-9a-f]{64}$/.test(answers) ? [answers] : [];
  }
  if (Array.isArray(answers)) {
    return answers.flatMap(referencedHashes);
  }
  if (typeof answers === 'object' && answers !== null) {
    return Object.values(answers).flatMap(referencedHashes);
  }
  return [];
}
