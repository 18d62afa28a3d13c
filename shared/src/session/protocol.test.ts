import { describe, expect, it } from 'vitest';
import {
  defaultProtocols,
  esketamineProtocol,
  isSpo2Required,
  ivKetamineProtocol,
  type ProtocolInput,
  protocolFromInput,
  protocolInputSchema,
  protocolSchema,
} from './protocol';

function issuesOf(input: unknown): [string, string][] {
  const result = protocolInputSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => [i.path.join('.'), i.message]);
}

const { id: _id, version: _version, labels: _labels, ...validInput } = esketamineProtocol;

describe('built-in protocols (docs/clinical-defaults.md "The session timeline")', () => {
  it.each(defaultProtocols.map((p) => [p.id, p] as const))('%s is a valid protocol', (_name, p) => {
    expect(protocolSchema.safeParse(p).success).toBe(true);
  });

  it('IV ketamine: 2 baseline BPs ≥5 min apart, 40 min infusion with BP every 5 min, ≥60 min observation after it ends with BP every 15 min', () => {
    expect(ivKetamineProtocol).toMatchObject({
      id: 'iv-ketamine',
      kind: 'iv-infusion',
      baseline: { bpReadings: 2, minSpacingMin: 5 },
      treatment: { plannedMin: 40, bpIntervalMin: 5 },
      observation: { minimumMin: 60, from: 'treatment-end', bpIntervalMin: 15 },
      checkpoints: [],
      labels: { treatmentPhase: 'Infusion', startTreatment: 'Start infusion', endTreatment: 'End infusion' },
    });
  });

  it('Esketamine: 1 BP before dosing, BP at 40 min (35–50) from dosing start, ≥120 min observation from dosing start', () => {
    expect(esketamineProtocol).toMatchObject({
      id: 'esketamine',
      kind: 'nasal-spray',
      baseline: { bpReadings: 1 },
      observation: { minimumMin: 120, from: 'treatment-start', bpIntervalMin: 15 },
      checkpoints: [{ vital: 'bp', from: 'treatment-start', atMin: 40, windowStartMin: 35, windowEndMin: 50 }],
      labels: { treatmentPhase: 'Dosing', startTreatment: 'First spray given', endTreatment: 'Dosing complete' },
    });
  });

  it('both hold the start at a BP ≥180/110 and count a baseline spacing 30 s short', () => {
    expect(ivKetamineProtocol.baseline.spacingToleranceSec).toBe(30);
    for (const p of defaultProtocols) expect(p.startGate.holdAtOrAboveMmHg).toEqual({ systolic: 180, diastolic: 110 });
  });

  it('both gate on BP within 20 % of baseline and below 180/110, HR within 20 % or ≤100, SpO₂ above 92 % (5 min old at most) and the nurse’s checklist', () => {
    for (const p of defaultProtocols) {
      expect(p.dischargeGate.bpWithinPercentOfBaseline).toBe(20);
      expect(p.dischargeGate.bpBelowMmHg).toEqual({ systolic: 180, diastolic: 110 });
      expect(p.dischargeGate.heartRateWithinPercentOfBaseline).toBe(20);
      expect(p.dischargeGate.heartRateAtOrBelowPerMin).toBe(100);
      expect(p.dischargeGate.spo2MaxAgeMin).toBe(5);
      expect(p.dischargeGate.spo2AbovePercent).toBe(92);
      expect(p.dischargeGate.checklist.map((i) => i.id)).toEqual(
        expect.arrayContaining(['alert-oriented', 'steady-walking', 'escort-present']),
      );
    }
  });
});

describe('protocols stored before version 2 of the clinical reference', () => {
  // What a stored definition of the first built-in protocols looked like.
  const strip = (p: typeof ivKetamineProtocol) => {
    const { startGate: _s, ...rest } = p;
    const { spacingToleranceSec: _t, ...baseline } = p.baseline;
    const { bpBelowMmHg: _b, heartRateWithinPercentOfBaseline: _h, heartRateAtOrBelowPerMin: _m, spo2MaxAgeMin: _a, spo2Required: _r, ...dischargeGate } = p.dischargeGate;
    return { ...rest, baseline, dischargeGate };
  };

  it.each(defaultProtocols.map((p) => [p.id, p] as const))('%s still parses, with the defaults of the new fields', (_name, p) => {
    const parsed = protocolSchema.parse(strip(p));
    expect(parsed).toEqual({ ...p, dischargeGate: { ...p.dischargeGate, spo2Required: undefined } });
  });

  it('requires SpO₂ for a stored nasal-spray protocol without the flag, and only if monitored for IV', () => {
    expect(isSpo2Required(protocolSchema.parse(strip(esketamineProtocol)))).toBe(true);
    expect(isSpo2Required(protocolSchema.parse(strip(ivKetamineProtocol)))).toBe(false);
    expect(isSpo2Required(ivKetamineProtocol)).toBe(false);
    expect(isSpo2Required(esketamineProtocol)).toBe(true);
  });
});

