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
  /** Told after every change of a session (check-in, event, new BP, gate first held). */
  onChanged: (summary: SessionSummary) => void;
  /** Active high or medium alarms of a session (the alert engine's answer; 0 without one). */
  activeHighOrMediumAlarms?: (sessionId: string) => number;
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
  private activeByChair = new Map<string, SessionSummary>();

  constructor(private readonly deps: SessionsServiceDeps) {}

  /** Loads the active sessions; call once before serving. */
  async load(): Promise<void> {
    for (const record of await this.deps.store.listActiveSessions()) {
      this.activeByChair.set(record.chairId, await this.summarize(record));
    }
  }

  activeSummary(chairId: string): SessionSummary | null {
    return this.activeByChair.get(chairId) ?? null;
  }

  activeSummaries(): SessionSummary[] {
    return [...this.activeByChair.values()];
  }

  /** The session a reading measured at `measuredAtMs` on this chair belongs to, if any. */
  sessionForReading(chairId: string, measuredAtMs: number): string | null {
    const active = this.activeByChair.get(chairId);
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
    const summary = await this.summarize(record);
    this.activeByChair.set(chair.id, summary);
    this.deps.onChanged(summary);
    return summary;
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

  /** Updates summaries after readings were committed (a new BP changes baseline, cadence and gate). */
  async onReadingsCommitted(readings: readonly Reading[]): Promise<void> {
    const sessionIds = new Set(
      readings.filter((r) => r.sessionId !== null && (r.systolic !== null || r.diastolic !== null)).map((r) => r.sessionId ?? ''),
    );
    for (const id of sessionIds) {
      try {
        await this.refresh(id);
      } catch (error) {
        this.deps.logger.error('could not refresh a session after new readings', { sessionId: id, error: String(error) });
      }
    }
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
      baseline: this.baselineOf(protocol, state, readings),
      lastBp: lastBp ? { systolic: lastBp.systolic, diastolic: lastBp.diastolic, atMs: lastBp.atMs } : null,
      lastSpo2: lastSpo2?.spo2 != null ? { value: lastSpo2.spo2, atMs: Date.parse(lastSpo2.measuredAt) } : null,
      activeHighOrMediumAlarms: this.deps.activeHighOrMediumAlarms?.(sessionId) ?? 0,
      nowMs,
    });
  }

  private baselineOf(protocol: Protocol, state: SessionState, readings: readonly Reading[]) {
    const before = state.treatmentStartedAtMs ?? Number.POSITIVE_INFINITY;
    return computeBaseline(protocol, readings.filter((r) => Date.parse(r.measuredAt) < before));
  }

  private async summarize(record: SessionRecord): Promise<SessionSummary> {
    const [patient, context] = await Promise.all([this.deps.patients.get(record.patientId), this.context(record)]);
    const { protocol, state, readings } = context;
    return {
      id: record.id,
      chairId: record.chairId,
      patient: { id: patient.id, displayName: patient.displayName, mrn: patient.mrn, riskFlags: patient.riskFlags },
      protocol,
      state,
      baseline: this.baselineOf(protocol, state, readings),
      bpTimesMs: bpPointsOf(readings).map((p) => p.atMs),
      checkedInBy: record.checkedInBy,
      revision: record.revision,
    };
  }

  /** Rereads a session, updates the active cache and tells the listeners. */
  private async refresh(sessionId: string): Promise<SessionSummary> {
    const record = await this.getRecord(sessionId);
    const summary = await this.summarize(record);
    if (record.active) this.activeByChair.set(record.chairId, summary);
    else if (this.activeByChair.get(record.chairId)?.id === record.id) this.activeByChair.delete(record.chairId);
    this.deps.onChanged(summary);
    return summary;
  }
}
