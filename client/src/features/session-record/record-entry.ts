import { type RecordEventInput, type RecordEventType, recordEventSchemas } from '@chairside/shared';
import { ApiError, errorMessage } from '../../api/api-error';
import { toIsoWithOffset } from '../../lib/local-time';
import { formatClock } from '../../lib/vital-format';

/*
 * The session record's entries as the nurse's screen builds them (docs/clinical-defaults.md "The session record beyond
 * vitals"): checked with the same zod schemas the server parses with, before anything is sent.
 */

/** Messages by field ("doseMg", "items.2", "at"); the first issue of each field wins. */
export type FieldErrors = Record<string, string>;

export type EntryCheck = { ok: true; value: RecordEventInput } | { ok: false; errors: FieldErrors };

const sentence = (message: string): string => `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;

/** Checks an entry with its type's schema; errors keyed by field path. */
export function checkEntry(body: { type: RecordEventType } & Record<string, unknown>): EntryCheck {
  const parsed = recordEventSchemas[body.type].safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data as RecordEventInput };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.') || 'type';
    errors[key] ??= sentence(issue.message);
  }
  return { ok: false, errors };
}

/** A refusal as the server put it: its message and the field it names (400 details, or a 409's `field`). */
export interface EntryRefusal {
  status: number;
  message: string;
  field: string | null;
}

export function refusalFrom(error: unknown): EntryRefusal {
  if (!(error instanceof ApiError)) return { status: 0, message: errorMessage(error), field: null };
  if (error.code === 'network') return { status: 0, message: 'The server cannot be reached. Nothing was saved: try again.', field: null };
  const detail = error.details[0];
  if (detail !== undefined) {
    const field = detail.path.map(String).join('.');
    return { status: error.status, message: sentence(detail.message), field };
  }
  const raw = error.rawDetails as { field?: unknown } | undefined;
  const field = raw !== null && typeof raw === 'object' && typeof raw.field === 'string' ? raw.field : null;
  return { status: error.status, message: error.message, field };
}

/**
 * "Happened at" from a time field (HH:MM, the tablet's time zone) on the day of `nowMs`: undefined when empty (now),
 * an error when it is not a time or lies ahead of now.
 */
export function atFromTime(value: string, nowMs: number): { ok: true; at: string | undefined } | { ok: false; message: string } {
  const text = value.trim();
  if (text === '') return { ok: true, at: undefined };
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (match === null || hour > 23 || minute > 59) return { ok: false, message: 'Give the time as hours and minutes (e.g. 10:35), or leave it empty for now.' };
  const day = new Date(nowMs);
  const atMs = new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour, minute, 0, 0).getTime();
  if (atMs > nowMs + 60_000) return { ok: false, message: 'That time is still to come: give when it happened, or leave it empty for now.' };
  return { ok: true, at: toIsoWithOffset(atMs) };
}

/** Minutes and seconds, "4:05", for a countdown. */
export function countdownText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** A number field's text as a number; undefined when empty or not a number (the schema then names the field). */
export function numberFrom(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

/** The time an entry was saved for, in a confirmation: the time typed, else now. */
export function savedWhen(when: string, nowMs: number): string {
  return when.trim() !== '' ? when.trim() : formatClock(nowMs);
}
