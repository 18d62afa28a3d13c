import type { FieldIssue, ReadingInput } from '@chairside/shared';
import type { SliceCreator } from './slice';

/**
 * A nurse's manual reading kept on this tablet until the server has it (features/manual-entry). The
 * reading is resent exactly as first sent, with its id, so a retry after an unknown outcome is
 * stored once. `refused`: the server answered 4xx; it is not resent until the nurse fixes or discards it.
 */
export interface OutboxEntry {
  /** Whose entry it is: only that user's login sends it. */
  userId: string;
  reading: ReadingInput;
  /** When it was first kept, epoch ms. */
  queuedAt: number;
  status: 'pending' | 'refused';
  /** Attempts to send it so far. */
  attempts: number;
  /** Why the last attempt did not reach the server ("Cannot reach the Chairside server"). */
  lastError: string | null;
  /** The server's answer to a refused entry, its field details included. */
  refusal: { status: number; message: string; details: FieldIssue[] } | null;
}

export interface OutboxSlice {
  outbox: {
    /** The user whose entries are held; null when nobody is logged in. */
    userId: string | null;
    status: 'idle' | 'loading' | 'loaded' | 'failed';
    /** By reading id: the entries not yet on the server, of `userId` only. */
    entries: Record<string, OutboxEntry>;
    /** A message for the nurse ("Saved on this tablet — …"), shown until dismissed. */
    notice: string | null;
    /** Why this tablet cannot keep entries (storage unavailable), if it cannot. */
    error: string | null;
  };
  outboxLoading(userId: string): void;
  outboxLoaded(userId: string, entries: readonly OutboxEntry[]): void;
  outboxFailed(userId: string, message: string): void;
  /** Forgets the entries held in memory (they stay stored); the user logged out or changed. */
  outboxCleared(): void;
  /** Adds or replaces an entry of the current user; another user's entry changes nothing. */
  outboxEntryPut(entry: OutboxEntry): void;
  outboxEntryRemoved(readingId: string): void;
  outboxNoticeChanged(notice: string | null): void;
}

export const initialOutboxState: OutboxSlice['outbox'] = { userId: null, status: 'idle', entries: {}, notice: null, error: null };

export const createOutboxSlice: SliceCreator<OutboxSlice, OutboxSlice> = (set) => ({
  outbox: initialOutboxState,

  outboxLoading: (userId) => set({ outbox: { ...initialOutboxState, userId, status: 'loading' } }),

  outboxLoaded: (userId, entries) =>
    set((s) => {
      if (s.outbox.userId !== userId) return s;
      // Entries put while the load ran (a save in the meantime) win over the stored copies.
      const loaded = Object.fromEntries(entries.filter((e) => e.userId === userId).map((e) => [e.reading.id, e]));
      return { outbox: { ...s.outbox, status: 'loaded', entries: { ...loaded, ...s.outbox.entries }, error: null } };
    }),

  outboxFailed: (userId, message) =>
    set((s) => (s.outbox.userId !== userId ? s : { outbox: { ...s.outbox, status: 'failed', error: message } })),

  outboxCleared: () => set({ outbox: initialOutboxState }),

  outboxEntryPut: (entry) =>
    set((s) =>
      s.outbox.userId !== entry.userId ? s : { outbox: { ...s.outbox, entries: { ...s.outbox.entries, [entry.reading.id]: entry } } },
    ),

  outboxEntryRemoved: (readingId) =>
    set((s) => {
      if (!(readingId in s.outbox.entries)) return s;
      const { [readingId]: _removed, ...entries } = s.outbox.entries;
      return { outbox: { ...s.outbox, entries } };
    }),

  outboxNoticeChanged: (notice) => set((s) => ({ outbox: { ...s.outbox, notice } })),
});

/** The current user's entries, oldest first. */
export function outboxEntries(state: Pick<OutboxSlice, 'outbox'>): OutboxEntry[] {
  return Object.values(state.outbox.entries).sort((a, b) => a.queuedAt - b.queuedAt || a.reading.measuredAt.localeCompare(b.reading.measuredAt));
}
