import type { Chair, EscalationStep, Patient, Reading } from '@chairside/shared';
import type {
  AddendumRecord,
  AlertDeliveryRecord,
  AlertEvaluationRecord,
  AssignmentRecord,
  AlertEventRecord,
  AlertRecord,
  AuditEntry,
  AuditFilter,
  AuthSessionRecord,
  CreateSessionOutcome,
  DeviceTokenRecord,
  Hl7DeviceRecord,
  Hl7OutboxRecord,
  Hl7OutboxSummary,
  Hl7UnmappedRecord,
  LeaseName,
  NewAlertDelivery,
  NewAuditEntry,
  NewHl7OutboxMessage,
  NewHl7Unmapped,
  NewReading,
  NewSessionEvent,
  ProtocolRecord,
  ReadingBatchResult,
  SessionEventRecord,
  SessionFilter,
  SessionListRow,
  SessionRecord,
  SessionUpdate,
  SessionVersion,
  SignatureRecord,
  StoreLease,
  TrendCursor,
  TrendRow,
  UserRecord,
  UserUpdate,
} from './records';

/** Users, their login sessions and the devices' ingest tokens. */
export interface AccountsRepository {
  countUsers(): Promise<number>;
  createUser(user: UserRecord): Promise<void>;
  findUserById(id: string): Promise<UserRecord | null>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  setDemoUsersDisabled(disabled: boolean): Promise<void>;
  /** Returns the updated user, or null when there is none with that id. */
  updateUser(id: string, update: UserUpdate): Promise<UserRecord | null>;
  deleteAuthSessionsOfUser(userId: string): Promise<void>;

