import { randomUUID } from 'node:crypto';
import {
  alertLimitsSchema,
  applyAlertLimits,
  applySessionEvent,
  defaultAlertRules,
  bpPointsOf,
  type CheckIn,
  computeBaseline,
  type DischargeGateResult,
  evaluateDischargeGate,
  fieldIssues,
  initialSessionState,
  isSessionEnded,
  noteGateResult,
  type Protocol,
  type Reading,
  roleSchema,
  type SessionDetail,
  type SessionEventInput,
  type SessionEventView,
  type SessionState,
  type SessionSummary,
  sessionPhaseSchema,
  sessionStateSchema,
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
  store: Store;
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
  /** Active high or medium alarms of a session (the alert engine's answer; 0 without one). */
  activeHighOrMediumAlarms?: (sessionId: string) => number;
}

export type SessionChangeOrigin = 'event' | 'readings' | 'peer';

/**
 * What an active session's summary is made of, kept in memory so that a new reading updates it
 * without reading the session's whole history again.
 */
interface ActiveSession {
  record: SessionRecord;
  patient: SessionSummary['patient'];
  protocol: Protocol;
  /** The session's plausible BP readings. */
  bpReadings: Reading[];
  /** Its readings measured before treatment started (all of them until it starts): the baseline's. */
  earlyReadings: Reading[];
  /** Ids of the readings above, so a reading delivered twice counts once. */
  ids: Set<string>;
  summary: SessionSummary;
}

function baselineOf(protocol: Protocol, state: SessionState, readings: readonly Reading[]) {
  const before = state.treatmentStartedAtMs ?? Number.POSITIVE_INFINITY;
  return computeBaseline(protocol, readings.filter((r) => Date.parse(r.measuredAt) < before));
}

