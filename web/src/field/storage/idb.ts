// A thin promise layer over IndexedDB. Each call runs in its own transaction,
// except `transact`, whose callback may chain several requests: it must await
// only requests of the transaction it was given, or the browser commits the
// transaction early.

export type StoreName = string;

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

/** Requests on the stores of one open transaction. */
export class Tx {
  constructor(readonly raw: IDBTransaction) {}

  get<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
    return promised(this.raw.objectStore(store).get(key)) as Promise<T | undefined>;
  }

  getAll<T>(store: StoreName, query?: IDBKeyRange | IDBValidKey, count?: number): Promise<T[]> {
    return promised(this.raw.objectStore(store).getAll(query, count)) as Promise<T[]>;
  }

  getAllKeys(store: StoreName, query?: IDBKeyRange | IDBValidKey, count?: number): Promise<IDBValidKey[]> {
    return promised(this.raw.objectStore(store).getAllKeys(query, count));
  }

  byIndex<T>(store: StoreName, index: string, key: IDBValidKey | IDBKeyRange): Promise<T[]> {
    return promised(this.raw.objectStore(store).index(index).getAll(key)) as Promise<T[]>;
  }

  put(store: StoreName, value: unknown, key?: IDBValidKey): Promise<IDBValidKey> {
    return promised(this.raw.objectStore(store).put(value, key));
  }

  add(store: StoreName, value: unknown, key?: IDBValidKey): Promise<IDBValidKey> {
    return promised(this.raw.objectStore(store).add(value, key));
  }

  delete(store: StoreName, key: IDBValidKey | IDBKeyRange): Promise<void> {
    return promised(this.raw.objectStore(store).delete(key));
  }

  count(store: StoreName, query?: IDBKeyRange | IDBValidKey): Promise<number> {
    return promised(this.raw.objectStore(store).count(query));
  }
}

export type Upgrade = (db: IDBDatabase, oldVersion: number) => void;

export class Database {
  private constructor(private readonly db: IDBDatabase) {}

  static open(name: string, version: number, upgrade: Upgrade, factory: IDBFactory = indexedDB): Promise<Database> {
    return new Promise((resolve, reject) => {
      const request = factory.open(name, version);
      request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
      request.onsuccess = () => {
        const db = request.result;
        // Another tab opening a newer version must not wait on this one.
        db.onversionchange = () => db.close();
        resolve(new Database(db));
      };
      request.onerror = () => reject(request.error ?? new Error(`Cannot open IndexedDB database ${name}`));
      request.onblocked = () => reject(new Error(`IndexedDB database ${name} is open in an older tab`));
    });
  }

  close(): void {
    this.db.close();
  }

  /** Runs `work` in one transaction and resolves after the transaction commits. */
  async transact<R>(stores: StoreName[], mode: IDBTransactionMode, work: (tx: Tx) => Promise<R>): Promise<R> {
    const raw = this.db.transaction(stores, mode);
    const done = finished(raw);
    let result: R;
    try {
      result = await work(new Tx(raw));
    } catch (error) {
      try {
        raw.abort();
      } catch {
        // Already finished or aborted by the failing request.
      }
      await done.catch(() => undefined);
      throw error;
    }
    await done;
    return result;
  }

  get<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
    return this.transact([store], 'readonly', (tx) => tx.get<T>(store, key));
  }

  getAll<T>(store: StoreName, query?: IDBKeyRange | IDBValidKey, count?: number): Promise<T[]> {
    return this.transact([store], 'readonly', (tx) => tx.getAll<T>(store, query, count));
  }

  put(store: StoreName, value: unknown, key?: IDBValidKey): Promise<IDBValidKey> {
    return this.transact([store], 'readwrite', (tx) => tx.put(store, value, key));
  }

  delete(store: StoreName, key: IDBValidKey | IDBKeyRange): Promise<void> {
    return this.transact([store], 'readwrite', (tx) => tx.delete(store, key));
  }

  count(store: StoreName): Promise<number> {
    return this.transact([store], 'readonly', (tx) => tx.count(store));
  }
}
