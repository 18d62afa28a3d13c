import { describe, expect, it } from 'vitest';
import {
  concentrationsAt,
  createPkCurve,
  dominoKetamineParameters,
  esketamineNasalPlan,
  ivInfusionPlan,
  peakOf,
  type PkAmounts,
  type PkCurve,
} from './pk-model';

const min = 60;
const total = (a: PkAmounts): number => a.depot + a.central + a.peripheralFast + a.peripheralSlow + a.eliminated;

describe('Domino ketamine model, 0.5 mg/kg IV over 40 min in a 70-kg adult', () => {
  const parameters = dominoKetamineParameters(70);
  const curve = createPkCurve(parameters, ivInfusionPlan({ doseMgPerKg: 0.5, weightKg: 70, startSec: 0, durationSec: 40 * min }));

  it('uses the published parameters, weight-scaled', () => {
    expect(parameters).toEqual({ v1L: 0.063 * 70, k10: 0.4381, k12: 0.5921, k13: 0.59, k21: 0.247, k31: 0.0146, ke0: 0.652 });
    expect(dominoKetamineParameters(100).v1L).toBeCloseTo(6.3, 10);
    expect(() => dominoKetamineParameters(0)).toThrow(/weightKg/);
  });

  it('is zero before the infusion and rises throughout it', () => {
    expect(curve.at(-60).plasmaNgMl).toBe(0);
    expect(curve.at(0).plasmaNgMl).toBe(0);
    let previous = 0;
    for (let m = 1; m <= 40; m++) {
      const c = curve.at(m * min).plasmaNgMl;
      expect(c).toBeGreaterThan(previous);
      previous = c;
    }
  });

  it('peaks in plasma at the end of the infusion, at a published-like level (~150–250 ng/mL)', () => {
    const peak = peakOf(curve, 'plasmaNgMl', 0, 180 * min, 10);
    expect(peak.tSec).toBe(40 * min);
    expect(peak.ngMl).toBeGreaterThan(150);
    expect(peak.ngMl).toBeLessThan(250);
  });

  it('declines monotonically after the infusion ends, fast at first then slowly', () => {
    let previous = curve.at(40 * min).plasmaNgMl;
    for (let m = 41; m <= 300; m++) {
      const c = curve.at(m * min).plasmaNgMl;
      expect(c).toBeLessThan(previous);
      previous = c;
    }
    const at = (m: number): number => curve.at(m * min).plasmaNgMl;
    // Distribution: more than half gone within 10 min; elimination: still measurable after 3 h.
    expect(at(50) / at(40)).toBeLessThan(0.5);
    expect(at(220) / at(40)).toBeGreaterThan(0.03);
  });

  it('has an effect site that lags plasma: below it while rising, peaking after it', () => {
    for (const m of [5, 10, 20, 39]) expect(curve.at(m * min).effectSiteNgMl).toBeLessThan(curve.at(m * min).plasmaNgMl);
    const slow = createPkCurve({ ...parameters, ke0: 0.04 }, curve.plan);
    const plasmaPeak = peakOf(slow, 'plasmaNgMl', 0, 180 * min, 5).tSec;
    const effectPeak = peakOf(slow, 'effectSiteNgMl', 0, 180 * min, 5).tSec;
    expect(effectPeak).toBeGreaterThan(plasmaPeak);
    expect(effectPeak).toBeLessThan(plasmaPeak + 5 * min);
    // After the peak the effect site stays above plasma (it empties through plasma).
    expect(slow.at(60 * min).effectSiteNgMl).toBeGreaterThan(slow.at(60 * min).plasmaNgMl);
  });

  it('conserves mass: what is in the body plus what was eliminated is what was infused', () => {
    const doseMg = 35;
    expect(curve.systemicDoseMg).toBeCloseTo(doseMg, 10);
    for (const m of [10, 20, 40]) expect(total(curve.at(m * min).amountsMg)).toBeCloseTo((doseMg * m) / 40, 6);
    for (const m of [41, 60, 120, 600]) expect(total(curve.at(m * min).amountsMg)).toBeCloseTo(doseMg, 6);
    // Elimination goes on: after 10 h nearly everything is gone.
    expect(curve.at(600 * min).amountsMg.eliminated / doseMg).toBeGreaterThan(0.95);
  });

  it('is linear in the dose and does not depend on the order of questions', () => {
    const double = createPkCurve(parameters, ivInfusionPlan({ doseMgPerKg: 1, weightKg: 70, startSec: 0, durationSec: 40 * min }));
    expect(double.at(30 * min).plasmaNgMl).toBeCloseTo(2 * curve.at(30 * min).plasmaNgMl, 8);
    const late = curve.at(90 * min);
    curve.at(5 * min);
    expect(curve.at(90 * min)).toEqual(late);
    expect(concentrationsAt(parameters, curve.plan, 90 * min)).toEqual(late);
  });

  it('gives the same concentrations at any weight for a per-kg dose', () => {
    const heavy = createPkCurve(dominoKetamineParameters(110), ivInfusionPlan({ doseMgPerKg: 0.5, weightKg: 110, startSec: 0, durationSec: 40 * min }));
    expect(heavy.at(40 * min).plasmaNgMl).toBeCloseTo(curve.at(40 * min).plasmaNgMl, 8);
  });

  it('agrees with a small-step numerical integration of the same equations', () => {
    // Euler with 0.01-s steps, independent of the matrix exponential.
    const p = parameters;
    let [a1, a2, a3, ce] = [0, 0, 0, 0];
    const dtMin = 0.01 / 60;
    const rate = 35 / 40;
    for (let t = 0; t < 50; t += dtMin) {
      const infusing = t < 40 ? rate : 0;
      const d1 = infusing - (p.k10 + p.k12 + p.k13) * a1 + p.k21 * a2 + p.k31 * a3;
      const d2 = p.k12 * a1 - p.k21 * a2;
      const d3 = p.k13 * a1 - p.k31 * a3;
      const dce = p.ke0 * (a1 / p.v1L - ce);
      a1 += d1 * dtMin;
      a2 += d2 * dtMin;
      a3 += d3 * dtMin;
      ce += dce * dtMin;
    }
    const exact = curve.at(50 * min);
    expect(exact.plasmaNgMl).toBeCloseTo((a1 / p.v1L) * 1000, 0);
    expect(exact.effectSiteNgMl).toBeCloseTo(ce * 1000, 0);
  });
});

