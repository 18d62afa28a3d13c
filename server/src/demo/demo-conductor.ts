import {
  type DischargeGateResult,
  esketamineProtocol,
  ivKetamineProtocol,
  recordSettingsOf,
  type Protocol,
  type ProtocolKind,
  type ProtocolRecordSettings,
  type RecordEventInput,
  type RiskFlag,
  type SessionSummary,
} from '@chairside/shared';
import { AppError, conflict } from '../http/app-error';
import type { Logger } from '../logger';
import type { PatientsService } from '../patients/patients.service';
import type { ProtocolsService } from '../protocols/protocols.service';
import type { SessionActor, SessionsService } from '../sessions/sessions.service';
import { type DemoRecordPlan, demoRecordPlan, nextDemoEntry } from './demo-record';

export type DemoPhase = 'baseline' | 'treatment' | 'observation' | 'gap';

/** What the simulator tells the autopilot when a simulated visit moves on. */
export interface DemoPhaseChange {
  chairId: string;
  cycleIndex: number;
  phase: DemoPhase;
  /** IV infusion or esketamine nasal spray; IV when the simulator does not say. */
  protocolKind?: ProtocolKind | undefined;
}

/**
 * The simulated patients, as the autopilot needs them: they stay in their chairs until it lets them
 * go (the simulator's `patientsLeave: 'when-released'`).
 */
export interface DemoPatients {
  /** The patient of the chair's visit `cycleIndex` leaves at `atMs` (now when omitted). */
  leave(chairId: string, cycleIndex: number, atMs?: number): boolean;
  /** The chair's monitor sends what it has measured up to now. */
  sync(chairId: string): Promise<void>;
}

/** The sessions service, as far as the autopilot uses it. */
export type DemoSessions = Pick<SessionsService, 'activeSummary' | 'activeSummaries' | 'checkIn' | 'applyEvent' | 'gateNow'> &
  Partial<Pick<SessionsService, 'applyRecordEvent'>>;

export const demoAutopilot = 'demo autopilot';
const nurse: SessionActor = { id: null, username: demoAutopilot, role: 'nurse' };
const clinician: SessionActor = { id: null, username: demoAutopilot, role: 'clinician' };

const pseudonyms = ['Aster', 'Birch', 'Cedar', 'Dahlia', 'Elm', 'Fern', 'Hazel', 'Iris', 'Juniper', 'Linden', 'Maple', 'Willow'];

/**
 * The protocol the demo runs, its minutes divided by the demo speed (whole minutes, at least 1), so
 * that a simulated patient's 60-minute observation at speed 10 is a 6-minute observation on screen.
 * Seconds (the baseline spacing's tolerance) are divided too. Limits in mmHg, %, /min are not time
 * and stay.
 */
export function demoProtocol(base: Protocol, speed: number): Protocol {
  if (speed === 1) return base;
  const scale = (min: number): number => (min === 0 ? 0 : Math.max(1, Math.floor(min / speed)));
  return {
    ...base,
    id: `${base.id}-demo-x${speed}`.replace(/[^A-Za-z0-9._-]/g, '-'),
    name: `${base.name} (demo, ${speed}× speed)`,
    baseline: {
      ...base.baseline,
      minSpacingMin: scale(base.baseline.minSpacingMin),
      spacingToleranceSec: Math.floor(base.baseline.spacingToleranceSec / speed),
    },
    treatment: { plannedMin: scale(base.treatment.plannedMin), bpIntervalMin: scale(base.treatment.bpIntervalMin) },
    observation: { ...base.observation, minimumMin: scale(base.observation.minimumMin), bpIntervalMin: scale(base.observation.bpIntervalMin) },
    checkpoints: base.checkpoints.map((c) => {
      // Whole minutes can squeeze a window shut (35–50 min at 30× is 1–1): keep it a minute wide.
      const windowStartMin = scale(c.windowStartMin);
      const windowEndMin = Math.max(scale(c.windowEndMin), windowStartMin + 1);
      return { ...c, windowStartMin, windowEndMin, atMin: Math.min(Math.max(scale(c.atMin), windowStartMin), windowEndMin) };
    }),
    dischargeGate: { ...base.dischargeGate, spo2MaxAgeMin: scale(base.dischargeGate.spo2MaxAgeMin) },
    record: demoRecordSettings(recordSettingsOf(base), scale),
  };
}

