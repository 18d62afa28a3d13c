/**
 * A physiological patient driven by ketamine pharmacokinetics. Pure, like every `PatientModel`:
 * session time in, vital signs out, noise a function of (patient, time).
 *
 *   vital(t) = own resting value + slow drift(t) + breathing(t) + drug response(Ce(t))
 *
 * Drug response: a sigmoid Emax function of a hemodynamic effect-site concentration Ce, from the
 * Domino three-compartment model (`pk-model.ts`) with its own effect-site rate constant:
 *
 *   f(Ce) = Ce^n / (EC50^n + Ce^n),  ΔSBP = Emax_SBP · f,  ΔDBP = Emax_DBP · f,  ΔHR = Emax_HR · f_HR
 *
 * Calibration (docs/clinical-defaults.md "Why blood pressure and heart rate"), stated honestly:
 * - Plasma peaks at the end of the infusion (40 min) and falls within minutes (Domino's fast
 *   distribution). With the CNS ke0 of TCI software (0.652 /min) the effect site follows plasma
 *   within ~1 min, so blood pressure would collapse minutes after the infusion stops — not what is
 *   observed (back to baseline ~1.5 h after the start). The blood-pressure response is
 *   sympathetically mediated and lags; we give it its own effect site, ke0 = 0.04 /min
 *   (t½ ≈ 17 min). That value is **our calibration, not a published figure**: it makes the rise
 *   gradual (≈ 1/3 of the peak at 20 min), the peak fall ~40–41 min after the start (a small lag
 *   after the plasma peak at 40 min), and leaves Ce at ~40 % of its peak at 90 min.
 * - Hill n = 3, EC50 = the typical peak Ce of 0.5 mg/kg over 40 min (≈ 170 ng/mL in this model), so a
 *   typical responder gets half of Emax at the peak: Emax 32/22 mmHg → +16/+11 mmHg at ~40 min, and
 *   f(0.4·EC50) is ~12 % of the peak effect → within ~2 mmHg of baseline by 90 min.
 * - Esketamine (nasal): same hemodynamic ke0, absorption ka 0.035 /min so the BP peak is ~40 min after
 *   the first device (label); Hill 1.5, which gives the label's long tail (BP still ~1/5 of its peak
 *   rise at 4 h). The plasma Tmax this implies (~10 min after the first device) is earlier than the
 *   label's 20–40 min after the last: we chose to match what the dashboard shows (the BP curve).
 */
import {
  createPkCurve,
  dominoKetamineParameters,
  esketamineNasalAbsorption,
  esketamineNasalPlan,
  ivInfusionPlan,
  type PkCurve,
  type PkState,
} from './pk-model';
import {
  defaultMeasurementNoise,
  measureVitals,
  measurementRandom,
  meanArterial,
  type InfusionPlan,
  type MeasurementNoise,
  type PatientBaseline,
  type PatientModel,
  type VitalSigns,
} from './patient-model';
import { clamp, forkRandom, gaussian, uniform, type Random } from './random';

/** Hemodynamic effect-site rate constant (see the file comment: calibrated, not published). */
export const hemodynamicKe0PerMin = 0.04;

/** Absorption rate of nasal esketamine used for the BP response (see the file comment). */
export const esketamineHemodynamicKaPerMin = 0.035;

/** Typical peak hemodynamic effect-site concentration of 0.5 mg/kg over 40 min, ng/mL (≈ any weight). */
export const typicalIvPeakCeNgMl = 170;

/** Typical peak hemodynamic Ce of 56 mg nasal esketamine in a 70-kg adult, ng/mL. */
export const typicalEsketaminePeakCeNgMl = 100;

/** How the drug is given. IV runs over the plan's infusion; nasal devices start at the plan's start. */
export type Dosing = { route: 'iv'; doseMgPerKg: number } | { route: 'nasal'; doseMg: number };

/** A sigmoid Emax concentration–response. */
export interface SigmoidResponse {
  ec50NgMl: number;
  hill: number;
}

/** The drug's effect on vital signs, as a function of the hemodynamic effect-site concentration. */
export interface HemodynamicResponse {
  /** Effect-site rate constant of the hemodynamic response, per minute. */
  ke0PerMin: number;
  bp: SigmoidResponse & { systolicMaxMmHg: number; diastolicMaxMmHg: number };
  hr: SigmoidResponse & { maxBpm: number };
  /** Changes at the full BP effect (f = 1): small, from the dissociative state. */
  spo2AtMaxPct: number;
  respRateAtMaxPerMin: number;
}

/** Slow wandering of resting values: an Ornstein–Uhlenbeck process per vital sign, seeded. */
export interface DriftSpec {
  /** Stationary standard deviation per vital sign. */
  sd: PatientBaseline;
  /** How long a deviation lasts (mean reversion time), seconds. */
  timeConstantSec: number;
}

/**
 * Respiratory sinus arrhythmia: HR swings with each breath, which a 1-s pulse rate shows. (BP swings
 * too, but a cuff reading averages over several breaths, so it is left out.)
 */
export interface BreathingSpec {
  heartRateBpm: number;
  phaseRad: number;
}

