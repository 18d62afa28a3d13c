import { randomUUID } from 'node:crypto';
import {
  type Alert,
  alertLimitsSchema,
  applyAlertLimits,
  applySessionEvent,
  defaultAlertRules,
  bpPointsOf,
  type CheckIn,
  checkRecordEvent,
  computeBaseline,
  isNewerOrdered,
  deriveSessionRecord,
  type DischargeGateResult,
  evaluateDischargeGate,
  evaluateStartGate,
  fieldIssues,
  initialSessionState,
  isSessionEnded,
  noteGateResult,
  type Patient,
  type Protocol,
  type Reading,
  roleSchema,
  type SessionBaseline,
  type SessionDetail,
  type SessionEventInput,
  type SessionEventView,
  type SessionState,
  type SessionSummary,
  sessionPhaseSchema,
  sessionStateSchema,
  type StartGateResult,
  readingOrderAtMs,
  remsFormDraft,
  type RemsFormDraft,
  remsFormDueDays,
  type RemsFormSign,
  type RemsFormStatus,
  remsFormStatusOf,
  type RemsFormSubmitted,
  type RemsFormView,
  type RemsQueueItem,
  type RecordEntry,
  type RecordEventInput,
  type SessionRecord as DerivedRecord,
} from '@chairside/shared';
import type { PublicUser } from '@chairside/shared';
import type { Clock } from '../clock';
import { AppError, conflict, forbidden, invalidInput, notFound } from '../http/app-error';
import type { Logger } from '../logger';
import type { PatientsService } from '../patients/patients.service';
import type { ProtocolsService } from '../protocols/protocols.service';
import type { NewSessionEvent, SessionEventRecord, SessionRecord, Store } from '../store/store';

/** Who acts on a session. */
export type SessionActor = Pick<PublicUser, 'username' | 'role'> & { id: string | null };

export interface SessionsServiceDeps {
  store: Pick<Store, 'sessions' | 'catalog' | 'readings' | 'alerts'>;
  clock: Clock;
  logger: Logger;
  patients: PatientsService;
  protocols: ProtocolsService;
  /**
   * Told after every change of a session (check-in, event, new BP, gate first held). `origin` says
   * where the change began: `event` on this server (a person or the gate), `readings` committed on
   * this server, or `peer` (another server made it; its dashboards were told there).
   */
  onChanged: (summary: SessionSummary, origin: SessionChangeOrigin) => void;
  /**
   * A session's open alerts as the alert engine keeps them (none without one); the discharge gate
   * picks those that hold discharge (`alarmsHoldingDischarge`).
   */
  sessionAlerts?: (sessionId: string) => readonly Alert[];
  /** Told after readings were attached to a session and the attachment is stored. */
  onReadingsAttached?: (readings: Reading[]) => void;
}

export type SessionChangeOrigin = 'event' | 'readings' | 'peer';

/** Where and when a session ran, for ingest to check a reading that names it. */
export interface SessionPlace {
  chairId: string;
  checkedInAtMs: number;
  /** When it was discharged or cancelled; null while it runs. */
  endedAtMs: number | null;
  /** Signed by a clinician: sealed, corrected only by addenda. */
  signed: boolean;
}

/** A vital's newest value and when it was measured. */
interface Stamped {
  value: number;
  atMs: number;
  seq: number;
}

/** The newer of two stamped values, in the one order every newest value follows (shared's `isNewerOrdered`). */
function newer(current: Stamped | null, candidate: Stamped): Stamped {
  return isNewerOrdered(candidate, current) ? candidate : (current ?? candidate);
}

/** A reading's heart rate or SpO₂ as a stamped value; null when it has none (or it was rejected). */
function stampedOf(reading: Reading, field: 'heartRate' | 'spo2'): Stamped | null {
  const value = reading[field];
  if (value === null) return null;
  const atMs = readingOrderAtMs(reading);
  return Number.isNaN(atMs) ? null : { value, atMs, seq: reading.seq };
}

/** The newest heart rate and SpO₂ among readings, for the discharge gate. */
function newestVitals(readings: readonly Reading[]): { lastHr: Stamped | null; lastSpo2: Stamped | null } {
  let lastHr: Stamped | null = null;
  let lastSpo2: Stamped | null = null;
  for (const r of readings) {
    const hr = stampedOf(r, 'heartRate');
    if (hr) lastHr = newer(lastHr, hr);
    const spo2 = stampedOf(r, 'spo2');
    if (spo2) lastSpo2 = newer(lastSpo2, spo2);
  }
  return { lastHr, lastSpo2 };
}

/**
 * What a session's gates and summary are judged on, of its readings: its plausible BPs, the readings
 * its baseline may be made of (`earlyReadings`: at least every reading measured before treatment
 * started, all of them until it starts; `earlyOf` keeps those early under a given state), and its
 * newest heart rate and SpO₂. Kept in memory for an active session (see `ActiveSession`), made from
 * the stored readings otherwise (`readingsOf`).
 */
interface SessionReadings {
  bpReadings: readonly Reading[];
  earlyReadings: readonly Reading[];
  lastHr: Stamped | null;
  lastSpo2: Stamped | null;
}