  createAuthSession(session: AuthSessionRecord): Promise<void>;
  findAuthSession(tokenHash: string): Promise<AuthSessionRecord | null>;
  touchAuthSession(tokenHash: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  deleteAuthSession(tokenHash: string): Promise<void>;

  createDeviceToken(token: DeviceTokenRecord): Promise<void>;
  listDeviceTokens(): Promise<DeviceTokenRecord[]>;
  findDeviceTokenByHash(tokenHash: string): Promise<DeviceTokenRecord | null>;
  /** Returns false when there is no such token or it was revoked already. */
  revokeDeviceToken(id: string, atMs: number): Promise<boolean>;
  touchDeviceToken(id: string, atMs: number): Promise<void>;
}

/** What the clinic is set up with: chairs, patients and treatment protocols. */
export interface CatalogRepository {
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
}

/** Treatment sessions: their rows and event logs, signatures and addenda, and the review's list. */
export interface SessionsRepository {
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
  /** Where a session's stored content stands (one consistent read); null when there is no such session. */
  findSessionVersion(sessionId: string): Promise<SessionVersion | null>;
  /**
   * Puts readings of the session's chair that belong to no session onto the session, and logs it.
   * Returns the readings attached (others were skipped: another chair, or already on a session).
   */
  attachReadings(sessionId: string, chairId: string, readingIds: readonly string[], event: NewSessionEvent): Promise<Reading[]>;
}

/** Vital-sign readings: written by group commit, read by sequence, chair, time and session. */
export interface ReadingsRepository {
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
  /** A session's readings in measurement order. */
  listSessionReadings(sessionId: string): Promise<Reading[]>;
  findReading(id: string): Promise<Reading | null>;
  /** Readings with `seq > afterSeq`, in sequence order. */
  readingsAfter(afterSeq: number, limit: number): Promise<Reading[]>;
  latestSeq(): Promise<number>;
  /** For each vital, the chair's newest reading that carries it (plus the newest rejection). */
  newestReadingsPerVital(chairId: string): Promise<Reading[]>;
}

/** The alert engine's saved state, the alerts and their events, and the engine's lease. */
export interface AlertsRepository {
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
}

/** The append-only audit trail. */
export interface AuditRepository {
  /** Appends to the audit trail (never updated or deleted). */
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** Audit entries in [fromMs, toMs), newest first. */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
}

/** HL7 monitors bound to chairs, and the messages that mapped to none. */
export interface Hl7Repository {
  /** Device ids compare case-insensitively. Returns false when the id is registered already. */
  createHl7Device(device: Hl7DeviceRecord): Promise<boolean>;
  listHl7Devices(): Promise<Hl7DeviceRecord[]>;
  /** Returns false when there is no such device. */
  deleteHl7Device(deviceId: string): Promise<boolean>;
  /** Keeps an unmapped HL7 message, and only the newest `keep` of them. */
  saveHl7Unmapped(message: NewHl7Unmapped, keep: number): Promise<void>;
  /** Unmapped HL7 messages, newest first. */
  listHl7Unmapped(limit: number): Promise<Hl7UnmappedRecord[]>;
}

/** A device's Web Push subscription (times in epoch ms). */
export interface PushSubscriptionRecord {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  label: string | null;
  createdAt: number;
  lastSuccessAt: number | null;
  failures: number;
}

/** Web Push: devices' subscriptions and the server's own keys (attempts are deliveries). */
export interface PushRepository {
  /** Saves a subscription; the same endpoint again replaces its owner, keys and label. Returns what is stored. */
  saveSubscription(subscription: PushSubscriptionRecord): Promise<PushSubscriptionRecord>;
  findSubscription(id: string): Promise<PushSubscriptionRecord | null>;
  /** Every subscription of these users, oldest first. */
  listSubscriptionsOf(userIds: readonly string[]): Promise<PushSubscriptionRecord[]>;
  deleteSubscription(id: string): Promise<boolean>;
  /** Removes a subscription the push service no longer knows, unless its endpoint was subscribed anew meanwhile. */
  pruneSubscription(id: string, endpoint: string): Promise<boolean>;
  markPushSuccess(id: string, atMs: number): Promise<void>;
  markPushFailure(id: string): Promise<void>;
  /** A named server secret: the stored one, or `create()`'s, stored once even when several servers race. */
  serverKey(name: string, create: () => string, atMs: number): Promise<string>;
}

/** Who watches which chair this shift (docs/architecture.md "Alarm reach"). */
export interface AssignmentsRepository {
  listAssignments(): Promise<AssignmentRecord[]>;
  findAssignment(chairId: string): Promise<AssignmentRecord | null>;
  /** Sets a chair's assignment, replacing the one it had. */
  saveAssignment(assignment: AssignmentRecord): Promise<void>;
  /** Returns false when the chair had none. */
  deleteAssignment(chairId: string): Promise<boolean>;
  /** Ids of the users with a login session that has not expired at `atMs`. */
  listLoggedInUserIds(atMs: number): Promise<string[]>;
}

/**
 * Whom an alert reached: the escalation steps (alert events of type `escalated-to`) and every
 * attempt of a channel (screen, push, HL7) to tell someone, so a clinician can answer "who was told, when".
 */
export interface DeliveriesRepository {
  appendDelivery(delivery: NewAlertDelivery): Promise<void>;
  /** An alert's delivery attempts, oldest first. */
  listAlertDeliveries(alertId: string): Promise<AlertDeliveryRecord[]>;
  /** A session's delivery attempts, oldest first. */
  listSessionDeliveries(sessionId: string): Promise<AlertDeliveryRecord[]>;
  /** Appends an escalation step to the alert's events (the alert must be stored). */
  appendEscalation(step: EscalationStep): Promise<void>;
  /** Escalation steps of a session, or of one alert, oldest first. */
  listEscalations(filter: { sessionId: string } | { alertId: string }): Promise<EscalationStep[]>;
}

/** ORU^R40 messages for the paging gateway, queued durably and kept until it answers AA (docs/hl7-alerts.md). */
export interface Hl7OutboxRepository {
  /** Queues messages in the order given, in one statement; resolves to their sequence numbers, ascending. */
  enqueueHl7Alerts(messages: readonly NewHl7OutboxMessage[]): Promise<number[]>;
  /** Messages not yet acknowledged, in send order, after `afterSeq`. */
  listPendingHl7Alerts(afterSeq: number, limit: number): Promise<Hl7OutboxRecord[]>;
  /** Counts an attempt: its time and, when it failed, why. */
  recordHl7AlertAttempt(seq: number, atMs: number, error: string | null): Promise<void>;
  /** The gateway answered AA. */
  markHl7AlertAcked(seq: number, atMs: number): Promise<void>;
  hl7OutboxSummary(): Promise<Hl7OutboxSummary>;
}
