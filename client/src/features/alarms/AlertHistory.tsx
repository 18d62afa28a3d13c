import { type Alert, alertSymbol, alertTitle, isLatched } from '@chairside/shared';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { useAppStore } from '../../store/store-context';
import { formatClockSeconds } from '../../lib/vital-format';
import { activeAgainText, categoryWord, isActiveAfterAcknowledgement, priorityWord } from '../../lib/alarm-view';

type HistoryState = { status: 'loading' | 'loaded'; alerts: Alert[]; error: string | null };

function clearedText(alert: Alert): string {
  if (alert.clearedAtMs !== null) return formatClockSeconds(alert.clearedAtMs);
  if (isLatched(alert)) return 'Open — value recovered, waits for acknowledgement';
  return 'Open';
}

/**
 * Every alert of the session, cleared ones included, newest first (GET /api/v1/sessions/:id/alerts).
 * Read again on each alert event of the session and after each reconnect.
 */
export function AlertHistory({ sessionId }: { sessionId: string }) {
  const { api } = useServices();
  const revision = useAppStore((s) => s.alerts.revision.bySession[sessionId] ?? 0);
  const loads = useAppStore((s) => s.alerts.revision.loads);
  const [state, setState] = useState<HistoryState>({ status: 'loading', alerts: [], error: null });

  useEffect(() => {
    let cancelled = false;
    api.sessionAlerts(sessionId).then(
      (alerts) => {
        if (!cancelled) setState({ status: 'loaded', alerts, error: null });
      },
      (error: unknown) => {
        if (cancelled || (error instanceof ApiError && error.status === 401)) return;
        // Keep what was shown; say that it may be out of date.
        setState((s) => ({ ...s, error: errorMessage(error) }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, sessionId, revision, loads]);

  const rows = useMemo(() => [...state.alerts].sort((a, b) => b.raisedAtMs - a.raisedAtMs || (a.id < b.id ? 1 : -1)), [state.alerts]);

  return (
    <div className="alert-history">
      {state.error !== null && (
        <p role="alert" className="notice notice--error">
          Could not read the alert history: {state.error}
        </p>
      )}
      {state.status === 'loading' && state.error === null && <p className="muted">Reading the alert history…</p>}
      {state.status === 'loaded' && rows.length === 0 && <p className="muted">No alerts in this session.</p>}
      {rows.length > 0 && (
        <div className="table-scroll" role="group" aria-label="Alert history, scrolls sideways" tabIndex={0}>
          <table className="readings-table alert-history__table" aria-label="Alert history">
            <thead>
              <tr>
                <th scope="col">Raised</th>
                <th scope="col">Priority</th>
                <th scope="col">Alert</th>
                <th scope="col">Cleared</th>
                <th scope="col">Acknowledged</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((alert) => {
                const category = categoryWord(alert);
                return (
                  <tr key={alert.id} className={`alert-history__row alert-history__row--${alert.priority}`}>
                    <td className="num">
                      <time dateTime={new Date(alert.raisedAtMs).toISOString()}>{formatClockSeconds(alert.raisedAtMs)}</time>
                    </td>
                    <td>
                      <span className={`alarm-tag alarm-tag--${alert.priority} is-acknowledged`}>
                        <span className="alarm-symbol" aria-hidden="true">
                          {alertSymbol(alert.priority)}
                        </span>
                        {priorityWord[alert.priority]}
                      </span>
                      {alert.escalatedAtMs !== null && <span className="note">escalated {formatClockSeconds(alert.escalatedAtMs)}</span>}
                    </td>
                    <td>
                      <strong>{alertTitle(alert)}</strong>
                      {category !== null && <span className="alert-history__category"> · {category}</span>}
                      <span className="note">{alert.message}</span>
                    </td>
                    <td>{clearedText(alert)}</td>
                    <td>
                      {alert.acknowledgements.length === 0
                        ? '—'
                        : alert.acknowledgements.map((ack) => (
                            <span key={`${ack.atMs}-${ack.by.userId}`} className="note alert-history__ack">
                              {ack.by.username} at {formatClockSeconds(ack.atMs)}
                              {ack.note !== null && ack.note !== '' && <> — “{ack.note}”</>}
                            </span>
                          ))}
                      {isActiveAfterAcknowledgement(alert) && <span className="note alert-history__ack">{activeAgainText(alert)} — waits for acknowledgement</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
