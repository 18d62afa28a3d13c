import type { Reading, ReadingSource } from '../schemas/reading';
import type { RejectedValue } from '../vitals/plausibility';
import type { VitalValues } from '../vitals/vital-fields';
import type { Alert, AlertEvent } from './alert';
import {
  type AlertContext,
  type AlertEngineState,
  type AlertInput,
  type EvaluateResult,
  createAlertEngineState,
  defaultAlertContext,
  evaluate,
} from './engine';
import { type AlertRule, defaultAlertRules } from './rules';

/** Test-only helpers: a session's alert engine driven by steps at offsets from `T0`. */

export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const sec = (n: number): number => n * 1000;
export const min = (n: number): number => n * 60_000;

/** `at` is when the step happens (server time, and a reading's arrival); a reading's `measured` defaults to `at`. */
export type Step =
  | { at: number; vitals: VitalValues; source?: ReadingSource; rejected?: RejectedValue[]; measured?: number }
  | { at: number; tick: true }
  | { at: number; context: Partial<AlertContext> }
  | { at: number; acknowledge: string; note?: string };

export const bp = (at: number, systolic: number, diastolic: number, mean?: number): Step => ({
  at,
  vitals: mean === undefined ? { systolic, diastolic } : { systolic, diastolic, mean },
});

/** A BP measured at `measured` that arrives at `at` (a late entry). */
export const lateBp = (at: number, measured: number, systolic: number, diastolic: number): Step => ({
  at,
  measured,
  vitals: { systolic, diastolic },
});

/** One value of a streamed vital every `everySec` seconds from `fromSec` to `toSec`, both included. */
export function every(field: 'heartRate' | 'spo2' | 'respRate', value: number, everySec: number, fromSec: number, toSec: number): Step[] {
  const steps: Step[] = [];
  for (let s = fromSec; s <= toSec; s += everySec) steps.push({ at: sec(s), vitals: { [field]: value } });
  return steps;
}
export const tick = (at: number): Step => ({ at, tick: true });

/** One value of a streamed vital every second from `fromSec` to `toSec`, both included. */
export function everySecond(field: 'heartRate' | 'spo2' | 'respRate', value: number, fromSec: number, toSec: number): Step[] {
  const steps: Step[] = [];
  for (let s = fromSec; s <= toSec; s += 1) steps.push({ at: sec(s), vitals: { [field]: value } });
  return steps;
}

export const treatmentContext: AlertContext = { ...defaultAlertContext, phase: 'treatment' };

export interface Harness {
  readonly state: AlertEngineState;
  readonly events: AlertEvent[];
  /** Runs steps; returns the events they produced. */
  run(steps: readonly Step[]): AlertEvent[];
  /** Applies one input at `T0 + at`. */
  apply(input: AlertInput, at: number): EvaluateResult;
  /** Open alerts of one rule. */
  open(ruleId: string): Alert[];
  replaceState(state: AlertEngineState): void;
}

export function harness(
  options: { rules?: readonly AlertRule[]; context?: Partial<AlertContext>; idPrefix?: string; firstSeq?: number } = {},
): Harness {
  const rules = options.rules ?? defaultAlertRules;
  let state = createAlertEngineState({
    idPrefix: options.idPrefix ?? 's1',
    context: { ...treatmentContext, ...options.context },
  });
  let seq = options.firstSeq ?? 0;
  const events: AlertEvent[] = [];

  const apply = (input: AlertInput, at: number): EvaluateResult => {
    const result = evaluate(rules, state, input, T0 + at);
    state = result.state;
    events.push(...result.events);
    return result;
  };

  const toInput = (step: Step): AlertInput => {
    if ('tick' in step) return { kind: 'tick' };
    if ('acknowledge' in step) {
      return { kind: 'acknowledge', alertId: step.acknowledge, by: { userId: 'u1', username: 'nina' }, note: step.note };
    }
    if ('context' in step) return { kind: 'context', ...state.context, ...step.context };
    seq += 1;
    return {
      kind: 'reading',
      reading: makeReading(seq, T0 + (step.measured ?? step.at), step.vitals, step.source, step.rejected, T0 + step.at),
    };
  };

  return {
    get state() {
      return state;
    },
    events,
    run(steps) {
      const before = events.length;
      for (const step of steps) apply(toInput(step), step.at);
      return events.slice(before);
    },
    apply,
    open(ruleId) {
      return state.alerts.filter((alert) => alert.ruleId === ruleId);
    },
    replaceState(next) {
      state = next;
    },
  };
}

export function makeReading(
  seq: number,
  measuredAtMs: number,
  vitals: VitalValues,
  source: ReadingSource = 'device',
  rejected: RejectedValue[] = [],
  receivedAtMs: number = measuredAtMs,
): Reading {
  const measuredAt = new Date(measuredAtMs).toISOString();
  return {
    seq,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    chairId: 'chair-1',
    sessionId: 's1',
    measuredAt,
    receivedAt: new Date(receivedAtMs).toISOString(),
    source,
    systolic: vitals.systolic ?? null,
    diastolic: vitals.diastolic ?? null,
    mean: vitals.mean ?? null,
    heartRate: vitals.heartRate ?? null,
    spo2: vitals.spo2 ?? null,
    respRate: vitals.respRate ?? null,
    rejected,
    flags: [],
    enteredBy: source === 'manual' ? 'nina' : null,
  };
}
