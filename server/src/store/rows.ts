import { z } from 'zod';
import {
  alertEventSchema,
  alertSchema,
  type Chair,
  type Patient,
  type Reading,
  readingSchema,
  readingSourceSchema,
  rejectedValueSchema,
  riskFlagSchema,
  roleSchema,
} from '@chairside/shared';
import type {
  AddendumRecord,
  AuditFilter,
  NewAuditEntry,
  NewHl7Unmapped,
  NewSessionEvent,
  SessionFilter,
  SessionUpdate,
  AlertEventRecord,
  AlertRecord,
  AuditEntry,
  AuthSessionRecord,
  DeviceTokenRecord,
  Hl7DeviceRecord,
  Hl7UnmappedRecord,
  NewReading,
  ProtocolRecord,
  SessionEventRecord,
  SessionListRow,
  SessionRecord,
  SessionVersion,
  SignatureRecord,
  UserRecord,
  AssignmentRecord,
  AlertDeliveryRecord,
} from './records';

/**
 * The stored rows and their records, written once for both dialects. The one difference between
 * them a row shows is a flag: SQLite keeps 0/1 in an INTEGER column, PostgreSQL a BOOLEAN; both keep
 * JSON as text and times as epoch milliseconds (PostgreSQL's BIGINT read back as numbers).
 */
export const storedFlag = z.union([z.boolean(), z.number()]).transform((value) => value === true || (typeof value === 'number' && value !== 0));

const userRowSchema = z.object({
  id: z.string(),
  username: z.string(),
  display_name: z.string(),
  role: roleSchema,
  password_hash: z.string(),
  disabled: storedFlag,
  is_demo: storedFlag,
  created_at: z.number(),
});

export function toUser(row: unknown): UserRecord {
  const r = userRowSchema.parse(row);
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    passwordHash: r.password_hash,
    disabled: r.disabled,
    isDemo: r.is_demo,
    createdAt: r.created_at,
  };
}

const authSessionRowSchema = z.object({
  token_hash: z.string(),
  user_id: z.string(),
  created_at: z.number(),
  last_seen_at: z.number(),
  expires_at: z.number(),
});

export function toAuthSession(row: unknown): AuthSessionRecord {
  const r = authSessionRowSchema.parse(row);
  return { tokenHash: r.token_hash, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at };
}

const deviceTokenRowSchema = z.object({
  id: z.string(),
  label: z.string(),
  token_hash: z.string(),
  created_at: z.number(),
  created_by: z.string(),
  revoked_at: z.number().nullable(),
  last_used_at: z.number().nullable(),
});

export function toDeviceToken(row: unknown): DeviceTokenRecord {
  const r = deviceTokenRowSchema.parse(row);
  return {
    id: r.id,
    label: r.label,
    tokenHash: r.token_hash,
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

const hl7DeviceRowSchema = z.object({
  device_id: z.string(),
  chair_id: z.string(),
  created_at: z.number(),
  created_by: z.string().nullable(),
});

export function toHl7Device(row: unknown): Hl7DeviceRecord {
  const r = hl7DeviceRowSchema.parse(row);
  return { deviceId: r.device_id, chairId: r.chair_id, createdAt: r.created_at, createdBy: r.created_by };
}

const hl7UnmappedRowSchema = z.object({
  id: z.number(),
  received_at: z.number(),
  sending_device: z.string().nullable(),
  bed: z.string().nullable(),
  control_id: z.string().nullable(),
  reason: z.string(),
  raw: z.string(),
  raw_truncated: storedFlag,
});

export function toHl7Unmapped(row: unknown): Hl7UnmappedRecord {
  const r = hl7UnmappedRowSchema.parse(row);
  return {
    id: r.id,
    receivedAt: r.received_at,
    sendingDevice: r.sending_device,
    bed: r.bed,
    controlId: r.control_id,
    reason: r.reason,
    raw: r.raw,
    rawTruncated: r.raw_truncated,
  };
}

const chairRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  hl7_bed: z.string().nullable(),
  position: z.number(),
});

export function toChair(row: unknown): Chair {
  const r = chairRowSchema.parse(row);
  return { id: r.id, name: r.name, hl7Bed: r.hl7_bed, position: r.position };
}

const patientRowSchema = z.object({
  id: z.string(),
  display_name: z.string(),
  mrn: z.string().nullable(),
  risk_flags: z.string(),
  created_at: z.number(),
});

