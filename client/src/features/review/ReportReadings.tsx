import { type Reading, type ReadingPhase, describeRejections, phaseAt } from '@chairside/shared';
import { useEffect, useId, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ReportView } from './report-view';
import { bpText, formatCount, formatNumber, phaseWord, sourceWord } from './review-format';
import { TableScroll } from './TableScroll';

/** Rows on one page of the readings table; a printout holds them all. */
export const readingsPerPage = 100;

function isKey(reading: Reading): boolean {
  return reading.systolic !== null || reading.diastolic !== null || reading.source === 'manual' || reading.rejected.length > 0 || reading.flags.length > 0;
}

function phaseText(phase: ReadingPhase, view: ReportView): string {
  return phase === 'before-check-in' ? 'Before check-in' : phaseWord(phase, view.session.protocol);
}

/**
 * Every reading of the session as stored, oldest first: values, rejected values with their reason,
 * source and who entered it. The report's last section, closed until asked for and shown a page at a
 * time: the summary, alerts and events above say what happened; this is the evidence. Printing opens
 * it with every row.
 */
export function ReportReadings({ view }: { view: ReportView }) {
  const headingId = useId();
  const tableId = useId();
  const [open, setOpen] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [shown, setShown] = useState<'all' | 'key'>('all');
  const [page, setPage] = useState(0);
  const { session } = view;

  const all = useMemo(
    () =>
      session.readings
        .map((reading) => ({ reading, t: Date.parse(reading.measuredAt) }))
        .sort((a, b) => a.t - b.t || a.reading.seq - b.reading.seq),
    [session.readings],
  );
  const keyRows = useMemo(() => all.filter((r) => isKey(r.reading)), [all]);
  const rows = shown === 'all' ? all : keyRows;

  // A printout holds every row, whether or not the section was open on screen: rendered before the
  // browser lays out the printout, so at once rather than on React's next tick.
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);

  const pages = Math.max(1, Math.ceil(rows.length / readingsPerPage));
  const current = Math.min(page, pages - 1);
  const first = current * readingsPerPage;
  const visible = printing ? rows : rows.slice(first, first + readingsPerPage);
  const expanded = open || printing;
  const choose = (next: 'all' | 'key') => {
    setShown(next);
    setPage(0);
  };

  return (
    <section className="panel review-section review-section--table review-section--readings" aria-labelledby={headingId}>
      <div className="panel__bar">
        <div>
          <h2 id={headingId} className="panel__title">
            Readings
          </h2>
          <p className="muted panel__hint">
            {formatCount(all.length)} reading{all.length === 1 ? '' : 's'} as stored, oldest first, with rejected values and who entered them
          </p>
        </div>
        <button type="button" className="button button--secondary no-print" aria-expanded={open} aria-controls={tableId} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide readings' : `Show readings (${formatCount(all.length)})`}
        </button>
      </div>
      <div id={tableId} className="review-readings" hidden={!expanded}>
        {expanded && (
          <>
            <div className="segmented no-print review-readings__shown" role="group" aria-label="Readings shown">
              <button type="button" className="segmented__option" aria-pressed={shown === 'all'} onClick={() => choose('all')}>
                All readings
              </button>
              <button type="button" className="segmented__option" aria-pressed={shown === 'key'} onClick={() => choose('key')}>
                Key readings ({formatCount(keyRows.length)})
              </button>
            </div>
            {rows.length === 0 ? (
              <p className="muted">No readings in this session.</p>
            ) : (
              <TableScroll label="Readings">
                <table className="readings-table review-table" aria-labelledby={headingId}>
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Phase</th>
                      <th scope="col">NIBP mmHg</th>
                      <th scope="col">MAP</th>
                      <th scope="col">HR /min</th>
                      <th scope="col">SpO₂ %</th>
                      <th scope="col">RR /min</th>
                      <th scope="col">Source</th>
                      <th scope="col">Entered by</th>
                      <th scope="col">Rejected values and notes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {visible.map(({ reading, t }) => (
                      <tr key={reading.seq} className={reading.rejected.length > 0 ? 'has-rejection' : undefined}>
                        <td className="num">
                          <time dateTime={Number.isNaN(t) ? reading.measuredAt : view.iso(t)}>{Number.isNaN(t) ? reading.measuredAt : view.when(t, { seconds: true })}</time>
                        </td>
                        <td>{Number.isNaN(t) ? '—' : phaseText(phaseAt(session.state, t), view)}</td>
                        <td className="num">{bpText(reading.systolic, reading.diastolic)}</td>
                        <td className="num">{formatNumber(reading.mean)}</td>
                        <td className="num">{formatNumber(reading.heartRate)}</td>
                        <td className="num">{formatNumber(reading.spo2)}</td>
                        <td className="num">{formatNumber(reading.respRate)}</td>
                        <td>{sourceWord(reading)}</td>
                        <td>{reading.enteredBy ?? '—'}</td>
                        <td>
                          {describeRejections(reading.rejected).map((r) => (
                            <span key={r.fields.join('+')} className="note note--rejected">
                              Rejected: {r.message}
                            </span>
                          ))}
                          {reading.flags.includes('spo2-low-accuracy') && <span className="note">SpO₂ below 70 %: low accuracy</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            {rows.length > readingsPerPage && (
              <nav className="pager no-print" aria-label="Readings pages">
                <p className="pager__status" role="status">
                  Readings {formatCount(first + 1)}–{formatCount(Math.min(first + readingsPerPage, rows.length))} of {formatCount(rows.length)}
                </p>
                <div className="pager__buttons">
                  <button type="button" className="button button--secondary" disabled={current === 0} onClick={() => setPage(current - 1)}>
                    Previous
                  </button>
                  <button type="button" className="button button--secondary" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
                    Next
                  </button>
                </div>
              </nav>
            )}
          </>
        )}
      </div>
    </section>
  );
}
