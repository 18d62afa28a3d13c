/**
 * Simulated patients. Pure: a session time in, vital signs out — no clock, no I/O, no hidden state.
 * Noise is a function of (patient, time), so asking twice gives the same answer and the order of
 * questions does not matter.
 *
 * The model behind `PatientModel` is swappable: `empiricalPatientFactory` (this file) fits the
 * published averages with a smooth curve; the PK-driven model of `pk-patient.ts` drives the response
 * from a ketamine effect-site concentration and is what the demo uses (see `profiles.ts`).
 */
import { clamp, chance, deriveSeed, forkRandom, gaussian, truncatedGaussian, uniform, type Random } from './random';

/** One set of vital signs: mmHg, beats/min, %, breaths/min. */
export interface VitalSigns {
  systolic: number;
  diastolic: number;
  /** Mean arterial pressure ≈ DBP + (SBP − DBP) / 3. */
  mean: number;
  heartRate: number;
  spo2: number;
  respRate: number;
}

/** A patient's own resting values. */
export interface PatientBaseline {
  systolic: number;
  diastolic: number;
  heartRate: number;
  spo2: number;
  respRate: number;
}

/** When the drug is given, in seconds since the patient sat down. */
export interface InfusionPlan {
  startSec: number;
  durationSec: number;
}

/** A simulated patient. `sessionSec` counts seconds of patient time since the patient sat down. */
export interface PatientModel {
  readonly baseline: PatientBaseline;
  /** Noise-free physiology (not rounded). */
  physiologyAt(sessionSec: number): VitalSigns;
  /**
   * What a monitor reads at that instant: physiology plus measurement noise, rounded to whole
   * numbers, MAP computed from the measured SBP and DBP. Same patient and time → same values.
   */
  measureAt(sessionSec: number): VitalSigns;
}

export interface PatientContext {
  /** Seed of this patient; everything individual about them flows from it. */
  seed: number;
  infusion: InfusionPlan;
}

/** Makes the patient of one visit. The simulation calls it once per chair and visit. */
export type PatientFactory = (context: PatientContext) => PatientModel;

/**
 * Mean change at the peak for a typical patient: IV ketamine 0.5 mg/kg over 40 min, BP +16/+11 mmHg
 * about 40 min after the start (docs/clinical-defaults.md "Why blood pressure and heart rate"); HR rises modestly.
 */
export const typicalKetamineResponse = {
  systolicMmHg: 16,
  diastolicMmHg: 11,
  heartRateBpm: 8,
  spo2Pct: -0.5,
  respRatePerMin: 0.5,
} as const;

/** Population ranges of resting values the simulator draws from. */
export const baselineRanges = {
  systolic: { min: 110, max: 150 },
  diastolic: { min: 65, max: 95 },
  heartRate: { min: 60, max: 90 },
  spo2: { min: 95, max: 99 },
  respRate: { min: 12, max: 18 },
} as const;

/** A slow oscillation added to one vital sign: `amplitude · sin(2π · t / period + phase)`. */
export interface DriftTerm {
  amplitude: number;
  periodSec: number;
  phaseRad: number;
}

export interface DriftTerms {
  systolic: DriftTerm[];
  diastolic: DriftTerm[];
  heartRate: DriftTerm[];
  spo2: DriftTerm[];
  respRate: DriftTerm[];
}

/** Standard deviation of one measurement's error, per vital sign. */
export interface MeasurementNoise {
  systolic: number;
  diastolic: number;
  heartRate: number;
  spo2: number;
  respRate: number;
}

export const defaultMeasurementNoise: MeasurementNoise = {
  systolic: 4,
  diastolic: 3,
  heartRate: 1.5,
  spo2: 0.5,
  respRate: 0.8,
};

