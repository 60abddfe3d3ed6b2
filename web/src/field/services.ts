// The device-side services of the field app, created once per page after
// sign-in: the database, the outbox, the tracking store, the HTTP client for
// /api/field and the sync engine. Components subscribe to `changes` to redraw
// when a record moves.

import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { FieldApi } from '../shared/field-api';
import type { Database } from './storage/idb';
import { Outbox } from './storage/outbox';
import { openFieldDb } from './storage/schema';
import { TrackingStore } from './storage/tracking';
import { SyncEngine, type SyncReport } from './sync/engine';

type Listener = () => void;

export class Changes {
  private readonly listeners = new Set<Listener>();
  private version = 0;

  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

export interface FieldServices {
  db: Database;
  outbox: Outbox;
  tracking: TrackingStore;
  api: FieldApi;
  sync: SyncEngine;
  changes: Changes;
  lastSync: { report: SyncReport | null; at: number | null };
}

export async function createServices(api: FieldApi, databaseName: string): Promise<FieldServices> {
  const db = await openFieldDb(undefined, databaseName);
  const outbox = new Outbox(db);
  const tracking = new TrackingStore(db);
  const changes = new Changes();
  const services: FieldServices = {
    db,
    outbox,
    tracking,
    api,
    changes,
    lastSync: { report: null, at: null },
    sync: new SyncEngine({ outbox, tracking, transport: api, onChange: () => changes.notify() }),
  };
  return services;
}

export const ServicesContext = createContext<FieldServices | null>(null);

export function useServices(): FieldServices {
  const services = useContext(ServicesContext);
  if (services === null) {
    throw new Error('useServices must be called inside <ServicesContext.Provider>');
  }
  return services;
}

/** Re-runs `load` whenever the outbox or the tracking store changes, and returns its latest result. */
export function useStored<T>(load: (services: FieldServices) => Promise<T>, deps: unknown[] = []): T | undefined {
  const services = useServices();
  const [value, setValue] = useState<T | undefined>(undefined);
  const [version, setVersion] = useState(services.changes.current);
  useEffect(() => services.changes.subscribe(() => setVersion(services.changes.current)), [services]);
  useEffect(() => {
    let cancelled = false;
    load(services).then(
      (next) => {
        if (!cancelled) setValue(next);
      },
      (error: unknown) => console.error('Reading the device database failed', error),
    );
    return () => {
      cancelled = true;
    };
  }, [services, version, ...deps]);
  return value;
}
