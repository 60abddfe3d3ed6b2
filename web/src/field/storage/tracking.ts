// Shifts (clock-in, clock-out) and recorded positions waiting for upload.

import type { PositionFix, Uuid } from '../../shared/field-api';
import type { Database } from './idb';
import { newUuid } from './ids';
import { POSITIONS, SHIFTS } from './schema';

export interface ShiftRecord {
  id: Uuid;
  clocked_in_at: number;
  clocked_out_at: number | null;
  /** Bumped on every change; the server has the shift once `synced_version` catches up. */
  version: number;
  synced_version: number;
}

export interface PositionBatch {
  keys: IDBValidKey[];
  fixes: PositionFix[];
}

export class TrackingStore {
  constructor(private readonly db: Database) {}

  async openShift(): Promise<ShiftRecord | undefined> {
    const shifts = await this.db.getAll<ShiftRecord>(SHIFTS);
    return shifts.find((s) => s.clocked_out_at === null);
  }

  /** Opens a shift, or returns the one already open (a second tap changes nothing). */
  async clockIn(at: number): Promise<ShiftRecord> {
    return this.db.transact([SHIFTS], 'readwrite', async (tx) => {
      const open = (await tx.getAll<ShiftRecord>(SHIFTS)).find((s) => s.clocked_out_at === null);
      if (open !== undefined) {
        return open;
      }
      const shift: ShiftRecord = { id: newUuid(), clocked_in_at: at, clocked_out_at: null, version: 1, synced_version: 0 };
      await tx.put(SHIFTS, shift);
      return shift;
    });
  }

  /** Adopts the shift the server reports as open, so that a reinstalled app can clock out. */
  async adoptServerShift(id: Uuid, clockedInAt: number): Promise<void> {
    await this.db.transact([SHIFTS], 'readwrite', async (tx) => {
      if ((await tx.get<ShiftRecord>(SHIFTS, id)) !== undefined) {
        return;
      }
      const open = (await tx.getAll<ShiftRecord>(SHIFTS)).find((s) => s.clocked_out_at === null);
      if (open !== undefined) {
        return;
      }
      await tx.put(SHIFTS, { id, clocked_in_at: clockedInAt, clocked_out_at: null, version: 1, synced_version: 1 });
    });
  }

  async clockOut(at: number): Promise<ShiftRecord | undefined> {
    return this.db.transact([SHIFTS], 'readwrite', async (tx) => {
      const open = (await tx.getAll<ShiftRecord>(SHIFTS)).find((s) => s.clocked_out_at === null);
      if (open === undefined) {
        return undefined;
      }
      open.clocked_out_at = Math.max(at, open.clocked_in_at);
      open.version += 1;
      await tx.put(SHIFTS, open);
      return open;
    });
  }

  async unsyncedShifts(): Promise<ShiftRecord[]> {
    const shifts = await this.db.getAll<ShiftRecord>(SHIFTS);
    return shifts.filter((s) => s.synced_version < s.version);
  }

  async markShiftSynced(id: Uuid, version: number): Promise<void> {
    await this.db.transact([SHIFTS], 'readwrite', async (tx) => {
      const shift = await tx.get<ShiftRecord>(SHIFTS, id);
      if (shift === undefined) {
        return;
      }
      shift.synced_version = Math.max(shift.synced_version, version);
      if (shift.clocked_out_at !== null && shift.synced_version >= shift.version) {
        // A closed shift the server holds is no longer needed on the device.
        await tx.delete(SHIFTS, id);
      } else {
        await tx.put(SHIFTS, shift);
      }
    });
  }

  async addPosition(fix: PositionFix): Promise<void> {
    await this.db.transact([POSITIONS], 'readwrite', async (tx) => {
      await tx.add(POSITIONS, fix);
    });
  }

  /** The oldest `limit` positions, in recording order. */
  async positionBatch(limit: number): Promise<PositionBatch> {
    return this.db.transact([POSITIONS], 'readonly', async (tx) => {
      const keys = await tx.getAllKeys(POSITIONS, undefined, limit);
      const fixes = await tx.getAll<PositionFix>(POSITIONS, undefined, limit);
      return { keys, fixes };
    });
  }

  async deletePositions(keys: IDBValidKey[]): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    await this.db.transact([POSITIONS], 'readwrite', async (tx) => {
      for (const key of keys) {
        await tx.delete(POSITIONS, key);
      }
    });
  }

  countPositions(): Promise<number> {
    return this.db.count(POSITIONS);
  }
}
