/**
 * Ketamine pharmacokinetics: a three-compartment mammillary model with an effect-site compartment,
 * fed by IV infusions and by first-order absorption (nasal spray). Pure: a dosing plan in,
 * concentrations at any time out, computed exactly (matrix exponential of the linear system between
 * dosing breakpoints), so the same question always gets the same answer, whatever was asked before.
 *
 * Disposition — the "Domino" parameter set of ketamine target-controlled infusion:
 *   Domino EF, Domino SE, Smith RE, et al. Ketamine kinetics in unmedicated and diazepam-premedicated
 *   subjects. Clin Pharmacol Ther 1984;36:645–653; as implemented in TCI software (e.g. RUGLOOP,
 *   the open-source `opentiva` "Domino" model):
 *     V1  = 0.063 L/kg (weight-scaled)
 *     k10 = 0.4381 /min, k12 = 0.5921 /min, k13 = 0.5900 /min, k21 = 0.2470 /min, k31 = 0.0146 /min
 *   Derived: CL = k10·V1 ≈ 1.66 L/kg/h, Vss = V1·(1 + k12/k21 + k13/k31) ≈ 2.8 L/kg, terminal
 *   half-life ≈ 2.2 h — within the published ranges for racemic ketamine.
 *
 * Effect site: dCe/dt = ke0·(Cp − Ce). The Domino study reports no ke0; TCI software derives
 * ke0 = 0.652 /min from an assumed 1-min time to peak effect after a bolus (opentiva). We use that
 * value. It puts the effect-site peak of a 40-min infusion ~2 min after the infusion ends, which is
 * consistent with the blood-pressure peak ~40 min after the start (docs/clinical-defaults.md "Why blood pressure and heart rate").
 *
 * Nasal esketamine (Spravato), an approximation stated plainly: absorption is first-order from a
 * nasal depot into the same (racemic) disposition model.
 *   F  = 0.48: the label's mean absolute bioavailability ("approximately 48 %").
 *   ka = 0.008 /min, with one 28-mg device every 5 min: puts the plasma peak ~33 min after the first
 *        device, i.e. ~28 min after the last of two (label: Tmax 20–40 min after the last spray).
 *   The label's esketamine disposition (CL ≈ 89 L/h, Vss ≈ 709 L) differs from racemic IV
 *   ketamine; the simulator needs the *shape* of the concentration curve to drive a response
 *   calibrated on observed blood pressures, not absolute esketamine levels, so one disposition
 *   model serves both routes. (The patient model uses a faster ka for its BP driver: see
 *   `pk-patient.ts`.)
 *
 * Units: amounts in mg, volumes in L, concentrations in ng/mL (= µg/L), rate constants per minute,
 * times in seconds (like the rest of the simulator).
 */

/** Parameters of the three-compartment model for one patient (rate constants per minute). */
export interface PkParameters {
  /** Central volume, L. */
  v1L: number;
  k10: number;
  k12: number;
  k13: number;
  k21: number;
  k31: number;
  /** Effect-site equilibration rate constant, per minute. */
  ke0: number;
}

/** Domino et al. 1984 as used in ketamine TCI, per kg where weight-scaled. */
export const dominoKetamine = {
  v1LPerKg: 0.063,
  k10: 0.4381,
  k12: 0.5921,
  k13: 0.59,
  k21: 0.247,
  k31: 0.0146,
  /** From an assumed 1-min time to peak effect (TCI software; not measured by Domino et al.). */
  ke0: 0.652,
} as const;

/**
 * The Domino model for a patient of `weightKg`. `overrides` lets a caller vary individuals
 * (e.g. clearance) or use another ke0.
 */
export function dominoKetamineParameters(weightKg: number, overrides: Partial<PkParameters> = {}): PkParameters {
  if (!(weightKg > 0)) throw new RangeError(`weightKg must be above 0, got ${weightKg}`);
  const d = dominoKetamine;
  return { v1L: d.v1LPerKg * weightKg, k10: d.k10, k12: d.k12, k13: d.k13, k21: d.k21, k31: d.k31, ke0: d.ke0, ...overrides };
}

