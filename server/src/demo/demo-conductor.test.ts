import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  defaultProtocols,
  type DischargeGateResult,
  esketamineProtocol,
  initialSessionState,
  ivKetamineProtocol,
  type Protocol,
  protocolSchema,
  type SessionEventInput,
  type SessionState,
  type SessionSummary,
  type StartGateResult,
} from '@chairside/shared';
import { AppError } from '../http/app-error';
import { silentLogger } from '../logger';
import type { SessionActor } from '../sessions/sessions.service';
import { decideDemoStep, type DemoChairView, DemoConductor, type DemoPatients, type DemoSessions, demoProtocol } from './demo-conductor';

describe('demoProtocol', () => {
  it.each(defaultProtocols.flatMap((p) => [1, 2, 10, 30, 60, 100].map((speed) => [p.id, speed] as const)))(
    'scales %s at %d× into a valid protocol',
    (id, speed) => {
      const base = defaultProtocols.find((p) => p.id === id);
      if (!base) throw new Error(id);
      const scaled = demoProtocol(base, speed);
      expect(protocolSchema.safeParse(scaled).success).toBe(true);
      if (speed === 1) expect(scaled).toBe(base);
      else expect(scaled.observation.minimumMin).toBe(Math.max(1, Math.floor(base.observation.minimumMin / speed)));
    },
  );

  it('scales the baseline spacing’s tolerance and the SpO₂ age, not the limits', () => {
    const scaled = demoProtocol(ivKetamineProtocol, 10);
    expect(scaled.baseline).toEqual({ bpReadings: 2, minSpacingMin: 1, spacingToleranceSec: 3 });
    expect(scaled.dischargeGate.spo2MaxAgeMin).toBe(1);
    expect(scaled.dischargeGate.bpWithinPercentOfBaseline).toBe(20);
    expect(scaled.startGate).toEqual(ivKetamineProtocol.startGate);
  });
});

const t0 = Date.parse('2026-11-22T08:00:00.000Z');
const min = 60_000;

const startGate = (holds: boolean): StartGateResult => ({
  holds,
  items: [{ id: 'baseline-bp', ok: holds, label: 'Baseline BP', detail: holds ? 'baseline 120/80' : '1 more baseline BP', dueAtMs: null }],
});

function summary(state: Partial<SessionState> = {}, protocol: Protocol = ivKetamineProtocol, gate: StartGateResult | null = null): SessionSummary {
  const full = { ...initialSessionState(t0), ...state };
  return {
    id: 'session-1',
    chairId: 'chair-1',
    patient: { id: 'p1', displayName: 'Aster', mrn: null, riskFlags: [] },
    protocol,
    state: full,
    baseline: { systolic: 120, diastolic: 80, mean: 93, heartRate: 70, bpReadingCount: 2, readingIds: [], complete: true, missing: null },
    bpTimesMs: [],
    startGate: full.phase === 'baseline' ? (gate ?? startGate(false)) : null,
    checkedInBy: 'demo autopilot',
    revision: 1,
  };
}

const dischargeGate = (failing: string[]): DischargeGateResult => ({
  holds: failing.length === 0,
  atMs: t0,
  items: ['observation-time', 'bp-near-baseline', 'heart-rate', 'spo2', 'no-active-alarm', 'checklist'].map((id) => ({
    id: id as DischargeGateResult['items'][number]['id'],
    ok: !failing.includes(id),
    label: id,
    detail: '',
  })),
});

const treated = { phase: 'observation' as const, treatmentStartedAtMs: t0 + 10 * min, treatmentEndedAtMs: t0 + 50 * min, observationStartedAtMs: t0 + 50 * min };

function view(over: Partial<DemoChairView>): DemoChairView {
  return { visit: { cycleIndex: 0, phase: 'baseline' }, own: { cycleIndex: 0, sessionId: 'session-1', released: false }, active: summary(), gate: null, nowMs: t0, ...over };
}

