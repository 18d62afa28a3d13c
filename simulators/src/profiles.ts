/**
 * Patient profiles: seeded trait generators for the PK-driven model, each a kind of patient a clinic
 * sees, and the demo mix that puts the whole range on a 6-chair grid within minutes.
 *
 * Every profile draws an individual (baseline, weight, clearance, drift, breathing, sensitivity) from
 * the visit's seed, so chair 2 shows a different surger on every visit, always a surger.
 */
import {
  createPkPatient,
  drawBaseline,
  drawCommonTraits,
  hemodynamicKe0PerMin,
  sigmoidFraction,
  typicalEsketamineResponse,
  typicalIvResponse,
  type HemodynamicResponse,
  type PkPatientModel,
  type PkPatientTraits,
} from './pk-patient';
import { createPkCurve, dominoKetamineParameters, ivInfusionPlan } from './pk-model';
import type { InfusionPlan, PatientFactory } from './patient-model';
import { chance, clamp, deriveSeed, forkRandom, gaussian, uniform, type Random } from './random';

export const patientProfileIds = [
  'typical',
  'non-responder',
  'hypertensive-surger',
  'hypertensive-baseline',
  'tachycardic',
  'esketamine',
  'population',
] as const;
export type PatientProfileId = (typeof patientProfileIds)[number];

/** How the drug is given, which decides the visit's timeline (see `profileSchedule` in simulation.ts). */
export type ProfileRoute = 'iv' | 'nasal';

export interface PatientProfile {
  id: PatientProfileId;
  label: string;
  /** What a user sees on the dashboard with this patient. */
  description: string;
  route: ProfileRoute;
  /** Draws an individual; `infusion` is the visit's dosing plan (some profiles calibrate on it). */
  drawTraits(random: Random, infusion: InfusionPlan): PkPatientTraits;
}

const lognormal = (random: Random, sd: number): number => Math.exp(gaussian(random, 0, sd));

/** Hemodynamic Ce at `sessionSec` for a patient of these traits on an IV plan (for calibrating profiles). */
function ivCeAt(traits: Pick<PkPatientTraits, 'weightKg' | 'clearanceFactor' | 'dosing'>, infusion: InfusionPlan, sessionSec: number): number {
  const doseMgPerKg = traits.dosing.route === 'iv' ? traits.dosing.doseMgPerKg : 0.5;
  const base = dominoKetamineParameters(traits.weightKg);
  const curve = createPkCurve(
    { ...base, k10: base.k10 * traits.clearanceFactor, ke0: hemodynamicKe0PerMin },
    ivInfusionPlan({ doseMgPerKg, weightKg: traits.weightKg, startSec: infusion.startSec, durationSec: infusion.durationSec }),
  );
  return curve.at(sessionSec).effectSiteNgMl;
}

/** A typical responder with the usual spread between people. */
function drawTypicalResponse(random: Random): HemodynamicResponse {
  const ec50 = typicalIvResponse.bp.ec50NgMl * clamp(lognormal(random, 0.08), 0.85, 1.18);
  const size = clamp(lognormal(random, 0.12), 0.8, 1.25);
  return {
    ...typicalIvResponse,
    bp: { ...typicalIvResponse.bp, ec50NgMl: ec50, systolicMaxMmHg: 32 * size, diastolicMaxMmHg: 22 * size },
    hr: { ...typicalIvResponse.hr, ec50NgMl: ec50, maxBpm: 16 * clamp(lognormal(random, 0.25), 0.6, 1.6) },
  };
}

const typical: PatientProfile = {
  id: 'typical',
  label: 'Typical responder',
  description: 'BP rises gradually to about +16/+11 mmHg around 40 min after the infusion starts, HR +8/min, back near baseline by 90 min.',
  route: 'iv',
  drawTraits(random) {
    return {
      ...drawCommonTraits(random),
      baseline: drawBaseline(random, { systolic: 126, diastolic: 79, heartRate: 74 }),
      dosing: { route: 'iv', doseMgPerKg: 0.5 },
      response: drawTypicalResponse(random),
    };
  },
};

const nonResponder: PatientProfile = {
  id: 'non-responder',
  label: 'Non-responder',
  description: 'Vital signs barely move (under 3 mmHg): a flat trend, only drift and noise.',
  route: 'iv',
  drawTraits(random) {
    const response = drawTypicalResponse(random);
    // EC50 three to four times the typical peak concentration: f(peak) < 4 %.
    const ec50 = typicalIvResponse.bp.ec50NgMl * uniform(random, 3, 4);
    return {
      ...drawCommonTraits(random),
      baseline: drawBaseline(random, { systolic: 122, diastolic: 77, heartRate: 72 }),
      dosing: { route: 'iv', doseMgPerKg: 0.5 },
      response: { ...response, bp: { ...response.bp, ec50NgMl: ec50 }, hr: { ...response.hr, ec50NgMl: ec50 } },
    };
  },
};

