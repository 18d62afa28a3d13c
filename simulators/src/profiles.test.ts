import { describe, expect, it } from 'vitest';
import type { InfusionPlan, PatientModel } from './patient-model';
import { createPkPatient, typicalPkTraits, type PkPatientModel } from './pk-patient';
import { createProfilePatient, defaultDemoMix, patientProfileIds, profileForChair, type PatientProfileId } from './profiles';

/** Default protocol: 10 min baseline, then a 40-min infusion. */
const infusion: InfusionPlan = { startSec: 600, durationSec: 2400 };
const min = 60;
const afterStart = (minutes: number): number => infusion.startSec + minutes * min;
const seeds = Array.from({ length: 30 }, (_, i) => 7_000 + i);
const patientsOf = (id: PatientProfileId): PkPatientModel[] => seeds.map((seed) => createProfilePatient(id, seed, infusion));

/** Minute after the start and size of the largest systolic drug effect. */
function effectPeak(patient: PkPatientModel, untilMin = 240): { minute: number; systolic: number; diastolic: number; heartRate: number } {
  let best = { minute: 0, systolic: Number.NEGATIVE_INFINITY, diastolic: 0, heartRate: 0 };
  for (let minute = 0; minute <= untilMin; minute += 0.5) {
    const e = patient.drugEffectAt(afterStart(minute));
    if (e.systolic > best.systolic) best = { minute, systolic: e.systolic, diastolic: e.diastolic, heartRate: e.heartRate };
  }
  return best;
}