/** A session's summary from its parts (`state` may be newer than the record's). */
function summaryOf(active: Omit<ActiveSession, 'summary'>, state: SessionState): SessionSummary {
  const { record, protocol } = active;
  return {
    id: record.id,
    chairId: record.chairId,
    patient: active.patient,
    protocol,
    state,
    baseline: baselineOf(protocol, state, active.earlyReadings),
    bpTimesMs: bpPointsOf(active.bpReadings).map((p) => p.atMs),
    checkedInBy: record.checkedInBy,
    revision: record.revision,
  };
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

  constructor(private readonly deps: SessionsServiceDeps) {}

  /** Loads the active sessions; call once before serving. */
  async load(): Promise<void> {
    for (const record of await this.deps.store.listActiveSessions()) {
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

  async findSessionChair(sessionId: string): Promise<string | null> {
    return (await this.deps.store.findSession(sessionId))?.chairId ?? null;
  }

  async checkIn(input: CheckIn, actor: SessionActor): Promise<SessionSummary> {
    if (actor.role === 'admin') throw forbidden('Sessions are run by nurses and clinicians.');
    const { store, clock } = this.deps;
    const chair = await store.findChair(input.chairId);
    if (!chair) throw notFound(`No chair with id "${input.chairId}".`);
    const patient = await this.deps.patients.get(input.patientId);
    const protocol = await this.protocolOrInvalid(input.protocolId);
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
    const created = await store.createSession(record, {
      type: 'checked-in',
      at: now,
      userId: actor.id,
      username: actor.username,
      role: actor.role,
      fromPhase: null,
      toPhase: 'baseline',
      payload: { patientId: patient.id, chairId: chair.id, protocolId: protocol.id, protocolVersion: protocol.version },
    });
    if (!created) throw conflict(`${chair.name} already has a patient checked in.`);
    const active = await this.loadActive(record);
    this.setActive(active);
    this.deps.onChanged(active.summary, 'event');
    return active.summary;
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
    if (await this.deps.store.findSignature(sessionId)) {
      throw conflict('This session is signed and locked. Add an addendum to correct the record.');
    }
  }

  async applyEvent(sessionId: string, event: SessionEventInput, actor: SessionActor): Promise<SessionSummary> {
    const { store, clock } = this.deps;
    await this.assertNotSigned(sessionId);
    for (let attempt = 0; attempt < maxRetries; attempt += 1) {
      const record = await this.getRecord(sessionId);
      const context = await this.context(record);
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
        const known = new Set(context.protocol.dischargeGate.checklist.map((i) => i.id));
        const unknown = Object.keys(event.items).filter((id) => !known.has(id));
        if (unknown.length > 0) {
          throw invalidInput('Unknown checklist items.', unknown.map((id) => ({ path: ['items', id], message: 'not on this protocol’s checklist' })));
        }
      }
      const gate = this.gate(context, record.id, now);
      const outcome = applySessionEvent(context.state, event, { atMs: now, role: actor.role, gate });
      if (!outcome.ok) {
        const failing = event.type === 'discharged' ? gate.items.filter((i) => !i.ok) : undefined;
        if (outcome.code === 'forbidden') throw forbidden(outcome.reason);
        throw conflict(outcome.reason, failing ? { failingItems: failing } : undefined);
      }
      const state = context.state.phase === 'observation' || outcome.state.phase === 'observation'
        ? noteGateResult(outcome.state, this.gate({ ...context, state: outcome.state }, record.id, now), now)
        : outcome.state;
      const { record: r } = outcome;
      const saved = await store.updateSession(
        record.id,
        record.revision,
        {
          phase: state.phase,
          active: !isSessionEnded(state),
          state,
          endedAt: isSessionEnded(state) ? now : null,
          overrideUsed: state.dischargeOverride !== null,
        },
        {
          type: r.type,
          at: r.atMs,
          userId: actor.id,
          username: actor.username,
          role: actor.role,
          fromPhase: r.fromPhase,
          toPhase: r.toPhase,
          payload: { ...r.event, ...(r.discharge ? { discharge: r.discharge } : {}) },
        },
      );
      if (!saved) continue; // another change won the race: reread and apply again
      return this.refresh(record.id);
    }
    throw conflict('The session changed several times while this was applied; reload and retry.');
  }

  /** Attaches readings of the session's chair that belong to no session. */
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
      payload: {},
    };
    const attached = await this.deps.store.attachReadings(record.id, record.chairId, readingIds, event);
    if (attached.length === 0) {
      throw conflict('None of these readings can be attached: they belong to another chair or to a session already.');
    }
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
      if (!active || active.ids.has(reading.id)) continue;
      const treatmentStartedAtMs = active.summary.state.treatmentStartedAtMs ?? Number.POSITIVE_INFINITY;
      const early = Date.parse(reading.measuredAt) < treatmentStartedAtMs;
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
   * Evaluates the discharge gate of sessions in observation and records the first moment it held
   * ("ready to leave at"). Called periodically: the gate can start holding just because time passed.
   */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    for (const summary of this.activeSummaries()) {
      if (summary.state.phase !== 'observation' || summary.state.gateFirstHeldAtMs !== null) continue;
      const record = await this.getRecord(summary.id);
      const context = await this.context(record);
      const state = noteGateResult(context.state, this.gate(context, record.id, now), now);
      if (state === context.state) continue;
      const saved = await this.deps.store.updateSession(
        record.id,
        record.revision,
        { phase: state.phase, active: true, state, endedAt: null },
        { type: 'gate-held', at: now, userId: null, username: 'system', role: 'system', fromPhase: state.phase, toPhase: state.phase, payload: {} },
      );
      if (saved) await this.refresh(record.id);
    }
  }

  async detail(sessionId: string): Promise<SessionDetail> {
    const record = await this.getRecord(sessionId);
    const [summary, events, readings] = await Promise.all([
      this.summarize(record),
      this.deps.store.listSessionEvents(record.id),
      this.deps.store.listSessionReadings(record.id),
    ]);
    return { ...summary, events: events.map(eventView), readings };
  }

  /** The discharge gate as it stands now. */
  async gateNow(sessionId: string): Promise<DischargeGateResult> {
    const record = await this.getRecord(sessionId);
    return this.gate(await this.context(record), record.id, this.deps.clock.now());
  }

  private async getRecord(sessionId: string): Promise<SessionRecord> {
    const record = await this.deps.store.findSession(sessionId);
    if (!record) throw notFound(`No session with id "${sessionId}".`);
    return record;
  }

  private async context(record: SessionRecord): Promise<{ protocol: Protocol; state: SessionState; readings: Reading[] }> {
    const [protocol, readings] = await Promise.all([
      this.deps.protocols.get(record.protocolId, record.protocolVersion),
      this.deps.store.listSessionReadings(record.id),
    ]);
    return { protocol, state: sessionStateSchema.parse(record.state), readings };
  }

  private gate(context: { protocol: Protocol; state: SessionState; readings: Reading[] }, sessionId: string, nowMs: number): DischargeGateResult {
    const { protocol, state, readings } = context;
    const lastBp = bpPointsOf(readings).at(-1);
    const lastSpo2 = readings.filter((r) => r.spo2 !== null).at(-1);
    return evaluateDischargeGate({
      protocol,
      state,
      baseline: baselineOf(protocol, state, readings),
      lastBp: lastBp ? { systolic: lastBp.systolic, diastolic: lastBp.diastolic, atMs: lastBp.atMs } : null,
      lastSpo2: lastSpo2?.spo2 != null ? { value: lastSpo2.spo2, atMs: Date.parse(lastSpo2.measuredAt) } : null,
      activeHighOrMediumAlarms: this.deps.activeHighOrMediumAlarms?.(sessionId) ?? 0,
      nowMs,
    });
  }


  private async summarize(record: SessionRecord): Promise<SessionSummary> {
    return (await this.loadActive(record)).summary;
  }

  /** Reads a session's record, patient, protocol and readings, and sums them up. */
  private async loadActive(record: SessionRecord): Promise<ActiveSession> {
    const [patient, context] = await Promise.all([this.deps.patients.get(record.patientId), this.context(record)]);
    const { protocol, state, readings } = context;
    const treatmentStartedAtMs = state.treatmentStartedAtMs ?? Number.POSITIVE_INFINITY;
    const bpReadings = readings.filter((r) => r.systolic !== null && r.diastolic !== null);
    const earlyReadings = readings.filter((r) => Date.parse(r.measuredAt) < treatmentStartedAtMs);
    const parts = {
      record,
      patient: { id: patient.id, displayName: patient.displayName, mrn: patient.mrn, riskFlags: patient.riskFlags },
      protocol,
      bpReadings,
      earlyReadings,
      ids: new Set([...bpReadings, ...earlyReadings].map((r) => r.id)),
    };
    return { ...parts, summary: summaryOf(parts, state) };
  }

  private setActive(active: ActiveSession): void {
    const previous = this.activeByChair.get(active.record.chairId);
    if (previous) this.activeById.delete(previous.record.id);
    this.activeByChair.set(active.record.chairId, active);
    this.activeById.set(active.record.id, active);
  }

  /** Rereads a session, updates the active cache and tells the listeners. */
  private async refresh(sessionId: string, origin: SessionChangeOrigin = 'event'): Promise<SessionSummary> {
    const record = await this.getRecord(sessionId);
    const active = await this.loadActive(record);
    if (record.active) this.setActive(active);
    else if (this.activeByChair.get(record.chairId)?.record.id === record.id) {
      this.activeByChair.delete(record.chairId);
      this.activeById.delete(record.id);
    }
    this.deps.onChanged(active.summary, origin);
    return active.summary;
  }
}