export interface PkPatientTraits {
  weightKg: number;
  baseline: PatientBaseline;
  /** Individual clearance relative to the Domino typical value (scales k10). */
  clearanceFactor: number;
  dosing: Dosing;
  response: HemodynamicResponse;
  drift: DriftSpec;
  breathing: BreathingSpec;
  noise: MeasurementNoise;
}

/** A PK-driven patient also tells its drug concentrations and the drug's share of its vitals. */
export interface PkPatientModel extends PatientModel {
  readonly traits: PkPatientTraits;
  /** Plasma and hemodynamic effect-site concentration. */
  concentrationsAt(sessionSec: number): PkState;
  /** The drug's contribution to the vital signs (no baseline, drift or breathing). */
  drugEffectAt(sessionSec: number): VitalSigns;
}

export const defaultDriftSpec: DriftSpec = {
  sd: { systolic: 3, diastolic: 2, heartRate: 3, spo2: 0.4, respRate: 0.7 },
  timeConstantSec: 15 * 60,
};

export const noDrift: DriftSpec = { sd: { systolic: 0, diastolic: 0, heartRate: 0, spo2: 0, respRate: 0 }, timeConstantSec: 15 * 60 };

export const defaultBreathing: BreathingSpec = { heartRateBpm: 2, phaseRad: 0 };

export const noBreathing: BreathingSpec = { heartRateBpm: 0, phaseRad: 0 };

/** The typical responder's response to IV ketamine (see the file comment). */
export const typicalIvResponse: HemodynamicResponse = {
  ke0PerMin: hemodynamicKe0PerMin,
  bp: { ec50NgMl: typicalIvPeakCeNgMl, hill: 3, systolicMaxMmHg: 32, diastolicMaxMmHg: 22 },
  hr: { ec50NgMl: typicalIvPeakCeNgMl, hill: 3, maxBpm: 16 },
  spo2AtMaxPct: -1,
  respRateAtMaxPerMin: 1,
};

/** A typical response to nasal esketamine: peak ~40 min after the first device, slow return. */
export const typicalEsketamineResponse: HemodynamicResponse = {
  ke0PerMin: hemodynamicKe0PerMin,
  bp: { ec50NgMl: typicalEsketaminePeakCeNgMl, hill: 1.5, systolicMaxMmHg: 32, diastolicMaxMmHg: 20 },
  hr: { ec50NgMl: typicalEsketaminePeakCeNgMl, hill: 1.5, maxBpm: 14 },
  spo2AtMaxPct: -1,
  respRateAtMaxPerMin: 1,
};

/** A typical IV patient without drift or breathing: the reference of the calibration. */
export function typicalPkTraits(overrides: Partial<PkPatientTraits> = {}): PkPatientTraits {
  return {
    weightKg: 70,
    baseline: { systolic: 128, diastolic: 80, heartRate: 74, spo2: 97, respRate: 15 },
    clearanceFactor: 1,
    dosing: { route: 'iv', doseMgPerKg: 0.5 },
    response: typicalIvResponse,
    drift: noDrift,
    breathing: noBreathing,
    noise: defaultMeasurementNoise,
    ...overrides,
  };
}

/** Fraction 0–1 of the maximal effect at concentration `ceNgMl`. */
export function sigmoidFraction(ceNgMl: number, response: SigmoidResponse): number {
  if (!(ceNgMl > 0)) return 0;
  const x = (ceNgMl / response.ec50NgMl) ** response.hill;
  return x / (1 + x);
}

const vitalKeys = ['systolic', 'diastolic', 'heartRate', 'spo2', 'respRate'] as const;
type VitalKey = (typeof vitalKeys)[number];

/** Knots of an OU process every `stepSec` from 0 to `horizonSec`, starting in its stationary distribution. */
function ouPath(random: Random, sd: number, timeConstantSec: number, stepSec: number, horizonSec: number): Float64Array {
  const n = Math.ceil(horizonSec / stepSec) + 1;
  const path = new Float64Array(n);
  if (sd === 0) return path;
  const a = Math.exp(-stepSec / timeConstantSec);
  const innovation = sd * Math.sqrt(1 - a * a);
  path[0] = gaussian(random, 0, sd);
  for (let i = 1; i < n; i++) path[i] = a * (path[i - 1] ?? 0) + gaussian(random, 0, innovation);
  return path;
}

const driftStepSec = 30;
/** Long enough for the longest visit (esketamine: 10 + 10 + 110 min, and a 4-h tail in tests). */
const driftHorizonSec = 6 * 3600;

/**
 * A PK-driven patient. `infusion` places the dosing on the visit's timeline (IV: the infusion; nasal:
 * the first device at `startSec`); `seed` drives drift and measurement noise.
 */
