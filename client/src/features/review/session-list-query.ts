import { formatClinicDate } from '@chairside/shared';
import type { SessionListQuery } from '../../api/review-queries';

/*
 * The session list's state lives in the URL query, named as the API names it, so a filtered and
 * sorted page can be bookmarked or sent to a colleague. Values left at their default are left out
 * of the URL; the date range then means "the last 7 days" whenever the link is opened.
 */

export const pageSize = 50;
export const defaultRangeDays = 7;

export type SortKey = 'checkedInAt' | 'chair' | 'protocol';
export type SortOrder = 'asc' | 'desc';

export interface ListFilters {
  /** Clinic days, inclusive, `YYYY-MM-DD`. */
  fromDate: string;
  toDate: string;
  patientId: string | null;
  chairId: string | null;
  protocolId: string | null;
  /** Only sessions that raised an alert. */
  hadAlerts: boolean;
  /** Only sessions discharged through a clinician's override. */
  overrideUsed: boolean;
  /** null: signed and unsigned. */
  signed: boolean | null;
  sort: SortKey;
  order: SortOrder;
  offset: number;
}

/** A column's first click sorts it this way: newest first, chairs and protocols A–Z. */
export const defaultOrder: Record<SortKey, SortOrder> = { checkedInAt: 'desc', chair: 'asc', protocol: 'asc' };

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: string | null): value is string {
  return value !== null && dayPattern.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** `day` moved by whole days, on the calendar (no time zone involved). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last 7 clinic days, today included. */
export function defaultDateRange(nowMs: number, timeZone: string): { fromDate: string; toDate: string } {
  const toDate = formatClinicDate(nowMs, timeZone);
  return { fromDate: addDays(toDate, -(defaultRangeDays - 1)), toDate };
}

function flag(value: string | null): boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

function id(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value;
}

/** The filters a URL query asks for; anything missing or malformed takes its default. */
export function filtersFromSearch(params: URLSearchParams, defaults: { fromDate: string; toDate: string }): ListFilters {
  const sortParam = params.get('sort');
  const sort: SortKey = sortParam === 'chair' || sortParam === 'protocol' ? sortParam : 'checkedInAt';
  const orderParam = params.get('order');
  const order: SortOrder = orderParam === 'asc' || orderParam === 'desc' ? orderParam : defaultOrder[sort];
  const offset = Number(params.get('offset') ?? '0');
  const fromDate = params.get('fromDate');
  const toDate = params.get('toDate');
  return {
    fromDate: isDay(fromDate) ? fromDate : defaults.fromDate,
    toDate: isDay(toDate) ? toDate : defaults.toDate,
    patientId: id(params.get('patientId')),
    chairId: id(params.get('chairId')),
    protocolId: id(params.get('protocolId')),
    hadAlerts: flag(params.get('hadAlerts')) === true,
    overrideUsed: flag(params.get('overrideUsed')) === true,
    signed: flag(params.get('signed')),
    sort,
    order,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** The URL query of `filters`, defaults left out. */
export function searchFromFilters(filters: ListFilters, defaults: { fromDate: string; toDate: string }): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.fromDate !== defaults.fromDate) params.set('fromDate', filters.fromDate);
  if (filters.toDate !== defaults.toDate) params.set('toDate', filters.toDate);
  if (filters.patientId !== null) params.set('patientId', filters.patientId);
  if (filters.chairId !== null) params.set('chairId', filters.chairId);
  if (filters.protocolId !== null) params.set('protocolId', filters.protocolId);
  if (filters.hadAlerts) params.set('hadAlerts', 'true');
  if (filters.overrideUsed) params.set('overrideUsed', 'true');
  if (filters.signed !== null) params.set('signed', String(filters.signed));
  if (filters.sort !== 'checkedInAt') params.set('sort', filters.sort);
  if (filters.order !== defaultOrder[filters.sort]) params.set('order', filters.order);
  if (filters.offset > 0) params.set('offset', String(filters.offset));
  return params;
}

/** What to ask the server for. A range given backwards is asked for the right way round. */
export function listQueryOf(filters: ListFilters): SessionListQuery {
  const [fromDate, toDate] = filters.fromDate <= filters.toDate ? [filters.fromDate, filters.toDate] : [filters.toDate, filters.fromDate];
  return {
    fromDate,
    toDate,
    ...(filters.patientId === null ? {} : { patientId: filters.patientId }),
    ...(filters.chairId === null ? {} : { chairId: filters.chairId }),
    ...(filters.protocolId === null ? {} : { protocolId: filters.protocolId }),
    ...(filters.hadAlerts ? { hadAlerts: true } : {}),
    ...(filters.overrideUsed ? { overrideUsed: true } : {}),
    ...(filters.signed === null ? {} : { signed: filters.signed }),
    sort: filters.sort,
    order: filters.order,
    limit: pageSize,
    offset: filters.offset,
  };
}

/** A change of filter starts again on the first page. */
export function withFilter(filters: ListFilters, change: Partial<Omit<ListFilters, 'offset' | 'sort' | 'order'>>): ListFilters {
  return { ...filters, ...change, offset: 0 };
}

/** A click on a column header: the same column turns its order round, another starts in its natural order. */
export function withSort(filters: ListFilters, sort: SortKey): ListFilters {
  const order = filters.sort === sort ? (filters.order === 'asc' ? 'desc' : 'asc') : defaultOrder[sort];
  return { ...filters, sort, order, offset: 0 };
}

/** "Showing 1–50 of 1,234"-style bounds: first and last row shown, 1-based. */
export function shownRange(offset: number, count: number): { first: number; last: number } {
  return count === 0 ? { first: 0, last: 0 } : { first: offset + 1, last: offset + count };
}
