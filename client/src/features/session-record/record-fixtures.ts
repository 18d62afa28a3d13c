/*
 * A stand-in for the server's record entries in the components' tests (imported by *.test.tsx only): each entry is
 * checked with the shared rules the real server uses (`checkRecordEvent`) and the record derived again, so a 409 or a
 * 400 reaches the screen as it would.
 */
import {
  type Protocol,
  type RecordEntry,
  type RecordEventInput,
  type Role,
  type SessionEventInput,
  type SessionState,
  type SessionSummary,
  checkRecordEvent,
  deriveSessionRecord,
  isRecordEventType,
} from '@chairside/shared';
import { ApiError } from '../../api/api-error';
import { at, sessionFixture } from '../sessions/session-fixtures';

export { at };

export interface RecordServer {
  summary: () => SessionSummary;
  posted: (SessionEventInput | RecordEventInput)[];
  postSessionEvent: (id: string, event: SessionEventInput | RecordEventInput) => Promise<SessionSummary>;
  /** The stored events as GET /api/v1/sessions/:id gives them. */
  events: () => { seq: number; type: string; at: string; username: string; role: Role; fromPhase: null; toPhase: null; payload: Record<string, unknown> }[];
  /** Minutes after check-in, the server's clock. */
  setNow: (minutes: number) => void;
}

export function recordServer({ protocol, state, role = 'nurse', nowMin, entries = [] }: { protocol: Protocol; state: Partial<SessionState>; role?: Role; nowMin: number; entries?: RecordEntry[] }): RecordServer {
  let nowMs = at(nowMin);
  const stored: RecordEntry[] = [...entries];
  const base = sessionFixture({ protocol, state, bpAt: [2, 7] });
  let revision = 1;
  const summary = (): SessionSummary => ({ ...base, revision, record: deriveSessionRecord({ protocol, state: base.state, entries: stored }) });
  const posted: RecordServer['posted'] = [];
  return {
    summary,
    posted,
    setNow: (minutes) => {
      nowMs = at(minutes);
    },
    events: () =>
      stored.map((e) => ({ seq: e.seq, type: e.type, at: new Date(e.atMs).toISOString(), username: e.username, role, fromPhase: null, toPhase: null, payload: e.payload as Record<string, unknown> })),
    postSessionEvent: (_id, event) => {
      posted.push(event);
      if (!isRecordEventType(event.type)) return Promise.reject(new Error(`not expected: ${event.type}`));
      const input = event as RecordEventInput;
      const record = summary().record;
      if (record === undefined) return Promise.reject(new Error('no record'));
      const check = checkRecordEvent(input, { protocol, state: base.state, entries: stored, record, role, nowMs });
      if (!check.ok) {
        if (check.code === 'invalid') return Promise.reject(new ApiError(400, 'invalid_input', `Invalid ${input.type}: ${check.reason}.`, [{ path: check.field.split('.'), message: check.reason }]));
        if (check.code === 'forbidden') return Promise.reject(new ApiError(403, 'forbidden', check.reason));
        const message = `${check.reason[0]?.toUpperCase() ?? ''}${check.reason.slice(1)}.`;
        return Promise.reject(new ApiError(409, 'conflict', message, [], { field: check.field }));
      }
      stored.push({ seq: stored.length + 10, type: input.type, atMs: nowMs, username: role, payload: { ...input, occurredAtMs: check.occurredAtMs } });
      revision += 1;
      return Promise.resolve(summary());
    },
  };
}
