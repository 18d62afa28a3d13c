import { fieldIssueSchema, readingInputSchema } from '@chairside/shared';
import { z } from 'zod';
import type { OutboxEntry } from '../../store/outbox-slice';

/**
 * Where the outbox keeps entries so they survive a reload: IndexedDB in the browser, localStorage
 * where IndexedDB cannot be opened, memory in tests. Scoped per user; keyed by reading id.
 * Every write resolves only once it is stored.
 */
export interface OutboxStorage {
  /** The user's entries, in no particular order; unreadable ones are left out. */
  load(userId: string): Promise<OutboxEntry[]>;
  /** Adds or replaces the entry (user and reading id). */
  put(entry: OutboxEntry): Promise<void>;
  delete(userId: string, readingId: string): Promise<void>;
}

export class OutboxStorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxStorageError';
  }
}

const outboxEntrySchema = z.object({
  userId: z.string().min(1),
  reading: readingInputSchema,
  queuedAt: z.number(),
  status: z.enum(['pending', 'refused']),
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  refusal: z.object({ status: z.number().int(), message: z.string(), details: z.array(fieldIssueSchema) }).nullable(),
});

/** Stored data is read back through the schema: a damaged or older record is skipped, not trusted. */
function readEntries(values: readonly unknown[], userId: string, log: Pick<Console, 'warn'>): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  let unreadable = 0;
  for (const value of values) {
    const parsed = outboxEntrySchema.safeParse(value);
    if (parsed.success && parsed.data.userId === userId) entries.push(parsed.data);
    else unreadable += 1;
  }
  if (unreadable > 0) log.warn(`outbox: skipped ${unreadable} unreadable stored entr${unreadable === 1 ? 'y' : 'ies'}`);
  return entries;
}

/** Memory only; a second outbox over the same instance sees what the first stored (a "reload" in tests). */
export function createMemoryOutboxStorage(): OutboxStorage & { snapshot(): OutboxEntry[] } {
  const records = new Map<string, OutboxEntry>();
  const key = (userId: string, readingId: string) => JSON.stringify([userId, readingId]);
  return {
    load: (userId) => Promise.resolve([...records.values()].filter((e) => e.userId === userId).map((e) => structuredClone(e))),
    put: (entry) => {
      records.set(key(entry.userId, entry.reading.id), structuredClone(entry));
      return Promise.resolve();
    },
    delete: (userId, readingId) => {
      records.delete(key(userId, readingId));
      return Promise.resolve();
    },
    snapshot: () => [...records.values()].map((e) => structuredClone(e)),
  };
}

export interface LocalStorageOutboxOptions {
  /** At most this many entries per user. */
  maxEntries?: number;
  /** At most this many characters of JSON per user (localStorage holds about 5 MB per origin). */
  maxChars?: number;
  log?: Pick<Console, 'warn'>;
}

export const localStorageOutboxPrefix = 'chairside.outbox.v1:';

/** One JSON array per user in localStorage, with a cap so it never fills the origin's quota. */
export function createLocalStorageOutboxStorage(
  storage: Storage,
  { maxEntries = 200, maxChars = 512 * 1024, log = console }: LocalStorageOutboxOptions = {},
): OutboxStorage {
  const keyOf = (userId: string) => `${localStorageOutboxPrefix}${userId}`;

  function read(userId: string): OutboxEntry[] {
    const text = storage.getItem(keyOf(userId));
    if (text === null) return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      log.warn('outbox: the stored entries are not JSON; skipped');
      return [];
    }
    return Array.isArray(value) ? readEntries(value, userId, log) : [];
  }

  function write(userId: string, entries: readonly OutboxEntry[]): void {
    if (entries.length === 0) {
      storage.removeItem(keyOf(userId));
      return;
    }
    const text = JSON.stringify(entries);
    if (entries.length > maxEntries || text.length > maxChars) {
      throw new OutboxStorageError('This tablet cannot keep more entries: send or discard the waiting ones first.');
    }
    try {
      storage.setItem(keyOf(userId), text);
    } catch {
      throw new OutboxStorageError('This tablet’s browser storage is full.');
    }
  }

  return {
    load: (userId) => Promise.resolve(read(userId)),
    put: (entry) => {
      try {
        const others = read(entry.userId).filter((e) => e.reading.id !== entry.reading.id);
        write(entry.userId, [...others, entry]);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new OutboxStorageError(String(error)));
      }
    },
    delete: (userId, readingId) => {
      try {
        const entries = read(userId);
        const kept = entries.filter((e) => e.reading.id !== readingId);
        if (kept.length !== entries.length) write(userId, kept);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new OutboxStorageError(String(error)));
      }
    },
  };
}