export function createPkPatient(traits: PkPatientTraits, infusion: InfusionPlan, seed: number): PkPatientModel {
  const { baseline, response, drift, breathing } = traits;
  const pkParameters = dominoKetamineParameters(traits.weightKg, {
    k10: dominoKetamineParameters(traits.weightKg).k10 * traits.clearanceFactor,
    ke0: response.ke0PerMin,
  });
  const plan =
    traits.dosing.route === 'iv'
      ? ivInfusionPlan({ doseMgPerKg: traits.dosing.doseMgPerKg, weightKg: traits.weightKg, startSec: infusion.startSec, durationSec: infusion.durationSec })
      : esketamineNasalPlan({
          doseMg: traits.dosing.doseMg,
          startSec: infusion.startSec,
          absorption: { bioavailability: esketamineNasalAbsorption.bioavailability, kaPerMin: esketamineHemodynamicKaPerMin },
        });
  const curve: PkCurve = createPkCurve(pkParameters, plan);

  const driftRandom = forkRandom(seed, 'drift');
  const paths = Object.fromEntries(
    vitalKeys.map((key) => [key, ouPath(driftRandom, drift.sd[key], drift.timeConstantSec, driftStepSec, driftHorizonSec)]),
  ) as Record<VitalKey, Float64Array>;
  const driftAt = (key: VitalKey, sessionSec: number): number => {
    const path = paths[key];
    const x = clamp(sessionSec, 0, driftHorizonSec) / driftStepSec;
    const i = Math.min(Math.floor(x), path.length - 1);
    const frac = x - i;
    const a = path[i] ?? 0;
    const b = path[Math.min(i + 1, path.length - 1)] ?? a;
    return a + (b - a) * frac;
  };
  const noiseSeed = seed;

  const drugEffectAt = (sessionSec: number): VitalSigns => {
    const ce = curve.at(sessionSec).effectSiteNgMl;
    const fBp = sigmoidFraction(ce, response.bp);
    const fHr = sigmoidFraction(ce, response.hr);
    const systolic = response.bp.systolicMaxMmHg * fBp;
    const diastolic = response.bp.diastolicMaxMmHg * fBp;
    return {
      systolic,
      diastolic,
      mean: meanArterial(systolic, diastolic),
      heartRate: response.hr.maxBpm * fHr,
      spo2: response.spo2AtMaxPct * fBp,
      respRate: response.respRateAtMaxPerMin * fBp,
    };
  };

  const physiologyAt = (sessionSec: number): VitalSigns => {
    const effect = drugEffectAt(sessionSec);
    // One breath every 60/RR seconds; HR swings with it.
    const breath = Math.sin((2 * Math.PI * sessionSec * baseline.respRate) / 60 + breathing.phaseRad);
    const systolic = clamp(baseline.systolic + driftAt('systolic', sessionSec) + effect.systolic, 60, 280);
    const diastolic = clamp(baseline.diastolic + driftAt('diastolic', sessionSec) + effect.diastolic, 35, systolic - 15);
    return {
      systolic,
      diastolic,
      mean: meanArterial(systolic, diastolic),
      heartRate: clamp(baseline.heartRate + driftAt('heartRate', sessionSec) + effect.heartRate + breathing.heartRateBpm * breath, 35, 200),
      spo2: clamp(baseline.spo2 + driftAt('spo2', sessionSec) + effect.spo2, 85, 100),
      respRate: clamp(baseline.respRate + driftAt('respRate', sessionSec) + effect.respRate, 6, 30),
    };
  };

  return {
    baseline,
    traits,
    physiologyAt,
    measureAt: (sessionSec) => measureVitals(physiologyAt(sessionSec), traits.noise, measurementRandom(noiseSeed, sessionSec)),
    concentrationsAt: (sessionSec) => curve.at(sessionSec),
    drugEffectAt,
  };
}

/** Draws a resting baseline around given means (population spread), for the profiles. */
export function drawBaseline(
  random: Random,
  means: { systolic: number; diastolic: number; heartRate: number },
  spread = 1,
): PatientBaseline {
  const systolic = gaussian(random, means.systolic, 6 * spread);
  const diastolic = Math.min(gaussian(random, means.diastolic, 4 * spread), systolic - 30);
  return {
    systolic,
    diastolic,
    heartRate: clamp(gaussian(random, means.heartRate, 5 * spread), 50, 105),
    spo2: clamp(gaussian(random, 97.3, 0.8), 95, 99.5),
    respRate: clamp(gaussian(random, 15, 1.5), 11, 19),
  };
}

/** Individual variation common to all profiles: weight, clearance, drift and breathing. */
export function drawCommonTraits(random: Random): Pick<PkPatientTraits, 'weightKg' | 'clearanceFactor' | 'drift' | 'breathing' | 'noise'> {
  return {
    weightKg: clamp(gaussian(random, 78, 14), 50, 130),
    clearanceFactor: clamp(Math.exp(gaussian(random, 0, 0.15)), 0.7, 1.4),
    drift: {
      sd: {
        systolic: uniform(random, 2, 4),
        diastolic: uniform(random, 1.5, 2.5),
        heartRate: uniform(random, 2, 4),
        spo2: uniform(random, 0.3, 0.5),
        respRate: uniform(random, 0.5, 0.9),
      },
      timeConstantSec: uniform(random, 10 * 60, 25 * 60),
    },
    breathing: { heartRateBpm: uniform(random, 1, 3), phaseRad: uniform(random, 0, 2 * Math.PI) },
    noise: defaultMeasurementNoise,
  };
}