describe('decideDemoStep: the autopilot follows the protocol as a nurse would', () => {
  it('checks in a patient who sits down, and waits while the baseline is taken', () => {
    expect(decideDemoStep(view({ own: null, active: null }))).toEqual({ kind: 'check-in' });
    expect(decideDemoStep(view({}))).toMatchObject({ kind: 'wait' });
    expect(decideDemoStep(view({ visit: null }))).toMatchObject({ kind: 'wait' });
  });

  it('starts treatment when the simulated treatment starts only if the start gate holds; otherwise it waits, never overriding', () => {
    const visit = { cycleIndex: 0, phase: 'treatment' as const };
    expect(decideDemoStep(view({ visit, active: summary({}, ivKetamineProtocol, startGate(false)) }))).toEqual({ kind: 'wait', on: 'start gate: baseline-bp' });
    expect(decideDemoStep(view({ visit, active: summary({}, ivKetamineProtocol, startGate(true)) }))).toEqual({ kind: 'start-treatment' });
  });

  it('cancels, saying why, when the simulated treatment is over before the start gate held', () => {
    const step = decideDemoStep(view({ visit: { cycleIndex: 0, phase: 'observation' }, active: summary({}, ivKetamineProtocol, startGate(false)) }));
    expect(step).toEqual({ kind: 'cancel', reason: expect.stringContaining('start gate did not hold (baseline-bp)') });
  });

  it('ends treatment when the simulated treatment ends', () => {
    const inTreatment = summary({ phase: 'treatment', treatmentStartedAtMs: t0 + 10 * min });
    expect(decideDemoStep(view({ visit: { cycleIndex: 0, phase: 'treatment' }, active: inTreatment }))).toMatchObject({ kind: 'wait' });
    expect(decideDemoStep(view({ visit: { cycleIndex: 0, phase: 'observation' }, active: inTreatment }))).toEqual({ kind: 'end-treatment' });
  });

  it('in observation: waits out the minimum, ticks the checklist only once every other item holds, discharges when the gate holds', () => {
    const visit = { cycleIndex: 0, phase: 'observation' as const };
    const active = summary(treated);
    expect(decideDemoStep(view({ visit, active, nowMs: t0 + 100 * min }))).toEqual({ kind: 'wait', on: 'discharge gate: observation-time' });
    const after = t0 + 111 * min;
    expect(decideDemoStep(view({ visit, active, nowMs: after, gate: dischargeGate(['bp-near-baseline', 'checklist']) }))).toEqual({
      kind: 'wait',
      on: 'discharge gate: bp-near-baseline, checklist',
    });
    expect(decideDemoStep(view({ visit, active, nowMs: after, gate: dischargeGate(['checklist']) }))).toEqual({ kind: 'tick-checklist' });
    expect(decideDemoStep(view({ visit, active, nowMs: after, gate: dischargeGate([]) }))).toEqual({ kind: 'discharge' });
  });

  it('waits while an alarm holds discharge: it acknowledges nothing and overrides nothing', () => {
    const step = decideDemoStep(view({ visit: { cycleIndex: 0, phase: 'observation' }, active: summary(treated), nowMs: t0 + 200 * min, gate: dischargeGate(['no-active-alarm', 'checklist']) }));
    expect(step).toEqual({ kind: 'wait', on: 'discharge gate: no-active-alarm, checklist' });
  });

  it('measures esketamine’s minimum observation from the start of dosing', () => {
    const active = summary({ ...treated, treatmentEndedAtMs: t0 + 20 * min }, esketamineProtocol);
    const visit = { cycleIndex: 0, phase: 'observation' as const };
    expect(decideDemoStep(view({ visit, active, nowMs: t0 + 129 * min }))).toMatchObject({ kind: 'wait', on: 'discharge gate: observation-time' });
    expect(decideDemoStep(view({ visit, active, nowMs: t0 + 131 * min, gate: dischargeGate([]) }))).toEqual({ kind: 'discharge' });
  });

  it('lets the simulated patient go once their session has ended (here or by a person), and then waits for the next one', () => {
    const visit = { cycleIndex: 0, phase: 'observation' as const };
    expect(decideDemoStep(view({ visit, active: null }))).toEqual({ kind: 'release', cycleIndex: 0 });
    expect(decideDemoStep(view({ visit, active: null, own: { cycleIndex: 0, sessionId: 'session-1', released: true } }))).toEqual({ kind: 'none' });
    expect(decideDemoStep(view({ visit: { cycleIndex: 1, phase: 'baseline' }, active: null, own: { cycleIndex: 0, sessionId: 'session-1', released: true } }))).toEqual({
      kind: 'check-in',
    });
  });

  it('does not adopt a visit it did not see begin, nor a session someone else checked in', () => {
    expect(decideDemoStep(view({ visit: { cycleIndex: 2, phase: 'treatment' }, own: null, active: null }))).toEqual({ kind: 'release', cycleIndex: 2 });
    expect(decideDemoStep(view({ own: null, active: { ...summary(), id: 'someone-elses', checkedInBy: 'nurse' } }))).toMatchObject({ kind: 'wait' });
  });
});