describe('nasal esketamine (first-order absorption into the same model)', () => {
  const parameters = dominoKetamineParameters(70);
  const at = (curve: PkCurve, m: number) => curve.at(m * min);

  it('gives 28-mg devices 5 min apart', () => {
    expect(esketamineNasalPlan({ doseMg: 84, startSec: 600 }).doses).toEqual([
      { kind: 'absorbed', atSec: 600, amountMg: 28 },
      { kind: 'absorbed', atSec: 900, amountMg: 28 },
      { kind: 'absorbed', atSec: 1200, amountMg: 28 },
    ]);
  });

  it('absorbs 48 % of the dose: body + eliminated + depot = F × dose', () => {
    const curve = createPkCurve(parameters, esketamineNasalPlan({ doseMg: 56, startSec: 0 }));
    expect(curve.systemicDoseMg).toBeCloseTo(0.48 * 56, 10);
    expect(total(at(curve, 1).amountsMg)).toBeCloseTo(0.48 * 28, 6); // the second device comes at 5 min
    for (const m of [5, 7, 30, 240]) expect(total(at(curve, m).amountsMg)).toBeCloseTo(0.48 * 56, 6);
    expect(at(curve, 0).amountsMg.depot).toBeCloseTo(0.48 * 28, 10);
    expect(at(curve, 60).amountsMg.depot).toBeLessThan(at(curve, 30).amountsMg.depot);
    expect(at(curve, 1440).amountsMg.depot).toBeLessThan(0.01);
  });

  it('peaks in plasma after dosing, not at once, and later with slower absorption', () => {
    const label = createPkCurve(parameters, esketamineNasalPlan({ doseMg: 56, startSec: 0 }));
    const peak = peakOf(label, 'plasmaNgMl', 0, 240 * min, 10);
    // Label: Tmax 20–40 min after the last device, which comes at 5 min.
    expect(peak.tSec).toBeGreaterThanOrEqual(25 * min);
    expect(peak.tSec).toBeLessThanOrEqual(45 * min);
    const faster = createPkCurve(parameters, esketamineNasalPlan({ doseMg: 56, startSec: 0, absorption: { bioavailability: 0.48, kaPerMin: 0.035 } }));
    expect(peakOf(faster, 'plasmaNgMl', 0, 240 * min, 10).tSec).toBeLessThan(peak.tSec);
    let previous = peak.ngMl;
    for (let m = peak.tSec / min + 1; m <= 240; m++) {
      const c = at(label, m).plasmaNgMl;
      expect(c).toBeLessThan(previous);
      previous = c;
    }
  });

  it('refuses an inconsistent plan', () => {
    expect(() => createPkCurve(parameters, { doses: [{ kind: 'absorbed', atSec: 0, amountMg: 28 }] })).toThrow(/absorption/);
    expect(() => createPkCurve(parameters, { doses: [{ kind: 'infusion', startSec: 0, durationSec: 0, amountMg: 1 }] })).toThrow(/duration/);
  });
});
