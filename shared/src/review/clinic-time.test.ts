import { describe, expect, it } from 'vitest';
import { clinicDayStartMs, clinicOffsetMinutes, formatClinicDateTime, formatDuration, isKnownTimeZone, toClinicIso } from './clinic-time';

describe('clinic time', () => {
  it.each([
    // instant (UTC)                   zone                 ISO with the clinic's offset
    ['2025-01-15T09:00:00.000Z', 'Europe/Berlin', '2025-01-15T10:00:00+01:00'],
    ['2025-07-15T09:00:00.000Z', 'Europe/Berlin', '2025-07-15T11:00:00+02:00'],
    // the spring-forward night: 01:59:59 CET is followed by 03:00:00 CEST
    ['2025-03-30T00:59:59.000Z', 'Europe/Berlin', '2025-03-30T01:59:59+01:00'],
    ['2025-03-30T01:00:00.000Z', 'Europe/Berlin', '2025-03-30T03:00:00+02:00'],
    // the fall-back night: 02:30 happens twice, with different offsets
    ['2025-10-26T00:30:00.000Z', 'Europe/Berlin', '2025-10-26T02:30:00+02:00'],
    ['2025-10-26T01:30:00.000Z', 'Europe/Berlin', '2025-10-26T02:30:00+01:00'],
    ['2025-03-09T07:30:00.000Z', 'America/New_York', '2025-03-09T03:30:00-04:00'],
    ['2025-03-03T23:30:00.000Z', 'America/Los_Angeles', '2025-03-03T15:30:00-08:00'],
    ['2025-03-03T09:00:00.000Z', 'Asia/Kathmandu', '2025-03-03T14:45:00+05:45'],
    ['2025-03-03T09:00:00.000Z', 'UTC', '2025-03-03T09:00:00+00:00'],
    ['2025-03-03T09:00:00.250Z', 'UTC', '2025-03-03T09:00:00.250+00:00'],
  ])('%s in %s is %s', (utc, zone, expected) => {
    const ms = Date.parse(utc);
    const iso = toClinicIso(ms, zone);
    expect(iso).toBe(expected);
    expect(Date.parse(iso)).toBe(ms); // the same instant
  });

  it('gives the offset in minutes and formats wall-clock times', () => {
    expect(clinicOffsetMinutes(Date.parse('2025-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(formatClinicDateTime(Date.parse('2025-12-31T23:30:00Z'), 'Europe/Berlin')).toBe('2026-01-01 00:30');
  });

  it('knows which time zones exist', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it.each([
    // ms                    plain          with seconds
    [45_000, '45 s', '45 s'],
    [90_000, '1 min', '1 min 30 s'],
    [42 * 60_000 + 59_000, '42 min', '42 min'],
    [65 * 60_000, '1 h 05 min', '1 h 05 min'],
  ])('formats %d ms as %s (%s)', (ms, text, withSeconds) => {
    expect(formatDuration(ms)).toBe(text);
    expect(formatDuration(ms, { seconds: true })).toBe(withSeconds);
  });
});

describe('clinicDayStartMs', () => {
  it.each([
    ['2026-01-15', 'Europe/Berlin', '2026-01-14T23:00:00.000Z'],
    ['2026-07-15', 'Europe/Berlin', '2026-07-14T22:00:00.000Z'],
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00.000Z'], // the day clocks go forward
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z'], // the day clocks go back
    ['2026-06-01', 'Asia/Kathmandu', '2026-05-31T18:15:00.000Z'],
    ['2026-06-01', 'UTC', '2026-06-01T00:00:00.000Z'],
  ])('%s in %s starts at %s', (day, tz, expected) => {
    expect(new Date(clinicDayStartMs(day, tz)).toISOString()).toBe(expected);
  });
});