/** An in-memory sessions service with the real rules' shape: gates refuse with 409. */
function fakeSessions() {
  const sessions = new Map<string, SessionSummary>();
  const events: { sessionId: string; event: SessionEventInput; actor: SessionActor }[] = [];
  let clock = t0;
  const state = {
    startGateHolds: false,
    gateFailing: ['checklist'] as string[],
  };
  const refuse = (message: string): never => {
    throw new AppError('conflict', message);
  };
  const service: DemoSessions = {
    activeSummary: (chairId) => [...sessions.values()].find((s) => s.chairId === chairId && s.state.phase !== 'discharged' && s.state.phase !== 'cancelled') ?? null,
    activeSummaries: () => [...sessions.values()].filter((s) => s.state.phase !== 'discharged' && s.state.phase !== 'cancelled'),
    checkIn: (input) => {
      const protocol = input.protocolId.startsWith('esketamine') ? esketamineProtocol : ivKetamineProtocol;
      const created = { ...summary({}, protocol, startGate(state.startGateHolds)), id: `session-${sessions.size + 1}`, chairId: input.chairId };
      sessions.set(created.id, created);
      return Promise.resolve(created);
    },
    applyEvent: (sessionId, event, actor) => {
      const current = sessions.get(sessionId);
      if (!current) throw new AppError('not_found', sessionId);
      events.push({ sessionId, event, actor });
      const s = current.state;
      let next: SessionState = s;
      switch (event.type) {
        case 'treatment-started':
          if (!state.startGateHolds && !event.override) refuse('Start waits for: 1 more baseline BP');
          next = { ...s, phase: 'treatment', treatmentStartedAtMs: clock };
          break;
        case 'treatment-ended':
          next = { ...s, phase: 'observation', treatmentEndedAtMs: clock, observationStartedAtMs: clock };
          break;
        case 'checklist-updated':
          next = { ...s, checklist: { ...s.checklist, ...event.items } };
          state.gateFailing = state.gateFailing.filter((id) => id !== 'checklist');
          break;
        case 'discharged':
          if (state.gateFailing.length > 0 && !event.override) refuse('discharge criteria not met');
          next = { ...s, phase: 'discharged', dischargedAtMs: clock, ...(event.override ? { dischargeOverride: { reason: event.override.reason, failingItems: [] } } : {}) };
          break;
        case 'cancelled':
          next = { ...s, phase: 'cancelled', cancelledAtMs: clock, cancelReason: event.reason };
          break;
        default:
          break;
      }
      const updated = { ...current, state: next, startGate: next.phase === 'baseline' ? startGate(state.startGateHolds) : null };
      sessions.set(sessionId, updated);
      return Promise.resolve(updated);
    },
    gateNow: () => Promise.resolve(dischargeGate(state.gateFailing)),
  };
  return {
    service,
    sessions,
    events,
    state,
    setClock: (ms: number) => {
      clock = ms;
    },
    refreshStartGate() {
      for (const [id, s] of sessions) if (s.state.phase === 'baseline') sessions.set(id, { ...s, startGate: startGate(state.startGateHolds) });
    },
  };
}

