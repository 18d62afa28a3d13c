import { describe, expect, it } from 'vitest';
import { formatHl7Time, parseHl7Time, zonedToUtcMs } from './hl7-time';

const iso = (text: string, timeZone = 'UTC'): string => {
  const result = parseHl7Time(text, timeZone);
  if (!result.ok) throw new Error(result.message);
  return new Date(result.ms).toISOString();
};

describe('parseHl7Time', () => {
  it.each([
    ['20090813095715+0500', '2009-08-13T04:57:15.000Z'],
    ['20261122101500+0100', '2026-11-22T09:15:00.000Z'],
    ['202611220415-0500', '2026-11-22T09:15:00.000Z'],
    ['20261122101500.25+0000', '2026-11-22T10:15:00.250Z'],
    ['20261122101500.1234-0000', '2026-11-22T10:15:00.123Z'],
    ['20261122101500+0530', '2026-11-22T04:45:00.000Z'],
    ['20261122101500-0330', '2026-11-22T13:45:00.000Z'],
    ['20261122101500+1400', '2026-11-21T20:15:00.000Z'],
    ['20240229235959+0000', '2024-02-29T23:59:59.000Z'],
    ['  20261122101500+0000 ', '2026-11-22T10:15:00.000Z'],
  ])('reads %s with its offset as %s', (text, expected) => {
    expect(iso(text, 'America/Los_Angeles')).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', '20261122101500', '2026-11-22T09:15:00.000Z'], // winter, +01:00
    ['Europe/Berlin', '20260722101500', '2026-07-22T08:15:00.000Z'], // summer, +02:00
    ['America/New_York', '20261122101500', '2026-11-22T15:15:00.000Z'],
    ['Asia/Kolkata', '202611221015', '2026-11-22T04:45:00.000Z'],
    ['UTC', '20261122101500', '2026-11-22T10:15:00.000Z'],
  ])('reads a time without offset in the clinic zone %s', (zone, text, expected) => {
    expect(iso(text, zone)).toBe(expected);
  });

  it.each([
    ['2026112210', 'at least the minute'],
    ['20261122', 'at least the minute'],
    ['20261122+0100', 'at least the minute'],
    ['2026-11-22T10:15:00Z', 'expected YYYYMMDDHHMM'],
    ['20261122101500+01', 'expected YYYYMMDDHHMM'],
    ['20261122101500.12345', 'expected YYYYMMDDHHMM'],
    ['', 'expected YYYYMMDDHHMM'],
    ['20261322101500', 'not a valid date'],
    ['20260230101500', 'not a valid date'],
    ['20250229101500', 'not a valid date'],
    ['20261122241500', 'not a valid date'],
    ['20261122106000', 'not a valid date'],
    ['20261122101560', 'not a valid date'],
    ['18991231235900', 'not a valid date'],
    ['20261122101500+1500', 'impossible UTC offset'],
    ['20261122101500+0160', 'impossible UTC offset'],
  ])('refuses %j (%s)', (text, why) => {
    const result = parseHl7Time(text, 'UTC');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(why);
  });
});

describe('zonedToUtcMs across daylight-saving changes', () => {
  const wall = (text: string): number => Date.parse(`${text}Z`);
  it('takes the earlier instant for a wall-clock time that happens twice (clocks go back)', () => {
    // Europe/Berlin 2026-10-25: 03:00 CEST → 02:00 CET, so 02:30 happens at 00:30Z and 01:30Z.
    expect(new Date(zonedToUtcMs(wall('2026-10-25T02:30:00'), 'Europe/Berlin')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('moves a wall-clock time that never happens (clocks go forward) forward by the change', () => {
    // Europe/Berlin 2026-03-29: 02:00 CET → 03:00 CEST; 02:30 does not exist and reads as 03:30 CEST.
    expect(new Date(zonedToUtcMs(wall('2026-03-29T02:30:00'), 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('is exact right before and after a change', () => {
    expect(new Date(zonedToUtcMs(wall('2026-03-29T01:59:59'), 'Europe/Berlin')).toISOString()).toBe('2026-03-29T00:59:59.000Z');
    expect(new Date(zonedToUtcMs(wall('2026-03-29T03:00:00'), 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });
});

describe('formatHl7Time', () => {
  it('writes UTC with an explicit +0000 and reads back the same instant', () => {
    const ms = Date.parse('2026-11-22T10:15:07.900Z');
    expect(formatHl7Time(ms)).toBe('20261122101507+0000');
    expect(iso(formatHl7Time(ms), 'Asia/Tokyo')).toBe('2026-11-22T10:15:07.000Z');
  });
});
