import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { GatewayAlarm, gatewayAlarmOf } from './gateway-alarm';
import type { Hl7SenderStatus } from './hl7-sender';

const since = Date.parse('2026-12-07T10:42:30Z');
const status = (over: Partial<Hl7SenderStatus> = {}): Hl7SenderStatus => ({
  sending: true,
  connected: false,
  troubleSinceMs: since,
  lastError: 'connection refused (ECONNREFUSED)',
  lastAckAtMs: null,
  ...over,
});

describe('gatewayAlarmOf', () => {
  it.each([
    { what: 'answering', s: status({ troubleSinceMs: null }), afterMs: 600_000, alarm: false },
    { what: '59.999 s without an answer', s: status(), afterMs: 59_999, alarm: false },
    { what: '60 s without an answer', s: status(), afterMs: 60_000, alarm: true },
    { what: 'another server sends', s: status({ sending: false }), afterMs: 600_000, alarm: false },
  ])('$what → alarm: $alarm', ({ s, afterMs, alarm }) => {
    expect(gatewayAlarmOf(s, since + afterMs, 'UTC') !== null).toBe(alarm);
  });

  it('says since when in the clinic’s time zone', () => {
    expect(gatewayAlarmOf(status(), since + 60_000, 'UTC')?.problem).toBe('Paging gateway unreachable since 10:42 — alarms are not reaching phones/pagers');
    expect(gatewayAlarmOf(status(), since + 60_000, 'America/New_York')?.problem).toMatch(/since 05:42 —/);
  });
});

describe('GatewayAlarm', () => {
  it('publishes the start once and the end once', () => {
    let now = since;
    const published: { active: boolean }[] = [];
    const alarm = new GatewayAlarm({ now: () => now }, silentLogger, 'UTC', (a) => published.push(a));
    alarm.update(status());
    now += 60_000;
    alarm.update(status());
    alarm.update(status());
    expect(published.map((a) => a.active)).toEqual([true]);
    alarm.update(status({ troubleSinceMs: null }));
    alarm.update(status({ troubleSinceMs: null }));
    expect(published.map((a) => a.active)).toEqual([true, false]);
    expect(alarm.current()).toBeNull();
  });
});
