import { type Alert, alertSymbol, alertTitle, describeClearReason, escalationStepsOf, escalationStepsText, isLatched } from '@chairside/shared';
import { useId, useMemo } from 'react';
import { categoryWord, priorityWord } from '../../lib/alarm-view';
import type { ReportView } from './report-view';
import { acknowledgeTimeText } from './review-format';
import { TableScroll } from './TableScroll';

function clearedText(alert: Alert, view: ReportView): string {
  if (alert.clearedAtMs !== null) {
    const reason = describeClearReason(alert.clearReason);
    const why = reason === null ? '' : ` (${reason})`;
    return `${view.when(alert.clearedAtMs, { seconds: true })}${why}`;
  }
  if (isLatched(alert)) return 'Open: value recovered, waiting for acknowledgement';
  return 'Open';
}

/** Every alert of the session, oldest first, with whom it reached and each acknowledgement: who, when, and their note. */
export function ReportAlerts({ view }: { view: ReportView }) {
  const headingId = useId();
  const alerts = useMemo(() => [...view.report.input.alerts].sort((a, b) => a.raisedAtMs - b.raisedAtMs || (a.id < b.id ? -1 : 1)), [view.report.input.alerts]);
  const timeToAck = useMemo(() => new Map(view.stats.acknowledgement.perAlert.map((a) => [a.alertId, a.timeToAcknowledgeMs])), [view.stats.acknowledgement.perAlert]);

  return (
    <section className="panel review-section review-section--table" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Alerts
      </h2>
      {alerts.length === 0 ? (
        <p className="muted">No alerts in this session.</p>
      ) : (
        <TableScroll label="Alerts">
          <table className="readings-table review-table alert-history__table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Raised</th>
                <th scope="col">Priority</th>
                <th scope="col">Alert</th>
                <th scope="col">Cleared</th>
                <th scope="col">Acknowledged</th>
                <th scope="col">Time to acknowledge</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => {
                const category = categoryWord(alert);
                const reached = escalationStepsText(escalationStepsOf(view.report.input.escalations, alert.id), (ms) => view.when(ms, { seconds: true }));
                return (
                  <tr key={alert.id} className={`alert-history__row alert-history__row--${alert.priority}`}>
                    <td className="num">
                      <time dateTime={view.iso(alert.raisedAtMs)}>{view.when(alert.raisedAtMs, { seconds: true })}</time>
                    </td>
                    <td>
                      <span className={`alarm-tag alarm-tag--${alert.priority} is-acknowledged`}>
                        <span className="alarm-symbol" aria-hidden="true">
                          {alertSymbol(alert.priority)}
                        </span>
                        {priorityWord[alert.priority]}
                      </span>
                      {alert.escalatedAtMs !== null && <span className="note">escalated {view.when(alert.escalatedAtMs, { seconds: true })}</span>}
                    </td>
                    <td>
                      <strong>{alertTitle(alert)}</strong>
                      {category !== null && <span className="alert-history__category"> · {category}</span>}
                      <span className="note">{alert.message}</span>
                      {reached !== null && <span className="note alert-history__reached">{reached}</span>}
                    </td>
                    <td>{clearedText(alert, view)}</td>
                    <td>
                      {alert.acknowledgements.length === 0
                        ? 'Not acknowledged'
                        : alert.acknowledgements.map((ack) => (
                            <span key={`${ack.atMs}-${ack.by.userId}`} className="note review-ack">
                              {ack.by.username} at <time dateTime={view.iso(ack.atMs)}>{view.when(ack.atMs, { seconds: true })}</time>
                              {ack.note !== null && ack.note !== '' && <> — “{ack.note}”</>}
                            </span>
                          ))}
                    </td>
                    <td className="num">{acknowledgeTimeText(timeToAck.get(alert.id) ?? null)}</td>
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
