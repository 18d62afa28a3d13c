import { sessionEventDetails, sessionEventLabel } from '@chairside/shared';
import { useId } from 'react';
import { actorText, phaseText } from '../../lib/timeline-text';
import type { ReportView } from './report-view';
import { TableScroll } from './TableScroll';

/** The session log in full, as it happened: who did what, when, moving from which phase, with reasons and notes. */
export function ReportEvents({ view }: { view: ReportView }) {
  const headingId = useId();
  const { session } = view;
  const events = [...session.events].sort((a, b) => a.seq - b.seq);

  return (
    <section className="panel review-section review-section--table" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Events
      </h2>
      {events.length === 0 ? (
        <p className="muted">No events recorded.</p>
      ) : (
        <TableScroll label="Events">
          <table className="readings-table review-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">By</th>
                <th scope="col">Phase</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => {
                const atMs = Date.parse(event.at);
                const details = sessionEventDetails(event, session.protocol);
                return (
                  <tr key={event.seq}>
                    <td className="num">
                      <time dateTime={Number.isNaN(atMs) ? event.at : view.iso(atMs)}>{Number.isNaN(atMs) ? event.at : view.when(atMs, { seconds: true })}</time>
                    </td>
                    <td>{sessionEventLabel(event, session.protocol)}</td>
                    <td>{actorText(event)}</td>
                    <td>{phaseText(event, session.protocol) ?? '—'}</td>
                    <td>
                      {details.length === 0
                        ? '—'
                        : details.map((line, i) => (
                            <span key={i} className="note review-event__detail">
                              {line}
                            </span>
                          ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
