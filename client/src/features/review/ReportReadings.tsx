import { type Reading, type ReadingPhase, describeRejections, phaseAt } from '@chairside/shared';
import { useEffect, useId, useMemo, useState } from 'react';
import type { ReportView } from './report-view';
import { bpText, formatCount, formatNumber, phaseWord, sourceWord } from './review-format';

/** Rows rendered at first; more on request, and all of them before printing. */
const rowsPerStep = 500;

function isKey(reading: Reading): boolean {
  return reading.systolic !== null || reading.diastolic !== null || reading.source === 'manual' || reading.rejected.length > 0 || reading.flags.length > 0;
}

function phaseText(phase: ReadingPhase, view: ReportView): string {
  return phase === 'before-check-in' ? 'Before check-in' : phaseWord(phase, view.session.protocol);
}

/** Every reading of the session as stored, oldest first: values, rejected values with their reason, source and who entered it. */
export function ReportReadings({ view }: { view: ReportView }) {
  const headingId = useId();
  const [shown, setShown] = useState<'all' | 'key'>('all');
  const [limit, setLimit] = useState(rowsPerStep);
  const { session } = view;

  const all = useMemo(
    () =>
      session.readings
        .map((reading) => ({ reading, t: Date.parse(reading.measuredAt) }))
        .sort((a, b) => a.t - b.t || a.reading.seq - b.reading.seq),
    [session.readings],
  );
  const rows = useMemo(() => (shown === 'all' ? all : all.filter((r) => isKey(r.reading))), [all, shown]);

  // A printout holds every row, not only those rendered so far.
  useEffect(() => {
    const showAll = () => setLimit(Infinity);
    window.addEventListener('beforeprint', showAll);
    return () => window.removeEventListener('beforeprint', showAll);
  }, []);

  const visible = rows.slice(0, limit);

  return (
    <section className="panel review-section review-section--table review-section--readings" aria-labelledby={headingId}>
      <div className="panel__bar">
        <div>
          <h2 id={headingId} className="panel__title">
            Readings
          </h2>
          <p className="muted panel__hint">
            {shown === 'all' ? `Every reading of the session, oldest first (${formatCount(all.length)})` : `Blood pressures, manual entries and rejected values (${formatCount(rows.length)} of ${formatCount(all.length)})`}
          </p>
        </div>
        <div className="segmented no-print" role="group" aria-label="Readings shown">
          <button type="button" className="segmented__option" aria-pressed={shown === 'all'} onClick={() => setShown('all')}>
            All readings
          </button>
          <button type="button" className="segmented__option" aria-pressed={shown === 'key'} onClick={() => setShown('key')}>
            Key readings
          </button>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No readings in this session.</p>
      ) : (
        <div className="table-scroll">
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
        </div>
      )}
      {visible.length < rows.length && (
        <p className="review-more no-print">
          <span className="muted">
            Showing {formatCount(visible.length)} of {formatCount(rows.length)}.
          </span>{' '}
          <button type="button" className="button button--secondary" onClick={() => setLimit((n) => n + rowsPerStep)}>
            Show {formatCount(Math.min(rowsPerStep, rows.length - visible.length))} more readings
          </button>{' '}
          <button type="button" className="button button--quiet" onClick={() => setLimit(Infinity)}>
            Show all readings
          </button>
        </p>
      )}
    </section>
  );
}
