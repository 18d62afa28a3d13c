/**
 * Things that happen to a chair beyond its patient's pharmacology: a surge, a probe falling off, a
 * failed cuff, a dropped network. Scenario files, the trigger API and the monitor's own random
 * episodes all become `ChairEvent`s on the chair's timeline (patient seconds); the device applies
 * them. Pure helpers only.
 */
import { meanArterial, type VitalSigns } from './patient-model';
import { clamp } from './random';

export const chairEventKinds = [
  'surge',
  'tachycardia',
  'desaturation',
  'sensor-off',
  'cuff-artefact',
  'skip-bp',
  'disconnect',
  'override',
  'motion-artefact',
] as const;
export type ChairEventKind = (typeof chairEventKinds)[number];

/** Who asked for the event. */
export type ChairEventSource = 'scenario' | 'trigger' | 'monitor';

/** Sensors a monitor can lose: the oximeter (SpO₂), the pulse/ECG (HR), RR, the NIBP cuff. */
export const sensorNames = ['spo2', 'heartRate', 'respRate', 'nibp'] as const;
export type SensorName = (typeof sensorNames)[number];

interface Window {
  /** Chair-timeline second (patient time) when it starts. */
  fromChairSec: number;
  /** When it ends (exclusive); ramps, if any, fade out after it. */
  untilChairSec: number;
  source: ChairEventSource;
}

export type ChairEvent =
  | (Window & { kind: 'surge'; systolicRiseMmHg: number; diastolicRiseMmHg: number; rampSec: number })
  | (Window & { kind: 'tachycardia'; heartRateBpm: number; rampSec: number })
  | (Window & { kind: 'desaturation'; spo2Pct: number; rampSec: number })
  | (Window & { kind: 'override'; values: Partial<Record<'systolic' | 'diastolic' | 'heartRate' | 'spo2' | 'respRate', number>>; rampSec: number })
  | (Window & { kind: 'sensor-off'; sensors: readonly SensorName[]; report: 'omit' | 'sentinel' })
  /** The next `count` cuff readings started at or after `fromChairSec` come out with these values. */
  | (Window & { kind: 'cuff-artefact'; count: number; systolic: number; diastolic: number; mean: number })
  | (Window & { kind: 'skip-bp' })
  | (Window & { kind: 'disconnect' })
  /** HR/SpO₂ samples within the window read these values (movement, shivering, a loose probe). */
  | (Window & { kind: 'motion-artefact'; heartRate: number | null; spo2: number | null });

/** The marker a monitor sends for "no reading" (docs/clinical-defaults.md "Plausibility"). */
export const noReadingSentinel = -1;

export function isActive(event: ChairEvent, chairSec: number): boolean {
  return chairSec >= event.fromChairSec && chairSec < event.untilChairSec;
}

/** 0 before the event, ramps linearly to 1 over `rampSec`, holds, and fades over `rampSec` after it ends. */
export function envelope(fromSec: number, untilSec: number, rampSec: number, chairSec: number): number {
  if (chairSec < fromSec) return 0;
  const ramp = Math.max(0, rampSec);
  if (chairSec < untilSec) return ramp === 0 ? 1 : clamp((chairSec - fromSec) / ramp, 0, 1);
  if (ramp === 0) return 0;
  const peak = clamp((untilSec - fromSec) / ramp, 0, 1);
  return peak * clamp(1 - (chairSec - untilSec) / ramp, 0, 1);
}

const physiological = new Set<ChairEventKind>(['surge', 'tachycardia', 'desaturation', 'override']);

export function isPhysiological(event: ChairEvent): boolean {
  return physiological.has(event.kind);
}

/** True while a physiological event still shapes the vitals (including its fade-out). */
export function affectsPhysiology(event: ChairEvent, chairSec: number): boolean {
  if (!isPhysiological(event) || !('rampSec' in event)) return false;
  return chairSec >= event.fromChairSec && chairSec < event.untilChairSec + event.rampSec;
}

/**
 * The patient's physiology with the physiological events applied: a surge adds to BP; tachycardia,
 * desaturation and override pull values towards their targets. MAP is recomputed.
 */
export function perturbPhysiology(truth: VitalSigns, events: readonly ChairEvent[], chairSec: number): VitalSigns {
  let { systolic, diastolic, heartRate, spo2, respRate } = truth;
  for (const event of events) {
    if (!affectsPhysiology(event, chairSec)) continue;
    switch (event.kind) {
      case 'surge': {
        const w = envelope(event.fromChairSec, event.untilChairSec, event.rampSec, chairSec);
        systolic += w * event.systolicRiseMmHg;
        diastolic += w * event.diastolicRiseMmHg;
        break;
      }
      case 'tachycardia': {
        const w = envelope(event.fromChairSec, event.untilChairSec, event.rampSec, chairSec);
        heartRate += w * Math.max(0, event.heartRateBpm - heartRate);
        break;
      }
      case 'desaturation': {
        const w = envelope(event.fromChairSec, event.untilChairSec, event.rampSec, chairSec);
        spo2 += w * Math.min(0, event.spo2Pct - spo2);
        break;
      }
      case 'override': {
        const w = envelope(event.fromChairSec, event.untilChairSec, event.rampSec, chairSec);
        const v = event.values;
        if (v.systolic !== undefined) systolic += w * (v.systolic - systolic);
        if (v.diastolic !== undefined) diastolic += w * (v.diastolic - diastolic);
        if (v.heartRate !== undefined) heartRate += w * (v.heartRate - heartRate);
        if (v.spo2 !== undefined) spo2 += w * (v.spo2 - spo2);
        if (v.respRate !== undefined) respRate += w * (v.respRate - respRate);
        break;
      }
      default:
        break;
    }
  }
  return { systolic, diastolic, mean: meanArterial(systolic, diastolic), heartRate, spo2, respRate };
}

/**
 * A measured reading moved by the events' change to the physiology (`perturbed − truth`), rounded
 * again; SpO₂ stays ≤ 100 and DBP below SBP, like the unperturbed measurement.
 */
export function shiftMeasurement(measured: VitalSigns, truth: VitalSigns, perturbed: VitalSigns): VitalSigns {
  const systolic = Math.round(measured.systolic + perturbed.systolic - truth.systolic);
  const diastolic = Math.min(Math.round(measured.diastolic + perturbed.diastolic - truth.diastolic), systolic - 10);
  return {
    systolic,
    diastolic,
    mean: Math.round(meanArterial(systolic, diastolic)),
    heartRate: Math.round(measured.heartRate + perturbed.heartRate - truth.heartRate),
    spo2: Math.min(100, Math.round(measured.spo2 + perturbed.spo2 - truth.spo2)),
    respRate: Math.max(0, Math.round(measured.respRate + perturbed.respRate - truth.respRate)),
  };
}

/** Sensors off at `chairSec` and how they report, merged over the active sensor-off events. */
export function sensorsOffAt(events: readonly ChairEvent[], chairSec: number): Map<SensorName, 'omit' | 'sentinel'> {
  const off = new Map<SensorName, 'omit' | 'sentinel'>();
  for (const event of events) {
    if (event.kind !== 'sensor-off' || !isActive(event, chairSec)) continue;
    for (const sensor of event.sensors) if (off.get(sensor) !== 'omit') off.set(sensor, event.report);
  }
  return off;
}

export function windowCovers(events: readonly ChairEvent[], kind: 'skip-bp' | 'disconnect', chairSec: number): boolean {
  return events.some((event) => event.kind === kind && isActive(event, chairSec));
}