/** The record's times scaled like the protocol's (scores, eyes-on checks, reassessments, the devices' rest, the shortest infusion). */
function demoRecordSettings(base: ProtocolRecordSettings, scale: (min: number) => number): ProtocolRecordSettings {
  return {
    ...base,
    scores: {
      atMinFromDosing: base.scores.atMinFromDosing.map(scale),
      // The schema's floor: at least 5 min between observation scores.
      observationEveryMin: Math.max(5, scale(base.scores.observationEveryMin)),
      earlyToleranceMin: scale(base.scores.earlyToleranceMin),
    },
    rounding: { intervalMin: scale(base.rounding.intervalMin), lowAfterMin: scale(base.rounding.lowAfterMin), mediumAfterMin: scale(base.rounding.mediumAfterMin) },
    prnReassessMin: scale(base.prnReassessMin),
    devices: base.devices === null ? null : { ...base.devices, restMin: scale(base.devices.restMin) },
    infusion: base.infusion === null ? null : { ...base.infusion, minInfusionMin: scale(base.infusion.minInfusionMin) },
  };
}

/** What the autopilot knows of one chair when it decides its next step. */
export interface DemoChairView {
  /** Where the simulated visit is (the latest phase change); null before the simulator reported the chair. */
  visit: { cycleIndex: number; phase: DemoPhase } | null;
  /** The session the autopilot checked in for a visit of this chair (the latest one). */
  own: { cycleIndex: number; sessionId: string; released: boolean } | null;
  /** The chair's active session, whoever checked it in. */
  active: SessionSummary | null;
  /**
   * The discharge gate now, when `active` is the autopilot's own session in observation and its
   * minimum observation has passed (before that the gate cannot hold, and is not evaluated).
   */
  gate: DischargeGateResult | null;
  nowMs: number;
}

/** When a session's minimum observation ends (the gate's first item); null before treatment was recorded. */
export function observationDueAtMs(session: Pick<SessionSummary, 'protocol' | 'state'>): number | null {
  const { minimumMin, from } = session.protocol.observation;
  const reference = from === 'treatment-end' ? session.state.treatmentEndedAtMs : session.state.treatmentStartedAtMs;
  return reference === null ? null : reference + minimumMin * 60_000;
}

/** The autopilot's next step on a chair. Every step but `wait` and `none` changes something. */
export type DemoStep =
  | { kind: 'none' }
  /** Nothing to do until the simulated visit or the session moves on. */
  | { kind: 'wait'; on: string }
  | { kind: 'check-in' }
  | { kind: 'start-treatment' }
  | { kind: 'end-treatment' }
  /** Every other item of the discharge gate holds: the nurse ticks the checklist. */
  | { kind: 'tick-checklist' }
  | { kind: 'discharge' }
  /** The start gate did not hold before the simulated treatment ended: no treatment was recorded. */
  | { kind: 'cancel'; reason: string }
  /** The simulated patient leaves: their session ended, or the autopilot has none for this visit. */
  | { kind: 'release'; cycleIndex: number };

const failingIds = (items: readonly { id: string; ok: boolean }[]): string[] => items.filter((i) => !i.ok).map((i) => i.id);

/**
 * The autopilot's rule, as a nurse who follows the protocol would: check in a patient who sits
 * down; start treatment when the simulated treatment starts, but only once the start gate holds
 * (otherwise wait for it, and if the simulated treatment is over first, cancel: not treated); end
 * treatment when the simulated treatment ends; in observation, tick the checklist once every other
 * item of the discharge gate holds, and discharge when the whole gate holds — never overriding,
 * never acknowledging an alarm. The simulated patient stays until then and leaves at discharge.
 */
