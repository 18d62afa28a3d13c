import type { Chair, Patient, Reading, Role } from '@chairside/shared';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  isDemo: boolean;
  createdAt: number;
}

export interface AuthSessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** A reading ready to store: values already split into plausible ones and rejected ones. */
export type NewReading = Omit<Reading, 'seq' | 'receivedAt'> & {
  receivedAt: number;
  /** Hash of the reading as sent, so a retry can be told from a different reading with the same id. */
  payloadHash: string;
};

/** What one request's readings came to, inside a group commit. */
export type ReadingBatchResult =
  | { ok: true; results: { reading: Reading; created: boolean }[] }
  /** The batch was rolled back: these ids are already stored with a different content. */
  | { ok: false; conflictingIds: string[] };

/**
 * Everything Chairside keeps. One interface, an SQLite and (later) a PostgreSQL implementation.
 * All times are epoch milliseconds (UTC).
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  countUsers(): Promise<number>;
  createUser(user: UserRecord): Promise<void>;
  findUserById(id: string): Promise<UserRecord | null>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  setDemoUsersDisabled(disabled: boolean): Promise<void>;

  createAuthSession(session: AuthSessionRecord): Promise<void>;
  findAuthSession(tokenHash: string): Promise<AuthSessionRecord | null>;
  touchAuthSession(tokenHash: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  deleteAuthSession(tokenHash: string): Promise<void>;

  listChairs(): Promise<Chair[]>;
  findChair(id: string): Promise<Chair | null>;
  /** Returns false when a chair with that id or hl7Bed exists already. */
  createChair(chair: Chair, createdAt: number): Promise<boolean>;

  /** Returns false when the MRN is taken. */
  createPatient(patient: Patient): Promise<boolean>;
  findPatient(id: string): Promise<Patient | null>;
  /** Patients whose display name or MRN contains `search` (all when empty), newest first. */
  listPatients(search: string, limit: number): Promise<Patient[]>;

  /**
   * Stores several requests' readings in one transaction (group commit), each request all-or-nothing.
   * Resolves only after the transaction is durable.
   */
  insertReadingBatches(batches: NewReading[][]): Promise<ReadingBatchResult[]>;
  /** A chair's readings with `fromMs <= measuredAt < toMs`, oldest first. */
  listChairReadings(chairId: string, fromMs: number, toMs: number, limit: number): Promise<Reading[]>;
  /** Readings with `seq > afterSeq`, in sequence order. */
  readingsAfter(afterSeq: number, limit: number): Promise<Reading[]>;
  latestSeq(): Promise<number>;
  /** For each vital, the chair's newest reading that carries it (plus the newest rejection). */
  newestReadingsPerVital(chairId: string): Promise<Reading[]>;
}
