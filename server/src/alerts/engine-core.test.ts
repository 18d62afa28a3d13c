import { type AlertContext, createAlertEngineState, type Reading } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { EngineCore, maxStatesPerFlush } from './engine-core';
import type { EngineOp, RoundAnswer } from './engine-protocol';
import { storedReading, t0, treatment } from './test-fixtures';

const reading = storedReading;

const add: EngineOp = { kind: 'add', sessionId: 's1', chairId: 'chair-1', state: createAlertEngineState({ idPrefix: 's1', context: treatment }), limits: null };
const crisis = (seq: number): EngineOp => ({ kind: 'readings', readings: [reading(seq, { systolic: 204, diastolic: 100 })] });
const at = (seq: number) => t0 + seq * 1000;
const raised = (answer: RoundAnswer) => answer.events.flatMap((e) => e.events).filter((e) => e.type === 'alert-raised').map((e) => e.alert.id);

/** A core with session s1's engine applied (a quiet round). */
function withEngine(): EngineCore {
  const core = new EngineCore();
  const answer = core.round({ now: at(0), flush: false, ops: [add, { kind: 'run', sessionId: 's1', context: treatment, inputs: [{ kind: 'tick' }] }] });
  expect(answer.saves).toBeNull();
  return core;
}

describe('EngineCore', () => {
  it('keeps a quiet round in memory and saves it with the next flush', () => {
    const core = withEngine();
    const quiet = core.round({ now: at(1), flush: false, ops: [{ kind: 'readings', readings: [reading(1)] }] });
    expect(quiet).toMatchObject({ empty: false, saves: null, events: [], dirty: 1 });
    const flushed = core.round({ now: at(2), flush: true, ops: [] });
    expect(flushed.saves?.map((s) => [s.sessionId, s.state.tracking.lastReadingSeq])).toEqual([['s1', 1]]);
    core.commit();
    expect(core.round({ now: at(3), flush: true, ops: [] })).toMatchObject({ empty: true, saves: null, dirty: 0 });
  });

  it('holds a round with events until its save commits; a discarded round never happened', () => {
    const core = withEngine();
    const first = core.round({ now: at(1), flush: false, ops: [crisis(1)] });
    expect(raised(first)).toEqual(['s1.bp-crisis.1']);
    expect(first.saves?.map((s) => s.events.length)).toEqual([1]);
    expect(first.alerts.map((a) => a.alerts.map((x) => x.id))).toEqual([['s1.bp-crisis.1']]);
    core.discard();
    // Evaluated again against the state before the discarded round: the same alert, not a second one.
    const again = core.round({ now: at(1), flush: false, ops: [crisis(1)] });
    expect(raised(again)).toEqual(['s1.bp-crisis.1']);
    core.commit();
    const next = core.round({ now: at(2), flush: false, ops: [crisis(2)] });
    expect(raised(next)).toEqual([]);
  });

  it('saves the engine a round with events changed, and keeps the others in memory for the next flush', () => {
    const core = withEngine();
    core.round({ now: at(1), flush: false, ops: [{ kind: 'add', sessionId: 's2', chairId: 'chair-2', state: createAlertEngineState({ idPrefix: 's2', context: treatment }), limits: null }] });
    core.round({ now: at(1), flush: false, ops: [{ kind: 'readings', readings: [reading(1, { sessionId: 's2', chairId: 'chair-2' })] }] });
    const answer = core.round({ now: at(2), flush: false, ops: [crisis(2)] });
    expect(answer.saves?.map((s) => [s.sessionId, s.events.length])).toEqual([['s1', 1]]);
    expect(answer.dirty).toBe(1);
    core.commit();
    const flushed = core.round({ now: at(3), flush: true, ops: [] });
    expect(flushed.saves?.map((s) => [s.sessionId, s.state.tracking.lastReadingSeq])).toEqual([['s2', 1]]);
  });

  it('acknowledges inside the round and answers refusals as data', () => {
    const core = withEngine();
    core.round({ now: at(1), flush: false, ops: [crisis(1)] });
    core.commit();
    const by = { userId: 'u1', username: 'nurse' };
    const answer = core.round({
      now: at(2),
      flush: false,
      ops: [
        { kind: 'acknowledge', sessionId: 's1', alertId: 's1.bp-crisis.1', by },
        { kind: 'acknowledge', sessionId: 's1', alertId: 's1.bp-crisis.1', by },
        { kind: 'acknowledge', sessionId: 's1', alertId: 's1.bp-crisis.9', by },
        { kind: 'acknowledge', sessionId: 's9', alertId: 's9.bp-crisis.1', by },
      ],
    });
    expect(answer.results.map((r) => (r?.kind === 'refused' ? r.code : r?.kind))).toEqual(['acknowledged', 'already-acknowledged', 'unknown-alert', 'no-engine']);
    expect(answer.events.flatMap((e) => e.events.map((x) => x.type))).toEqual(['alert-acknowledged']);
  });

  it('sends the open alerts of an engine only when they changed', () => {
    const core = withEngine();
    core.round({ now: at(1), flush: false, ops: [crisis(1)] });
    core.commit();
    const quiet = core.round({ now: at(2), flush: false, ops: [{ kind: 'readings', readings: [reading(2)] }] });
    expect(quiet.alerts).toEqual([]);
    const by = { userId: 'u1', username: 'nurse' };
    const acknowledged = core.round({ now: at(3), flush: false, ops: [{ kind: 'acknowledge', sessionId: 's1', alertId: 's1.bp-crisis.1', by }] });
    expect(acknowledged.alerts.map((a) => a.alerts.map((x) => x.status))).toEqual([['acknowledged']]);
  });

  it('compares the context itself: an unchanged one is no input, a changed one is', () => {
    const core = withEngine();
    core.round({ now: at(1), flush: false, ops: [{ kind: 'tick', contexts: [['s1', treatment]] }] });
    const observation: AlertContext = { ...treatment, phase: 'observation', treatmentEndedAtMs: at(1) };
    const answer = core.round({ now: at(2), flush: true, ops: [{ kind: 'tick', contexts: [['s1', observation]] }] });
    expect(answer.saves?.[0]?.state.context).toMatchObject({ phase: 'observation', treatmentEndedAtMs: at(1) });
  });

  it('saves an ended session at once (with its state kept in memory) and forgets its engine after the commit', () => {
    const core = withEngine();
    const answer = core.round({ now: at(1), flush: false, ops: [{ kind: 'remove', sessionId: 's1' }] });
    expect(answer.saves?.map((s) => [s.sessionId, s.events])).toEqual([['s1', []]]);
    core.commit();
    expect(core.round({ now: at(2), flush: false, ops: [crisis(2)] }).empty).toBe(true);
  });

  it('forgets every engine at a reset (the catch-up loads them again)', () => {
    const core = withEngine();
    core.reset();
    expect(core.round({ now: at(1), flush: false, ops: [crisis(1)] }).empty).toBe(true);
  });
});