const dbName = 'chairside';
const dbVersion = 1;
const entriesStore = 'outbox';
const byUser = 'by-user';

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new OutboxStorageError('IndexedDB request failed'));
  });
}

/** Resolves once the transaction has committed (a write is kept), rejects if it aborts. */
function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new OutboxStorageError('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new OutboxStorageError('IndexedDB transaction aborted'));
  });
}

export function openOutboxDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(dbName, dbVersion);
    } catch (error) {
      reject(error instanceof Error ? error : new OutboxStorageError('IndexedDB cannot be opened'));
      return;
    }
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(entriesStore)) {
        const store = db.createObjectStore(entriesStore, { keyPath: ['userId', 'reading.id'] });
        store.createIndex(byUser, 'userId');
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema: step aside rather than block it.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new OutboxStorageError('IndexedDB cannot be opened'));
    request.onblocked = () => reject(new OutboxStorageError('IndexedDB is blocked by another Chairside tab'));
  });
}

/** IndexedDB: an object store keyed by [userId, reading id], written with strict durability. */
export function createIndexedDbOutboxStorage(openDb: () => Promise<IDBDatabase>, { log = console }: { log?: Pick<Console, 'warn'> } = {}): OutboxStorage {
  let db: Promise<IDBDatabase> | null = null;
  const database = (): Promise<IDBDatabase> => {
    db ??= openDb().catch((error: unknown) => {
      db = null; // try again next time
      throw error;
    });
    return db;
  };

  /** Runs `run` on the open database; a connection closed meanwhile (another tab upgraded it) is opened again once. */
  const withDb = async <T>(run: (db: IDBDatabase) => Promise<T>): Promise<T> => {
    const current = await database();
    try {
      return await run(current);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
      if (db !== null && (await db) === current) db = null;
      return run(await database());
    }
  };

  return {
    load: (userId) =>
      withDb(async (connection) => {
        const transaction = connection.transaction(entriesStore, 'readonly');
        const values = await requestResult(transaction.objectStore(entriesStore).index(byUser).getAll(IDBKeyRange.only(userId)));
        return readEntries(values as unknown[], userId, log);
      }),
    put: (entry) =>
      withDb(async (connection) => {
        const transaction = connection.transaction(entriesStore, 'readwrite', { durability: 'strict' });
        const done = committed(transaction);
        transaction.objectStore(entriesStore).put(entry);
        await done;
      }),
    delete: (userId, readingId) =>
      withDb(async (connection) => {
        const transaction = connection.transaction(entriesStore, 'readwrite', { durability: 'strict' });
        const done = committed(transaction);
        transaction.objectStore(entriesStore).delete([userId, readingId]);
        await done;
      }),
  };
}

/**
 * IndexedDB when this browser can open it; otherwise (some private modes) localStorage with its cap.
 * The choice is made on first use and kept.
 */
export function createBrowserOutboxStorage(
  window: Pick<Window, 'indexedDB' | 'localStorage'>,
  { log = console }: { log?: Pick<Console, 'warn'> } = {},
): OutboxStorage {
  let chosen: Promise<OutboxStorage> | null = null;
  const storage = (): Promise<OutboxStorage> => {
    chosen ??= (async () => {
      const factory = typeof window.indexedDB === 'object' && window.indexedDB !== null ? window.indexedDB : null;
      if (factory !== null) {
        try {
          let opened: IDBDatabase | null = await openOutboxDatabase(factory);
          return createIndexedDbOutboxStorage(
            () => {
              const first = opened;
              opened = null;
              return first === null ? openOutboxDatabase(factory) : Promise.resolve(first);
            },
            { log },
          );
        } catch (error) {
          log.warn('outbox: IndexedDB unavailable, using localStorage', error);
        }
      }
      return createLocalStorageOutboxStorage(window.localStorage, { log });
    })();
    return chosen;
  };
  return {
    load: async (userId) => (await storage()).load(userId),
    put: async (entry) => (await storage()).put(entry),
    delete: async (userId, readingId) => (await storage()).delete(userId, readingId),
  };
}
