// Sends what the device recorded: shifts, positions and finalized visits.
//
// A pass runs at start, when the browser reports the network is back, when
// the app returns to the foreground, after a visit is finalized, and on a
// backoff timer after failures. Only one pass runs at a time; a request for
// another while one runs makes the running pass go round once more.
//
// Exactly once: a visit is PUT under the UUID made when its draft was
// created, with the body frozen at finalize, so repeating the PUT is
// harmless. When an answer is lost, the next attempt asks for the receipt
// before sending again.

import { ApiError, NETWORK_ERROR } from '../../shared/api';
import type { FieldTransport, VisitReceipt } from '../../shared/field-api';
import type { Outbox, VisitRecord } from '../storage/outbox';
import type { TrackingStore } from '../storage/tracking';
import { backoffDelay } from './backoff';

export const POSITION_BATCH = 200;

export interface SyncReport {
  acknowledged: number;
  failed: number;
  positionsSent: number;
  /** True when the server answered 401: nothing more goes until the agent signs in again. */
  needsLogin: boolean;
}

export interface SyncEngineOptions {
  outbox: Outbox;
  tracking: TrackingStore;
  transport: FieldTransport;
  now?: () => number;
  random?: () => number;
  /** Called after each pass and after each record changes state, for the UI. */
  onChange?: () => void;
}

type Failure = { retry: true; message: string } | { retry: false; message: string; code: string } | { login: true };

/** Sorts a failed request into: try again later, stop until the agent signs in, or needs a person. */
function classify(error: unknown): Failure {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return { login: true };
    }
    if (error.code === NETWORK_ERROR || error.status >= 500 || error.status === 408 || error.status === 429) {
      return { retry: true, message: error.message };
    }
    // 403 can be a stale CSRF token after the session was renewed: retry too.
    if (error.status === 403) {
      return { retry: true, message: error.message };
    }
    return { retry: false, message: error.message, code: error.code };
  }
  return { retry: true, message: error instanceof Error ? error.message : String(error) };
}

class NeedsLogin extends Error {}

export class SyncEngine {
  private readonly outbox: Outbox;
  private readonly tracking: TrackingStore;
  private readonly transport: FieldTransport;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onChange: () => void;
  private running: Promise<SyncReport> | null = null;
  private again = false;
  private againForce = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;

  constructor(options: SyncEngineOptions) {
    this.outbox = options.outbox;
    this.tracking = options.tracking;
    this.transport = options.transport;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onChange = options.onChange ?? (() => undefined);
  }

