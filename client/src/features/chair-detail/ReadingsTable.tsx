import type { Reading } from '@chairside/shared';
import { useMemo, useState } from 'react';
import { useAppStore } from '../../store/store-context';
import { AttachReadingButton } from '../sessions/AttachReadingButton';
import { formatClockSeconds, formatValue } from '../chairs/vital-format';

const shownRows = 30;

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

/** The newest readings as stored, rejected values and their reasons included (clinical-reference §5). */
export function ReadingsTable({ chairId }: { chairId: string }) {
  const [shown, setShown] = useState<'key' | 'all'>('key');
  const readings = useAppStore((s) => (shown === 'key' ? s.history[chairId]?.key : s.history[chairId]?.recent));
  const rows = useMemo(() => (readings ?? []).slice(-shownRows).reverse(), [readings]);

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
          <button type="button" className="segmented__option" aria-pressed={shown === 'key'} onClick={() => setShown('key')}>
            Key readings
          </button>
          <button type="button" className="segmented__option" aria-pressed={shown === 'all'} onClick={() => setShown('all')}>
            All readings
          </button>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No readings to show yet.</p>
      ) : (
        <div className="table-scroll">
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
                    {reading.rejected.map((r) => (
                      <span key={r.field} className="note note--rejected">
                        Rejected: {r.message}
                      </span>
                    ))}
                    {reading.flags.includes('spo2-low-accuracy') && <span className="note">SpO₂ low accuracy</span>}
                    <AttachReadingButton chairId={chairId} reading={reading} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
