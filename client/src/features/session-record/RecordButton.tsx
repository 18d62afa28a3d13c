import { type SessionSummary, mostUrgentDue } from '@chairside/shared';
import { useState } from 'react';
import { Modal } from '../../components/Modal';
import { useAppStore } from '../../store/store-context';
import { useServerNow } from '../../hooks/use-alarms';
import { DueNextList } from './DueNextList';
import { dueNextLongText } from './record-display';
import { QuickEntries } from './QuickEntries';

/** Whether the session takes record entries from this user now: nurses and clinicians, until it ends. */
export function takesEntries(session: Pick<SessionSummary, 'state'>, role: string | null): boolean {
  const { phase } = session.state;
  return (role === 'nurse' || role === 'clinician') && phase !== 'discharged' && phase !== 'cancelled';
}

/**
 * The tile's "Record" button: the quick entries in a sheet (a dialog), so a score, an eyes-on check, a device or a PRN
 * is one tap from the grid. Its own button, apart from the tile's whole-area "Open".
 */
export function RecordButton({ session, chairName, className = 'button button--secondary' }: { session: SessionSummary; chairName: string; className?: string }) {
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const [open, setOpen] = useState(false);
  const nowMs = useServerNow(1000);
  if (!takesEntries(session, role) && !open) return null;
  const next = session.record === undefined ? null : mostUrgentDue(session.record.due, nowMs);
  // Due or late now (not the pre-dose scores, due all through baseline): the button says so, as the tile's line does.
  const pressing = next !== null && next.status !== 'upcoming' && next.item.id !== 'score:pre-dose';
  return (
    <>
      <button
        type="button"
        className={className}
        aria-haspopup="dialog"
        aria-label={`Record for ${chairName}`}
        aria-description={pressing ? dueNextLongText(next) : undefined}
        onClick={() => setOpen(true)}
      >
        {pressing ? (
          <span className="record-button__due" aria-hidden="true">
            !{' '}
          </span>
        ) : (
          <span aria-hidden="true">✎ </span>
        )}
        <span className="record-button__word">Record</span>
      </button>
      {open && (
        <Modal title={`Record — ${chairName}`} onClose={() => setOpen(false)}>
          <div className="record-sheet">
            <p className="muted record-sheet__who">
              {session.patient.displayName} · {session.protocol.name}
            </p>
            {session.record !== undefined && <DueNextList due={session.record.due} nowMs={nowMs} />}
            <QuickEntries session={session} />
            <div className="entry-form__actions record-sheet__done">
              <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
                Done
              </button>
            </div>
          </div>
        </Modal>
      )}
    </>
  );
}
