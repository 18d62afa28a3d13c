import { type Reading, describeRejections } from '@chairside/shared';
import { type ReactNode, useMemo, useState } from 'react';
import type { RecentReading } from '../../store/reading-history';
import { useAppStore } from '../../store/store-context';
import { formatClockSeconds, formatValue } from '../../lib/vital-format';

const shownRows = 30;

/** The newest row of a page further back, or null for the newest page (which follows new readings). */
type Anchor = Pick<RecentReading, 't' | 'seq'> | null;

/** Index after the last reading at or before `anchor` (list oldest first). */
function endOf(list: readonly RecentReading[], anchor: Anchor): number {
  if (anchor === null) return list.length;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = list[mid];
    if (item !== undefined && (item.t < anchor.t || (item.t === anchor.t && item.seq <= anchor.seq))) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ReadingsPage {
  rows: RecentReading[];
  /** 1-based positions from the newest, for "31–60 of 10,800". */
  first: number;
  last: number;
  total: number;
  older: Anchor | undefined;
  newer: Anchor | undefined;
}

/** A page of `size` readings ending at `anchor`, newest first, and the anchors of its neighbours (undefined: none). */
export function readingsPage(list: readonly RecentReading[], anchor: Anchor, size: number): ReadingsPage {
  const end = endOf(list, anchor);
  const start = Math.max(0, end - size);
  const newerEnd = end + size;
  return {
    rows: list.slice(start, end).reverse(),
    first: list.length - end + 1,
    last: list.length - start,
    total: list.length,
    older: start > 0 ? (list[start - 1] ?? null) : undefined,
    newer: anchor === null ? undefined : newerEnd >= list.length ? null : (list[newerEnd - 1] ?? null),
  };
}

function sourceLabel(reading: Reading): string {
  switch (reading.source) {
    case 'manual':
      return reading.enteredBy === null ? 'Manual' : `Manual · ${reading.enteredBy}`;
    case 'device':
      return 'Monitor';
    case 'simulator':
      return 'Simulator';
  }
}

function bpText(reading: Reading): string {
  if (reading.systolic === null && reading.diastolic === null) return '—';
  return `${formatValue(reading.systolic)}/${formatValue(reading.diastolic)}`;
}

const noReadings: readonly RecentReading[] = [];

/**
 * The readings as stored, newest first, rejected values and their reasons included
 * (docs/clinical-defaults.md "Plausibility"), a page at a time: every reading of the last 12 h once the chair's page
 * has loaded them (`focus`), the newest the dashboard holds before that.
 */
/**
 * `rowAction`: what the page puts at the end of each row (the chair page: "Attach to session", from
 * the sessions feature; a feature never imports another: docs/architecture.md "Workspaces and folders").
 */
export function ReadingsTable({ chairId, rowAction }: { chairId: string; rowAction?: (reading: Reading) => ReactNode }) {
  const [shown, setShown] = useState<'key' | 'all'>('key');
  const [anchor, setAnchor] = useState<Anchor>(null);
  const readings = useAppStore((s) => {
    const focus = s.focus?.chairId === chairId ? s.focus : null;
    const held = s.history[chairId];
    return shown === 'key' ? (focus?.key ?? held?.key) : (focus?.all ?? held?.recent);
  });
  const page = useMemo(() => readingsPage(readings ?? noReadings, anchor, shownRows), [readings, anchor]);
  const { rows } = page;
  const show = (next: 'key' | 'all') => {
    setShown(next);
    setAnchor(null);
  };

  return (
    <section className="panel" aria-labelledby="recent-readings-heading">
      <div className="panel__bar">
        <div>
          <h2 id="recent-readings-heading" className="panel__title">
            Recent readings
          </h2>
          <p className="muted panel__hint">
            {shown === 'key' ? 'Blood pressures, manual entries and rejected values' : 'Every reading, newest first'}
          </p>
        </div>
        <div className="segmented" role="group" aria-label="Readings shown">
          <button type="button" className="segmented__option" aria-pressed={shown === 'key'} onClick={() => show('key')}>
            Key readings
          </button>
          <button type="button" className="segmented__option" aria-pressed={shown === 'all'} onClick={() => show('all')}>
            All readings
          </button>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No readings to show yet.</p>
      ) : (
        // Scrolls sideways on a phone: focusable, so the keyboard can scroll it too.
        <div className="table-scroll" role="group" aria-labelledby="recent-readings-heading" tabIndex={0}>
          <table className="readings-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">NIBP mmHg</th>
                <th scope="col">MAP</th>
                <th scope="col">HR /min</th>
                <th scope="col">SpO₂ %</th>
                <th scope="col">RR /min</th>
                <th scope="col">Source</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ reading, t }) => (
                <tr key={reading.seq} className={reading.rejected.length > 0 ? 'has-rejection' : undefined}>
                  <td>
                    <time dateTime={reading.measuredAt}>{formatClockSeconds(t)}</time>
                  </td>
                  <td className="num">{bpText(reading)}</td>
                  <td className="num">{formatValue(reading.mean)}</td>
                  <td className="num">{formatValue(reading.heartRate)}</td>
                  <td className="num">{formatValue(reading.spo2)}</td>
                  <td className="num">{formatValue(reading.respRate)}</td>
                  <td>{sourceLabel(reading)}</td>
                  <td>
                    {describeRejections(reading.rejected).map((r) => (
                      <span key={r.fields.join('+')} className="note note--rejected">
                        Rejected: {r.message}
                      </span>
                    ))}
                    {reading.flags.includes('spo2-low-accuracy') && <span className="note">SpO₂ low accuracy</span>}
                    {rowAction?.(reading)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.total > shownRows && (
        <div className="readings-pager" role="group" aria-label="Readings pages">
          <button type="button" className="button button--secondary" disabled={page.newer === undefined} onClick={() => setAnchor(page.newer ?? null)}>
            Newer
          </button>
          <span className="muted readings-pager__position">
            {page.first.toLocaleString('en-US')}–{page.last.toLocaleString('en-US')} of {page.total.toLocaleString('en-US')}
          </span>
          <button type="button" className="button button--secondary" disabled={page.older === undefined} onClick={() => {
              if (page.older !== undefined) setAnchor(page.older);
            }}>
            Older
          </button>
        </div>
      )}
    </section>
  );
}