/** Nasal esketamine absorption (see the file comment). */
export const esketamineNasalAbsorption = {
  bioavailability: 0.48,
  kaPerMin: 0.008,
  /** One Spravato device delivers 28 mg (two sprays, one per nostril). */
  mgPerDevice: 28,
  /** Devices are used 5 min apart (label). */
  deviceIntervalSec: 300,
} as const;

/** A constant-rate IV infusion. */
export interface InfusionInput {
  kind: 'infusion';
  startSec: number;
  durationSec: number;
  amountMg: number;
}

/** A dose into the absorption depot (nasal spray), of which `bioavailability` is absorbed. */
export interface AbsorbedDoseInput {
  kind: 'absorbed';
  atSec: number;
  amountMg: number;
}

export type DoseInput = InfusionInput | AbsorbedDoseInput;

/** What is given and how it is absorbed. One first-order absorption route per plan. */
export interface DosingPlan {
  doses: readonly DoseInput[];
  /** Absorption of `absorbed` doses; required only when the plan has some. */
  absorption?: { bioavailability: number; kaPerMin: number };
}

/** IV infusion of `doseMgPerKg` over `durationSec` from `startSec` (default protocol: 0.5 mg/kg over 40 min). */
export function ivInfusionPlan(options: {
  doseMgPerKg: number;
  weightKg: number;
  startSec: number;
  durationSec: number;
}): DosingPlan {
  return {
    doses: [{ kind: 'infusion', startSec: options.startSec, durationSec: options.durationSec, amountMg: options.doseMgPerKg * options.weightKg }],
  };
}

/** Spravato dosing: `doseMg` (28, 56 or 84) as 28-mg devices 5 min apart from `startSec`. */
export function esketamineNasalPlan(options: {
  doseMg: number;
  startSec: number;
  absorption?: { bioavailability: number; kaPerMin: number };
}): DosingPlan {
  const a = esketamineNasalAbsorption;
  const devices = Math.max(1, Math.round(options.doseMg / a.mgPerDevice));
  return {
    doses: Array.from({ length: devices }, (_, i) => ({
      kind: 'absorbed' as const,
      atSec: options.startSec + i * a.deviceIntervalSec,
      amountMg: options.doseMg / devices,
    })),
    absorption: options.absorption ?? { bioavailability: a.bioavailability, kaPerMin: a.kaPerMin },
  };
}

/** Amounts (mg) in each compartment at one instant. */
export interface PkAmounts {
  /** Nasal depot, not yet absorbed (the non-bioavailable part is never in the depot). */
  depot: number;
  central: number;
  peripheralFast: number;
  peripheralSlow: number;
  /** Cumulative amount eliminated. */
  eliminated: number;
}

export interface PkState {
  plasmaNgMl: number;
  effectSiteNgMl: number;
  amountsMg: PkAmounts;
}

/** A plan's concentration curve: `at(tSec)` is exact and pure. */
export interface PkCurve {
  readonly parameters: PkParameters;
  readonly plan: DosingPlan;
  /** Total that reaches the circulation: infused + bioavailable part of absorbed doses, mg. */
  readonly systemicDoseMg: number;
  at(tSec: number): PkState;
}

// State vector: depot, central, peripheral fast, peripheral slow, effect-site concentration (mg/L),
// eliminated, infusion rate (mg/min; constant between breakpoints — the augmentation that turns the
// inhomogeneous system into x' = M·x).
const N = 7;
const DEPOT = 0;
const CENTRAL = 1;
const FAST = 2;
const SLOW = 3;
const EFFECT = 4;
const ELIMINATED = 5;
const RATE = 6;

type Matrix = Float64Array<ArrayBuffer>; // N×N, row-major
type Vector = Float64Array<ArrayBuffer>;

function systemMatrix(p: PkParameters, kaPerMin: number): Matrix {
  const m = new Float64Array(N * N);
  const set = (row: number, col: number, value: number): void => {
    m[row * N + col] = value;
  };
  set(DEPOT, DEPOT, -kaPerMin);
  set(CENTRAL, DEPOT, kaPerMin);
  set(CENTRAL, CENTRAL, -(p.k10 + p.k12 + p.k13));
  set(CENTRAL, FAST, p.k21);
  set(CENTRAL, SLOW, p.k31);
  set(CENTRAL, RATE, 1);
  set(FAST, CENTRAL, p.k12);
  set(FAST, FAST, -p.k21);
  set(SLOW, CENTRAL, p.k13);
  set(SLOW, SLOW, -p.k31);
  set(EFFECT, CENTRAL, p.ke0 / p.v1L);
  set(EFFECT, EFFECT, -p.ke0);
  set(ELIMINATED, CENTRAL, p.k10);
  return m;
}

