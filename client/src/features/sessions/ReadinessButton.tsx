import type { SessionSummary } from '@chairside/shared';
import { useState } from 'react';
import { Modal } from '../../components/Modal';
import { EscortForm } from './EscortForm';
import { ReadinessChecklist } from './ReadinessChecklist';

interface ReadinessButtonProps {
  session: SessionSummary;
  chairName: string;
  /** Whether the button shows (the dialog, once open, stays until closed even when the last hard stop is answered). */
  visible: boolean;
  className?: string;
}

/**
 * The tile's next step while readiness holds the start: opens the checklist and the escort in a
 * dialog, so a nurse answers them at the chair without leaving the grid.
 */
export function ReadinessButton({ session, chairName, visible, className = 'button button--secondary' }: ReadinessButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {visible && (
        <button type="button" className={className} aria-label={`Readiness checklist for ${chairName}`} aria-haspopup="dialog" onClick={() => setOpen(true)}>
          Readiness checklist
        </button>
      )}
      {open && (
        <Modal title={`Readiness — ${chairName}`} onClose={() => setOpen(false)}>
          <div className="readiness-dialog">
            <p className="muted">
              {session.patient.displayName} · {session.protocol.name}. Each answer is saved as you tap it, with your name and the time.
            </p>
            <ReadinessChecklist session={session} readOnly={session.state.phase !== 'baseline'} />
            <h3 className="readiness-panel__subtitle">Escort</h3>
            <EscortForm session={session} />
            <div className="entry-form__actions">
              <button type="button" className="button button--primary" onClick={() => setOpen(false)}>
                Done
              </button>
            </div>
          </div>
        </Modal>
      )}
    </>
  );
}