export function toPatient(row: unknown): Patient {
  const r = patientRowSchema.parse(row);
  return {
    id: r.id,
    displayName: r.display_name,
    mrn: r.mrn,
    riskFlags: z.array(riskFlagSchema).parse(JSON.parse(r.risk_flags)),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const protocolRowSchema = z.object({
  id: z.string(),
  version: z.number(),
  definition: z.string(),
  created_at: z.number(),
  created_by: z.string().nullable(),
});

export function toProtocol(row: unknown): ProtocolRecord {
  const r = protocolRowSchema.parse(row);
  return { id: r.id, version: r.version, definition: JSON.parse(r.definition), createdAt: r.created_at, createdBy: r.created_by };
}

const sessionRowSchema = z.object({
  id: z.string(),
  patient_id: z.string(),
  chair_id: z.string(),
  protocol_id: z.string(),
  protocol_version: z.number(),
  phase: z.string(),
  active: storedFlag,
  state: z.string(),
  checked_in_at: z.number(),
  checked_in_by: z.string(),
  ended_at: z.number().nullable(),
  revision: z.number(),
});

export function toSession(row: unknown): SessionRecord {
  const r = sessionRowSchema.parse(row);
  return {
    id: r.id,
    patientId: r.patient_id,
    chairId: r.chair_id,
    protocolId: r.protocol_id,
    protocolVersion: r.protocol_version,
    phase: r.phase,
    active: r.active,
    state: JSON.parse(r.state),
    checkedInAt: r.checked_in_at,
    checkedInBy: r.checked_in_by,
    endedAt: r.ended_at,
    revision: r.revision,
  };
}

const sessionListExtraSchema = z.object({
  patient_name: z.string(),
  alert_count: z.number(),
  high_alert_count: z.number(),
  signed_at: z.number().nullable(),
});

export function toSessionListRow(row: unknown): SessionListRow {
  const extra = sessionListExtraSchema.parse(row);
  return {
    session: toSession(row),
    patientName: extra.patient_name,
    alertCount: extra.alert_count,
    highAlertCount: extra.high_alert_count,
    signedAt: extra.signed_at,
  };
}

const signatureRowSchema = z.object({
  session_id: z.string(),
  signed_by: z.string(),
  signed_by_name: z.string(),
  signed_at: z.number(),
  statement: z.string(),
});

export function toSignature(row: unknown): SignatureRecord {
  const r = signatureRowSchema.parse(row);
  return { sessionId: r.session_id, signedBy: r.signed_by, signedByName: r.signed_by_name, signedAt: r.signed_at, statement: r.statement };
}

const addendumRowSchema = z.object({
  seq: z.number(),
  session_id: z.string(),
  text: z.string(),
  username: z.string(),
  display_name: z.string(),
  at: z.number(),
});

export function toAddendum(row: unknown): AddendumRecord {
  const r = addendumRowSchema.parse(row);
  return { seq: r.seq, sessionId: r.session_id, text: r.text, username: r.username, displayName: r.display_name, at: r.at };
}

const sessionEventRowSchema = z.object({
  seq: z.number(),
  session_id: z.string(),
  type: z.string(),
  at: z.number(),
  user_id: z.string().nullable(),
  username: z.string(),
  role: z.string(),
  from_phase: z.string().nullable(),
  to_phase: z.string().nullable(),
  payload: z.string(),
});

export function toSessionEvent(row: unknown): SessionEventRecord {
  const r = sessionEventRowSchema.parse(row);
  return {
    seq: r.seq,
    sessionId: r.session_id,
    type: r.type,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    fromPhase: r.from_phase,
    toPhase: r.to_phase,
    payload: JSON.parse(r.payload),
  };
}

const sessionVersionRowSchema = z.object({
  revision: z.number(),
  active: storedFlag,
  display_name: z.string(),
  mrn: z.string().nullable(),
  risk_flags: z.string(),
  event_count: z.number(),
  last_event_seq: z.number().nullable(),
  reading_count: z.number(),
  last_reading_seq: z.number().nullable(),
});

export function toSessionVersion(row: unknown): SessionVersion {
  const r = sessionVersionRowSchema.parse(row);
  return {
    revision: r.revision,
    active: r.active,
    patient: { displayName: r.display_name, mrn: r.mrn, riskFlags: r.risk_flags },
    eventCount: r.event_count,
    lastEventSeq: r.last_event_seq,
    readingCount: r.reading_count,
    lastReadingSeq: r.last_reading_seq,
  };
}

const alertRowSchema = z.object({ session_id: z.string(), chair_id: z.string(), snapshot: z.string() });

export function toAlertRecord(row: unknown): AlertRecord {
  const r = alertRowSchema.parse(row);
  return { sessionId: r.session_id, chairId: r.chair_id, alert: alertSchema.parse(JSON.parse(r.snapshot)) };
}

const alertEventRowSchema = z.object({ seq: z.number(), session_id: z.string(), payload: z.string() });

export function toAlertEventRecord(row: unknown): AlertEventRecord {
  const r = alertEventRowSchema.parse(row);
  return { seq: r.seq, sessionId: r.session_id, event: alertEventSchema.parse(JSON.parse(r.payload)) };
}

export function toEngineState(row: unknown): unknown {
  return JSON.parse(z.object({ state: z.string() }).parse(row).state);
}

const auditRowSchema = z.object({
  seq: z.number(),
  at: z.number(),
  user_id: z.string().nullable(),
  username: z.string(),
  role: z.string(),
  action: z.string(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  session_id: z.string().nullable(),
  details: z.string(),
  ip: z.string().nullable(),
});

export function toAuditEntry(row: unknown): AuditEntry {
  const r = auditRowSchema.parse(row);
  return {
    seq: r.seq,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    sessionId: r.session_id,
    details: z.record(z.string(), z.unknown()).parse(JSON.parse(r.details)),
    ip: r.ip,
  };
}

/** A one-number row: `SELECT COUNT(*) AS n` and the like. */
export const toCount = (row: unknown): number => z.object({ n: z.number() }).parse(row).n;
export const toSeq = (row: unknown): number => z.object({ seq: z.number() }).parse(row).seq;
export const toChairId = (row: unknown): string => z.object({ chair_id: z.string() }).parse(row).chair_id;

export const readingRowSchema = z.object({
  seq: z.number(),
  id: z.string(),
  chair_id: z.string(),
  session_id: z.string().nullable(),
  measured_at: z.number(),
  received_at: z.number(),
  source: z.string(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  mean: z.number().nullable(),
  heart_rate: z.number().nullable(),
  spo2: z.number().nullable(),
  resp_rate: z.number().nullable(),
  rejected: z.string(),
  flags: z.string(),
  entered_by: z.string().nullable(),
  payload_hash: z.string(),
  supersedes: z.string().nullable().optional(),
});
export type ReadingRow = z.infer<typeof readingRowSchema>;

const rejectedListSchema = z.array(rejectedValueSchema);
const readingFlagsSchema = readingSchema.shape.flags;

/**
 * A row as a Reading. The row's types are checked (readingRowSchema) and so are its source, rejected
 * values and flags here; its ids and values were validated when it was stored. Parsing the whole
 * Reading again with readingSchema took longer than the query (a 3-hour session's 10,800 rows: ~30 ms).
 */
export function readingFromRow(r: ReadingRow): Reading {
  return {
    seq: r.seq,
    id: r.id,
    chairId: r.chair_id,
    sessionId: r.session_id,
    measuredAt: new Date(r.measured_at).toISOString(),
    receivedAt: new Date(r.received_at).toISOString(),
    source: readingSourceSchema.parse(r.source),
    systolic: r.systolic,
    diastolic: r.diastolic,
    mean: r.mean,
    heartRate: r.heart_rate,
    spo2: r.spo2,
    respRate: r.resp_rate,
    rejected: r.rejected === '[]' ? [] : rejectedListSchema.parse(JSON.parse(r.rejected)),
    flags: r.flags === '[]' ? [] : readingFlagsSchema.parse(JSON.parse(r.flags)),
    enteredBy: r.entered_by,
    supersedes: r.supersedes ?? null,
  };
}

export const toReading = (row: unknown): Reading => readingFromRow(readingRowSchema.parse(row));

/** Every column of a reading row, in the order `toReadingFromArray` reads them. */
export const readingRowColumns = Object.keys(readingRowSchema.shape);

/** A row selected as an array of `readingRowColumns` (no object per row from the driver). */
export function toReadingFromArray(values: unknown): Reading {
  if (!Array.isArray(values)) throw new Error('a reading row is not an array');
  const row: Record<string, unknown> = {};
  readingRowColumns.forEach((column, i) => {
    row[column] = values[i];
  });
  return toReading(row);
}

const assignmentRowSchema = z.object({
  chair_id: z.string(),
  primary_user_id: z.string(),
  backup_user_id: z.string().nullable(),
  assigned_by: z.string(),
  assigned_at: z.number(),
});

export function toAssignment(row: unknown): AssignmentRecord {
  const r = assignmentRowSchema.parse(row);
  return { chairId: r.chair_id, primaryUserId: r.primary_user_id, backupUserId: r.backup_user_id, assignedBy: r.assigned_by, assignedAt: r.assigned_at };
}

const alertDeliveryRowSchema = z.object({
  seq: z.number(),
  alert_id: z.string(),
  session_id: z.string().nullable(),
  channel: z.enum(['screen', 'push', 'hl7']),
  target: z.string(),
  step: z.string(),
  status: z.string(),
  detail: z.string().nullable(),
  at: z.number(),
});

export function toAlertDelivery(row: unknown): AlertDeliveryRecord {
  const r = alertDeliveryRowSchema.parse(row);
  return {
    seq: r.seq,
    alertId: r.alert_id,
    sessionId: r.session_id,
    channel: r.channel,
    target: r.target,
    step: r.step,
    status: r.status,
    detail: r.detail,
    at: r.at,
  };
}

/** The columns a new reading is inserted with, in the order of `readingValues`. */
export const readingInsertColumns = [
  'id', 'chair_id', 'session_id', 'measured_at', 'received_at', 'source', 'systolic', 'diastolic',
  'mean', 'heart_rate', 'spo2', 'resp_rate', 'rejected', 'flags', 'entered_by', 'payload_hash', 'supersedes',
] as const;

export function readingValues(r: NewReading, measuredAtMs: number): (string | number | null)[] {
  return [
    r.id, r.chairId, r.sessionId, measuredAtMs, r.receivedAt, r.source, r.systolic, r.diastolic,
    r.mean, r.heartRate, r.spo2, r.respRate, JSON.stringify(r.rejected), JSON.stringify(r.flags),
    r.enteredBy, r.payloadHash, r.supersedes ?? null,
  ];
}

/**
 * Compile-time guards for the growing records: each names every field of a type that the stores
 * write or filter on. When a record gains a field (an optional one would otherwise be silently
 * ignored), its line stops compiling until the field is stored too.
 */
type Handles<T, K extends keyof T> = [Exclude<keyof T, K>] extends [never] ? true : false;
const handled: true[] = [
  true satisfies Handles<NewReading, 'id' | 'chairId' | 'sessionId' | 'measuredAt' | 'receivedAt' | 'source' | 'systolic' | 'diastolic' | 'mean' | 'heartRate' | 'spo2' | 'respRate' | 'rejected' | 'flags' | 'enteredBy' | 'payloadHash' | 'supersedes'>,
  true satisfies Handles<SessionRecord, 'id' | 'patientId' | 'chairId' | 'protocolId' | 'protocolVersion' | 'phase' | 'active' | 'state' | 'checkedInAt' | 'checkedInBy' | 'endedAt' | 'revision'>,
  true satisfies Handles<SessionUpdate, 'phase' | 'active' | 'state' | 'endedAt' | 'overrideUsed'>,
  true satisfies Handles<SessionFilter, 'fromMs' | 'toMs' | 'patientId' | 'chairId' | 'protocolId' | 'hadAlerts' | 'overrideUsed' | 'signed' | 'sort' | 'order' | 'limit' | 'offset'>,
  true satisfies Handles<NewSessionEvent, 'type' | 'at' | 'userId' | 'username' | 'role' | 'fromPhase' | 'toPhase' | 'payload'>,
  true satisfies Handles<UserRecord, 'id' | 'username' | 'displayName' | 'role' | 'passwordHash' | 'disabled' | 'isDemo' | 'createdAt'>,
  true satisfies Handles<AuthSessionRecord, 'tokenHash' | 'userId' | 'createdAt' | 'lastSeenAt' | 'expiresAt'>,
  true satisfies Handles<DeviceTokenRecord, 'id' | 'label' | 'tokenHash' | 'createdAt' | 'createdBy' | 'revokedAt' | 'lastUsedAt'>,
  true satisfies Handles<Hl7DeviceRecord, 'deviceId' | 'chairId' | 'createdAt' | 'createdBy'>,
  true satisfies Handles<NewHl7Unmapped, 'receivedAt' | 'sendingDevice' | 'bed' | 'controlId' | 'reason' | 'raw' | 'rawTruncated'>,
  true satisfies Handles<Chair, 'id' | 'name' | 'hl7Bed' | 'position'>,
  true satisfies Handles<Patient, 'id' | 'displayName' | 'mrn' | 'riskFlags' | 'createdAt'>,
  true satisfies Handles<ProtocolRecord, 'id' | 'version' | 'definition' | 'createdAt' | 'createdBy'>,
  true satisfies Handles<SignatureRecord, 'sessionId' | 'signedBy' | 'signedByName' | 'signedAt' | 'statement'>,
  true satisfies Handles<AddendumRecord, 'seq' | 'sessionId' | 'text' | 'username' | 'displayName' | 'at'>,
  true satisfies Handles<NewAuditEntry, 'at' | 'userId' | 'username' | 'role' | 'action' | 'targetType' | 'targetId' | 'sessionId' | 'details' | 'ip'>,
  true satisfies Handles<AuditFilter, 'fromMs' | 'toMs' | 'username' | 'action' | 'sessionId' | 'limit' | 'offset'>,
];
void handled;