/**
 * What an active session's summary is made of, kept in memory so that a new reading updates it
 * without reading the session's whole history again; its gates (periodic, and on an event) are
 * evaluated from it too.
 */
interface ActiveSession extends SessionReadings {
  record: SessionRecord;
  patient: SessionSummary['patient'];
  protocol: Protocol;
  /** The session's plausible BP readings. */
  bpReadings: Reading[];
  /** Its readings measured before treatment started (all of them until it starts): the baseline's. */
  earlyReadings: Reading[];
  /** Ids of the readings above, so a reading delivered twice counts once. */
  ids: Set<string>;
  /** The session's newest heart rate and SpO₂ (a reading delivered twice changes nothing). */
  lastHr: Stamped | null;
  lastSpo2: Stamped | null;
  /** The session's stored events, as the record's derivations read them (docs/architecture.md "The session record"). */
  entries: RecordEntry[];
  summary: SessionSummary;
}

/**
 * Whether a reading was measured before treatment started, so belongs to the baseline (one measured
 * at the very moment of the start still shows the untreated patient).
 */
function isEarly(reading: Reading, state: SessionState): boolean {
  return state.treatmentStartedAtMs === null || Date.parse(reading.measuredAt) <= state.treatmentStartedAtMs;
}

/** The judging view of a session's stored readings (every one may be early; `earlyOf` picks). */
function readingsOf(readings: readonly Reading[]): SessionReadings {
  return {
    bpReadings: readings.filter((r) => r.systolic !== null && r.diastolic !== null),
    earlyReadings: readings,
    ...newestVitals(readings),
  };
}

/**
 * The readings the baseline is made of under `state` (measured before treatment started), and only
 * those measured by `measuredByMs` when it is given.
 */
function earlyOf(readings: Pick<SessionReadings, 'earlyReadings'>, state: SessionState, measuredByMs?: number): Reading[] {
  return readings.earlyReadings.filter(
    (r) => isEarly(r, state) && (measuredByMs === undefined || Date.parse(r.measuredAt) <= measuredByMs),
  );
}

function baselineOf(protocol: Protocol, state: SessionState, readings: Pick<SessionReadings, 'earlyReadings'>) {
  return computeBaseline(protocol, earlyOf(readings, state));
}

/** The newest plausible BP among readings, for a gate. */
function lastBpOf(readings: readonly Reading[]): { systolic: number; diastolic: number; atMs: number } | null {
  const last = bpPointsOf(readings).at(-1);
  return last === undefined ? null : { systolic: last.systolic, diastolic: last.diastolic, atMs: last.atMs };
}

/** The start gate on the readings measured before the start (and their baseline, when already made) and the readiness answers. */
function startGateOn(
  protocol: Protocol,
  early: readonly Reading[],
  readiness: DerivedRecord['readiness'],
  baseline: SessionBaseline = computeBaseline(protocol, early),
): StartGateResult {
  return evaluateStartGate({ protocol, baseline, lastBp: lastBpOf(early), readiness });
}

/** A stored session event as the record's derivations read it. */
function entryOf(e: SessionEventRecord): RecordEntry {
  return { seq: e.seq, type: e.type, atMs: e.at, username: e.username, payload: e.payload };
}

/** The session record derived from its events under `state`. */
function recordOf(protocol: Protocol, state: SessionState, entries: readonly RecordEntry[]): DerivedRecord {
  return deriveSessionRecord({ protocol, state, entries });
}

/**
 * The start gate while the session is in its baseline phase, on its readings measured before the
 * start (and by `measuredByMs` when given); null after.
 */
function startGateOf(
  protocol: Protocol,
  state: SessionState,
  readings: Pick<SessionReadings, 'earlyReadings'>,
  readiness: DerivedRecord['readiness'],
  measuredByMs?: number,
): StartGateResult | null {
  return state.phase === 'baseline' ? startGateOn(protocol, earlyOf(readings, state, measuredByMs), readiness) : null;
}

/** A session's summary from its parts (`state` may be newer than the record's). */
function summaryOf(active: Omit<ActiveSession, 'summary'>, state: SessionState): SessionSummary {
  const { record, protocol } = active;
  const early = earlyOf(active, state);
  const baseline = computeBaseline(protocol, early);
  const derived = recordOf(protocol, state, active.entries);
  return {
    id: record.id,
    chairId: record.chairId,
    patient: active.patient,
    protocol,
    state,
    baseline,
    bpTimesMs: bpPointsOf(active.bpReadings).map((p) => p.atMs),
    startGate: state.phase === 'baseline' ? startGateOn(protocol, early, derived.readiness, baseline) : null,
    checkedInBy: record.checkedInBy,
    revision: record.revision,
    record: derived,
  };
}

/**
 * An active session as kept in memory, from its record (its state as stored), patient, protocol and
 * readings: those of the store, or those already kept in memory (an event changes no reading).
 */
