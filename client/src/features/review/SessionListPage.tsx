import { type Protocol, formatClinicDate, formatClinicDateTime, toClinicIso } from '@chairside/shared';
import { useCallback, useId, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { useAppStore } from '../../store/store-context';
import { orderedChairIds } from '../../lib/chair-order';
import { PatientFilter } from './PatientFilter';
import { displayZone, rememberClinicTimeZone, zoneNote } from './clinic-zone';
import type { SessionListItem } from '@chairside/shared';
import { sessionListQueryString } from '../../api/review-queries';
import { useLiveListReload } from './session-list-live';
import { formatCount, isFinished, phaseWord } from './review-format';
import {
  type ListFilters,
  type SortKey,
  defaultDateRange,
  filtersFromSearch,
  listQueryOf,
  pageSize,
  searchFromFilters,
  shownRange,
  withFilter,
  withSort,
} from './session-list-query';
import { useLoad } from '../../hooks/use-load';
import '../../styles/review.css';
import '../../styles/print.css';

/** Newest version of each protocol, by id, for names in the list and the filter. */
function useProtocolNames(): { protocols: Protocol[]; nameOf: (id: string) => string; protocolOf: (id: string) => Protocol | undefined } {
  const { api } = useServices();
  const load = useCallback(() => api.listProtocols(), [api]);
  const result = useLoad(load);
  return useMemo(() => {
    const newest = new Map<string, Protocol>();
    for (const p of result.value ?? []) {
      const held = newest.get(p.id);
      if (held === undefined || held.version < p.version) newest.set(p.id, p);
    }
    const protocols = [...newest.values()].sort((a, b) => a.name.localeCompare(b.name));
    return { protocols, nameOf: (id: string) => newest.get(id)?.name ?? id, protocolOf: (id: string) => newest.get(id) };
  }, [result.value]);
}

function SortHeader({ label, column, filters, onSort }: { label: string; column: SortKey; filters: ListFilters; onSort: (column: SortKey) => void }) {
  const active = filters.sort === column;
  const direction = filters.order === 'asc' ? 'ascending' : 'descending';
  return (
    <th scope="col" aria-sort={active ? direction : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(column)}>
        {label}
        <span className="sort-button__arrow" aria-hidden="true">
          {active ? (filters.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

function statusText(item: SessionListItem, protocol: Protocol | undefined): string {
  const phase = phaseWord(item.phase, protocol);
  return isFinished(item.phase) ? phase : `${phase} (running)`;
}

function alertsText(item: SessionListItem): string {
  if (item.alertCount === 0) return 'None';
  return item.highAlertCount === 0 ? String(item.alertCount) : `${item.alertCount} (${item.highAlertCount} high)`;
}

interface FiltersFormProps {
  filters: ListFilters;
  knownPatientName: string | null;
  protocols: Protocol[];
  onChange: (filters: ListFilters) => void;
  onReset: () => void;
}

function FiltersForm({ filters, knownPatientName, protocols, onChange, onReset }: FiltersFormProps) {
  const chairs = useAppStore((s) => s.chairs);
  const chairIds = useMemo(() => orderedChairIds(chairs), [chairs]);
  const id = useId();
  const set = (change: Parameters<typeof withFilter>[1]) => onChange(withFilter(filters, change));

  return (
    <form role="search" aria-label="Filter sessions" className="review-filters" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-from`} className="field__label">
          From
        </label>
        <input
          id={`${id}-from`}
          className="field__input"
          type="date"
          value={filters.fromDate}
          max={filters.toDate}
          onChange={(event) => {
            if (event.target.value !== '') set({ fromDate: event.target.value });
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`} className="field__label">
          To
        </label>
        <input
          id={`${id}-to`}
          className="field__input"
          type="date"
          value={filters.toDate}
          min={filters.fromDate}
          onChange={(event) => {
            if (event.target.value !== '') set({ toDate: event.target.value });
          }}
        />
      </div>
      <PatientFilter patientId={filters.patientId} knownName={knownPatientName} onChange={(patientId) => set({ patientId })} />
      <div className="field">
        <label htmlFor={`${id}-chair`} className="field__label">
          Chair
        </label>
        <select id={`${id}-chair`} className="field__input" value={filters.chairId ?? ''} onChange={(event) => set({ chairId: event.target.value === '' ? null : event.target.value })}>
          <option value="">All chairs</option>
          {chairIds.map((chairId) => (
            <option key={chairId} value={chairId}>
              {chairs[chairId]?.name ?? chairId}
            </option>
          ))}
          {filters.chairId !== null && !chairIds.includes(filters.chairId) && <option value={filters.chairId}>{filters.chairId}</option>}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-protocol`} className="field__label">
          Protocol
        </label>
        <select
          id={`${id}-protocol`}
          className="field__input"
          value={filters.protocolId ?? ''}
          onChange={(event) => set({ protocolId: event.target.value === '' ? null : event.target.value })}
        >
          <option value="">All protocols</option>
          {protocols.map((protocol) => (
            <option key={protocol.id} value={protocol.id}>
              {protocol.name}
            </option>
          ))}
          {filters.protocolId !== null && !protocols.some((p) => p.id === filters.protocolId) && <option value={filters.protocolId}>{filters.protocolId}</option>}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-signed`} className="field__label">
          Signature
        </label>
        <select
          id={`${id}-signed`}
          className="field__input"
          value={filters.signed === null ? '' : String(filters.signed)}
          onChange={(event) => set({ signed: event.target.value === '' ? null : event.target.value === 'true' })}
        >
          <option value="">Any</option>
          <option value="true">Signed</option>
          <option value="false">Unsigned</option>
        </select>
      </div>
      <fieldset className="check-list review-filters__flags">
        <legend className="field__label">Only sessions</legend>
        <label className="check">
          <input type="checkbox" checked={filters.hadAlerts} onChange={(event) => set({ hadAlerts: event.target.checked })} />
          Had alerts
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.overrideUsed} onChange={(event) => set({ overrideUsed: event.target.checked })} />
          Override used
        </label>
      </fieldset>
      <div className="review-filters__actions">
        <button type="button" className="button button--quiet" onClick={onReset}>
          Reset filters
        </button>
      </div>
    </form>
  );
}

function SessionList() {
  const { api, clock } = useServices();
  const chairs = useAppStore((s) => s.chairs);
  const [params, setParams] = useSearchParams();
  const [nowMs] = useState(() => clock.now());
  const headingId = useId();
  const { protocols, nameOf, protocolOf } = useProtocolNames();

  // The zone follows the server once it names it; until then the remembered clinic zone or the browser's.
  const [answeredZone, setAnsweredZone] = useState<string | null>(null);
  const zone = displayZone(answeredZone);
  const defaults = useMemo(() => defaultDateRange(nowMs, zone.timeZone), [nowMs, zone.timeZone]);
  const filters = useMemo(() => filtersFromSearch(params, defaults), [params, defaults]);
  const query = useMemo(() => listQueryOf(filters), [filters]);
  const key = sessionListQueryString(query);
  const load = useCallback(
    () =>
      api.listReviewSessions(query).then((page) => {
        if (page.timeZone !== undefined) {
          rememberClinicTimeZone(page.timeZone);
          setAnsweredZone(page.timeZone);
        }
        return page;
      }),
    [api, query],
  );
  const result = useLoad(load, key);
  const page = result.value;
  // Check-ins, phase changes, ends and alerts on any screen show here without a reload.
  useLiveListReload(result.reload);

  const apply = (next: ListFilters) => setParams(searchFromFilters(next, defaults));
  const items = page?.items ?? [];
  const total = page?.total ?? 0;
  const range = shownRange(page?.offset ?? filters.offset, items.length);
  const knownPatientName = filters.patientId === null ? null : (items.find((i) => i.patientId === filters.patientId)?.patientName ?? null);

  return (
    <section className="page review-page" aria-labelledby={headingId}>
      <PageTitle title="Sessions" />
      <div className="page__bar">
        <h1 id={headingId} className="page__title">
          Sessions
        </h1>
        <p className="page__summary">{zoneNote(zone, nowMs)}</p>
      </div>

      <FiltersForm filters={filters} knownPatientName={knownPatientName} protocols={protocols} onChange={apply} onReset={() => setParams(new URLSearchParams())} />

      {result.status === 'failed' && (
        <div role="alert" className="notice notice--error">
          <span>Could not load the sessions: {result.error}</span>
          <button type="button" className="button button--secondary" onClick={result.reload}>
            Retry
          </button>
        </div>
      )}

      <div className="panel review-list">
        <div className="table-scroll">
          <table className="readings-table review-table" aria-labelledby={headingId} aria-busy={result.status === 'loading'}>
            <thead>
              <tr>
                <SortHeader label="Date" column="checkedInAt" filters={filters} onSort={(c) => apply(withSort(filters, c))} />
                <th scope="col">Patient</th>
                <SortHeader label="Chair" column="chair" filters={filters} onSort={(c) => apply(withSort(filters, c))} />
                <SortHeader label="Protocol" column="protocol" filters={filters} onSort={(c) => apply(withSort(filters, c))} />
                <th scope="col">Status</th>
                <th scope="col">Alerts</th>
                <th scope="col">Signature</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const checkedInMs = Date.parse(item.checkedInAt);
                return (
                  <tr key={item.id} className={item.highAlertCount > 0 ? 'has-high-alert' : undefined}>
                    <td className="num">
                      <Link to={`/sessions/${encodeURIComponent(item.id)}`}>
                        <time dateTime={toClinicIso(checkedInMs, zone.timeZone)}>{formatClinicDateTime(checkedInMs, zone.timeZone)}</time>
                      </Link>
                    </td>
                    <td>{item.patientName}</td>
                    <td>{chairs[item.chairId]?.name ?? item.chairId}</td>
                    <td>
                      {nameOf(item.protocolId)} <span className="muted">v{item.protocolVersion}</span>
                    </td>
                    <td>{statusText(item, protocolOf(item.protocolId))}</td>
                    <td className="num">{alertsText(item)}</td>
                    <td>{item.signedAt === null ? <span className="muted">Unsigned</span> : `Signed ${formatClinicDate(Date.parse(item.signedAt), zone.timeZone)}`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {result.status === 'loaded' && items.length === 0 && <p className="empty-state">No sessions match these filters.</p>}
        <nav className="pager" aria-label="Pages">
          <p className="pager__status" role="status">
            {result.status === 'loading' && page === null
              ? 'Loading sessions…'
              : total === 0
                ? 'Showing 0 sessions'
                : `Showing ${formatCount(range.first)}–${formatCount(range.last)} of ${formatCount(total)}`}
          </p>
          <div className="pager__buttons">
            <button
              type="button"
              className="button button--secondary"
              disabled={filters.offset === 0}
              onClick={() => apply({ ...filters, offset: Math.max(0, filters.offset - pageSize) })}
            >
              Previous
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={page === null || filters.offset + pageSize >= total}
              onClick={() => apply({ ...filters, offset: filters.offset + pageSize })}
            >
              Next
            </button>
          </div>
        </nav>
      </div>
    </section>
  );
}

/** The review list: every session in a range of clinic days, filtered, sorted and paged on the server. */
export function SessionListPage() {
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  if (role !== 'nurse' && role !== 'clinician') return <ReviewNotForRole />;
  return <SessionList />;
}

/** Admins manage the system; session records are for the care team. */
export function ReviewNotForRole() {
  return (
    <section className="page">
      <PageTitle title="Sessions" />
      <p className="empty-state">Session records are for nurses and clinicians.</p>
    </section>
  );
}
