import { sessionStats } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { reportJsonAround, reportJsonBody, stringifyAround } from './report-json';
import { at, makeReviewInput } from './test-fixtures';

/** A report as ReviewService.report builds it, from the export tests' session. */
function makeReport() {
  const input = makeReviewInput();
  return {
    input,
    stats: sessionStats({ session: input.session, alerts: input.alerts, asOfMs: at(200) }),
    signature: { sessionId: input.session.id, signedBy: 'dr.lee', signedByName: 'Dr. Lee', signedAt: at(130), statement: 'Reviewed.' },
    addenda: [{ seq: 1, sessionId: input.session.id, text: 'Cuff "large"; <b>re-measured</b> \u2028 ✓ 😀', username: 'dr.lee', displayName: 'Dr. Lee', at: at(300) }],
    timeZone: 'Europe/Berlin',
  };
}

const readingsJson = (report: ReturnType<typeof makeReport>): Buffer => Buffer.from(JSON.stringify(report.input.session.readings), 'utf8');

describe('reportJsonBody', () => {
  it('is exactly the UTF-8 of JSON.stringify(report), given the readings as JSON', () => {
    const report = makeReport();
    expect(reportJsonBody(report, readingsJson(report)).toString('utf8')).toBe(JSON.stringify(report));
    expect(reportJsonBody(report, readingsJson(report)).equals(Buffer.from(JSON.stringify(report), 'utf8'))).toBe(true);
  });

  it('keeps the readings where the session has them, whatever the order of its keys', () => {
    const report = makeReport();
    const { readings, ...rest } = report.input.session;
    const readingsFirst = { ...report, input: { ...report.input, session: { readings, ...rest } } };
    expect(reportJsonBody(readingsFirst, readingsJson(report)).toString('utf8')).toBe(JSON.stringify(readingsFirst));
  });

  it('writes a session without readings with an empty list', () => {
    const report = makeReport();
    const empty = { ...report, input: { ...report.input, session: { ...report.input.session, readings: [] } } };
    const { head, tail } = reportJsonAround(empty);
    expect(`${head}[]${tail}`).toBe(JSON.stringify(empty));
  });
});

describe('stringifyAround', () => {
  it.each([
    // object                                                    key written around
    [{ a: 1, b: 'x', c: null }, 'b'],
    [{ only: [1, 2] }, 'only'],
    [{ first: true, then: 2 }, 'first'],
    [{ before: 1, last: 2 }, 'last'],
    [{ skipped: undefined, fn: () => 1, kept: 2, n: Number.NaN, gone: undefined }, 'kept'],
    [{ 2: 'two', 1: 'one', z: { deep: [{ d: 1 }] } }, 'z'],
    [{ date: new Date(0), s: 'é\n"' }, 's'],
  ])('%j around %s gives what JSON.stringify writes', (object, key) => {
    const { head, tail } = stringifyAround(object, key);
    expect(`${head}${JSON.stringify((object as Record<string, unknown>)[key])}${tail}`).toBe(JSON.stringify(object));
  });

  it('refuses a key the object does not have', () => {
    expect(() => stringifyAround({ a: 1 }, 'readings')).toThrow(/no "readings"/);
  });
});
