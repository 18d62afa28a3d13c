import { z } from 'zod';
import { idSchema } from '../schemas/common';
import type { ChairSummary } from '../schemas/chair';
import type { ErrorBody } from '../schemas/errors';
import type { Reading } from '../schemas/reading';
import type { SessionSummary } from '../schemas/session';
import type { Alert, AlertEvent } from '../alerts/alert';
import type { AudioPause } from '../alerts/audio';

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
export interface AlertMessage {
  chairId: string;
  sessionId: string;
  event: AlertEvent;
}

/** An alert as listed for dashboards: the alert with the chair and session it concerns. */
export interface AlertListItem {
  chairId: string;
  sessionId: string;
  alert: Alert;
}

/** The server's own health as dashboards must know it: readings cannot be saved while it fails. */
export interface ServerStatus {
  storeWritable: boolean;
  /** What is wrong, in plain words; null when all is well. */
  problem: string | null;
  sinceMs: number;
}

/** A chair's alarm audio pause, shared by every screen. */
export interface AudioPauseMessage {
  chairId: string;
  pause: AudioPause;
  /** Who paused it. */
  by: string;
}

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
  /** A chair's configuration changed. */
  'chair:updated': (chair: ChairSummary) => void;
  /** A session was checked in, changed phase, got a new BP, or ended (then `state.phase` says how). */
  'session:updated': (session: SessionSummary) => void;
  'alert:raised': (message: AlertMessage) => void;
  'alert:escalated': (message: AlertMessage) => void;
  'alert:cleared': (message: AlertMessage) => void;
  /** Someone acknowledged it: every screen silences it and shows who. */
  'alert:acknowledged': (message: AlertMessage) => void;
  'audio:paused': (message: AudioPauseMessage) => void;
  /** Sent when saving readings starts failing or works again (and on connect while it fails). */
  'server:status': (status: ServerStatus) => void;
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

export const socketRooms = {
  /** Every authenticated dashboard. */
  dashboards: 'dashboards',
} as const;

export function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value;
}
