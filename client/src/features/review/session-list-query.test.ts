import { describe, expect, it } from 'vitest';
import { defaultDateRange, filtersFromSearch, listQueryOf, searchFromFilters, shownRange, withFilter, withSort } from './session-list-query';

const defaults = { fromDate: '2026-11-16', toDate: '2026-11-22' };

describe('session list query', () => {
  it('defaults to the last 7 clinic days, today included, in the clinic’s zone', () => {
    expect(defaultDateRange(Date.parse('2026-11-22T10:00:00Z'), 'UTC')).toEqual(defaults);
    // 23:30 UTC is already the next day in Berlin.
    expect(defaultDateRange(Date.parse('2026-11-22T23:30:00Z'), 'Europe/Berlin')).toEqual({ fromDate: '2026-11-17', toDate: '2026-11-23' });
    expect(defaultDateRange(Date.parse('2026-03-03T10:00:00Z'), 'UTC')).toEqual({ fromDate: '2026-02-25', toDate: '2026-03-03' });
  });

  it('reads a URL query, and ignores what it cannot use', () => {
    const filters = filtersFromSearch(new URLSearchParams('fromDate=2026-10-01&toDate=nonsense&chairId=chair-2&hadAlerts=true&signed=false&sort=chair&offset=-5'), defaults);
    expect(filters).toEqual({
      fromDate: '2026-10-01',
      toDate: '2026-11-22',
      patientId: null,
      chairId: 'chair-2',
      protocolId: null,
      hadAlerts: true,
      overrideUsed: false,
      signed: false,
      sort: 'chair',
      order: 'asc',
      offset: 0,
    });
  });

  it('writes only what differs from the defaults, and reads it back the same', () => {
    const plain = filtersFromSearch(new URLSearchParams(), defaults);
    expect(searchFromFilters(plain, defaults).toString()).toBe('');
    const changed = { ...plain, protocolId: 'esketamine', overrideUsed: true, signed: true, sort: 'protocol' as const, order: 'desc' as const, offset: 100 };
    const search = searchFromFilters(changed, defaults);
    expect(search.toString()).toBe('protocolId=esketamine&overrideUsed=true&signed=true&sort=protocol&order=desc&offset=100');
    expect(filtersFromSearch(search, defaults)).toEqual(changed);
  });

  it('asks the server for a page of 50, a backwards range the right way round', () => {
    const filters = { ...filtersFromSearch(new URLSearchParams(), defaults), fromDate: '2026-11-22', toDate: '2026-11-01', offset: 50 };
    expect(listQueryOf(filters)).toEqual({ fromDate: '2026-11-01', toDate: '2026-11-22', sort: 'checkedInAt', order: 'desc', limit: 50, offset: 50 });
  });

  it('starts again on the first page when a filter or the sort changes', () => {
    const onPage3 = { ...filtersFromSearch(new URLSearchParams(), defaults), offset: 100 };
    expect(withFilter(onPage3, { chairId: 'chair-1' }).offset).toBe(0);
    expect(withSort(onPage3, 'chair')).toMatchObject({ sort: 'chair', order: 'asc', offset: 0 });
    expect(withSort({ ...onPage3, sort: 'chair', order: 'asc' }, 'chair')).toMatchObject({ order: 'desc' });
    expect(withSort(onPage3, 'checkedInAt')).toMatchObject({ order: 'asc' });
  });

  it('counts the rows shown', () => {
    expect(shownRange(0, 50)).toEqual({ first: 1, last: 50 });
    expect(shownRange(1200, 34)).toEqual({ first: 1201, last: 1234 });
    expect(shownRange(0, 0)).toEqual({ first: 0, last: 0 });
  });
});