function fakePatients(): DemoPatients & { left: { chairId: string; cycleIndex: number }[]; synced: string[] } {
  const left: { chairId: string; cycleIndex: number }[] = [];
  const synced: string[] = [];
  return {
    left,
    synced,
    leave: (chairId, cycleIndex) => {
      left.push({ chairId, cycleIndex });
      return true;
    },
    sync: (chairId) => {
      synced.push(chairId);
      return Promise.resolve();
    },
  };
}

describe('DemoConductor', () => {
  let conductor: DemoConductor | null = null;
  afterEach(async () => {
    await conductor?.stop();
    conductor = null;
  });

  function setUp() {
    const fake = fakeSessions();
    const patients = fakePatients();
    let now = t0;
    const protocols = new Map<string, Protocol>();
    conductor = new DemoConductor({
      sessions: fake.service,
      patients: { create: (input) => Promise.resolve({ id: `patient-${input.displayName}`, displayName: input.displayName, mrn: null, riskFlags: [], createdAt: '', updatedAt: '' } as never) },
      protocols: {
        get: (id) => {
          const p = protocols.get(id);
          return p ? Promise.resolve(p) : Promise.reject(new AppError('not_found', id));
        },
        save: (input) => {
          const p = { ...input, version: 1 } as Protocol;
          protocols.set(p.id, p);
          return Promise.resolve(p);
        },
      },
      logger: silentLogger,
      speed: 1,
      pollMs: 5,
      clock: { now: () => now },
    });
    conductor.attach(patients);
    return {
      fake,
      patients,
      conductor,
      setNow: (ms: number) => {
        now = ms;
        fake.setClock(ms);
      },
    };
  }

  it('runs a visit through both gates: waits for the start gate, ticks the checklist, discharges without override and lets the patient go', async () => {
    const { fake, patients, conductor: c, setNow } = setUp();
    c.onPhaseChange({ chairId: 'chair-1', cycleIndex: 0, phase: 'baseline' });
    await vi.waitFor(() => expect(fake.sessions.size).toBe(1));

    setNow(t0 + 10 * min);
    c.onPhaseChange({ chairId: 'chair-1', cycleIndex: 0, phase: 'treatment' });
    await vi.waitFor(() => expect(fake.service.activeSummary('chair-1')?.startGate?.holds).toBe(false));
    await c.idle();
    expect(fake.events.filter((e) => e.event.type === 'treatment-started')).toEqual([]);
    // The baseline's second BP arrives: the start gate holds, and the next look starts treatment.
    fake.state.startGateHolds = true;
    fake.refreshStartGate();
    await vi.waitFor(() => expect(fake.service.activeSummary('chair-1')?.state.phase).toBe('treatment'));
    expect(patients.synced).toContain('chair-1');

    setNow(t0 + 50 * min);
    c.onPhaseChange({ chairId: 'chair-1', cycleIndex: 0, phase: 'observation' });
    await vi.waitFor(() => expect(fake.service.activeSummary('chair-1')?.state.phase).toBe('observation'));
    fake.state.gateFailing = ['bp-near-baseline', 'checklist'];
    setNow(t0 + 111 * min);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await c.idle();
    expect(fake.events.map((e) => e.event.type)).not.toContain('checklist-updated');
    fake.state.gateFailing = ['checklist'];
    await vi.waitFor(() => expect(fake.service.activeSummary('chair-1')).toBeNull());

    const types = fake.events.map((e) => e.event.type);
    expect(types.filter((t) => t !== 'treatment-started')).toEqual(['treatment-ended', 'checklist-updated', 'discharged']);
    expect(fake.events.every((e) => !('override' in e.event) && e.actor.role === 'nurse')).toBe(true);
    expect(patients.left).toEqual([{ chairId: 'chair-1', cycleIndex: 0 }]);
  });

  it('cancels with the reason, and lets the patient go, when the start gate never held during the simulated treatment', async () => {
    const { fake, patients, conductor: c } = setUp();
    c.onPhaseChange({ chairId: 'chair-2', cycleIndex: 0, phase: 'baseline', protocolKind: 'nasal-spray' });
    await vi.waitFor(() => expect(fake.sessions.size).toBe(1));
    expect([...fake.sessions.values()][0]?.protocol.kind).toBe('nasal-spray');
    c.onPhaseChange({ chairId: 'chair-2', cycleIndex: 0, phase: 'treatment', protocolKind: 'nasal-spray' });
    c.onPhaseChange({ chairId: 'chair-2', cycleIndex: 0, phase: 'observation', protocolKind: 'nasal-spray' });
    await vi.waitFor(() => expect(patients.left).toEqual([{ chairId: 'chair-2', cycleIndex: 0 }]));
    const cancelled = fake.events.find((e) => e.event.type === 'cancelled');
    expect(cancelled?.event).toMatchObject({ reason: expect.stringContaining('start gate did not hold') });
  });

  it('a presenter’s "discharge with override": only in observation with the gate not holding, as a clinician, with a reason saying so', async () => {
    const { fake, patients, conductor: c, setNow } = setUp();
    await expect(c.overrideDischarge('chair-1')).rejects.toMatchObject({ code: 'conflict' });
    fake.state.startGateHolds = true;
    c.onPhaseChange({ chairId: 'chair-1', cycleIndex: 0, phase: 'baseline' });
    await vi.waitFor(() => expect(fake.sessions.size).toBe(1));
    await expect(c.overrideDischarge('chair-1')).rejects.toThrow(/not in observation/);
    c.onPhaseChange({ chairId: 'chair-1', cycleIndex: 0, phase: 'treatment' });
    await vi.waitFor(() => expect(fake.service.activeSummary('chair-1')?.state.phase).toBe('treatment'));
    c.onPhaseChange({ chairId: 'chair-1', cycleIndex: 0, phase: 'observation' });
    await vi.waitFor(() => expect(fake.service.activeSummary('chair-1')?.state.phase).toBe('observation'));
    fake.state.gateFailing = ['observation-time', 'checklist'];
    setNow(t0 + 5 * min);

    const result = await c.overrideDischarge('chair-1');
    expect(result.failingItems).toEqual(['observation-time', 'checklist']);
    const discharged = fake.events.find((e) => e.event.type === 'discharged');
    expect(discharged?.actor.role).toBe('clinician');
    expect(discharged?.event).toMatchObject({ override: { reason: expect.stringMatching(/^Demo scenario "discharge with override", started by a presenter/) } });
    expect(patients.left).toEqual([{ chairId: 'chair-1', cycleIndex: 0 }]);
  });

  it('closes what an earlier run of the demo left on its chairs, and nothing else', async () => {
    const { fake, conductor: c } = setUp();
    fake.sessions.set('old-baseline', { ...summary(), id: 'old-baseline', chairId: 'chair-1' });
    fake.sessions.set('old-observation', { ...summary(treated), id: 'old-observation', chairId: 'chair-2' });
    fake.sessions.set('a-persons', { ...summary(treated), id: 'a-persons', chairId: 'chair-3', checkedInBy: 'nurse' });
    fake.sessions.set('other-chair', { ...summary(treated), id: 'other-chair', chairId: 'chair-9' });
    fake.state.gateFailing = ['spo2'];
    await c.closeEarlierRuns(['chair-1', 'chair-2', 'chair-3']);
    expect(fake.events.map((e) => [e.sessionId, e.event.type])).toEqual([
      ['old-baseline', 'cancelled'],
      ['old-observation', 'discharged'],
    ]);
    expect(fake.events[1]?.event).toMatchObject({ override: { reason: expect.stringContaining('Demo restarted') } });
  });
});
