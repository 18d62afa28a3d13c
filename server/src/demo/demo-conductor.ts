import { esketamineProtocol, ivKetamineProtocol, type Protocol, type ProtocolKind, type RiskFlag } from '@chairside/shared';
import { AppError } from '../http/app-error';
import type { Logger } from '../logger';
import type { PatientsService } from '../patients/patients.service';
import type { ProtocolsService } from '../protocols/protocols.service';
import type { SessionActor, SessionsService } from '../sessions/sessions.service';

export type DemoPhase = 'baseline' | 'treatment' | 'observation' | 'gap';

/** What the simulator tells the autopilot when a simulated visit moves on. */
export interface DemoPhaseChange {
  chairId: string;
  cycleIndex: number;
  phase: DemoPhase;
  /** IV infusion or esketamine nasal spray; IV when the simulator does not say. */
  protocolKind?: ProtocolKind | undefined;
}

const nurse: SessionActor = { id: null, username: 'demo autopilot', role: 'nurse' };
const clinician: SessionActor = { id: null, username: 'demo autopilot', role: 'clinician' };

const pseudonyms = ['Aster', 'Birch', 'Cedar', 'Dahlia', 'Elm', 'Fern', 'Hazel', 'Iris', 'Juniper', 'Linden', 'Maple', 'Willow'];

/**
 * The protocol the demo runs, its minutes divided by the demo speed (whole minutes, at least 1), so
 * that a simulated patient's 60-minute observation at speed 10 is a 6-minute observation on screen.
 */
export function demoProtocol(base: Protocol, speed: number): Protocol {
  if (speed === 1) return base;
  const scale = (min: number): number => (min === 0 ? 0 : Math.max(1, Math.floor(min / speed)));
  return {
    ...base,
    id: `${base.id}-demo-x${speed}`.replace(/[^A-Za-z0-9._-]/g, '-'),
    name: `${base.name} (demo, ${speed}× speed)`,
    baseline: { ...base.baseline, minSpacingMin: scale(base.baseline.minSpacingMin) },
    treatment: { plannedMin: scale(base.treatment.plannedMin), bpIntervalMin: scale(base.treatment.bpIntervalMin) },
    observation: { ...base.observation, minimumMin: scale(base.observation.minimumMin), bpIntervalMin: scale(base.observation.bpIntervalMin) },
    checkpoints: base.checkpoints.map((c) => {
      // Whole minutes can squeeze a window shut (35–50 min at 30× is 1–1): keep it a minute wide.
      const windowStartMin = scale(c.windowStartMin);
      const windowEndMin = Math.max(scale(c.windowEndMin), windowStartMin + 1);
      return { ...c, windowStartMin, windowEndMin, atMin: Math.min(Math.max(scale(c.atMin), windowStartMin), windowEndMin) };
    }),
  };
}

/**
 * Demo mode's autopilot: follows the simulated patients' visits and runs their sessions through the
 * same services a nurse's clicks reach (check-in, start and end of treatment, checklist, discharge).
 * Every step is logged as done by "demo autopilot".
 */
export class DemoConductor {
  private queues = new Map<string, Promise<void>>();
  private protocols = new Map<ProtocolKind, Protocol>();

  constructor(
    private readonly deps: {
      sessions: SessionsService;
      patients: PatientsService;
      protocols: ProtocolsService;
      logger: Logger;
      speed: number;
    },
  ) {}

  /** Stores the demo protocols (a new version only when the speed's scaling changed one). */
  async prepare(): Promise<void> {
    for (const base of [ivKetamineProtocol, esketamineProtocol]) {
      const { version: _version, ...wanted } = demoProtocol(base, this.deps.speed);
      const existing = await this.deps.protocols.get(wanted.id).catch(() => null);
      const unchanged = existing !== null && JSON.stringify({ ...existing, version: 0 }) === JSON.stringify({ ...wanted, version: 0 });
      this.protocols.set(base.kind, unchanged ? existing : await this.deps.protocols.save(wanted, 'demo autopilot'));
    }
  }

  /** Called by the simulator when a chair's simulated patient moves on; steps run in order per chair. */
  onPhaseChange(change: DemoPhaseChange): void {
    const previous = this.queues.get(change.chairId) ?? Promise.resolve();
    const next = previous
      .then(() => this.follow(change))
      .catch((error: unknown) => {
        this.deps.logger.warn('demo autopilot step failed', {
          chairId: change.chairId,
          phase: change.phase,
          error: error instanceof Error ? error.message : String(error),
        });
      });
    this.queues.set(change.chairId, next);
  }

  /** Resolves when every queued step has run. */
  async idle(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  private async follow(change: DemoPhaseChange): Promise<void> {
    const { sessions } = this.deps;
    let session = sessions.activeSummary(change.chairId);
    if (change.phase === 'gap') {
      if (session) await this.discharge(session.id);
      return;
    }
    if (change.phase === 'baseline' && session && session.state.phase !== 'baseline') {
      await this.discharge(session.id); // the previous patient is still on the chair
      session = null;
    }
    session ??= await this.checkIn(change);
    const event = (type: 'treatment-started' | 'treatment-ended') => sessions.applyEvent(session?.id ?? '', { type }, nurse);
    if (change.phase === 'treatment' && session.state.phase === 'baseline') await event('treatment-started');
    if (change.phase === 'observation') {
      if (session.state.phase === 'baseline') await event('treatment-started');
      if (sessions.activeSummary(change.chairId)?.state.phase === 'treatment') await event('treatment-ended');
    }
  }

  private async checkIn(change: DemoPhaseChange) {
    const n = Number(/\d+$/.exec(change.chairId)?.[0] ?? 0);
    const name = pseudonyms[(n * 7 + change.cycleIndex) % pseudonyms.length] ?? 'Patient';
    const riskFlags: RiskFlag[] = (n + change.cycleIndex) % 4 === 0 ? ['hypertension'] : [];
    const patient = await this.deps.patients.create({ displayName: `${name} (demo ${change.chairId.replace('chair-', '')}.${change.cycleIndex + 1})`, riskFlags });
    if (this.protocols.size === 0) await this.prepare();
    const protocol = this.protocols.get(change.protocolKind ?? 'iv-infusion') ?? ivKetamineProtocol;
    return this.deps.sessions.checkIn({ patientId: patient.id, chairId: change.chairId, protocolId: protocol.id }, nurse);
  }

  private async discharge(sessionId: string): Promise<void> {
    const { sessions } = this.deps;
    const summary = await sessions.detail(sessionId);
    if (summary.state.phase === 'baseline') {
      await sessions.applyEvent(sessionId, { type: 'cancelled', reason: 'Demo: the simulated patient left before treatment' }, nurse);
      return;
    }
    if (summary.state.phase === 'treatment') await sessions.applyEvent(sessionId, { type: 'treatment-ended' }, nurse);
    const items = Object.fromEntries(summary.protocol.dischargeGate.checklist.map((i) => [i.id, true]));
    if (Object.keys(items).length > 0) {
      await sessions.applyEvent(sessionId, { type: 'checklist-updated', items }, nurse);
    }
    try {
      await sessions.applyEvent(sessionId, { type: 'discharged' }, nurse);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
      await sessions.applyEvent(
        sessionId,
        { type: 'discharged', override: { reason: `Demo: the simulated patient's visit ended (${error.message})` } },
        clinician,
      );
    }
  }
}
