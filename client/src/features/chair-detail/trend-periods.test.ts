import { describe, expect, it } from 'vitest';
import { maxSpanMs, minSessionSpanMs, sessionLeadMs, tickStepMs, trendWindow } from './trend-periods';

const minute = 60 * 1000;
const hour = 60 * minute;
const now = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('trendWindow', () => {
  it('spans the session from a little before check-in to now', () => {
    const checkedIn = now - 95 * minute;
    expect(trendWindow('session', checkedIn, now)).toEqual({ fromMs: checkedIn - sessionLeadMs, toMs: now, dataFromMs: checkedIn });
  });

  it("gives a session a few minutes old at least 15 min, not a sliver, without the chair's previous patient", () => {
    expect(trendWindow('session', now - 2 * minute, now)).toEqual({ fromMs: now - minSessionSpanMs, toMs: now, dataFromMs: now - 2 * minute });
  });

  it('shows the last 12 h of a longer session (what the dashboard keeps)', () => {
    expect(trendWindow('session', now - 20 * hour, now)).toEqual({ fromMs: now - maxSpanMs, toMs: now, dataFromMs: now - maxSpanMs });
  });

  it('falls back to 3 h without a session, and gives the fixed periods as they are', () => {
    expect(trendWindow('session', null, now)).toEqual({ fromMs: now - 3 * hour, toMs: now, dataFromMs: now - 3 * hour });
    expect(trendWindow('1h', now - 2 * minute, now)).toEqual({ fromMs: now - hour, toMs: now, dataFromMs: now - hour });
    expect(trendWindow('12h', null, now)).toEqual({ fromMs: now - 12 * hour, toMs: now, dataFromMs: now - 12 * hour });
  });
});

describe('tickStepMs', () => {
  it.each([
    [15 * minute, 5 * minute],
    [40 * minute, 10 * minute],
    [hour, 10 * minute],
    [97 * minute, 20 * minute],
    [3 * hour, 30 * minute],
    [12 * hour, 2 * hour],
  ])('puts at most 6 round ticks across %i ms: every %i ms', (span, step) => {
    expect(tickStepMs(span)).toBe(step);
  });
});
