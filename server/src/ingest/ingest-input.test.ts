import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldIssues, maxReadingsPerRequest } from '@chairside/shared';
import { AppError } from '../http/app-error';
import { readingsOfRequest } from './ingest-input';

const reading = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: '0b7f3f5e-9d0c-4a57-8d7e-1c1d6f3a2b10',
  chairId: 'chair-1',
  measuredAt: '2026-11-22T10:00:00Z',
  heartRate: 72,
  source: 'device',
  ...overrides,
});

/** The field paths a refused request names. */
function pathsOf(body: unknown): unknown[] {
  try {
    readingsOfRequest(body);
  } catch (error) {
    if (error instanceof z.ZodError) return fieldIssues(error).map((i) => i.path);
    throw error;
  }
  return [];
}

describe('readingsOfRequest', () => {
  it('takes one reading or an array, and says which it was', () => {
    expect(readingsOfRequest(reading())).toMatchObject({ isArray: false, inputs: [{ heartRate: 72 }] });
    expect(readingsOfRequest([reading(), reading({ heartRate: 80 })])).toMatchObject({ isArray: true, inputs: [{ heartRate: 72 }, { heartRate: 80 }] });
  });

  it.each<[string, unknown, unknown[]]>([
    ['a bad value of one reading', reading({ systolic: 'high' }), [['systolic']]],
    ['a bad item of an array, by index', [reading(), reading({ measuredAt: 'yesterday' })], [[1, 'measuredAt']]],
    ['an unknown field', reading({ temperature: 37 }), [[]]],
    ['no chair and no session', reading({ chairId: undefined }), [['chairId']]],
    ['no vital', reading({ heartRate: undefined }), [['systolic']]],
  ])('names the field of %s', (_what, body, paths) => {
    expect(pathsOf(body)).toEqual(paths);
  });

  it('refuses an empty array, and more than the limit with a 413 before looking at the items', () => {
    expect(pathsOf([])).toEqual([[]]);
    const tooMany = Array.from({ length: maxReadingsPerRequest + 1 }, () => 'not even a reading');
    expect(() => readingsOfRequest(tooMany)).toThrow(AppError);
    expect(() => readingsOfRequest(tooMany)).toThrow(expect.objectContaining({ code: 'payload_too_large' }));
  });
});