function activeOf(record: SessionRecord, patient: Patient, protocol: Protocol, readings: SessionReadings, entries: RecordEntry[]): ActiveSession {
  const state = sessionStateSchema.parse(record.state);
  const bpReadings = [...readings.bpReadings];
  const earlyReadings = earlyOf(readings, state);
  const parts = {
    record,
    patient: { id: patient.id, displayName: patient.displayName, mrn: patient.mrn, riskFlags: patient.riskFlags },
    protocol,
    bpReadings,
    earlyReadings,
    ids: new Set([...bpReadings, ...earlyReadings].map((r) => r.id)),
    lastHr: readings.lastHr,
    lastSpo2: readings.lastSpo2,
    entries,
  };
  return { ...parts, summary: summaryOf(parts, state) };
}

/** The REMS form is due 7 days after the session ended (after check-in while it runs). */
function remsDueByMs(record: SessionRecord): number {
  return (record.endedAt ?? record.checkedInAt) + remsFormDueDays * 86_400_000;
}

/** Whether a clinician overrode a gate of the session (the review list's "override used"). */
function overrideUsed(state: SessionState): boolean {
  return state.dischargeOverride !== null || state.startOverride !== null;
}

/** How many times an event is re-applied when another change to the same session won the race. */
const maxRetries = 3;

function eventView(e: SessionEventRecord): SessionEventView {
  const phase = (p: string | null) => (p === null ? null : sessionPhaseSchema.parse(p));
  return {
    seq: e.seq,
    type: e.type,
    at: new Date(e.at).toISOString(),
    username: e.username,
    role: e.role === 'system' ? 'system' : roleSchema.parse(e.role),
    fromPhase: phase(e.fromPhase),
    toPhase: phase(e.toPhase),
    payload: typeof e.payload === 'object' && e.payload !== null ? (e.payload as Record<string, unknown>) : {},
  };
}

/**
 * Runs sessions: check-in, phase events through the pure phase machine, the discharge gate, and the
 * summaries tiles show. Keeps the active sessions in memory (one per chair) for ingest and tiles.
 */
export class SessionsService {
  private activeByChair = new Map<string, ActiveSession>();
  private activeById = new Map<string, ActiveSession>();
  /** Sessions found ended while following another server's readings (not read again). */
  private endedIds = new Set<string>();
  /**
   * The discharge gate last evaluated for each session in observation whose gate has not held yet
   * (by `tick`, or by an event on it): what the alert engine's "not ready" advisory is judged on.
   */
  private lastGates = new Map<string, DischargeGateResult>();

  constructor(private readonly deps: SessionsServiceDeps) {}

  /** Loads the active sessions; call once before serving. */
  async load(): Promise<void> {
    for (const record of await this.deps.store.sessions.listActiveSessions()) {
      this.setActive(await this.loadActive(record));
    }
  }

  activeSummary(chairId: string): SessionSummary | null {
    return this.activeByChair.get(chairId)?.summary ?? null;
  }

  activeSummaries(): SessionSummary[] {
    return [...this.activeByChair.values()].map((a) => a.summary);
  }

  /** The session a reading measured at `measuredAtMs` on this chair belongs to, if any. */
  sessionForReading(chairId: string, measuredAtMs: number): string | null {
    const active = this.activeByChair.get(chairId)?.summary;
    return active && measuredAtMs >= active.state.checkedInAtMs ? active.id : null;
  }

  /** A session's chair and check-in time (ingest checks a reading that names it); null when there is no such session. */
  /** Where and when a session ran (end null while it runs), and whether it is signed (then sealed). */
  async findSessionPlace(sessionId: string): Promise<SessionPlace | null> {
    const active = this.activeById.get(sessionId);
    if (active) return { chairId: active.record.chairId, checkedInAtMs: active.summary.state.checkedInAtMs, endedAtMs: null, signed: false };
    const record = await this.deps.store.sessions.findSession(sessionId);
    if (record === null) return null;
    const signed = record.endedAt !== null && (await this.deps.store.sessions.findSignature(record.id)) !== null;
    return { chairId: record.chairId, checkedInAtMs: record.checkedInAt, endedAtMs: record.endedAt, signed };
  }

  /**
   * The discharge gate as `tick` (or an event) last evaluated it, for a session in observation whose
   * gate has not held yet; null for any other session. `atMs` says when it was evaluated.
   */
  lastGate(sessionId: string): DischargeGateResult | null {
    return this.lastGates.get(sessionId) ?? null;
  }