function multiply(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < N; k++) {
      const aik = a[i * N + k] ?? 0;
      if (aik === 0) continue;
      for (let j = 0; j < N; j++) out[i * N + j] = (out[i * N + j] ?? 0) + aik * (b[k * N + j] ?? 0);
    }
  }
  return out;
}

/** e^{M·t} by scaling and squaring with a Taylor series (the matrices here are small and well-behaved). */
function expm(m: Matrix, t: number): Matrix {
  let norm = 0;
  for (let i = 0; i < N; i++) {
    let row = 0;
    for (let j = 0; j < N; j++) row += Math.abs((m[i * N + j] ?? 0) * t);
    norm = Math.max(norm, row);
  }
  const squarings = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = t / 2 ** squarings;
  const a = m.map((x) => x * scale);
  let result = new Float64Array(N * N);
  let term = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    result[i * N + i] = 1;
    term[i * N + i] = 1;
  }
  for (let k = 1; k <= 14; k++) {
    term = multiply(term, a).map((x) => x / k);
    result = result.map((x, i) => x + (term[i] ?? 0));
  }
  for (let s = 0; s < squarings; s++) result = multiply(result, result);
  return result;
}

function apply(m: Matrix, x: Vector): Vector {
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let sum = 0;
    for (let j = 0; j < N; j++) sum += (m[i * N + j] ?? 0) * (x[j] ?? 0);
    out[i] = sum;
  }
  return out;
}

/** x + (Mt)x + (Mt)²x/2! + … for a short `tMin` (‖M·t‖ < 0.5 here): exact to rounding. */
function propagateShort(m: Matrix, x: Vector, tMin: number): Vector {
  const out = x.slice();
  if (tMin === 0) return out;
  const term = x.slice();
  const next = new Float64Array(N);
  for (let k = 1; k <= 24; k++) {
    let size = 0;
    let total = 0;
    for (let i = 0; i < N; i++) {
      let sum = 0;
      for (let j = 0; j < N; j++) sum += (m[i * N + j] ?? 0) * (term[j] ?? 0);
      next[i] = (sum * tMin) / k;
    }
    for (let i = 0; i < N; i++) {
      const v = next[i] ?? 0;
      term[i] = v;
      out[i] = (out[i] ?? 0) + v;
      size = Math.max(size, Math.abs(v));
      total = Math.max(total, Math.abs(out[i] ?? 0));
    }
    if (size <= 1e-16 * total) break;
  }
  return out;
}

/** Grid spacing of the cached states; between grid points the state is propagated exactly. */
const gridSec = 10;

/**
 * States from one breakpoint to the next, cached every `gridSec` (extended lazily), so answering any
 * time costs one short propagation.
 */
interface Segment {
  startSec: number;
  /** Grid states: grid[k] at startSec + k·gridSec. grid[0] is just after the breakpoint's doses. */
  grid: Vector[];
}

function validatePlan(plan: DosingPlan): void {
  for (const dose of plan.doses) {
    if (!(dose.amountMg >= 0) || !Number.isFinite(dose.amountMg)) throw new RangeError(`dose amount must be ≥ 0, got ${dose.amountMg}`);
    if (dose.kind === 'infusion' && !(dose.durationSec > 0)) throw new RangeError(`infusion duration must be above 0, got ${dose.durationSec}`);
    if (dose.kind === 'absorbed' && plan.absorption === undefined) throw new RangeError('a plan with absorbed doses needs `absorption`');
  }
  if (plan.absorption !== undefined) {
    const { bioavailability, kaPerMin } = plan.absorption;
    if (!(bioavailability >= 0 && bioavailability <= 1)) throw new RangeError(`bioavailability must be within 0–1, got ${bioavailability}`);
    if (!(kaPerMin > 0)) throw new RangeError(`ka must be above 0, got ${kaPerMin}`);
  }
}