/** First minute after the start at which SBP ≥ 180 or DBP ≥ 110 (noise-free physiology), or null. */
function severeFrom(patient: PatientModel): number | null {
  for (let minute = 0; minute <= 120; minute += 0.25) {
    const v = patient.physiologyAt(afterStart(minute));
    if (v.systolic >= 180 || v.diastolic >= 110) return minute;
  }
  return null;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

describe('the calibration reference: a typical patient, 0.5 mg/kg over 40 min, no drift', () => {
  const patient = createPkPatient(typicalPkTraits(), infusion, 1);
  const rise = (minute: number): number => patient.physiologyAt(afterStart(minute)).systolic - 128;

  it('stays at baseline before the infusion starts', () => {
    for (const sec of [0, 120, 599]) expect(patient.physiologyAt(sec)).toMatchObject({ systolic: 128, diastolic: 80, heartRate: 74 });
  });

  it('peaks ~40 min after the start at +16/+11 mmHg with HR +8', () => {
    const peak = effectPeak(patient);
    expect(peak.minute).toBeGreaterThanOrEqual(38);
    expect(peak.minute).toBeLessThanOrEqual(43);
    expect(peak.systolic).toBeCloseTo(16, 0);
    expect(peak.diastolic).toBeCloseTo(11, 0);
    expect(peak.heartRate).toBeCloseTo(8, 0);
  });

  it('rises gradually during the infusion', () => {
    expect(rise(5)).toBeLessThan(1);
    expect(rise(20)).toBeGreaterThan(3);
    expect(rise(20)).toBeLessThan(8);
    expect(rise(20)).toBeLessThan(rise(30));
    expect(rise(30)).toBeLessThan(rise(38));
  });

  it('is back within 3 mmHg of baseline by 90 min, and falls steadily after the peak', () => {
    expect(rise(90)).toBeLessThan(3);
    expect(rise(60)).toBeGreaterThan(rise(75));
    expect(rise(75)).toBeGreaterThan(rise(90));
    expect(Math.abs(patient.physiologyAt(afterStart(90)).diastolic - 80)).toBeLessThan(2);
  });
});

describe('profiles', () => {
  it('typical: peaks at 35–45 min, about +16 mmHg (people vary), near baseline by 90 min', () => {
    const peaks = patientsOf('typical').map((p) => ({ peak: effectPeak(p, 150), at90: p.drugEffectAt(afterStart(90)).systolic }));
    for (const { peak } of peaks) {
      expect(peak.minute).toBeGreaterThanOrEqual(35);
      expect(peak.minute).toBeLessThanOrEqual(45);
      expect(peak.systolic).toBeGreaterThan(8);
      expect(peak.systolic).toBeLessThan(26);
    }
    expect(median(peaks.map((p) => p.peak.systolic))).toBeGreaterThanOrEqual(13);
    expect(median(peaks.map((p) => p.peak.systolic))).toBeLessThanOrEqual(19);
    expect(median(peaks.map((p) => p.at90))).toBeLessThanOrEqual(3);
    for (const { at90 } of peaks) expect(at90).toBeLessThan(6);
  });

  it('non-responder: the drug moves BP by less than 3 mmHg', () => {
    for (const patient of patientsOf('non-responder')) expect(effectPeak(patient, 150).systolic).toBeLessThan(3);
  });

  it('hypertensive surger: crosses 180/110 between 30 and 40 min, stays below the crisis limits', () => {
    for (const patient of patientsOf('hypertensive-surger')) {
      const from = severeFrom(patient);
      expect(from).not.toBeNull();
      expect(from).toBeGreaterThanOrEqual(30);
      expect(from).toBeLessThanOrEqual(40);
      let maxSys = 0;
      let maxDia = 0;
      for (let minute = 0; minute <= 120; minute += 1) {
        const v = patient.physiologyAt(afterStart(minute));
        maxSys = Math.max(maxSys, v.systolic);
        maxDia = Math.max(maxDia, v.diastolic);
      }
      expect(maxSys).toBeLessThan(200);
      expect(maxDia).toBeLessThan(120);
      // And falls back over the observation.
      expect(patient.physiologyAt(afterStart(100)).systolic).toBeLessThan(170);
    }
  });

  it('known hypertension: rests around 150/95, above the 140/90 baseline limit', () => {
    const patients = patientsOf('hypertensive-baseline');
    for (const patient of patients) {
      expect(patient.baseline.systolic).toBeGreaterThan(141);
      expect(patient.baseline.diastolic).toBeGreaterThan(90);
      const seated = patient.physiologyAt(300);
      expect(seated.systolic > 140 || seated.diastolic > 90).toBe(true);
    }
    expect(median(patients.map((p) => p.baseline.systolic))).toBeCloseTo(150, -1);
    expect(median(patients.map((p) => p.baseline.diastolic))).toBeCloseTo(94, -1);
    // Mostly not a surger: under a fifth cross 180/110.
    expect(patients.filter((p) => severeFrom(p) !== null).length).toBeLessThan(patients.length / 5);
  });

  it('tachycardic: HR above 120 throughout the middle of the infusion (25–45 min), BP typical', () => {
    for (const patient of patientsOf('tachycardic')) {
      for (let minute = 25; minute <= 45; minute += 0.25) expect(patient.physiologyAt(afterStart(minute)).heartRate).toBeGreaterThan(120);
      expect(patient.physiologyAt(afterStart(0)).heartRate).toBeLessThan(105);
      expect(patient.physiologyAt(afterStart(110)).heartRate).toBeLessThan(115);
      expect(effectPeak(patient, 150).systolic).toBeLessThan(26);
    }
  });

  it('esketamine: BP peaks ~40 min after the first device and returns more slowly than after IV', () => {
    for (const patient of patientsOf('esketamine')) {
      expect(patient.traits.dosing.route).toBe('nasal');
      const peak = effectPeak(patient, 300);
      expect(peak.minute).toBeGreaterThanOrEqual(35);
      expect(peak.minute).toBeLessThanOrEqual(48);
      const share = (minute: number): number => patient.drugEffectAt(afterStart(minute)).systolic / peak.systolic;
      expect(share(120)).toBeGreaterThan(0.3); // still well up at 2 h
      expect(share(240)).toBeGreaterThan(0.05); // a tail at 4 h …
      expect(share(240)).toBeLessThan(0.35); // … returning
    }
    const iv = createPkPatient(typicalPkTraits(), infusion, 1);
    const ivShareAt90 = iv.drugEffectAt(afterStart(90)).systolic / effectPeak(iv).systolic;
    const esk = patientsOf('esketamine')[0];
    expect(esk).toBeDefined();
    if (esk) expect(esk.drugEffectAt(afterStart(90)).systolic / effectPeak(esk, 300).systolic).toBeGreaterThan(3 * ivShareAt90);
  });

  it('population: mostly modest rises, some none, a few surges', () => {
    const peaks = Array.from({ length: 200 }, (_, i) => effectPeak(createProfilePatient('population', 50_000 + i, infusion), 120).systolic);
    const share = (test: (x: number) => boolean): number => peaks.filter(test).length / peaks.length;
    expect(median(peaks)).toBeGreaterThan(10);
    expect(median(peaks)).toBeLessThan(22);
    expect(share((x) => x >= 35)).toBeGreaterThan(0.02);
    expect(share((x) => x >= 35)).toBeLessThan(0.2);
    expect(share((x) => x < 4)).toBeGreaterThan(0.03);
  });

  it('draws a new individual per seed, the same one again for the same seed', () => {
    for (const id of patientProfileIds) {
      const a = createProfilePatient(id, 1, infusion);
      expect(createProfilePatient(id, 1, infusion).measureAt(2000)).toEqual(a.measureAt(2000));
      expect(createProfilePatient(id, 2, infusion).baseline).not.toEqual(a.baseline);
      for (const value of Object.values(a.measureAt(2400))) expect(Number.isInteger(value)).toBe(true);
    }
  });
});

describe('the demo mix', () => {
  it('puts the whole range on six chairs, and random patients beyond', () => {
    expect(defaultDemoMix).toEqual(['typical', 'tachycardic', 'hypertensive-surger', 'hypertensive-baseline', 'non-responder', 'typical']);
    expect(profileForChair(2)).toBe('hypertensive-surger');
    expect(profileForChair(6)).toBe('population');
    expect(profileForChair(1, ['esketamine'])).toBe('population');
  });
});