export function decideDemoStep(view: DemoChairView): DemoStep {
  const { visit, own, active } = view;
  if (visit === null) return { kind: 'wait', on: 'the simulator' };
  const ownSession = own !== null && active !== null && active.id === own.sessionId ? active : null;
  if (ownSession === null || own === null) {
    // Our session ended (discharged here, or by a person): its patient may go.
    if (own !== null && !own.released) return { kind: 'release', cycleIndex: own.cycleIndex };
    if (visit.phase === 'gap' || own?.cycleIndex === visit.cycleIndex) return { kind: 'none' };
    if (active !== null) return { kind: 'wait', on: 'a session the autopilot did not start' };
    if (visit.phase === 'baseline') return { kind: 'check-in' };
    // A visit the autopilot did not see begin has no baseline it could record: let it go.
    return { kind: 'release', cycleIndex: visit.cycleIndex };
  }
  // The patient of our session is in the chair until we let them go; 'gap' only if they left anyway.
  const simulated = own.cycleIndex === visit.cycleIndex ? visit.phase : 'gap';
  const { labels } = ownSession.protocol;
  switch (ownSession.state.phase) {
    case 'baseline': {
      if (simulated === 'baseline') return { kind: 'wait', on: 'the simulated treatment' };
      const gate = ownSession.startGate ?? null;
      const waitsFor = gate === null ? 'the start gate' : failingIds(gate.items).join(', ');
      if (simulated === 'treatment') return gate?.holds === true ? { kind: 'start-treatment' } : { kind: 'wait', on: `start gate: ${waitsFor}` };
      // The simulated treatment is over and was never started here: too late to start it now.
      return {
        kind: 'cancel',
        reason: `Demo: the start gate did not hold (${waitsFor}) before the simulated ${labels.treatmentEndMoment}; not treated.`,
      };
    }
    case 'treatment':
      return simulated === 'observation' || simulated === 'gap' ? { kind: 'end-treatment' } : { kind: 'wait', on: 'the simulated treatment' };
    case 'observation': {
      const due = observationDueAtMs(ownSession);
      if (due !== null && view.nowMs < due) return { kind: 'wait', on: 'discharge gate: observation-time' };
      const gate = view.gate;
      if (gate === null) return { kind: 'wait', on: 'the discharge gate' };
      if (gate.holds) return { kind: 'discharge' };
      const failing = failingIds(gate.items);
      if (failing.length === 1 && failing[0] === 'checklist') return { kind: 'tick-checklist' };
      return { kind: 'wait', on: `discharge gate: ${failing.join(', ')}` };
    }
    default:
      return { kind: 'none' };
  }
}

interface ChairDriver {
  chairId: string;
  visit: { cycleIndex: number; phase: DemoPhase; protocolKind: ProtocolKind } | null;
  own: { cycleIndex: number; sessionId: string; released: boolean } | null;
  running: Promise<void> | null;
  again: boolean;
  /** The last wait logged, so that a wait is logged once. */
  waitingOn: string | null;
  /** The record entry last refused for the session (its type and moment), not tried again until something changes. */
  refusedEntry: string | null;
}

/** At most this many steps per chair in one go, so that a step that changes nothing cannot spin. */
const maxStepsPerRun = 10;

/**
 * Demo mode's autopilot: follows the simulated patients' visits and runs their sessions through the
 * same services a nurse's clicks reach (check-in, start and end of treatment, checklist, discharge),
 * through the start and discharge gates as the protocol has them. It looks again whenever the
 * simulator reports a phase change and every `pollMs` (a gate can start holding because a reading
 * arrived or time passed). Every step is logged as done by "demo autopilot".
 */