/** Everything individual about a patient of the empirical model. */
export interface EmpiricalPatientTraits {
  baseline: PatientBaseline;
  /** Scales the typical BP rise; 1 = typical, 2.5 = a +40 mmHg systolic surge. */
  bpSensitivity: number;
  /** Scales the typical HR rise. */
  hrSensitivity: number;
  /** Minutes between the end of the infusion and the peak (0: peak at 40 min of a 40-min infusion). */
  peakAfterInfusionEndMin: number;
  /** Sharpness of the rise and fall; 6 puts a 40-min peak back within ~10 % by 90 min. */
  responseShape: number;
  drift: DriftTerms;
  noise: MeasurementNoise;
}

const noDrift: DriftTerms = { systolic: [], diastolic: [], heartRate: [], spo2: [], respRate: [] };

/** A typical patient: median baseline, typical response peaking at the end of a 40-min infusion, no drift. */
export function typicalPatientTraits(overrides: Partial<EmpiricalPatientTraits> = {}): EmpiricalPatientTraits {
  return {
    baseline: { systolic: 128, diastolic: 80, heartRate: 74, spo2: 97, respRate: 15 },
    bpSensitivity: 1,
    hrSensitivity: 1,
    peakAfterInfusionEndMin: 0,
    responseShape: 6,
    drift: noDrift,
    noise: defaultMeasurementNoise,
    ...overrides,
  };
}

/**
 * Fraction (0–1) of the peak response at `minutes` after the infusion start: a gamma-variate curve
 * `(t/p)^k · e^{k(1 − t/p)}`, 0 before the start, 1 at the peak `p`, smooth rise and slower fall.
 */
export function responseFraction(minutes: number, peakMin: number, shape: number): number {
  if (minutes <= 0 || peakMin <= 0) return 0;
  const x = minutes / peakMin;
  return Math.exp(shape * (Math.log(x) + 1 - x));
}

function drawDrift(random: Random, amplitude: number): DriftTerm[] {
  // Two slow components per vital sign, periods 10–45 min.
  return [0.6, 0.4].map((share) => ({
    amplitude: amplitude * share * uniform(random, 0.5, 1.5),
    periodSec: uniform(random, 10 * 60, 45 * 60),
    phaseRad: uniform(random, 0, 2 * Math.PI),
  }));
}

/**
 * Draws an individual patient: baseline within `baselineRanges`, sensitivity varying between
 * patients (log-normal), larger in patients with a higher resting SBP, and about one in ten
 * patients with a surge 2–3 × the typical rise.
 */
export function drawEmpiricalTraits(random: Random): EmpiricalPatientTraits {
  const r = baselineRanges;
  const systolic = truncatedGaussian(random, 128, 10, r.systolic.min, r.systolic.max);
  const pulsePressure = truncatedGaussian(random, 46, 7, 30, 65);
  const diastolic = clamp(systolic - pulsePressure, r.diastolic.min, r.diastolic.max);
  const heartRate = truncatedGaussian(random, 74, 7, r.heartRate.min, r.heartRate.max);
  const spo2 = truncatedGaussian(random, 97.3, 1, r.spo2.min, r.spo2.max);
  const respRate = truncatedGaussian(random, 15, 1.5, r.respRate.min, r.respRate.max);

  const hypertensionFactor = 1 + Math.max(0, systolic - 130) / 80;
  const surge = chance(random, 0.1) ? uniform(random, 2, 3) : 1;
  const bpSensitivity = clamp(Math.exp(gaussian(random, 0, 0.35)) * hypertensionFactor * surge, 0.1, 4);
  const hrSensitivity = clamp(Math.exp(gaussian(random, 0, 0.35)), 0.2, 3);
  const peakAfterInfusionEndMin = truncatedGaussian(random, 0, 2, -5, 5);
  const responseShape = uniform(random, 5.5, 7);

  return {
    baseline: { systolic, diastolic, heartRate, spo2, respRate },
    bpSensitivity,
    hrSensitivity,
    peakAfterInfusionEndMin,
    responseShape,
    drift: {
      systolic: drawDrift(random, 3),
      diastolic: drawDrift(random, 2),
      heartRate: drawDrift(random, 3),
      spo2: drawDrift(random, 0.4),
      respRate: drawDrift(random, 0.7),
    },
    noise: defaultMeasurementNoise,
  };
}

