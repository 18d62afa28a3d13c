import type { Alert, AlertEvent, Chair, Patient, Reading, Role, TrendValues } from '@chairside/shared';

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

export interface ProtocolRecord {
  id: string;
  version: number;
  /** The protocol definition as JSON data (validated by the caller). */
  definition: unknown;
  createdAt: number;
  createdBy: string | null;
}

/** What `createSession` did: created the session, or why not. */
export type CreateSessionOutcome = { conflict: null } | { conflict: 'chair' } | { conflict: 'patient'; chairId: string };

export interface SessionRecord {
  id: string;
  patientId: string;
  chairId: string;
  protocolId: string;
  protocolVersion: number;
  phase: string;
  /** True until the session is discharged or cancelled; a chair has at most one active session. */
  active: boolean;
  /** The session engine's state as JSON data (validated by the caller). */
  state: unknown;
  checkedInAt: number;
  checkedInBy: string;
  endedAt: number | null;
  /** Bumped by every update; updates name the revision they read (optimistic concurrency). */
  revision: number;
}

export interface SessionEventRecord {
  seq: number;
  sessionId: string;
  type: string;
  at: number;
  userId: string | null;
  username: string;
  role: string;
  fromPhase: string | null;
  toPhase: string | null;
  payload: unknown;
}

export interface SessionFilter {
  fromMs: number;
  toMs: number;
  patientId?: string | undefined;
  chairId?: string | undefined;
  protocolId?: string | undefined;
  /** Only sessions that raised at least one alert. */
  hadAlerts?: boolean | undefined;
  /** Only sessions discharged through a clinician's override of the gate. */
  overrideUsed?: boolean | undefined;
  signed?: boolean | undefined;
  sort?: 'checkedInAt' | 'chair' | 'protocol' | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit: number;
  offset: number;
}

/** A row of the review list: the session with what the list shows and filters on. */
export interface SessionListRow {
  session: SessionRecord;
  patientName: string;
  alertCount: number;
  highAlertCount: number;
  signedAt: number | null;
}

export interface SignatureRecord {
  sessionId: string;
  signedBy: string;
  signedByName: string;
  signedAt: number;
  statement: string;
}

/**
 * Where a session's stored content stands: a change to its row, its patient, its events or its
 * readings gives a different version. Counts are enough because the schema (migration 8) lets every
 * update of a session bump its revision, events only be appended, and readings only be added or
 * attached to a session once (never changed or deleted). The review's report cache relies on it.
 */
export interface SessionVersion {
  revision: number;
  /** Still running: readings and events keep coming. */
  active: boolean;
  /** The patient's stored name, MRN and risk flags (patients are not edited today; if they were, this would tell). */
  patient: { displayName: string; mrn: string | null; riskFlags: string };
  eventCount: number;
  lastEventSeq: number | null;
  readingCount: number;
  lastReadingSeq: number | null;
}

export interface AddendumRecord {
  seq: number;
  sessionId: string;
  text: string;
  username: string;
  displayName: string;
  at: number;
}

export type NewSessionEvent = Omit<SessionEventRecord, 'seq' | 'sessionId'>;

export interface SessionUpdate {
  phase: string;
  active: boolean;
  state: unknown;
  endedAt: number | null;
  /** The session was discharged through a clinician's override (a review filter). */
  overrideUsed?: boolean;
}

/** An alert with where it belongs. */
export interface AlertRecord {
  sessionId: string;
  chairId: string;
  alert: Alert;
}

/** A stored alert event (raised, escalated, cleared, acknowledged). */
export interface AlertEventRecord {
  seq: number;
  sessionId: string;
  event: AlertEvent;
}

