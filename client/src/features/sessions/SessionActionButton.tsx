import type { SessionAction, SessionSummary } from '@chairside/shared';
import { useId, useState } from 'react';
import type { GateItem } from './GateItemList';
import { SessionActionDialog } from './SessionActionDialog';
import { actionLabel } from './session-events';

interface SessionActionButtonProps {
  action: SessionAction;
  session: SessionSummary;
  chairName: string;
  className?: string;
  /** Names the button where several chairs show the same action ("End infusion for Chair 1"). */
  ariaLabel?: string;
  /** Shows why a disabled action cannot be taken now, under the button. */
  showReason?: boolean;
  /** The gate's failing items, shown in an override's dialog. */
  failingItems?: readonly GateItem[] | undefined;
}

/** One session action, labelled by the protocol; it opens a dialog to confirm it and ask what it needs. */
export function SessionActionButton({ action, session, chairName, className = 'button button--secondary', ariaLabel, showReason = false, failingItems }: SessionActionButtonProps) {
  const [open, setOpen] = useState(false);
  const reasonId = useId();
  const reason = !action.enabled && showReason ? action.disabledReason : null;
  return (
    <div className="session-action">
      <button
        type="button"
        className={className}
        disabled={!action.enabled}
        aria-label={ariaLabel}
        aria-haspopup="dialog"
        aria-describedby={reason === null ? undefined : reasonId}
        onClick={() => setOpen(true)}
      >
        {actionLabel(action)}
      </button>
      {reason !== null && (
        <p id={reasonId} className="session-action__reason">
          {reason}
        </p>
      )}
      {open && <SessionActionDialog action={action} session={session} chairName={chairName} failingItems={failingItems} onClose={() => setOpen(false)} />}
    </div>
  );
}