function driftAt(terms: readonly DriftTerm[], sessionSec: number): number {
  let sum = 0;
  for (const term of terms) sum += term.amplitude * Math.sin((2 * Math.PI * sessionSec) / term.periodSec + term.phaseRad);
  return sum;
}

/** Mean arterial pressure ≈ DBP + (SBP − DBP) / 3. */
export function meanArterial(systolic: number, diastolic: number): number {
  return diastolic + (systolic - diastolic) / 3;
}

/**
 * What a monitor reads from `truth`: measurement noise drawn from `random`, rounded to whole
 * numbers, DBP kept ≥10 below SBP, MAP computed from the measured SBP and DBP.
 */
export function measureVitals(truth: VitalSigns, noise: MeasurementNoise, random: Random): VitalSigns {
  const systolic = Math.round(truth.systolic + gaussian(random, 0, noise.systolic));
  const diastolic = Math.min(Math.round(truth.diastolic + gaussian(random, 0, noise.diastolic)), systolic - 10);
  return {
    systolic,
    diastolic,
    mean: Math.round(meanArterial(systolic, diastolic)),
    heartRate: Math.round(truth.heartRate + gaussian(random, 0, noise.heartRate)),
    spo2: Math.min(100, Math.round(truth.spo2 + gaussian(random, 0, noise.spo2))),
    respRate: Math.max(4, Math.round(truth.respRate + gaussian(random, 0, noise.respRate))),
  };
}

/** The measurement noise stream of one patient at one instant: same patient and time, same draw. */
export function measurementRandom(noiseSeed: number, sessionSec: number): Random {
  return forkRandom(noiseSeed, 'measure', Math.round(sessionSec * 1000));
}

/** A patient of the empirical model: baseline + drift + ketamine response curve, plus noise when measured. */
export function createEmpiricalPatient(
  traits: EmpiricalPatientTraits,
  infusion: InfusionPlan,
  noiseSeed: number,
): PatientModel {
  const peakMin = (infusion.durationSec / 60) + traits.peakAfterInfusionEndMin;
  const { baseline, drift } = traits;
  const response = typicalKetamineResponse;

  const physiologyAt = (sessionSec: number): VitalSigns => {
    const f = responseFraction((sessionSec - infusion.startSec) / 60, peakMin, traits.responseShape);
    const systolic = clamp(
      baseline.systolic + driftAt(drift.systolic, sessionSec) + f * response.systolicMmHg * traits.bpSensitivity,
      60,
      280,
    );
    const diastolic = clamp(
      baseline.diastolic + driftAt(drift.diastolic, sessionSec) + f * response.diastolicMmHg * traits.bpSensitivity,
      35,
      systolic - 15,
    );
    return {
      systolic,
      diastolic,
      mean: meanArterial(systolic, diastolic),
      heartRate: clamp(
        baseline.heartRate + driftAt(drift.heartRate, sessionSec) + f * response.heartRateBpm * traits.hrSensitivity,
        35,
        200,
      ),
      spo2: clamp(baseline.spo2 + driftAt(drift.spo2, sessionSec) + f * response.spo2Pct, 85, 100),
      respRate: clamp(baseline.respRate + driftAt(drift.respRate, sessionSec) + f * response.respRatePerMin, 6, 30),
    };
  };

  const measureAt = (sessionSec: number): VitalSigns =>
    measureVitals(physiologyAt(sessionSec), traits.noise, measurementRandom(noiseSeed, sessionSec));

  return { baseline, physiologyAt, measureAt };
}

/** The default factory: individual traits and noise, both from the patient's seed. */
export const empiricalPatientFactory: PatientFactory = ({ seed, infusion }) =>
  createEmpiricalPatient(drawEmpiricalTraits(forkRandom(seed, 'traits')), infusion, deriveSeed(seed, 'noise'));
