import { z } from 'zod';
import { idSchema } from '../schemas/common';
import type { ErrorBody } from '../schemas/errors';
import { type Reading, type ReadingBatchInput, readingBatchInputSchema, readingSchema } from '../schemas/reading';
import type { SessionSummary } from '../schemas/session';
import { type Alert, alertEventSchema, alertSchema } from '../alerts/alert';
import { audioPauseSchema } from '../alerts/audio';
import type { StationAlarm } from '../alerts/station-alarm';
import type { AssignmentsList, EscalationStep } from '../schemas/reach';

/**
 * Largest Socket.IO message the server takes (Engine.IO's `maxHttpBufferSize`); a larger one closes the
 * connection. Sized for a device's `readings:ingest` of 1000 readings (~200 kB), like HTTP's 1 MB body limit.
 */
export const maxSocketMessageBytes = 1_000_000;

/** Largest page of missed readings one sync answer carries; the client asks again while `hasMore`. */
export const maxSyncPage = 5000;

/**
 * Ask for every reading stored after `afterSeq` (null: none, just start the live stream).
 * The server joins the live stream before it reads the backlog, so backlog + live covers every
 * reading; the client drops duplicates by `seq`.
 */
export const syncRequestSchema = z
  .object({
    afterSeq: z.number().int().min(0).nullable(),
    limit: z.number().int().min(1).max(maxSyncPage).optional(),
  })
  .strict();
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export interface SyncResponse {
  readings: Reading[];
  /** Highest sequence number stored when the backlog was read. */
  latestSeq: number;
  /** More backlog remains after the last reading returned. */
  hasMore: boolean;
}

export type Ack<T> = (response: T | ErrorBody) => void;

/** An alert event with the chair and session it concerns. */
export const alertMessageSchema = z.object({ chairId: z.string().min(1), sessionId: z.string().min(1), event: alertEventSchema });
export type AlertMessage = z.infer<typeof alertMessageSchema>;

/** An alert as listed for dashboards (`GET /api/v1/alerts`): the alert with the chair and session it concerns. */
export const alertListItemSchema = z.object({ chairId: z.string().min(1), sessionId: z.string().min(1), alert: alertSchema });
export type AlertListItem = z.infer<typeof alertListItemSchema>;
export const alertListSchema = z.array(alertListItemSchema);

/** The server's own health as dashboards must know it: readings cannot be saved while it fails. */
export interface ServerStatus {
  storeWritable: boolean;
  /** What is wrong, in plain words; null when all is well. */
  problem: string | null;
  sinceMs: number;
}

/** A chair's alarm audio pause, shared by every screen; `by`: who paused it. */
export const audioPauseMessageSchema = z.object({ chairId: z.string().min(1), pause: audioPauseSchema, by: z.string() });
export type AudioPauseMessage = z.infer<typeof audioPauseMessageSchema>;

export const acknowledgeAlertRequestSchema = z
  .object({ alertId: z.string().min(1).max(200), note: z.string().trim().max(500).optional() })
  .strict();
export type AcknowledgeAlertRequest = z.infer<typeof acknowledgeAlertRequestSchema>;

export const audioPauseRequestSchema = z.object({ chairId: idSchema }).strict();
export type AudioPauseRequest = z.infer<typeof audioPauseRequestSchema>;

/** Events the server emits (past tense). */
export interface ServerToClientEvents {
  /** Readings just committed to the store, in sequence order. */
  'readings:stored': (readings: Reading[]) => void;
  /** A session was checked in, changed phase, got a new BP, or ended (then `state.phase` says how). */
  'session:updated': (session: SessionSummary) => void;
  'alert:raised': (message: AlertMessage) => void;
  'alert:escalated': (message: AlertMessage) => void;
  'alert:cleared': (message: AlertMessage) => void;
  /** Someone acknowledged it: every screen silences it and shows who. */
  'alert:acknowledged': (message: AlertMessage) => void;
  'audio:paused': (message: AudioPauseMessage) => void;
  /** Someone took, assigned or released a chair: every screen shows who watches which chair. */
  'assignments:changed': (list: AssignmentsList) => void;
  /** An unacknowledged alarm reached the next people of its chair (docs/architecture.md "Alarm reach"). */
  'alert:reached': (step: EscalationStep) => void;
  /** Sent when saving readings starts failing or works again (and on connect while it fails). */
  'server:status': (status: ServerStatus) => void;
  /** A station-wide technical alarm began or ended (`active: false`); sent on connect while one is on. */
  'station:alarm': (alarm: StationAlarm) => void;
}

/** Events clients send (imperative). */
export interface ClientToServerEvents {
  'readings:sync': (request: SyncRequest, ack: Ack<SyncResponse>) => void;
  'alert:acknowledge': (request: AcknowledgeAlertRequest, ack: Ack<Alert>) => void;
  'audio:pause': (request: AudioPauseRequest, ack: Ack<AudioPauseMessage>) => void;
}

/** Per-socket data the server keeps. */
export interface SocketData {
  userId: string;
  username: string;
  role: 'nurse' | 'clinician' | 'admin';
}

/**
 * Device sockets (bedside monitors, gateways) use their own namespace on the same origin and default
 * path, authenticated by a device token in the handshake (`auth: { token }`), the same tokens
 * `Authorization: Bearer` takes for `POST /api/v1/readings`. They only send readings: none of the
 * dashboard events exist there, and a dashboard's cookie does not open it.
 */
export const deviceNamespace = '/devices';

/** `readings:ingest` takes what `POST /api/v1/readings` takes: one reading or an array (at most 1000). */
export const readingsIngestRequestSchema = readingBatchInputSchema;
export type ReadingsIngestRequest = ReadingBatchInput;

/** The acknowledgement of `readings:ingest`, sent after the commit is durable (retries included, `created: false`). */
export const readingsIngestAnswerSchema = z.object({
  /** The stored readings, in the order sent (always an array, also for one reading). */
  readings: z.array(readingSchema),
  /** How many of them were new; the rest were retries of stored readings. */
  createdCount: z.number().int().min(0),
});
export type ReadingsIngestAnswer = z.infer<typeof readingsIngestAnswerSchema>;

/** Handshake of a device socket. */
export const deviceSocketAuthSchema = z.object({ token: z.string().min(1).max(512) });

/** Events a device sends on `deviceNamespace` (imperative). */
export interface DeviceClientToServerEvents {
  /** Stores readings; the acknowledgement comes only after they are durable, or is an error body. */
  'readings:ingest': (request: ReadingsIngestRequest, ack: Ack<ReadingsIngestAnswer>) => void;
}

/** The server sends devices nothing unasked: answers come as acknowledgements. */
export type DeviceServerToClientEvents = Record<string, never>;

/** Per-socket data the server keeps for a device socket. */
export interface DeviceSocketData {
  /** Which token opened it, for logs: `env-token-1` or `token:<label>`. */
  deviceLabel: string;
}

export const socketRooms = {
  /** Every authenticated dashboard. */
  dashboards: 'dashboards',
} as const;

export function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value;
}
