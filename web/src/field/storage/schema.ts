// The field app's IndexedDB database: its stores and their upgrades.

import { Database } from './idb';

export const DB_NAME = 'ronda-field';
const DB_VERSION = 1;

export const META = 'meta';
export const VISITS = 'visits';
export const BLOBS = 'blobs';
export const POSITIONS = 'positions';
export const SHIFTS = 'shifts';

export function openFieldDb(factory?: IDBFactory, name: string = DB_NAME): Promise<Database> {
  return Database.open(
    name,
    DB_VERSION,
    (db, oldVersion) => {
      if (oldVersion < 1) {
        // Key-value settings and caches: the day package, the open shift.
        db.createObjectStore(META);
        const visits = db.createObjectStore(VISITS, { keyPath: 'id' });
        visits.createIndex('state', 'state');
        const blobs = db.createObjectStore(BLOBS, { keyPath: 'sha256' });
        blobs.createIndex('record_id', 'record_id');
        db.createObjectStore(POSITIONS, { autoIncrement: true });
        db.createObjectStore(SHIFTS, { keyPath: 'id' });
      }
    },
    factory,
  );
}