export interface DeviceTokenRecord {
  id: string;
  label: string;
  tokenHash: string;
  createdAt: number;
  createdBy: string;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** A bedside monitor bound to a chair, by the id it sends in HL7 MSH-3 or OBX-18. */
export interface Hl7DeviceRecord {
  deviceId: string;
  chairId: string;
  createdAt: number;
  createdBy: string | null;
}

/** An HL7 message that mapped to no chair, kept for admins. */
export interface Hl7UnmappedRecord {
  id: number;
  receivedAt: number;
  sendingDevice: string | null;
  bed: string | null;
  controlId: string | null;
  reason: string;
  raw: string;
  rawTruncated: boolean;
}

export type NewHl7Unmapped = Omit<Hl7UnmappedRecord, 'id'>;

export interface UserUpdate {
  displayName?: string;
  role?: Role;
  passwordHash?: string;
  disabled?: boolean;
  isDemo?: boolean;
}

/** One entry of the append-only audit trail. */
export interface AuditEntry {
  seq: number;
  at: number;
  userId: string | null;
  username: string;
  role: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  sessionId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq'>;

export interface AuditFilter {
  fromMs: number;
  toMs: number;
  username?: string | undefined;
  action?: string | undefined;
  sessionId?: string | undefined;
  limit: number;
  offset: number;
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

/** One session's alert-engine state after an evaluation, and the events it produced (in order). */
export interface AlertEvaluationRecord {
  sessionId: string;
  chairId: string;
  state: unknown;
  events: readonly AlertEvent[];
}

export type LeaseName = 'alert-engine';

/** An exclusive, cluster-wide role held by this process (see `Store.tryAcquireLease`). */
export interface StoreLease {
  readonly name: LeaseName;
  /** Settles when the lease is lost (its database connection dropped); saves under it then fail. */
  readonly lost: Promise<void>;
  isLost(): boolean;
  /** Gives the role up (shutdown). */
  release(): Promise<void>;
}

/** A save under a lease this process no longer holds. */
export class LeaseLostError extends Error {
  constructor(name: LeaseName) {
    super(`this server no longer holds the ${name} lease`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Everything Chairside keeps. One interface, an SQLite and (later) a PostgreSQL implementation.
 * All times are epoch milliseconds (UTC).
 */
/** Where a page of trend rows ends: its last row's measuredAt (epoch ms) and seq. */
export interface TrendCursor {
  t: number;
  seq: number;
}

/** What a trend needs of one stored reading. */
export interface TrendRow {
  seq: number;
  /** measuredAt, epoch ms. */
  t: number;
  reading: TrendValues;
}

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
  /** Returns the updated user, or null when there is none with that id. */
  updateUser(id: string, update: UserUpdate): Promise<UserRecord | null>;
  deleteAuthSessionsOfUser(userId: string): Promise<void>;

  createDeviceToken(token: DeviceTokenRecord): Promise<void>;
  listDeviceTokens(): Promise<DeviceTokenRecord[]>;
  findDeviceTokenByHash(tokenHash: string): Promise<DeviceTokenRecord | null>;
  /** Returns false when there is no such token or it was revoked already. */
  revokeDeviceToken(id: string, atMs: number): Promise<boolean>;
  touchDeviceToken(id: string, atMs: number): Promise<void>;

  /** Device ids compare case-insensitively. Returns false when the id is registered already. */
  createHl7Device(device: Hl7DeviceRecord): Promise<boolean>;
  listHl7Devices(): Promise<Hl7DeviceRecord[]>;
  /** Returns false when there is no such device. */
  deleteHl7Device(deviceId: string): Promise<boolean>;
  /** Keeps an unmapped HL7 message, and only the newest `keep` of them. */
  saveHl7Unmapped(message: NewHl7Unmapped, keep: number): Promise<void>;
  /** Unmapped HL7 messages, newest first. */
  listHl7Unmapped(limit: number): Promise<Hl7UnmappedRecord[]>;

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

  saveProtocol(protocol: ProtocolRecord): Promise<boolean>;
  /** The newest version of every protocol. */
  listProtocols(): Promise<ProtocolRecord[]>;
  /** A protocol's given version, or its newest. */
  findProtocol(id: string, version?: number): Promise<ProtocolRecord | null>;

  /**
   * Creates a session with its first event, unless the chair has an active session already
   * (`chair`) or the patient has one on any chair (`patient`, naming that chair). The check and the
   * insert are one transaction, and check-ins of one patient are serialized across servers.
   */
  createSession(session: SessionRecord, event: NewSessionEvent): Promise<CreateSessionOutcome>;
  findSession(id: string): Promise<SessionRecord | null>;
  listActiveSessions(): Promise<SessionRecord[]>;
  /**
   * Applies an update and appends its event in one transaction, if the session is still at
   * `expectedRevision`; false otherwise (someone else changed it first: reread and retry).
   */
  updateSession(id: string, expectedRevision: number, update: SessionUpdate, event: NewSessionEvent | null): Promise<boolean>;
  /** Sessions checked in within [fromMs, toMs), newest first, optionally of one patient or chair. */
  listSessions(filter: SessionFilter): Promise<{ rows: SessionListRow[]; total: number }>;
  /** Signs a session; false when it is signed already. */
  signSession(signature: SignatureRecord): Promise<boolean>;
  findSignature(sessionId: string): Promise<SignatureRecord | null>;
  addAddendum(addendum: Omit<AddendumRecord, 'seq'>): Promise<AddendumRecord>;
  listAddenda(sessionId: string): Promise<AddendumRecord[]>;
  listSessionEvents(sessionId: string): Promise<SessionEventRecord[]>;
  listSessionReadings(sessionId: string): Promise<Reading[]>;
  /** Where a session's stored content stands (one consistent read); null when there is no such session. */
  findSessionVersion(sessionId: string): Promise<SessionVersion | null>;
  /**
   * Puts readings of the session's chair that belong to no session onto the session, and logs it.
   * Returns the readings attached (others were skipped: another chair, or already on a session).
   */
  attachReadings(sessionId: string, chairId: string, readingIds: readonly string[], event: NewSessionEvent): Promise<Reading[]>;

  /** The alert engine's state of a session, as JSON data (validated by the caller). */
  loadAlertEngine(sessionId: string): Promise<unknown>;
  /**
   * The right to run the one alert engine of everything sharing this store (one node of several),
   * or null while another process holds it. Free again when released or when its holder dies.
   */
  tryAcquireLease(name: LeaseName): Promise<StoreLease | null>;
  /**
   * Saves engine states and the alerts their events changed, all in one durable transaction (group
   * commit), under `lease`: refused (and nothing saved) once the lease is lost, so a node that lost
   * it can never overwrite the work of the node that took over.
   */
  saveAlertEvaluations(evaluations: readonly AlertEvaluationRecord[], atMs: number, lease: StoreLease): Promise<void>;
  /** Alerts not cleared (active or acknowledged), oldest first. */
  listOpenAlerts(): Promise<AlertRecord[]>;
  listSessionAlerts(sessionId: string): Promise<AlertRecord[]>;
  listSessionAlertEvents(sessionId: string): Promise<AlertEventRecord[]>;

  /** Appends to the audit trail (never updated or deleted). */
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** Audit entries in [fromMs, toMs), newest first. */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;

  /**
   * Stores several requests' readings in one transaction (group commit), each request all-or-nothing.
   * Resolves only after the transaction is durable.
   */
  insertReadingBatches(batches: NewReading[][]): Promise<ReadingBatchResult[]>;
  /** A chair's readings with `fromMs <= measuredAt < toMs`, oldest first; after `after` (a page's last row) when given. */
  listChairReadings(chairId: string, fromMs: number, toMs: number, limit: number, after?: TrendCursor): Promise<Reading[]>;
  /**
   * The values a trend draws of a chair's readings with `fromMs <= measuredAt < toMs`, in the order
   * of listChairReadings, starting after `after` (a page's last row), at most `limit`.
   */
  listChairTrendRows(chairId: string, fromMs: number, toMs: number, after: TrendCursor, limit: number): Promise<TrendRow[]>;
  findReading(id: string): Promise<Reading | null>;
  /** Readings with `seq > afterSeq`, in sequence order. */
  readingsAfter(afterSeq: number, limit: number): Promise<Reading[]>;
  latestSeq(): Promise<number>;
  /** For each vital, the chair's newest reading that carries it (plus the newest rejection). */
  newestReadingsPerVital(chairId: string): Promise<Reading[]>;
}
