/** What the store keeps, as records: all times are epoch milliseconds (UTC). */
import type { Alert, AlertEvent, Reading, Role, TrendValues } from '@chairside/shared';

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

/** A chair's watchers for the shift (docs/architecture.md "Alarm reach"). */
export interface AssignmentRecord {
  chairId: string;
  primaryUserId: string;
  backupUserId: string | null;
  /** Username of whoever made the assignment. */
  assignedBy: string;
  assignedAt: number;
}

/** Where an attempt to tell someone of an alert went: a screen (escalation), a phone, the paging gateway. */
export type DeliveryChannel = 'screen' | 'push' | 'hl7';

/** One attempt to tell someone of an alert ("who was told, when"). */
export interface AlertDeliveryRecord {
  seq: number;
  alertId: string;
  sessionId: string | null;
  channel: DeliveryChannel;
  /** Whom or what: a user id, a push subscription id, the gateway's host:port. */
  target: string;
  /** The escalation step (`primary`, `backup`, `all`) or the moment (`raised`, `acknowledged`, `cleared`, …). */
  step: string;
  /** What happened: `reached`, `sent`, `failed`, `queued`, `acked`, `expired`, … */
  status: string;
  detail: string | null;
  at: number;
}

export type NewAlertDelivery = Omit<AlertDeliveryRecord, 'seq'>;

/** An ORU^R40 waiting in the HL7 alerts outbox, or sent (docs/hl7-alerts.md). */
export interface Hl7OutboxRecord {
  /** Send order. */
  seq: number;
  alertId: string;
  /** The alert's moment: `raised`, `escalated-to`, `acknowledged`, `cleared`. */
  kind: string;
  /** The whole message, MSH-10 included: a resend is byte for byte the same. */
  message: string;
  createdAt: number;
  attempts: number;
  lastAttemptAt: number | null;
  /** When the gateway answered AA; null while pending. */
  ackedAt: number | null;
  lastError: string | null;
}

export type NewHl7OutboxMessage = Pick<Hl7OutboxRecord, 'alertId' | 'kind' | 'message' | 'createdAt'>;

/** The outbox at a glance (the health check). */
export interface Hl7OutboxSummary {
  pending: number;
  /** When the oldest pending message was queued; null when none is. */
  oldestPendingAt: number | null;
}