/**
 * The concentration curve of `plan` in a patient with `parameters`: the linear system is solved
 * exactly between breakpoints (dose times, infusion start and end) — states cached every 10 s via
 * the matrix exponential, the remainder by its series — so `at(t)` is deterministic and cheap.
 */
export function createPkCurve(parameters: PkParameters, plan: DosingPlan): PkCurve {
  validatePlan(plan);
  const ka = plan.absorption?.kaPerMin ?? 1;
  const bioavailability = plan.absorption?.bioavailability ?? 1;
  const m = systemMatrix(parameters, ka);

  // Breakpoints: every dose time, infusion start and end.
  const times = new Set<number>();
  for (const dose of plan.doses) {
    if (dose.kind === 'infusion') {
      times.add(dose.startSec);
      times.add(dose.startSec + dose.durationSec);
    } else times.add(dose.atSec);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const rateAt = (tSec: number): number => {
    let rate = 0;
    for (const dose of plan.doses) {
      if (dose.kind === 'infusion' && tSec >= dose.startSec && tSec < dose.startSec + dose.durationSec) {
        rate += dose.amountMg / (dose.durationSec / 60);
      }
    }
    return rate;
  };

  const step = expm(m, gridSec / 60);
  const stateIn = (segment: Segment, tSec: number): Vector => {
    const k = Math.floor((tSec - segment.startSec) / gridSec);
    while (segment.grid.length <= k) {
      const last = segment.grid[segment.grid.length - 1] ?? new Float64Array(N);
      segment.grid.push(apply(step, last));
    }
    const base = segment.grid[k] ?? new Float64Array(N);
    return propagateShort(m, base, (tSec - segment.startSec - k * gridSec) / 60);
  };

  const segments: Segment[] = [];
  for (const tSec of sorted) {
    const previous = segments[segments.length - 1];
    const state = previous === undefined ? new Float64Array(N) : stateIn(previous, tSec);
    for (const dose of plan.doses) {
      if (dose.kind === 'absorbed' && dose.atSec === tSec) state[DEPOT] = (state[DEPOT] ?? 0) + dose.amountMg * bioavailability;
    }
    state[RATE] = rateAt(tSec);
    segments.push({ startSec: tSec, grid: [state] });
  }

  const systemicDoseMg = plan.doses.reduce((sum, d) => sum + d.amountMg * (d.kind === 'absorbed' ? bioavailability : 1), 0);

  const at = (tSec: number): PkState => {
    let segment: Segment | undefined;
    for (const candidate of segments) {
      if (candidate.startSec <= tSec) segment = candidate;
      else break;
    }
    const x = segment === undefined ? new Float64Array(N) : stateIn(segment, tSec);
    const central = Math.max(0, x[CENTRAL] ?? 0);
    return {
      plasmaNgMl: (central / parameters.v1L) * 1000,
      effectSiteNgMl: Math.max(0, x[EFFECT] ?? 0) * 1000,
      amountsMg: {
        depot: Math.max(0, x[DEPOT] ?? 0),
        central,
        peripheralFast: Math.max(0, x[FAST] ?? 0),
        peripheralSlow: Math.max(0, x[SLOW] ?? 0),
        eliminated: Math.max(0, x[ELIMINATED] ?? 0),
      },
    };
  };

  return { parameters, plan, systemicDoseMg, at };
}

/** Plasma and effect-site concentration of `plan` at `tSec` (one-off; build a curve for many questions). */
export function concentrationsAt(parameters: PkParameters, plan: DosingPlan, tSec: number): PkState {
  return createPkCurve(parameters, plan).at(tSec);
}

/** Time (s) and value of the largest concentration of `which` on a grid from `fromSec` to `toSec`. */
export function peakOf(
  curve: PkCurve,
  which: 'plasmaNgMl' | 'effectSiteNgMl',
  fromSec: number,
  toSec: number,
  stepSec = 10,
): { tSec: number; ngMl: number } {
  let best = { tSec: fromSec, ngMl: Number.NEGATIVE_INFINITY };
  for (let t = fromSec; t <= toSec + 1e-9; t += stepSec) {
    const value = curve.at(t)[which];
    if (value > best.ngMl) best = { tSec: t, ngMl: value };
  }
  return best;
}