  async checkIn(input: CheckIn, actor: SessionActor): Promise<SessionSummary> {
    if (actor.role === 'admin') throw forbidden('Sessions are run by nurses and clinicians.');
    const { store, clock } = this.deps;
    const chair = await store.catalog.findChair(input.chairId);
    if (!chair) throw notFound(`No chair with id "${input.chairId}".`);
    const patient = await this.deps.patients.get(input.patientId);
    const protocol = await this.protocolOrInvalid(input.protocolId);
    // One patient, one active session: this server's sessions first, then the store's (another server's).
    const elsewhere = [...this.activeById.values()].find((a) => a.record.patientId === patient.id);
    if (elsewhere) throw await this.patientActiveConflict(patient.displayName, elsewhere.record.chairId);
    if (this.activeByChair.has(chair.id)) {
      throw conflict(`${chair.name} already has a patient checked in; discharge or cancel that session first.`);
    }
    const now = clock.now();
    const record: SessionRecord = {
      id: randomUUID(),
      patientId: patient.id,
      chairId: chair.id,
      protocolId: protocol.id,
      protocolVersion: protocol.version,
      phase: 'baseline',
      active: true,
      state: initialSessionState(now),
      checkedInAt: now,
      checkedInBy: actor.username,
      endedAt: null,
      revision: 0,
    };
    const created = await store.sessions.createSession(record, {
      type: 'checked-in',
      at: now,
      userId: actor.id,
      username: actor.username,
      role: actor.role,
      fromPhase: null,
      toPhase: 'baseline',
      payload: { patientId: patient.id, chairId: chair.id, protocolId: protocol.id, protocolVersion: protocol.version },
    });
    if (created.conflict === 'patient') throw await this.patientActiveConflict(patient.displayName, created.chairId);
    if (created.conflict === 'chair') throw conflict(`${chair.name} already has a patient checked in.`);
    const active = await this.loadActive(record);
    this.setActive(active);
    this.deps.onChanged(active.summary, 'event');
    return active.summary;
  }

  private async patientActiveConflict(patientName: string, chairId: string): Promise<AppError> {
    const chairName = (await this.deps.store.catalog.findChair(chairId))?.name ?? chairId;
    return conflict(`${patientName} is already checked into ${chairName}; discharge or cancel that session first.`, { chairId });
  }

  private async protocolOrInvalid(id: string): Promise<Protocol> {
    try {
      return await this.deps.protocols.get(id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') {
        throw invalidInput(`Unknown protocol "${id}".`, [{ path: ['protocolId'], message: `no protocol "${id}"` }]);
      }
      throw error;
    }
  }

  /** Refuses any change to a signed session: later corrections are addenda. */
  async assertNotSigned(sessionId: string): Promise<void> {
    if (await this.deps.store.sessions.findSignature(sessionId)) {
      throw conflict('This session is signed and locked. Add an addendum to correct the record.');
    }
  }

  async applyEvent(sessionId: string, event: SessionEventInput, actor: SessionActor): Promise<SessionSummary> {
    const { store, clock } = this.deps;
    await this.assertNotSigned(sessionId);
    for (let attempt = 0; attempt < maxRetries; attempt += 1) {
      const record = await this.getRecord(sessionId);
      const { protocol, state: before, readings, entries } = await this.judged(record);
      const now = clock.now();
      if (event.type === 'limits-changed') {
        const limits = alertLimitsSchema.safeParse(event.limits);
        if (!limits.success) {
          throw invalidInput('These alert limits are not valid.', fieldIssues(limits.error).map((i) => ({ ...i, path: ['limits', ...i.path] })));
        }
        const applied = applyAlertLimits(defaultAlertRules, limits.data);
        if (!applied.ok) throw invalidInput('These alert limits are not valid.', applied.issues.map((i) => ({ ...i, path: ['limits', ...i.path] })));
      }
      if (event.type === 'checklist-updated') {
        const known = new Set(protocol.dischargeGate.checklist.map((i) => i.id));
        const unknown = Object.keys(event.items).filter((id) => !known.has(id));
        if (unknown.length > 0) {
          throw invalidInput('Unknown checklist items.', unknown.map((id) => ({ path: ['items', id], message: 'not on this protocol’s checklist' })));
        }
      }
      const derived = recordOf(protocol, before, entries);
      const gate = this.gate(record.id, protocol, before, readings, derived, now);
      // Judged on the readings the baseline will be made of once treatment starts now: measured by now
      // (a stamp ahead of the server's clock would otherwise count before it, then drop out of the baseline).
      const startGate = startGateOf(protocol, before, readings, derived.readiness, now);
      const outcome = applySessionEvent(before, event, { atMs: now, role: actor.role, gate, startGate });
      if (!outcome.ok) {
        const failing =
          event.type === 'discharged' ? gate.items.filter((i) => !i.ok) : event.type === 'treatment-started' ? startGate?.items.filter((i) => !i.ok) : undefined;
        if (outcome.code === 'forbidden') throw forbidden(outcome.reason);
        throw conflict(outcome.reason, failing ? { failingItems: failing } : undefined);
      }
      let state = outcome.state;
      if (before.phase === 'observation' || outcome.state.phase === 'observation') {
        const after = this.gate(record.id, protocol, outcome.state, readings, recordOf(protocol, outcome.state, entries), now);
        state = noteGateResult(outcome.state, after, now);
        this.rememberGate(record.id, state, after);
      }
      const { record: r } = outcome;
      const saved = await store.sessions.updateSession(
        record.id,
        record.revision,
        {
          phase: state.phase,
          active: !isSessionEnded(state),
          state,
          endedAt: isSessionEnded(state) ? now : null,
          overrideUsed: overrideUsed(state),
        },
        {
          type: r.type,
          at: r.atMs,
          userId: actor.id,
          username: actor.username,
          role: actor.role,
          fromPhase: r.fromPhase,
          toPhase: r.toPhase,
          payload: { ...r.event, ...(r.discharge ? { discharge: r.discharge } : {}), ...(r.start ? { start: r.start } : {}) },
        },
      );
      if (!saved) continue; // another change won the race: reread and apply again
      return this.refreshAfterEvent(record.id);
    }
    throw conflict('The session changed several times while this was applied; reload and retry.');
  }

