import type { SessionDetail } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import type { SessionVersion } from '../store/store';
import { SessionReportCache } from './report-cache';
import { makeReviewInput } from './test-fixtures';

const finished: SessionVersion = {
  revision: 7,
  active: false,
  patient: { displayName: 'Review Patient', mrn: 'MRN-7', riskFlags: '[]' },
  eventCount: 6,
  lastEventSeq: 36,
  readingCount: 14,
  lastReadingSeq: 114,
};

/** The export tests' session (14 readings) under another id. */
function session(id: string, readingCount = 14): SessionDetail {
  const s = makeReviewInput().session;
  const readings = Array.from({ length: readingCount }, (_, i) => s.readings[i % s.readings.length]).flatMap((r, i) => (r ? [{ ...r, seq: i + 1 }] : []));
  return { ...s, id, readings };
}

describe('SessionReportCache', () => {
  it('serves a finished session only at the version it was read at', () => {
    const cache = new SessionReportCache(1000);
    const kept = cache.set('s-1', finished, session('s-1'));
    expect(cache.get('s-1', finished)).toBe(kept);
    expect(cache.get('s-1', { ...finished })).toBe(kept);
    expect(JSON.parse(kept.readingsJson().toString('utf8'))).toEqual(kept.session.readings);
    expect(kept.readingsJson()).toBe(kept.readingsJson()); // serialised once
  });

  it.each([
    // what changed in the stored session                       version then
    ['an update (a note, a correction of the record)', { ...finished, revision: 8 }],
    ['an event appended without an update', { ...finished, eventCount: 7, lastEventSeq: 40 }],
    ['a reading attached (an older one: the newest seq stays)', { ...finished, readingCount: 15 }],
    ['a correction stored', { ...finished, readingCount: 15, lastReadingSeq: 120 }],
    ['the patient’s name', { ...finished, patient: { ...finished.patient, displayName: 'Renamed' } }],
    ['the patient’s MRN', { ...finished, patient: { ...finished.patient, mrn: null } }],
    ['the patient’s risk flags', { ...finished, patient: { ...finished.patient, riskFlags: '["hypertension"]' } }],
  ])('reads the session again after %s', (_change, changed) => {
    const cache = new SessionReportCache(1000);
    cache.set('s-1', finished, session('s-1'));
    expect(cache.get('s-1', changed)).toBeNull();
    expect(cache.sessionIds).toEqual([]);
    expect(cache.get('s-1', finished)).toBeNull(); // the old entry is gone, not kept beside
  });

  it('never keeps a running session', () => {
    const cache = new SessionReportCache(1000);
    const served = cache.set('s-1', { ...finished, active: true }, session('s-1'));
    expect(served.session.id).toBe('s-1');
    expect(cache.get('s-1', { ...finished, active: true })).toBeNull();
    expect(cache.sessionIds).toEqual([]);
  });

  it('lets the least recently viewed sessions go first when over its reading budget, and never keeps one larger than it', () => {
    const cache = new SessionReportCache(30);
    cache.set('a', finished, session('a', 10));
    cache.set('b', finished, session('b', 10));
    cache.set('c', finished, session('c', 10));
    expect(cache.get('a', finished)).not.toBeNull(); // a is now the most recent
    cache.set('d', finished, session('d', 10));
    expect(cache.sessionIds).toEqual(['c', 'a', 'd']);
    cache.set('e', finished, session('e', 25));
    expect(cache.sessionIds).toEqual(['e']);
    expect(cache.set('huge', finished, session('huge', 31)).session.id).toBe('huge');
    expect(cache.sessionIds).toEqual(['e']);
  });

  it('keeps a session frozen, so that no view can change what the next one sees', () => {
    const cache = new SessionReportCache(1000);
    const { session: kept } = cache.set('s-1', finished, session('s-1'));
    expect(() => kept.readings.sort((x, y) => y.seq - x.seq)).toThrow(TypeError);
    expect(() => kept.events.push(...kept.events)).toThrow(TypeError);
    expect(() => Object.assign(kept, { revision: 99 })).toThrow(TypeError);
  });
});
