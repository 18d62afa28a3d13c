import type { SessionDetail, SessionSummary } from '@chairside/shared';
import { useEffect, useId, useMemo, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { useServerNow } from '../../hooks/use-alarms';
import { useAppStore } from '../../store/store-context';
import { formatClock } from '../../lib/vital-format';
import { QuickEntries } from './QuickEntries';
import { DueNextList } from './DueNextList';
import { takesEntries } from './RecordButton';
import { recordLines } from './record-display';

/** The session's events, read again whenever its summary changes (each entry changes it). */
function useRecordEvents(session: SessionSummary): { events: SessionDetail['events'] | null; error: string | null } {
  const { api } = useServices();
  const [state, setState] = useState<{ id: string; events: SessionDetail['events'] | null; error: string | null }>({ id: session.id, events: null, error: null });
  useEffect(() => {
    let cancelled = false;
    api.sessionDetail(session.id).then(
      (detail) => {
        if (!cancelled) setState({ id: session.id, events: detail.events, error: null });
      },
      (error: unknown) => {
        if (!cancelled) setState((last) => ({ id: session.id, events: last.id === session.id ? last.events : null, error: errorMessage(error) }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, session]);
  return state.id === session.id ? { events: state.events, error: state.error } : { events: null, error: null };
}

/** The record so far: time, who, what, in the order it happened (corrections in place of what they correct). */
export function RecordLog({ session }: { session: SessionSummary }) {
  const { events, error } = useRecordEvents(session);
  const lines = useMemo(() => (events === null ? [] : recordLines(events).filter((l) => !l.what.startsWith('Readiness:'))), [events]);
  if (error !== null && events === null) return <p className="notice notice--error">Could not load the record: {error}</p>;
  if (events === null) return <p className="muted">Loading the record…</p>;
  if (lines.length === 0) return <p className="muted">Nothing recorded yet beyond readiness.</p>;
  return (
    <ol className="record-log" aria-label="Record so far">
      {lines.map((line) => (
        <li key={line.seq} className="record-log__item">
          <time className="record-log__time" dateTime={new Date(line.atMs).toISOString()}>
            {formatClock(line.atMs)}
          </time>
          <span className="record-log__what">
            {line.what}
            {line.corrected && <span className="muted"> (corrected)</span>}
          </span>
          <span className="record-log__who">{line.who}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * The session record on the chair page: what is due, the quick entries (as in the tile's sheet), and the record so far.
 */
export function RecordPanel({ session }: { session: SessionSummary }) {
  const headingId = useId();
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const nowMs = useServerNow(1000);
  return (
    <section className="panel record-panel" aria-labelledby={headingId}>
      <div className="panel__bar">
        <h2 id={headingId} className="panel__title">
          Session record
        </h2>
      </div>
      {session.record !== undefined && <DueNextList due={session.record.due} nowMs={nowMs} />}
      {takesEntries(session, role) && <QuickEntries session={session} />}
      <h3 className="record-panel__subtitle">Record so far</h3>
      <RecordLog session={session} />
    </section>
  );
}