  /**
   * Runs a pass now. With `force`, records waiting out a backoff go too: the
   * caller has news that the network may be back. Concurrent calls share the
   * running pass, which then goes round once more.
   */
  sync(force = false): Promise<SyncReport> {
    if (this.running !== null) {
      this.again = true;
      this.againForce ||= force;
      return this.running;
    }
    this.running = this.loop(force).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Listens to the browser's signals and runs the first pass. Returns a function that stops it all. */
  attach(win: Window): () => void {
    this.stopped = false;
    const onOnline = () => void this.sync(true);
    const onVisible = () => {
      if (win.document.visibilityState === 'visible') {
        void this.sync(true);
      }
    };
    win.addEventListener('online', onOnline);
    win.document.addEventListener('visibilitychange', onVisible);
    void this.outbox.recoverInterrupted().then(() => this.sync(true));
    return () => {
      this.stopped = true;
      win.removeEventListener('online', onOnline);
      win.document.removeEventListener('visibilitychange', onVisible);
      this.clearTimer();
    };
  }

  private async loop(force: boolean): Promise<SyncReport> {
    const total: SyncReport = { acknowledged: 0, failed: 0, positionsSent: 0, needsLogin: false };
    let nextForce = force;
    do {
      this.again = false;
      const report = await this.pass(nextForce);
      nextForce = this.againForce;
      this.againForce = false;
      total.acknowledged += report.acknowledged;
      total.failed += report.failed;
      total.positionsSent += report.positionsSent;
      total.needsLogin ||= report.needsLogin;
    } while (this.again && !total.needsLogin);
    await this.scheduleNext();
    this.onChange();
    return total;
  }

  private async pass(force: boolean): Promise<SyncReport> {
    const report: SyncReport = { acknowledged: 0, failed: 0, positionsSent: 0, needsLogin: false };
    try {
      await this.outbox.enqueueFinalized();
      await this.sendShifts();
      for (const record of await this.outbox.unsent()) {
        if (record.state !== 'queued' || record.sync.blocked !== null) continue;
        if (!force && record.sync.next_attempt_at > this.now()) continue;
        const sent = await this.sendVisit(record);
        if (sent) report.acknowledged += 1;
        else report.failed += 1;
        this.onChange();
      }
      report.positionsSent = await this.sendPositions();
    } catch (error) {
      if (error instanceof NeedsLogin) {
        report.needsLogin = true;
      } else {
        // Shifts and positions wait for the next pass; visits handle their own errors.
        report.failed += 1;
      }
    }
    return report;
  }

  /** Returns true once the record is acknowledged. Throws NeedsLogin on 401. */
  private async sendVisit(queued: VisitRecord): Promise<boolean> {
    const record = await this.outbox.beginUpload(queued.id);
    if (record === undefined || record.body === null) {
      return false;
    }
    this.onChange();
    try {
      let receipt: VisitReceipt | null = null;
      if (record.sync.sent) {
        receipt = await this.transport.getReceipt(record.id);
      }
      if (receipt === null) {
        await this.uploadAttachments(record.body.attachments.map((a) => a.sha256));
        await this.outbox.markSent(record.id);
        receipt = await this.transport.putVisit(record.id, record.body);
      }
      if (receipt.status === 'waiting_for_attachments') {
        await this.uploadAttachments(receipt.missing_attachments);
        receipt = await this.transport.getReceipt(record.id);
      }
      if (receipt === null || receipt.status !== 'complete') {
        throw new ApiError(0, { code: NETWORK_ERROR, message: 'The server is still waiting for attachments', field: null });
      }
      await this.outbox.acknowledge(record.id, receipt);
      return true;
    } catch (error) {
      const failure = classify(error);
      const attempts = record.sync.attempts;
      if ('login' in failure) {
        await this.outbox.retryLater(record.id, 'unauthenticated', this.now(), null);
        throw new NeedsLogin();
      }
      const nextAt = this.now() + backoffDelay(attempts, this.random());
      await this.outbox.retryLater(record.id, failure.message, nextAt, failure.retry ? null : failure.code);
      return false;
    }
  }

  private async uploadAttachments(hashes: string[]): Promise<void> {
    for (const sha256 of hashes) {
      const blob = await this.outbox.blob(sha256);
      if (blob === undefined) {
        // NOTE: the bytes are gone only if the record was acknowledged in
        // another tab; the server then holds them already.
        continue;
      }
      await this.transport.putAttachment(sha256, blob.content_type, blob.data);
    }
  }

  private async sendShifts(): Promise<void> {
    for (const shift of await this.tracking.unsyncedShifts()) {
      try {
        const body = shift.clocked_out_at === null
          ? { clocked_in_at: shift.clocked_in_at }
          : { clocked_in_at: shift.clocked_in_at, clocked_out_at: shift.clocked_out_at };
        await this.transport.putShift(shift.id, body);
        await this.tracking.markShiftSynced(shift.id, shift.version);
      } catch (error) {
        if ('login' in classify(error)) throw new NeedsLogin();
        throw error;
      }
    }
  }

  private async sendPositions(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.tracking.positionBatch(POSITION_BATCH);
      if (batch.fixes.length === 0) {
        return sent;
      }
      try {
        await this.transport.postPositions(batch.fixes);
      } catch (error) {
        const failure = classify(error);
        if ('login' in failure) throw new NeedsLogin();
        if (failure.retry) throw error;
        // A batch the server rejects as invalid would block every later
        // one, so it is dropped and the reason logged.
        console.warn('Position batch rejected by the server as invalid; dropped:', failure.message);
      }
      await this.tracking.deletePositions(batch.keys);
      sent += batch.fixes.length;
    }
  }

  private async scheduleNext(): Promise<void> {
    this.clearTimer();
    if (this.stopped) return;
    const waiting = (await this.outbox.unsent()).filter((r) => r.state === 'queued' && r.sync.blocked === null);
    const shifts = await this.tracking.unsyncedShifts();
    const positions = await this.tracking.countPositions();
    if (waiting.length === 0 && shifts.length === 0 && positions === 0) return;
    const soonest = waiting.length === 0 ? this.now() + backoffDelay(1, this.random()) : Math.min(...waiting.map((r) => r.sync.next_attempt_at));
    const delay = Math.max(1_000, soonest - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sync(false);
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
