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

  it("gives a session a few minutes old its first 15 min, filling from the left, without the chair's previous patient", () => {
    const checkedIn = now - 2 * minute;
    expect(trendWindow('session', checkedIn, now)).toEqual({ fromMs: checkedIn - sessionLeadMs, toMs: checkedIn - sessionLeadMs + minSessionSpanMs, dataFromMs: checkedIn });
  });

  it('ends at now once the session is longer than its first 15 min (13 min after check-in is the edge)', () => {
    const checkedIn = now - minSessionSpanMs + sessionLeadMs;
    expect(trendWindow('session', checkedIn, now)).toEqual({ fromMs: now - minSessionSpanMs, toMs: now, dataFromMs: checkedIn });
    expect(trendWindow('session', checkedIn + 1, now).toMs).toBe(now + 1);
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
