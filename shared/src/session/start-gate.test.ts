import { describe, expect, it } from 'vitest';
import type { Reading } from '../schemas/reading';
import { computeBaseline } from './baseline';
import { bpPointsOf } from './bp-readings';
import { esketamineProtocol, ivKetamineProtocol, type Protocol } from './protocol';
import { evaluateStartGate, type StartGateResult } from './start-gate';
import { at, bp } from './test-fixtures';

const secMs = 1000;

/** The start gate as the server evaluates it: baseline and newest BP from the readings before the start. */
function gateOf(protocol: Protocol, readings: readonly Reading[]): StartGateResult {
  const last = bpPointsOf(readings).at(-1);
  return evaluateStartGate({
    protocol,
    baseline: computeBaseline(protocol, readings),
    lastBp: last === undefined ? null : { systolic: last.systolic, diastolic: last.diastolic, atMs: last.atMs },
  });
}

const failing = (gate: StartGateResult) => gate.items.filter((i) => !i.ok).map((i) => [i.id, i.detail]);

/** A BP `sec` seconds after minute 2. */
const bpAfter = (sec: number, value: `${number}/${number}`) => bp(2 + sec / 60, value);

describe('the start gate: the IV ketamine baseline, 2 BPs ≥5 min apart, 4 min 30 s counting', () => {
  it.each<[string, Reading[], boolean, [string, string][]]>([
    ['no BP yet', [], false, [['baseline-bp', '2 baseline BPs at least 5 min apart']]],
    ['one BP', [bp(2, '130/80')], false, [['baseline-bp', '1 more baseline BP at least 5 min after the last one']]],
    ['a second BP 4 min 29 s later', [bp(2, '130/80'), bpAfter(269, '128/78')], false, [['baseline-bp', '1 more baseline BP at least 5 min after the last one']]],
    ['a second BP 4 min 30 s later', [bp(2, '130/80'), bpAfter(270, '128/78')], true, []],
    ['a second BP 5 min later', [bp(2, '130/80'), bp(7, '128/78')], true, []],
  ])('%s: holds %s', (_name, readings, holds, expected) => {
    const gate = gateOf(ivKetamineProtocol, readings);
    expect(failing(gate)).toEqual(expected);
    expect(gate.holds).toBe(holds);
  });

  it('says when the next baseline BP is due: 5 min after the newest', () => {
    const gate = gateOf(ivKetamineProtocol, [bp(2, '130/80'), bpAfter(269, '128/78')]);
    expect(gate.items[0]).toMatchObject({ id: 'baseline-bp', ok: false, dueAtMs: at(2) + 269 * secMs + 5 * 60 * secMs });
  });

  it('names the baseline once complete', () => {
    const gate = gateOf(ivKetamineProtocol, [bp(2, '130/80'), bp(7, '126/78')]);
    expect(gate.items.map((i) => [i.id, i.ok, i.detail])).toEqual([
      ['baseline-bp', true, 'baseline 128/79 (mean of 2 BPs)'],
      ['bp-below-hold', true, 'last BP 126/78 is below 180/110'],
    ]);
  });

  it('uses the protocol’s tolerance, not a constant', () => {
    const strict = { ...ivKetamineProtocol, baseline: { ...ivKetamineProtocol.baseline, spacingToleranceSec: 0 } };
    expect(gateOf(strict, [bp(2, '130/80'), bpAfter(270, '128/78')]).holds).toBe(false);
    expect(gateOf(strict, [bp(2, '130/80'), bpAfter(300, '128/78')]).holds).toBe(true);
  });
});

describe('the start gate: esketamine needs a BP before dosing', () => {
  it.each<[string, Reading[], boolean, [string, string][]]>([
    ['no BP yet', [], false, [['baseline-bp', 'a baseline BP before dosing start']]],
    ['a BP', [bp(2, '136/84')], true, []],
  ])('%s: holds %s', (_name, readings, holds, expected) => {
    const gate = gateOf(esketamineProtocol, readings);
    expect(failing(gate)).toEqual(expected);
    expect(gate.holds).toBe(holds);
  });
});

describe('the start gate: a pre-treatment BP ≥180 systolic or ≥110 diastolic holds the start', () => {
  it.each<[string, string, boolean, [string, string][]]>([
    ['esketamine', '179/109', true, []],
    ['esketamine', '180/100', false, [['bp-below-hold', 'a BP below 180/110 (last 180/100)']]],
    ['esketamine', '170/110', false, [['bp-below-hold', 'a BP below 180/110 (last 170/110)']]],
    ['esketamine', '180/110', false, [['bp-below-hold', 'a BP below 180/110 (last 180/110)']]],
    ['iv-ketamine', '179/109', true, []],
    ['iv-ketamine', '180/110', false, [['bp-below-hold', 'a BP below 180/110 (last 180/110)']]],
  ])('%s, newest BP %s: holds %s', (protocolId, value, holds, expected) => {
    const protocol = protocolId === 'esketamine' ? esketamineProtocol : ivKetamineProtocol;
    const newest = value as `${number}/${number}`;
    const readings = protocol.baseline.bpReadings === 2 ? [bp(2, '150/90'), bp(7, newest)] : [bp(2, newest)];
    const gate = gateOf(protocol, readings);
    expect(failing(gate)).toEqual(expected);
    expect(gate.holds).toBe(holds);
  });

  it('is judged on the newest BP, not the baseline mean', () => {
    // The mean 171/100 is below the limit, the newest BP is not; then a lower BP releases it.
    expect(gateOf(ivKetamineProtocol, [bp(2, '160/90'), bp(7, '182/110')]).holds).toBe(false);
    expect(gateOf(ivKetamineProtocol, [bp(2, '182/112'), bp(7, '160/92')]).holds).toBe(true);
  });

  it('uses the protocol’s limits, not constants', () => {
    const lenient = { ...esketamineProtocol, startGate: { holdAtOrAboveMmHg: { systolic: 190, diastolic: 115 } } };
    expect(gateOf(lenient, [bp(2, '185/112')]).holds).toBe(true);
  });
});

describe('the start gate: readiness hard stops (docs/clinical-defaults.md "The session record beyond vitals")', () => {
  const item = (id: string, hardStop: boolean, answer: boolean | string | null) => ({ id, label: id, hardStop, answer });
  const withReadiness = (items: ReturnType<typeof item>[]) =>
    evaluateStartGate({
      protocol: esketamineProtocol,
      baseline: computeBaseline(esketamineProtocol, [bp(2, '130/80')]),
      lastBp: { systolic: 130, diastolic: 80, atMs: at(2) },
      readiness: { items },
    });
  it.each<[string, ReturnType<typeof item>[], boolean, string | null]>([
    ['no hard-stop items', [item('fasting', false, null)], true, null],
    ['both hard stops yes', [item('rems', true, true), item('transport', true, true)], true, 'rems, transport: yes'],
    ['one unanswered', [item('rems', true, true), item('transport', true, null)], false, 'yes to transport'],
    ['one answered no', [item('rems', true, false), item('transport', true, true)], false, 'yes to rems (answered no)'],
    ['a non-hard-stop no does not hold', [item('rems', true, true), item('fasting', false, false)], true, 'rems: yes'],
  ])('%s → holds %s', (_name, items, holds, detail) => {
    const gate = withReadiness(items);
    expect(gate.holds).toBe(holds);
    expect(gate.items.find((i) => i.id === 'readiness')?.detail ?? null).toBe(detail);
  });
});
