import {
  chairEventKinds,
  type FetchLike,
  profileForChair,
  type PatientProfileId,
  type RunningSimulation,
  type SimulationOptions,
  startSimulation,
} from '@chairside/simulators';
import type { Logger } from '../logger';
import { DemoConductor, type DemoSessions } from './demo-conductor';
import { demoChairId } from './demo-setup';
import { demoVisitTimings } from './demo-timings';
import type { DemoControl } from './routes';
import type { PatientsService } from '../patients/patients.service';
import type { ProtocolsService } from '../protocols/protocols.service';

/** The presenter's scenario whose point is a clinician's discharge override (see `DemoConductor.overrideDischarge`). */
export const dischargeOverrideKind = 'discharge-with-override';

/** The demo's patients: the simulators' demo mix, with an esketamine (Spravato) visit on chair 6. */
export function demoChairProfiles(chairCount: number): PatientProfileId[] {
  return Array.from({ length: chairCount }, (_, i) => (i === 5 ? 'esketamine' : profileForChair(i)));
}

export interface DemoOptions {
  sessions: DemoSessions;
  patients: Pick<PatientsService, 'create'>;
  protocols: Pick<ProtocolsService, 'get' | 'save'>;
  logger: Logger;
  chairCount: number;
  speed: number;
  seed: number;
  /** The server's own origin and a device token it accepts: the simulated monitors post there. */
  baseUrl: string;
  token: string;
  clock: { now(): number };
  fetch: FetchLike;
}

export interface DemoRun {
  simulation: RunningSimulation;
  conductor: DemoConductor;
  /** What a presenter may start on the simulated chairs (admin API). */
  control: DemoControl;
  stop(): Promise<void>;
}

/**
 * The simulation options of demo mode: chairs start empty and their first patients arrive one after
 * another (every visit is seen from its beginning, so every session has its baseline), each patient
 * stays until the autopilot discharges them, and the visits' timelines are those the time-scaled
 * demo protocols are satisfied by (`demoVisitTimings`).
 */
export function demoSimulationOptions(conductor: DemoConductor, chairCount: number, speed: number): Partial<SimulationOptions> {
  const iv = demoVisitTimings(conductor.protocol('iv-infusion'), speed);
  const nasal = demoVisitTimings(conductor.protocol('nasal-spray'), speed);
  return {
    chairIds: Array.from({ length: chairCount }, (_, i) => demoChairId(i + 1)),
    chairProfiles: demoChairProfiles(chairCount),
    schedule: iv.schedule,
    nibpIntervalSec: iv.nibpIntervalsSec,
    nasalSchedule: nasal.schedule,
    nasalNibpIntervalSec: nasal.nibpIntervalsSec,
    firstPatients: 'arriving',
    patientsLeave: 'when-released',
    // A phase change is seen at a tick: at high speeds ticks come often enough that the autopilot
    // records the start of treatment before the simulated treatment's first BP (a 30–40 s cuff cycle).
    tickMs: Math.max(50, Math.min(1_000, Math.round(20_000 / speed))),
  };
}

/**
 * Starts demo mode: the demo protocols, the autopilot (closing what an earlier run left open), and
 * the simulated monitors posting to this server.
 */
export async function startDemo(options: DemoOptions): Promise<DemoRun> {
  const { logger, chairCount, speed } = options;
  const conductor = new DemoConductor({ sessions: options.sessions, patients: options.patients, protocols: options.protocols, logger, speed, clock: options.clock });
  await conductor.prepare();
  const chairIds = Array.from({ length: chairCount }, (_, i) => demoChairId(i + 1));
  await conductor.closeEarlierRuns(chairIds);
  const simulation = startSimulation({
    ...demoSimulationOptions(conductor, chairCount, speed),
    chairIds,
    baseUrl: options.baseUrl,
    token: options.token,
    speed,
    seed: options.seed,
    clock: options.clock,
    fetch: options.fetch,
    onPhaseChange: (change) => conductor.onPhaseChange(change),
    logger: {
      info: (m) => logger.info(`simulator: ${m}`),
      warn: (m) => logger.warn(`simulator: ${m}`),
      error: (m) => logger.error(`simulator: ${m}`),
    },
  });
  conductor.attach(simulation);
  const control: DemoControl = {
    kinds: [...chairEventKinds, dischargeOverrideKind],
    chairIds,
    trigger: (chairId, kind) =>
      kind === dischargeOverrideKind ? conductor.overrideDischarge(chairId) : simulation.trigger(chairId, kind as (typeof chairEventKinds)[number]),
  };
  return {
    simulation,
    conductor,
    control,
    async stop() {
      await conductor.stop();
      await simulation.stop();
    },
  };
}