/**
 * Crosses 180 mmHg systolic and 110 mmHg diastolic between 30 and 40 min after the infusion starts
 * (docs/clinical-defaults.md "Why blood pressure and heart rate": severe rises cluster at 30–40 min, in older and hypertensive patients),
 * peaks ~+45/+27 mmHg at ~40 min, below the crisis limits (200/120).
 *
 * The crossing time is drawn (32–37 min) and the individual's sensitivity solved for it, so every
 * surger crosses in the window whatever its baseline and clearance.
 */
const hypertensiveSurger: PatientProfile = {
  id: 'hypertensive-surger',
  label: 'Hypertensive surger',
  description: 'Starts near 140/87; BP crosses 180/110 between 30 and 40 min and peaks around 185/113, then falls back over the observation.',
  route: 'iv',
  drawTraits(random, infusion) {
    const common = drawCommonTraits(random);
    const baseline = drawBaseline(random, { systolic: 141, diastolic: 87, heartRate: 78 }, 0.5);
    const crossingSec = infusion.startSec + uniform(random, 32, 37) * 60;
    const partial = { weightKg: common.weightKg, clearanceFactor: common.clearanceFactor, dosing: { route: 'iv' as const, doseMgPerKg: 0.5 } };
    const ec50 = typicalIvResponse.bp.ec50NgMl * uniform(random, 0.65, 0.75);
    const bp = { ec50NgMl: ec50, hill: 3 };
    const f = sigmoidFraction(ivCeAt(partial, infusion, crossingSec), bp);
    const response = drawTypicalResponse(random);
    return {
      ...common,
      ...partial,
      // Drift would move the crossing by minutes; the surger's BP is steady apart from the surge.
      drift: { ...common.drift, sd: { ...common.drift.sd, systolic: 0.8, diastolic: 0.5 } },
      baseline,
      response: {
        ...response,
        bp: { ...bp, systolicMaxMmHg: (180.5 - baseline.systolic) / f, diastolicMaxMmHg: (110.5 - baseline.diastolic) / f },
      },
    };
  },
};

const hypertensiveBaseline: PatientProfile = {
  id: 'hypertensive-baseline',
  label: 'Known hypertension',
  description: 'Rests around 150/95 (baseline flagged as elevated), then a typical, mostly systolic rise to about 166/104.',
  route: 'iv',
  drawTraits(random) {
    const response = drawTypicalResponse(random);
    const drawn = drawBaseline(random, { systolic: 150, diastolic: 95, heartRate: 76 }, 0.5);
    return {
      ...drawCommonTraits(random),
      // Always above the 140/90 baseline limit (docs/clinical-defaults.md "Alert rules"), whatever the draw.
      baseline: { ...drawn, systolic: Math.max(drawn.systolic, 144), diastolic: Math.max(drawn.diastolic, 92) },
      dosing: { route: 'iv', doseMgPerKg: 0.5 },
      // Stiffer arteries: the rise widens the pulse pressure (diastolic rise ~0.8 × typical), which
      // keeps this profile about the elevated baseline rather than a second surger.
      response: { ...response, bp: { ...response.bp, diastolicMaxMmHg: Math.min(response.bp.diastolicMaxMmHg, 22) * 0.8 } },
    };
  },
};

/**
 * HR above 120/min for most of the second half of the infusion (about 22–60 min after the start),
 * peaking ~130/min; BP typical. The HR sensitivity is solved so that HR at 30 min is 127–132.
 */
const tachycardic: PatientProfile = {
  id: 'tachycardic',
  label: 'Tachycardic responder',
  description: 'HR climbs above 120/min from about 20 min into the infusion and stays there until after it ends; BP rises typically.',
  route: 'iv',
  drawTraits(random, infusion) {
    const common = drawCommonTraits(random);
    const baseline = drawBaseline(random, { systolic: 124, diastolic: 78, heartRate: 86 }, 0.6);
    const partial = { weightKg: common.weightKg, clearanceFactor: common.clearanceFactor, dosing: { route: 'iv' as const, doseMgPerKg: 0.5 } };
    const hr = { ec50NgMl: typicalIvResponse.hr.ec50NgMl * 0.5, hill: 2 };
    const f = sigmoidFraction(ivCeAt(partial, infusion, infusion.startSec + 30 * 60), hr);
    const hrAt30 = uniform(random, 127, 132);
    const response = drawTypicalResponse(random);
    return {
      ...common,
      ...partial,
      drift: { ...common.drift, sd: { ...common.drift.sd, heartRate: 1.5 } },
      // Sinus arrhythmia fades as sympathetic tone takes over.
      breathing: { ...common.breathing, heartRateBpm: 0.5 },
      baseline,
      response: { ...response, hr: { ...hr, maxBpm: (hrAt30 - baseline.heartRate) / f } },
    };
  },
};

/**
 * Nasal esketamine (Spravato) 56 mg (70 %) or 84 mg: BP peaks ~40 min after the first device and
 * returns slowly, still above baseline after 2 h (label: the rise lasts ~4 h).
 */