  /**
   * Stores one entry of the session record (docs/architecture.md "The session record"): checked against the record
   * derived from the session's events (`checkRecordEvent`), stored as a session event with who, when and the phase,
   * the moment it happened in its payload (`occurredAtMs`). The phase does not change; a refused entry stores nothing.
   */
  async applyRecordEvent(sessionId: string, input: RecordEventInput, actor: SessionActor): Promise<SessionSummary> {
    const { store, clock } = this.deps;
    await this.assertNotSigned(sessionId);
    for (let attempt = 0; attempt < maxRetries; attempt += 1) {
      const record = await this.getRecord(sessionId);
      const { protocol, state, entries } = await this.judged(record);
      const now = clock.now();
      const check = checkRecordEvent(input, { protocol, state, entries, record: recordOf(protocol, state, entries), role: actor.role, nowMs: now });
      if (!check.ok) {
        if (check.code === 'invalid') throw invalidInput(`Invalid ${input.type}: ${check.reason}.`, [{ path: check.field.split('.'), message: check.reason }]);
        if (check.code === 'forbidden') throw forbidden(`${check.reason[0]?.toUpperCase() ?? ''}${check.reason.slice(1)}.`);
        throw conflict(`${check.reason[0]?.toUpperCase() ?? ''}${check.reason.slice(1)}.`, { field: check.field });
      }
      const ended = isSessionEnded(state);
      const saved = await store.sessions.updateSession(
        record.id,
        record.revision,
        { phase: state.phase, active: !ended, state, endedAt: record.endedAt, overrideUsed: overrideUsed(state) },
        {
          type: input.type,
          at: now,
          userId: actor.id,
          username: actor.username,
          role: actor.role,
          fromPhase: state.phase,
          toPhase: state.phase,
          payload: { ...input, occurredAtMs: check.occurredAtMs },
        },
      );
      if (!saved) continue; // another change won the race: check again against the newer record
      return this.refreshAfterEvent(record.id);
    }
    throw conflict('The session changed several times while this was applied; reload and retry.');
  }

  /**
   * Attaches readings of the session's chair that belong to no session (readings sent before
   * check-in, kept on the chair's timeline). The `readings-attached` event lists the ids attached.
   */
  async attachReadings(sessionId: string, readingIds: readonly string[], actor: SessionActor): Promise<Reading[]> {
    if (actor.role === 'admin') throw forbidden('Sessions are run by nurses and clinicians.');
    const record = await this.getRecord(sessionId);
    await this.assertNotSigned(record.id);
    const event: NewSessionEvent = {
      type: 'readings-attached',
      at: this.deps.clock.now(),
      userId: actor.id,
      username: actor.username,
      role: actor.role,
      fromPhase: record.phase,
      toPhase: record.phase,
      // The store writes the ids of the readings it did attach (some may be skipped).
      payload: { readingIds: [] },
    };
    const attached = await this.deps.store.sessions.attachReadings(record.id, record.chairId, readingIds, event);
    if (attached.length === 0) {
      throw conflict('None of these readings can be attached: they belong to another chair or to a session already.');
    }
    // As with ingest, the readings are told before the session they change (its baseline, its BPs).
    this.deps.onReadingsAttached?.(attached);
    // The session's readings changed in the store: read them all again.
    await this.refresh(record.id);
    return attached;
  }

  /**
   * Updates active sessions' summaries with committed readings, without reading their history again
   * (a new BP changes baseline, cadence and gate). `origin` is `readings` for this server's commits,
   * `peer` for another server's.
   */
  onReadingsCommitted(readings: readonly Reading[], origin: 'readings' | 'peer' = 'readings'): void {
    const changed = new Set<ActiveSession>();
    for (const reading of readings) {
      const active = reading.sessionId === null ? undefined : this.activeById.get(reading.sessionId);
      if (!active) continue;
      // The newest pulse and SpO₂ for the discharge gate (the same reading twice changes nothing).
      const hr = stampedOf(reading, 'heartRate');
      if (hr) active.lastHr = newer(active.lastHr, hr);
      const spo2 = stampedOf(reading, 'spo2');
      if (spo2) active.lastSpo2 = newer(active.lastSpo2, spo2);
      if (active.ids.has(reading.id)) continue;
      const early = isEarly(reading, active.summary.state);
      const bp = reading.systolic !== null && reading.diastolic !== null;
      if (!early && !bp) continue;
      active.ids.add(reading.id);
      if (early) active.earlyReadings.push(reading);
      if (bp) {
        active.bpReadings.push(reading);
        changed.add(active);
      }
    }
    for (const active of changed) {
      active.summary = summaryOf(active, active.summary.state);
      this.deps.onChanged(active.summary, origin);
    }
  }

