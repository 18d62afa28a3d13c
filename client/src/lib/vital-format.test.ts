import { describe, expect, it } from 'vitest';
import { formatMinutes, formatMinutesLeft } from './vital-format';

const s = 1000;
const min = 60 * s;

describe('one duration format: whole minutes, hours from 60 min', () => {
  it.each([
    [0, '0 min'],
    [30 * s, '<1 min'],
    [59 * s, '<1 min'],
    [1 * min, '1 min'],
    [23 * min + 59 * s, '23 min'],
    [60 * min, '1 h'],
    [119 * min + 32 * s, '1 h 59 min'],
    [125 * min, '2 h 5 min'],
  ])('elapsed %i ms → %s (rounded down)', (ms, text) => {
    expect(formatMinutes(ms)).toBe(text);
  });

  it.each([
    [0, '0 min'],
    [1 * s, '1 min'],
    [16 * min + 5 * s, '17 min'],
    [17 * min, '17 min'],
    [59 * min + 1 * s, '1 h'],
    [90 * min, '1 h 30 min'],
    [-5 * s, '0 min'],
  ])('left %i ms → %s (rounded up)', (ms, text) => {
    expect(formatMinutesLeft(ms)).toBe(text);
  });
});
