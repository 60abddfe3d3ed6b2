// The day package kept on the device, so the day view works offline.

import type { DayPackage } from '../../shared/field-api';
import type { Database } from './idb';
import { META } from './schema';

const DAY_KEY = 'day';

export interface StoredDay {
  day: DayPackage;
  /** Device clock when the package arrived, ms. */
  received_at: number;
  /** server_time minus the device clock at arrival: add it to Date.now() to estimate server time. */
  server_offset_ms: number;
}

export function saveDay(db: Database, day: DayPackage, receivedAt: number): Promise<StoredDay> {
  const stored: StoredDay = { day, received_at: receivedAt, server_offset_ms: day.server_time - receivedAt };
  return db.put(META, stored, DAY_KEY).then(() => stored);
}

export function loadDay(db: Database): Promise<StoredDay | undefined> {
  return db.get<StoredDay>(META, DAY_KEY);
}

export function clearDay(db: Database): Promise<void> {
  return db.delete(META, DAY_KEY);
}