  /**
   * Readings another server committed. A session this server has not heard of yet (checked in on
   * that server a moment ago, its message still on the way or lost) is read from the store first.
   */
  async onPeerReadings(readings: readonly Reading[]): Promise<void> {
    const unknown = new Set<string>();
    for (const r of readings) {
      if (r.sessionId !== null && !this.activeById.has(r.sessionId) && !this.endedIds.has(r.sessionId)) unknown.add(r.sessionId);
    }
    for (const sessionId of unknown) {
      try {
        const summary = await this.refresh(sessionId, 'peer');
        if (isSessionEnded(summary.state)) this.rememberEnded(sessionId);
      } catch (error) {
        this.deps.logger.error('could not read a session of new readings', { sessionId, error: String(error) });
      }
    }
    this.onReadingsCommitted(readings, 'peer');
  }

  private rememberEnded(sessionId: string): void {
    this.endedIds.add(sessionId);
    if (this.endedIds.size > 1_000) this.endedIds.delete(this.endedIds.values().next().value ?? sessionId);
  }

  /** Another server changed a session: read it again (its dashboards were told there). */
  async reloadFromPeer(sessionId: string): Promise<void> {
    await this.refresh(sessionId, 'peer');
  }

  /**
   * Evaluates the discharge gate of every session in observation whose gate has not held yet, keeps
   * it (`lastGate`), and records the first moment it held ("discharge criteria met at"). Called
   * every couple of seconds, before the alert engine's tick: the gate can start holding, or stop,
   * just because time passed. Works from the sessions kept in memory; it reads the store only to
   * record the gate's first hold.
   */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    const evaluated = new Set<string>();
    for (const active of [...this.activeById.values()]) {
      const { state } = active.summary;
      if (state.phase !== 'observation' || state.gateFirstHeldAtMs !== null) continue;
      const sessionId = active.record.id;
      const gate = this.gate(sessionId, active.protocol, state, active, recordOf(active.protocol, state, active.entries), now, active.summary.baseline);
      this.lastGates.set(sessionId, gate);
      evaluated.add(sessionId);
      if (!gate.holds) continue;
      const record = await this.getRecord(sessionId);
      if (record.revision !== active.record.revision) {
        // Changed meanwhile (another server, or an event still being told): judge it again next tick.
        await this.refresh(sessionId, 'peer');
        continue;
      }
      const next = noteGateResult(state, gate, now);
      if (next === state) continue;
      const saved = await this.deps.store.sessions.updateSession(
        record.id,
        record.revision,
        { phase: next.phase, active: true, state: next, endedAt: null, overrideUsed: overrideUsed(next) },
        { type: 'gate-held', at: now, userId: null, username: 'system', role: 'system', fromPhase: next.phase, toPhase: next.phase, payload: {} },
      );
      if (saved) await this.refreshAfterEvent(record.id);
    }
    for (const sessionId of this.lastGates.keys()) if (!evaluated.has(sessionId)) this.lastGates.delete(sessionId);
  }

  /** Keeps the gate just evaluated for `lastGate`, while the session is one `tick` evaluates. */
  private rememberGate(sessionId: string, state: SessionState, gate: DischargeGateResult): void {
    if (state.phase === 'observation' && state.gateFirstHeldAtMs === null) this.lastGates.set(sessionId, gate);
    else this.lastGates.delete(sessionId);
  }

  async detail(sessionId: string): Promise<SessionDetail> {
    const record = await this.getRecord(sessionId);
    const [summary, events, readings] = await Promise.all([
      this.summarize(record),
      this.deps.store.sessions.listSessionEvents(record.id),
      this.deps.store.readings.listSessionReadings(record.id),
    ]);
    return { ...summary, events: events.map(eventView), readings };
  }

  /**
   * The esketamine REMS Patient Monitoring Form drafted from the session (docs/architecture.md "The session record"):
   * every derivable field with its source, and what a clinician must complete. 409 for another protocol.
   */
  async remsForm(sessionId: string): Promise<RemsFormView> {
    const record = await this.getRecord(sessionId);
    const { draft, entries } = await this.remsDraftOf(record);
    return { ...draft, ...remsFormStatusOf(entries), dueByMs: remsDueByMs(record) };
  }

  private async remsDraftOf(record: SessionRecord): Promise<{ draft: RemsFormDraft; entries: RecordEntry[] }> {
    const [protocol, patient, readings, events, alerts] = await Promise.all([
      this.deps.protocols.get(record.protocolId, record.protocolVersion),
      this.deps.patients.get(record.patientId),
      this.deps.store.readings.listSessionReadings(record.id),
      this.deps.store.sessions.listSessionEvents(record.id),
      this.deps.store.alerts.listSessionAlerts(record.id),
    ]);
    if (protocol.kind !== 'nasal-spray') throw conflict('The REMS Patient Monitoring Form is for esketamine sessions; this session runs an IV protocol.');
    const state = sessionStateSchema.parse(record.state);
    const entries = events.map(entryOf);
    const draft = remsFormDraft({
      sessionId: record.id,
      protocol,
      state,
      readings,
      record: recordOf(protocol, state, entries),
      patient: { displayName: patient.displayName, mrn: patient.mrn },
      alerts: alerts.map((a) => ({ ruleId: a.alert.ruleId })),
    });
    return { draft, entries };
  }

  /**
   * A clinician completes the REMS form (the draft's values, with theirs for what it lacks or corrects), attests and
   * signs it, once, after discharge. Stored as a session event beside the record (the form is a document of its own:
   * it may be signed after the session log was). 400 naming the fields still empty.
   */
  async signRemsForm(sessionId: string, input: RemsFormSign, actor: SessionActor): Promise<RemsFormView> {
    if (actor.role !== 'clinician') throw forbidden('Only a clinician can sign the REMS form.');
    return this.appendRemsEvent(sessionId, actor, (record, draft, status) => {
      if (status !== 'draft') throw conflict('The REMS form is signed already.');
      if (sessionStateSchema.parse(record.state).phase !== 'discharged') throw conflict('The REMS form is signed after the patient was discharged.');
      const fields = Object.fromEntries(Object.entries(draft.fields).map(([id, f]) => [id, input.fields[id as keyof typeof input.fields] ?? f.value]));
      const empty = Object.entries(fields).filter(([, v]) => v === null || v === undefined).map(([id]) => id);
      if (empty.length > 0) {
        throw invalidInput(`Complete the form before signing: ${empty.join(', ')}.`, empty.map((id) => ({ path: ['fields', id], message: 'give a value' })));
      }
      return { type: 'rems-form-signed', payload: { fields, attest: true } };
    });
  }

  /** Records that the signed form was sent (how and when), once. */
  async remsFormSubmitted(sessionId: string, input: RemsFormSubmitted, actor: SessionActor): Promise<RemsFormView> {
    if (actor.role === 'admin') throw forbidden('Sessions are run by nurses and clinicians.');
    const atMs = Date.parse(input.at);
    if (atMs > this.deps.clock.now() + 5 * 60_000) throw invalidInput('The moment is in the future.', [{ path: ['at'], message: 'the moment is in the future' }]);
    return this.appendRemsEvent(sessionId, actor, (_record, _draft, status) => {
      if (status === 'draft') throw conflict('Sign the REMS form before recording its submission.');
      if (status === 'submitted') throw conflict('The REMS form was recorded as submitted already.');
      return { type: 'rems-form-submitted', payload: { via: input.via, at: input.at } };
    });
  }

  private async appendRemsEvent(
    sessionId: string,
    actor: SessionActor,
    decide: (record: SessionRecord, draft: RemsFormDraft, status: RemsFormStatus) => { type: string; payload: Record<string, unknown> },
  ): Promise<RemsFormView> {
    for (let attempt = 0; attempt < maxRetries; attempt += 1) {
      const record = await this.getRecord(sessionId);
      const { draft, entries } = await this.remsDraftOf(record);
      const { type, payload } = decide(record, draft, remsFormStatusOf(entries).status);
      const state = sessionStateSchema.parse(record.state);
      const saved = await this.deps.store.sessions.updateSession(
        record.id,
        record.revision,
        { phase: state.phase, active: record.active, state, endedAt: record.endedAt, overrideUsed: overrideUsed(state) },
        { type, at: this.deps.clock.now(), userId: actor.id, username: actor.username, role: actor.role, fromPhase: state.phase, toPhase: state.phase, payload },
      );
      if (saved) return this.remsForm(record.id);
    }
    throw conflict('The session changed several times while this was applied; reload and retry.');
  }

  /**
   * The REMS forms of esketamine sessions that ended (discharged) between `fromMs` and `toMs`, in `status`, oldest
   * first, each with its due date (7 days after the session) and the days left.
   */
  async remsQueue(status: RemsFormStatus, fromMs: number, toMs: number): Promise<RemsQueueItem[]> {
    const nowMs = this.deps.clock.now();
    const items: RemsQueueItem[] = [];
    const pageSize = 200;
    for (let offset = 0; ; offset += pageSize) {
      const { rows } = await this.deps.store.sessions.listSessions({ fromMs, toMs, limit: pageSize, offset, sort: 'checkedInAt', order: 'asc' });
      for (const row of rows) {
        const record = row.session;
        if (record.phase !== 'discharged') continue;
        const protocol = await this.deps.protocols.get(record.protocolId, record.protocolVersion);
        if (protocol.kind !== 'nasal-spray') continue;
        const form = await this.remsForm(record.id);
        if (form.status !== status) continue;
        const patient = form.fields.patient?.value as { displayName: string; mrn: string | null };
        items.push({
          sessionId: record.id,
          chairId: record.chairId,
          patient,
          status: form.status,
          sessionEndedAtMs: record.endedAt,
          dueByMs: form.dueByMs,
          daysLeft: Math.floor((form.dueByMs - nowMs) / 86_400_000),
          missing: form.missing,
        });
      }
      if (rows.length < pageSize) break;
    }
    return items.sort((a, b) => a.dueByMs - b.dueByMs);
  }

  /** The discharge gate as it stands now. */
  async gateNow(sessionId: string): Promise<DischargeGateResult> {
    const record = await this.getRecord(sessionId);
    const { protocol, state, readings, entries } = await this.judged(record);
    return this.gate(record.id, protocol, state, readings, recordOf(protocol, state, entries), this.deps.clock.now());
  }

  private async getRecord(sessionId: string): Promise<SessionRecord> {
    const record = await this.deps.store.sessions.findSession(sessionId);
    if (!record) throw notFound(`No session with id "${sessionId}".`);
    return record;
  }

  /**
   * What a session's gates are judged on: its protocol, its state as stored, and its readings. An
   * active session of this server is judged on the readings it keeps in memory (every committed
   * reading reaches them: `onReadingsCommitted`, attached ones through a reload), so an event on a
   * long session does not read its whole history; any other session's readings are read from the store.
   */
  private async judged(record: SessionRecord): Promise<{ protocol: Protocol; state: SessionState; readings: SessionReadings; entries: RecordEntry[] }> {
    const state = sessionStateSchema.parse(record.state);
    const active = this.activeById.get(record.id);
    // The events are read each time (a session has tens of them): another server may have added some.
    const entries = (await this.deps.store.sessions.listSessionEvents(record.id)).map(entryOf);
    if (active) return { protocol: active.protocol, state, readings: active, entries };
    const [protocol, readings] = await Promise.all([
      this.deps.protocols.get(record.protocolId, record.protocolVersion),
      this.deps.store.readings.listSessionReadings(record.id),
    ]);
    return { protocol, state, readings: readingsOf(readings), entries };
  }

  /** The discharge gate of a session in `state` on its readings (its baseline under `state` unless given). */
  private gate(
    sessionId: string,
    protocol: Protocol,
    state: SessionState,
    readings: SessionReadings,
    derived: DerivedRecord,
    nowMs: number,
    baseline: SessionBaseline = baselineOf(protocol, state, readings),
  ): DischargeGateResult {
    return evaluateDischargeGate({
      protocol,
      state,
      baseline,
      lastBp: lastBpOf(readings.bpReadings),
      lastHr: readings.lastHr,
      lastSpo2: readings.lastSpo2,
      alerts: this.deps.sessionAlerts?.(sessionId) ?? [],
      record: derived,
      nowMs,
    });
  }

  private async summarize(record: SessionRecord): Promise<SessionSummary> {
    return (await this.loadActive(record)).summary;
  }

  /** Reads a session's record, patient, protocol and readings, and sums them up. */
  private async loadActive(record: SessionRecord): Promise<ActiveSession> {
    const [patient, protocol, readings, events] = await Promise.all([
      this.deps.patients.get(record.patientId),
      this.deps.protocols.get(record.protocolId, record.protocolVersion),
      this.deps.store.readings.listSessionReadings(record.id),
      this.deps.store.sessions.listSessionEvents(record.id),
    ]);
    return activeOf(record, patient, protocol, readingsOf(readings), events.map(entryOf));
  }

  private setActive(active: ActiveSession): void {
    const previous = this.activeByChair.get(active.record.chairId);
    if (previous) this.activeById.delete(previous.record.id);
    this.activeByChair.set(active.record.chairId, active);
    this.activeById.set(active.record.id, active);
  }

  /** Rereads a session with all its readings, updates the active cache and tells the listeners. */
  private async refresh(sessionId: string, origin: SessionChangeOrigin = 'event'): Promise<SessionSummary> {
    const record = await this.getRecord(sessionId);
    return this.settle(await this.loadActive(record), origin);
  }

  /**
   * After this server changed a session's record (an event, the gate's first hold): rereads the record
   * and patient, and sums them up with the readings kept in memory when the session is active here
   * (the change touched no reading); reads everything again otherwise.
   */
  private async refreshAfterEvent(sessionId: string): Promise<SessionSummary> {
    if (!this.activeById.has(sessionId)) return this.refresh(sessionId);
    const record = await this.getRecord(sessionId);
    const [patient, events] = await Promise.all([this.deps.patients.get(record.patientId), this.deps.store.sessions.listSessionEvents(record.id)]);
    // Taken after the reads, so that readings committed meanwhile are in it.
    const kept = this.activeById.get(sessionId);
    if (!kept) return this.refresh(sessionId); // let go meanwhile (ended by another server)
    return this.settle(activeOf(record, patient, kept.protocol, kept, events.map(entryOf)), 'event');
  }

  /** Keeps a session just summed up as active (or lets it go once ended) and tells the listeners. */
  private settle(active: ActiveSession, origin: SessionChangeOrigin): SessionSummary {
    const { record } = active;
    if (record.active) this.setActive(active);
    else if (this.activeByChair.get(record.chairId)?.record.id === record.id) {
      this.activeByChair.delete(record.chairId);
      this.activeById.delete(record.id);
    }
    this.deps.onChanged(active.summary, origin);
    return active.summary;
  }
}