export class DemoConductor {
  private chairs = new Map<string, ChairDriver>();
  private protocols = new Map<ProtocolKind, Protocol>();
  private patients: DemoPatients | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: {
      sessions: DemoSessions;
      patients: Pick<PatientsService, 'create'>;
      protocols: Pick<ProtocolsService, 'get' | 'save'>;
      logger: Logger;
      speed: number;
      /** How often every chair is looked at again. Default 1000 ms. */
      pollMs?: number;
      /** Default the system clock. */
      clock?: { now(): number };
    },
  ) {}

  /** Stores the demo protocols (a new version only when the speed's scaling changed one). */
  async prepare(): Promise<void> {
    for (const base of [ivKetamineProtocol, esketamineProtocol]) {
      const { version: _version, ...wanted } = demoProtocol(base, this.deps.speed);
      const existing = await this.deps.protocols.get(wanted.id).catch(() => null);
      const unchanged = existing !== null && JSON.stringify({ ...existing, version: 0 }) === JSON.stringify({ ...wanted, version: 0 });
      this.protocols.set(base.kind, unchanged ? existing : await this.deps.protocols.save(wanted, demoAutopilot));
    }
  }

  /** The demo protocol of a kind (after `prepare`). */
  protocol(kind: ProtocolKind): Protocol {
    return this.protocols.get(kind) ?? demoProtocol(kind === 'nasal-spray' ? esketamineProtocol : ivKetamineProtocol, this.deps.speed);
  }

  /**
   * Ends the sessions an earlier run of the demo left on these chairs: their simulated patients and
   * monitors are gone with that run, so nothing of them can be judged any more. Before treatment a
   * session is cancelled; after it, a clinician's discharge override says so.
   */
  async closeEarlierRuns(chairIds: readonly string[]): Promise<void> {
    for (const summary of this.deps.sessions.activeSummaries()) {
      if (!chairIds.includes(summary.chairId) || summary.checkedInBy !== demoAutopilot) continue;
      const reason = 'Demo restarted: this simulated patient belongs to an earlier run of the demo, whose monitor has stopped; nothing more can be measured or judged.';
      try {
        if (summary.state.phase === 'baseline') await this.deps.sessions.applyEvent(summary.id, { type: 'cancelled', reason }, nurse);
        else {
          if (summary.state.phase === 'treatment') await this.deps.sessions.applyEvent(summary.id, { type: 'treatment-ended' }, nurse);
          await this.deps.sessions.applyEvent(summary.id, { type: 'discharged', override: { reason } }, clinician);
        }
        this.deps.logger.info('demo autopilot: closed a session left by an earlier run', { chairId: summary.chairId, sessionId: summary.id });
      } catch (error) {
        this.deps.logger.warn('demo autopilot: could not close a session left by an earlier run', { chairId: summary.chairId, error: messageOf(error) });
      }
    }
  }

  /** The simulated patients, to let go when their sessions end; and starts looking at the chairs every `pollMs`. */
  attach(patients: DemoPatients): void {
    this.patients = patients;
    this.timer ??= setInterval(() => {
      for (const chair of this.chairs.values()) this.kick(chair);
    }, this.deps.pollMs ?? 1_000);
    this.timer.unref?.();
  }

  /** Stops looking; steps under way finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** Called by the simulator when a chair's simulated patient moves on. */
  onPhaseChange(change: DemoPhaseChange): void {
    const chair = this.chair(change.chairId);
    chair.visit = { cycleIndex: change.cycleIndex, phase: change.phase, protocolKind: change.protocolKind ?? 'iv-infusion' };
    // Not within the simulator's own round of measuring, which a step may ask to measure again.
    queueMicrotask(() => this.kick(chair));
  }

  /** Resolves when no step is under way. */
  async idle(): Promise<void> {
    for (let running = this.runningSteps(); running.length > 0; running = this.runningSteps()) await Promise.all(running);
  }

  /**
   * The presenter's "discharge with override" scenario: a clinician discharges the chair's patient
   * now, although the discharge gate does not hold, with a reason saying so. Refused (409) unless
   * the chair's session is the autopilot's and in observation with the gate not holding.
   */
  async overrideDischarge(chairId: string): Promise<{ sessionId: string; failingItems: string[] }> {
    const chair = this.chair(chairId);
    const run = async (): Promise<{ sessionId: string; failingItems: string[] }> => {
      const session = this.deps.sessions.activeSummary(chairId);
      if (session === null || chair.own?.sessionId !== session.id) throw conflict(`${chairId} has no session of the demo autopilot.`);
      if (session.state.phase !== 'observation') {
        throw conflict(`${chairId} is not in observation: a discharge override is shown once ${session.protocol.labels.treatmentEndMoment} has been recorded.`);
      }
      const gate = await this.deps.sessions.gateNow(session.id);
      const failing = gate.items.filter((i) => !i.ok);
      if (gate.holds) throw conflict(`The discharge gate of ${chairId} holds: there is nothing to override.`);
      const reason =
        `Demo scenario "discharge with override", started by a presenter: a clinician discharges before the discharge gate holds ` +
        `(${failing.map((i) => i.label).join(', ')}) to show how an override is recorded; in a clinic, write the clinical reason here.`;
      await this.patients?.sync(chairId);
      const discharged = await this.deps.sessions.applyEvent(session.id, { type: 'discharged', override: { reason } }, clinician);
      this.letGo(chair, discharged.state.dischargedAtMs ?? undefined);
      this.deps.logger.info('demo autopilot: discharged with override (presenter scenario)', { chairId, sessionId: session.id });
      return { sessionId: session.id, failingItems: failing.map((i) => i.id) };
    };
    // After any step under way on the chair, so the two never interleave.
    await this.idleChair(chair);
    const result = run();
    chair.running = result.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await result;
    } finally {
      chair.running = null;
    }
  }

  private chair(chairId: string): ChairDriver {
    let chair = this.chairs.get(chairId);
    if (chair === undefined) {
      chair = { chairId, visit: null, own: null, running: null, again: false, waitingOn: null, refusedEntry: null };
      this.chairs.set(chairId, chair);
    }
    return chair;
  }

  private runningSteps(): Promise<void>[] {
    return [...this.chairs.values()].flatMap((c) => (c.running === null ? [] : [c.running]));
  }

  private async idleChair(chair: ChairDriver): Promise<void> {
    while (chair.running !== null) await chair.running;
  }

  /** Runs the chair's steps now, or once more after the run under way. */
  private kick(chair: ChairDriver): void {
    if (this.stopped) return;
    if (chair.running !== null) {
      chair.again = true;
      return;
    }
    chair.running = (async () => {
      try {
        do {
          chair.again = false;
          for (let n = 0; n < maxStepsPerRun && !this.stopped && (await this.step(chair)); n++);
        } while (chair.again && !this.stopped);
      } catch (error) {
        this.deps.logger.warn('demo autopilot step failed', { chairId: chair.chairId, phase: chair.visit?.phase, error: messageOf(error) });
      } finally {
        chair.running = null;
      }
    })();
  }

  /** Takes the chair's next step; true when it changed something (so the next one may follow at once). */
  private async step(chair: ChairDriver): Promise<boolean> {
    const { sessions } = this.deps;
    const active = sessions.activeSummary(chair.chairId);
    const own = chair.own;
    const observing = active !== null && own !== null && active.id === own.sessionId && active.state.phase === 'observation' ? active : null;
    const nowMs = this.deps.clock?.now() ?? Date.now();
    const due = observing === null ? null : (observationDueAtMs(observing) ?? nowMs);
    const gate = observing !== null && due !== null && nowMs >= due ? await sessions.gateNow(observing.id) : null;
    // The simulated nurse's record entries come first (an IV set-up before the start, devices, scores, checks).
    if (active !== null && own !== null && active.id === own.sessionId && (await this.recordStep(chair, active, nowMs))) return true;
    const step = decideDemoStep({ visit: chair.visit, own, active, gate, nowMs });
    if (step.kind !== 'wait') chair.waitingOn = null;
    switch (step.kind) {
      case 'none':
        return false;
      case 'wait':
        // A gate that keeps the patient waiting beyond the protocol's time is worth a line (once).
        if (step.on !== chair.waitingOn && (step.on.startsWith('start gate') || step.on.startsWith('discharge gate')) && !step.on.endsWith('observation-time')) {
          // Item ids only: details carry the patient's values, which stay out of the log.
          this.deps.logger.info(`demo autopilot: ${chair.chairId} waits for the ${step.on}`);
        }
        chair.waitingOn = step.on;
        return false;
      case 'check-in': {
        const visit = chair.visit;
        if (visit === null) return false;
        const summary = await this.checkIn(chair.chairId, visit.cycleIndex, visit.protocolKind);
        chair.own = { cycleIndex: visit.cycleIndex, sessionId: summary.id, released: false };
        return true;
      }
      case 'start-treatment':
        if (!active) return false;
        // The baseline BPs the cuff has just taken go to the server first.
        await this.patients?.sync(chair.chairId);
        return this.apply(active.id, { type: 'treatment-started' });
      case 'end-treatment':
        return active ? this.apply(active.id, { type: 'treatment-ended' }) : false;
      case 'tick-checklist': {
        if (!active) return false;
        const items = Object.fromEntries(active.protocol.dischargeGate.checklist.map((i) => [i.id, true]));
        return this.apply(active.id, { type: 'checklist-updated', items });
      }
      case 'discharge': {
        if (!active) return false;
        // What the monitor measured up to now is stored before the patient leaves.
        await this.patients?.sync(chair.chairId);
        const done = await this.applyOrWait(active.id, { type: 'discharged' });
        if (done !== null) {
          // The escort collects the patient: the hand-off, with the escort recorded at check-in.
          const escort = done.record?.escort?.name;
          if (escort !== undefined) await this.record(done.id, { type: 'escort-handoff', collectedBy: escort });
          this.letGo(chair, done.state.dischargedAtMs ?? undefined);
        }
        return done !== null;
      }
      case 'cancel': {
        if (!active) return false;
        const done = await this.applyOrWait(active.id, { type: 'cancelled', reason: step.reason });
        if (done !== null) this.letGo(chair);
        return done !== null;
      }
      case 'release':
        if (own !== null && own.cycleIndex === step.cycleIndex) own.released = true;
        else chair.own = { cycleIndex: step.cycleIndex, sessionId: '', released: true };
        this.patients?.leave(chair.chairId, step.cycleIndex);
        return true;
    }
  }

  /** Writes the simulated nurse's next record entry, if one is due; true when one was stored. */
  private async recordStep(chair: ChairDriver, session: SessionSummary, nowMs: number): Promise<boolean> {
    if (this.deps.sessions.applyRecordEvent === undefined || chair.own === null) return false;
    const entry = nextDemoEntry({ session, nowMs, plan: this.planOf(chair.chairId, chair.own.cycleIndex), speed: this.deps.speed });
    if (entry === null) return false;
    // The same entry refused on the same revision is not tried again (a person may have recorded it meanwhile).
    const key = `${session.id}:${session.revision}:${entry.type}`;
    if (chair.refusedEntry === key) return false;
    const stored = await this.record(session.id, entry);
    if (stored === null) chair.refusedEntry = key;
    return stored !== null;
  }

  private planOf(chairId: string, cycleIndex: number): DemoRecordPlan {
    return demoRecordPlan(Number(/\d+$/.exec(chairId)?.[0] ?? 0), cycleIndex);
  }

  /** A record entry as the nurse; a refusal (400/409: a person was quicker, the session moved on) means "not now". */
  private async record(sessionId: string, entry: RecordEventInput): Promise<SessionSummary | null> {
    const apply = this.deps.sessions.applyRecordEvent?.bind(this.deps.sessions);
    if (apply === undefined) return null;
    try {
      return await apply(sessionId, entry, nurse);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'conflict' || error.code === 'invalid_input')) {
        this.deps.logger.info(`demo autopilot: ${entry.type} not recorded (${error.message})`);
        return null;
      }
      throw error;
    }
  }

  private letGo(chair: ChairDriver, atMs?: number): void {
    if (chair.own === null || chair.own.released) return;
    chair.own.released = true;
    this.patients?.leave(chair.chairId, chair.own.cycleIndex, atMs);
  }

  private async apply(sessionId: string, event: Parameters<SessionsService['applyEvent']>[1]): Promise<boolean> {
    return (await this.applyOrWait(sessionId, event)) !== null;
  }

  /** Applies an event as the nurse; a refusal (409: a gate, or a person was quicker) means "not yet". */
  private async applyOrWait(sessionId: string, event: Parameters<SessionsService['applyEvent']>[1]): Promise<SessionSummary | null> {
    try {
      return await this.deps.sessions.applyEvent(sessionId, event, nurse);
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict') return null;
      throw error;
    }
  }

  private async checkIn(chairId: string, cycleIndex: number, kind: ProtocolKind): Promise<SessionSummary> {
    const n = Number(/\d+$/.exec(chairId)?.[0] ?? 0);
    const name = pseudonyms[(n * 7 + cycleIndex) % pseudonyms.length] ?? 'Patient';
    const riskFlags: RiskFlag[] = (n + cycleIndex) % 4 === 0 ? ['hypertension'] : [];
    const patient = await this.deps.patients.create({ displayName: `${name} (demo ${chairId.replace('chair-', '')}.${cycleIndex + 1})`, riskFlags });
    if (this.protocols.size === 0) await this.prepare();
    const summary = await this.deps.sessions.checkIn({ patientId: patient.id, chairId, protocolId: this.protocol(kind).id }, nurse);
    return (await this.recordArrival(summary)) ?? summary;
  }

  /**
   * At check-in a nurse answers the protocol's readiness list (docs/clinical-defaults.md "The session record beyond
   * vitals": every hard stop yes, the other yes/no items as a typical patient answers them) and records the escort.
   */
  private async recordArrival(summary: SessionSummary): Promise<SessionSummary | null> {
    const record = this.deps.sessions.applyRecordEvent?.bind(this.deps.sessions);
    if (record === undefined) return null;
    const items = recordSettingsOf(summary.protocol).readiness;
    const answers = Object.fromEntries(
      items.map((i) => [i.id, i.kind === 'text' ? 'none' : i.hardStop === true || !i.id.startsWith('med-')]),
    );
    if (items.length > 0) await record(summary.id, { type: 'readiness-answered', answers }, nurse);
    return record(summary.id, { type: 'escort-recorded', name: 'Demo escort', phone: '555 0100' }, nurse);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