const esketamine: PatientProfile = {
  id: 'esketamine',
  label: 'Esketamine (nasal)',
  description: 'Nasal esketamine 56 or 84 mg: BP peaks about 40 min after the first device and returns slowly over ~4 h.',
  route: 'nasal',
  drawTraits(random) {
    const r = typicalEsketamineResponse;
    const size = clamp(lognormal(random, 0.2), 0.7, 1.4);
    const ec50 = r.bp.ec50NgMl * clamp(lognormal(random, 0.15), 0.75, 1.3);
    return {
      ...drawCommonTraits(random),
      baseline: drawBaseline(random, { systolic: 127, diastolic: 80, heartRate: 74 }),
      dosing: { route: 'nasal', doseMg: chance(random, 0.7) ? 56 : 84 },
      response: {
        ...r,
        bp: { ...r.bp, ec50NgMl: ec50, systolicMaxMmHg: r.bp.systolicMaxMmHg * size, diastolicMaxMmHg: r.bp.diastolicMaxMmHg * size },
        hr: { ...r.hr, ec50NgMl: ec50 },
      },
    };
  },
};

/**
 * A random patient of the clinic: mostly typical responders with the usual spread, larger rises in
 * patients with a higher resting SBP, ~10 % non-responders and ~8 % surgers (2–3 × the typical rise).
 */
const population: PatientProfile = {
  id: 'population',
  label: 'Random patient',
  description: 'A patient drawn from the clinic population: usually a modest rise, sometimes none, occasionally a surge.',
  route: 'iv',
  drawTraits(random) {
    const common = drawCommonTraits(random);
    const baseline = drawBaseline(random, { systolic: 128, diastolic: 80, heartRate: 74 }, 1.6);
    const response = drawTypicalResponse(random);
    const hypertensionFactor = 1 + Math.max(0, baseline.systolic - 130) / 80;
    const kind = random();
    const scale = kind < 0.1 ? 0.15 : kind < 0.18 ? uniform(random, 2, 3) : clamp(lognormal(random, 0.3), 0.5, 1.8);
    return {
      ...common,
      baseline,
      dosing: { route: 'iv', doseMgPerKg: 0.5 },
      response: {
        ...response,
        bp: {
          ...response.bp,
          systolicMaxMmHg: response.bp.systolicMaxMmHg * scale * hypertensionFactor,
          diastolicMaxMmHg: response.bp.diastolicMaxMmHg * scale * hypertensionFactor,
        },
      },
    };
  },
};

export const patientProfiles: Readonly<Record<PatientProfileId, PatientProfile>> = {
  typical,
  'non-responder': nonResponder,
  'hypertensive-surger': hypertensiveSurger,
  'hypertensive-baseline': hypertensiveBaseline,
  tachycardic,
  esketamine,
  population,
};

export function isPatientProfileId(value: string): value is PatientProfileId {
  return (patientProfileIds as readonly string[]).includes(value);
}

/** The patient of one visit with `profileId`: traits from `seed`'s "traits" stream, noise and drift from the rest. */
export function createProfilePatient(profileId: PatientProfileId, seed: number, infusion: InfusionPlan): PkPatientModel {
  const traits = patientProfiles[profileId].drawTraits(forkRandom(seed, 'traits', profileId), infusion);
  return createPkPatient(traits, infusion, deriveSeed(seed, 'patient-noise'));
}

/** A `PatientFactory` that makes every visit a patient of `profileId`. */
export function profilePatientFactory(profileId: PatientProfileId): PatientFactory {
  return ({ seed, infusion }) => createProfilePatient(profileId, seed, infusion);
}

/** The PK-driven default for a chair that has no profile: a random patient of the clinic. */
export const pkPatientFactory: PatientFactory = profilePatientFactory('population');

/**
 * The demo's chairs, in order (chair-1 first). With the simulator's default start (`firstPatients:
 * 'mid-visit'`, e.g. the CLI) chairs start staggered over one visit (chair i at i/6 of the 115-min
 * cycle: 0, 19, 38, 58, 77, 96 min), so the order puts each profile where its signature shows within
 * minutes of starting:
 *
 *   chair-1  typical                 starts at check-in: a whole ordinary session
 *   chair-2  tachycardic             9 min into the infusion: HR passes 120 ~13 patient-min later
 *   chair-3  hypertensive-surger     28 min into the infusion: crosses 180/110 within ~10 patient-min
 *   chair-4  hypertensive-baseline   early observation: BP ~150/95 stands out at once
 *   chair-5  non-responder           observation: a flat trend next to the others
 *   chair-6  typical                 late observation: back near baseline, then a new patient
 *
 * Chairs beyond the list get `population` patients. Override with `chairProfiles` (simulation
 * options) or `--profiles` (CLI). The server's demo mode seats the first patients one after another
 * instead (`firstPatients: 'arriving'`, the same spacing), so that its autopilot sees every visit
 * from its baseline: there chair 1's patient arrives first and chair 6's last.
 */
export const defaultDemoMix: readonly PatientProfileId[] = [
  'typical',
  'tachycardic',
  'hypertensive-surger',
  'hypertensive-baseline',
  'non-responder',
  'typical',
];

/** Profile of chair `index` (0-based) under `mix`; chairs beyond the mix are `population`. */
export function profileForChair(index: number, mix: readonly PatientProfileId[] = defaultDemoMix): PatientProfileId {
  return mix[index] ?? 'population';
}