describe('an admin’s protocol edit', () => {
  it('accepts a valid protocol and fills the labels of its kind', () => {
    const parsed = protocolInputSchema.parse({ ...validInput, labels: { startTreatment: 'First device given' } });
    const protocol = protocolFromInput(parsed, { id: 'esketamine-84', version: 3 });
    expect(protocol.version).toBe(3);
    expect(protocol.labels.startTreatment).toBe('First device given');
    expect(protocol.labels.endTreatment).toBe('Dosing complete');
    expect(protocolSchema.safeParse(protocol).success).toBe(true);
  });

  it('defaults checkpoints to none', () => {
    const { checkpoints: _c, ...withoutCheckpoints } = validInput;
    const parsed = protocolInputSchema.parse({ ...withoutCheckpoints, kind: 'iv-infusion', observation: { minimumMin: 60, from: 'treatment-end', bpIntervalMin: 15 } });
    expect(protocolFromInput(parsed, { id: 'x', version: 1 }).checkpoints).toEqual([]);
  });

  const [checkpoint] = esketamineProtocol.checkpoints;
  if (checkpoint === undefined) throw new Error('the esketamine protocol has its 40-min checkpoint');
  it.each<[string, Partial<ProtocolInput>, [string, string]]>([
    [
      'a checkpoint window that ends before it starts',
      { checkpoints: [{ ...checkpoint, windowStartMin: 50, windowEndMin: 35 }] },
      ['checkpoints.0.windowEndMin', 'the window must end after it starts (50–35 min)'],
    ],
    [
      'a checkpoint target outside its window',
      { checkpoints: [{ ...checkpoint, atMin: 60 }] },
      ['checkpoints.0.atMin', 'the target time (60 min) must lie inside its window (35–50 min)'],
    ],
    [
      'two checkpoints with one id',
      { checkpoints: [checkpoint, checkpoint] },
      ['checkpoints.1.id', 'checkpoint id "bp-40-min" is used twice'],
    ],
    [
      'a zero BP interval',
      { treatment: { plannedMin: 10, bpIntervalMin: 0 } },
      ['treatment.bpIntervalMin', 'must be at least 1 min'],
    ],
    [
      'fractional minutes',
      { treatment: { plannedMin: 10.5, bpIntervalMin: 15 } },
      ['treatment.plannedMin', 'use whole minutes'],
    ],
    [
      'observation from treatment start shorter than the treatment',
      { observation: { minimumMin: 5, from: 'treatment-start', bpIntervalMin: 15 } },
      ['observation.minimumMin', 'observation measured from treatment start must last at least the planned treatment (10 min)'],
    ],
    [
      'a checklist item listed twice',
      { dischargeGate: { ...validInput.dischargeGate, checklist: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] } },
      ['dischargeGate.checklist.1.id', 'checklist id "a" is used twice'],
    ],
    ['no baseline reading', { baseline: { bpReadings: 0, minSpacingMin: 0, spacingToleranceSec: 0 } }, ['baseline.bpReadings', 'take at least 1 baseline BP']],
  ])('refuses %s with a clear message', (_name, change, issue) => {
    expect(issuesOf({ ...validInput, ...change })).toEqual([issue]);
  });

  it('fills the start gate, spacing tolerance and newer discharge-gate items with their defaults', () => {
    const { startGate: _s, ...withoutStartGate } = validInput;
    const { bpBelowMmHg: _b, heartRateWithinPercentOfBaseline: _h, heartRateAtOrBelowPerMin: _m, spo2MaxAgeMin: _a, spo2Required: _r, ...olderGate } = validInput.dischargeGate;
    const parsed = protocolInputSchema.parse({ ...withoutStartGate, baseline: { bpReadings: 1, minSpacingMin: 0 }, dischargeGate: olderGate });
    expect(parsed.startGate).toEqual({ holdAtOrAboveMmHg: { systolic: 180, diastolic: 110 } });
    expect(parsed.baseline.spacingToleranceSec).toBe(30);
    expect(parsed.dischargeGate).toMatchObject({
      bpBelowMmHg: { systolic: 180, diastolic: 110 },
      heartRateWithinPercentOfBaseline: 20,
      heartRateAtOrBelowPerMin: 100,
      spo2MaxAgeMin: 5,
    });
    expect(parsed.dischargeGate.spo2Required).toBeUndefined();
  });

  it('refuses unknown fields, so a typo is not silently ignored', () => {
    expect(issuesOf({ ...validInput, observationMinutes: 90 })).toHaveLength(1);
  });
});