describe('EngineCore saves in bounded steps', () => {
  const sessions = maxStatesPerFlush + 20;
  const idOf = (i: number) => `s${i}`;
  const addOf = (i: number): EngineOp => ({
    kind: 'add',
    sessionId: idOf(i),
    chairId: `chair-${i}`,
    state: createAlertEngineState({ idPrefix: idOf(i), context: treatment }),
    limits: null,
  });
  const readingOf = (i: number, seq: number, values: Partial<Reading> = {}): Reading => ({ ...reading(seq, values), sessionId: idOf(i), chairId: `chair-${i}` });

  /** Every engine joined, then given one reading in a quiet round: all of them in memory only. */
  function allDirty(): EngineCore {
    const core = new EngineCore();
    const ids = Array.from({ length: sessions }, (_, i) => i);
    core.round({ now: at(0), flush: false, ops: ids.flatMap((i): EngineOp[] => [addOf(i), { kind: 'run', sessionId: idOf(i), context: treatment, inputs: [{ kind: 'tick' }] }]) });
    const quiet = core.round({ now: at(1), flush: false, ops: [{ kind: 'readings', readings: ids.map((i) => readingOf(i, 1 + i)) }] });
    expect(quiet).toMatchObject({ saves: null, dirty: sessions });
    return core;
  }

  it('a round with events saves the engines it changed and leaves the others in memory', () => {
    const core = allDirty();
    const crisis = core.round({ now: at(2), flush: false, ops: [{ kind: 'readings', readings: [readingOf(0, 500, { systolic: 204, diastolic: 100 })] }] });
    expect(crisis.saves?.map((s) => s.sessionId)).toEqual(['s0']);
    expect(crisis.dirty).toBe(sessions - 1);
    core.commit();
    expect(core.round({ now: at(3), flush: false, ops: [] })).toMatchObject({ empty: true, dirty: sessions - 1 });
  });

  it(`a flush saves at most ${maxStatesPerFlush} states, oldest first, and the next one the rest`, () => {
    const core = allDirty();
    const first = core.round({ now: at(2), flush: true, ops: [] });
    expect(first.saves?.length).toBe(maxStatesPerFlush);
    expect(first.saves?.[0]?.sessionId).toBe('s0');
    expect(first.dirty).toBe(sessions - maxStatesPerFlush);
    core.commit();
    const second = core.round({ now: at(3), flush: true, ops: [] });
    expect(second.saves?.map((s) => s.sessionId)).toEqual(Array.from({ length: sessions - maxStatesPerFlush }, (_, i) => idOf(maxStatesPerFlush + i)));
    expect(second.dirty).toBe(0);
    core.commit();
    expect(core.round({ now: at(4), flush: true, ops: [] })).toMatchObject({ empty: true, saves: null, dirty: 0 });
  });

  it('a discarded flush keeps every state in memory for the next one', () => {
    const core = allDirty();
    core.round({ now: at(2), flush: true, ops: [] });
    core.discard();
    expect(core.round({ now: at(3), flush: true, ops: [] }).saves?.length).toBe(maxStatesPerFlush);
  });
});
