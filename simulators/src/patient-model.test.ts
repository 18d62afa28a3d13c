import { describe, expect, it } from 'vitest';
import {
  baselineRanges,
  createEmpiricalPatient,
  drawEmpiricalTraits,
  empiricalPatientFactory,
  typicalPatientTraits,
  type InfusionPlan,
  type PatientModel,
} from './patient-model';
import { forkRandom } from './random';

/** Default protocol: 10 min baseline, then a 40-min infusion. */
const infusion: InfusionPlan = { startSec: 600, durationSec: 2400 };
const min = 60;
const afterStart = (minutes: number): number => infusion.startSec + minutes * min;

/** Minute (after the infusion start) and size of the largest systolic rise over baseline. */
function peakOf(patient: PatientModel): { minute: number; systolicRise: number; diastolicRise: number; hrRise: number } {
  let best = { minute: 0, systolicRise: Number.NEGATIVE_INFINITY, diastolicRise: 0, hrRise: 0 };
  for (let minute = 0; minute <= 120; minute += 0.5) {
    const v = patient.physiologyAt(afterStart(minute));
    const rise = v.systolic - patient.baseline.systolic;
    if (rise > best.systolicRise) {
      best = {
        minute,
        systolicRise: rise,
        diastolicRise: v.diastolic - patient.baseline.diastolic,
        hrRise: v.heartRate - patient.baseline.heartRate,
      };
    }
  }
  return best;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

describe('a typical patient on a 40-min ketamine infusion', () => {
  const patient = createEmpiricalPatient(typicalPatientTraits(), infusion, 1);

  it('stays at baseline before the infusion starts', () => {
    for (const sec of [0, 120, 420, 599]) {
      const v = patient.physiologyAt(sec);
      expect(v.systolic).toBe(128);
      expect(v.diastolic).toBe(80);
      expect(v.heartRate).toBe(74);
    }
  });

  it('peaks about 40 min after the start at about +16/+11 mmHg, with a modest HR rise', () => {
    const peak = peakOf(patient);
    expect(peak.minute).toBeGreaterThanOrEqual(35);
    expect(peak.minute).toBeLessThanOrEqual(45);
    expect(peak.systolicRise).toBeGreaterThanOrEqual(14);
    expect(peak.systolicRise).toBeLessThanOrEqual(18);
    expect(peak.diastolicRise).toBeGreaterThanOrEqual(9);
    expect(peak.diastolicRise).toBeLessThanOrEqual(13);
    expect(peak.hrRise).toBeGreaterThanOrEqual(4);
    expect(peak.hrRise).toBeLessThanOrEqual(12);
  });

  it('rises gradually during the infusion', () => {
    const rise = (minute: number): number => patient.physiologyAt(afterStart(minute)).systolic - 128;
    expect(rise(5)).toBeLessThan(1);
    expect(rise(20)).toBeGreaterThan(2);
    expect(rise(20)).toBeLessThan(rise(30));
    expect(rise(30)).toBeLessThan(rise(39));
  });

  it('is back near baseline by 90–100 min after the start', () => {
    for (const minute of [90, 100]) {
      const v = patient.physiologyAt(afterStart(minute));
      expect(Math.abs(v.systolic - 128)).toBeLessThanOrEqual(2);
      expect(Math.abs(v.diastolic - 80)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(v.heartRate - 74)).toBeLessThanOrEqual(1);
    }
  });

  it('gives MAP ≈ DBP + (SBP − DBP) / 3', () => {
    const v = patient.physiologyAt(afterStart(40));
    expect(v.mean).toBeCloseTo(v.diastolic + (v.systolic - v.diastolic) / 3, 6);
  });
});

describe('measurements', () => {
  const patient = empiricalPatientFactory({ seed: 99, infusion });

  it('are whole numbers, consistent, and the same when asked again', () => {
    for (let sec = 0; sec < 7_000; sec += 37) {
      const v = patient.measureAt(sec);
      expect(patient.measureAt(sec)).toEqual(v);
      for (const value of Object.values(v)) expect(Number.isInteger(value)).toBe(true);
      expect(v.diastolic).toBeLessThan(v.systolic);
      expect(Math.abs(v.mean - (v.diastolic + (v.systolic - v.diastolic) / 3))).toBeLessThanOrEqual(0.5);
      expect(v.spo2).toBeLessThanOrEqual(100);
    }
  });

  it('scatter around the physiology like a cuff does (a few mmHg)', () => {
    const errors = Array.from({ length: 400 }, (_, i) => {
      const sec = 100 + i * 0.25;
      return patient.measureAt(sec).systolic - patient.physiologyAt(sec).systolic;
    });
    const mean = errors.reduce((s, x) => s + x, 0) / errors.length;
    const sd = Math.sqrt(errors.reduce((s, x) => s + (x - mean) ** 2, 0) / errors.length);
    expect(Math.abs(mean)).toBeLessThan(1);
    expect(sd).toBeGreaterThan(2.5);
    expect(sd).toBeLessThan(6);
  });

  it('are reproducible from the seed', () => {
    const again = empiricalPatientFactory({ seed: 99, infusion });
    const other = empiricalPatientFactory({ seed: 100, infusion });
    const series = (p: PatientModel): number[] => [300, 1800, 3000, 6000].map((s) => p.measureAt(s).systolic);
    expect(series(again)).toEqual(series(patient));
    expect(other.baseline).not.toEqual(patient.baseline);
  });
});

describe('a population of patients', () => {
  const traits = Array.from({ length: 400 }, (_, i) => drawEmpiricalTraits(forkRandom(2024, 'population', i)));
  const withoutDrift = traits.map((t) =>
    createEmpiricalPatient({ ...t, drift: { systolic: [], diastolic: [], heartRate: [], spo2: [], respRate: [] } }, infusion, 0),
  );

  it('has baselines within the usual ranges', () => {
    for (const { baseline } of traits) {
      for (const field of ['systolic', 'diastolic', 'heartRate', 'spo2', 'respRate'] as const) {
        expect(baseline[field]).toBeGreaterThanOrEqual(baselineRanges[field].min);
        expect(baseline[field]).toBeLessThanOrEqual(baselineRanges[field].max);
      }
    }
    const sbp = traits.map((t) => t.baseline.systolic);
    expect(Math.max(...sbp) - Math.min(...sbp)).toBeGreaterThan(25);
  });

  it('peaks at 35–45 min, typically by +12 to +20 mmHg, some patients far more', () => {
    const peaks = withoutDrift.map(peakOf);
    for (const peak of peaks) {
      expect(peak.minute).toBeGreaterThanOrEqual(35);
      expect(peak.minute).toBeLessThanOrEqual(45);
    }
    const rises = peaks.map((p) => p.systolicRise);
    expect(median(rises)).toBeGreaterThanOrEqual(12);
    expect(median(rises)).toBeLessThanOrEqual(20);
    const surges = rises.filter((r) => r >= 40).length / rises.length;
    expect(surges).toBeGreaterThan(0.02);
    expect(surges).toBeLessThan(0.2);
    expect(Math.min(...rises)).toBeGreaterThan(0);
  });

  it('returns within 10 % of the peak rise by 100 min after the start', () => {
    for (const patient of withoutDrift) {
      const peak = peakOf(patient);
      const residual = patient.physiologyAt(afterStart(100)).systolic - patient.baseline.systolic;
      expect(residual).toBeLessThanOrEqual(0.1 * peak.systolicRise + 1e-9);
    }
  });
});
