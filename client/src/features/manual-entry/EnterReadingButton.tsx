import { useEffect, useState } from 'react';
import type { SubmitOutcome } from './outbox';
import { ManualEntryDialog } from './ManualEntryDialog';

interface EnterReadingButtonProps {
  chairId: string;
  chairName: string;
  className?: string;
}

/** How long "Saved" stays beside the button after the dialog closed. */
export const savedNoticeMs = 10_000;

/** What the nurse sees once the dialog has closed: stored on the server, or kept on this tablet. */
export function savedText(outcome: SubmitOutcome): string {
  if (outcome.kind === 'stored') return 'Saved';
  return outcome.reason === 'login' ? 'Queued — will be sent when you log in again' : 'Queued — will be sent when the connection is back';
}

export function EnterReadingButton({ chairId, chairName, className = 'button button--secondary' }: EnterReadingButtonProps) {
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<{ text: string; queued: boolean } | null>(null);

  useEffect(() => {
    if (saved === null) return;
    const timer = setTimeout(() => setSaved(null), savedNoticeMs);
    return () => clearTimeout(timer);
  }, [saved]);

  return (
    <>
      {/* Only while there is something to say: other parts of the page have their own status. */}
      {saved !== null && (
        <span role="status" className={`entry-saved${saved.queued ? ' entry-saved--queued' : ''}`}>
          <span aria-hidden="true">{saved.queued ? '⏳ ' : '✓ '}</span>
          {saved.text}
          <span className="visually-hidden"> — reading for {chairName}</span>
        </span>
      )}
      <button
        type="button"
        className={className}
        aria-label={`Enter reading for ${chairName}`}
        aria-haspopup="dialog"
        onClick={() => {
          setSaved(null);
          setOpen(true);
        }}
      >
        Enter reading
      </button>
      {open && (
        <ManualEntryDialog
          chairId={chairId}
          chairName={chairName}
          onClose={() => setOpen(false)}
          onSaved={(outcome) => setSaved({ text: savedText(outcome), queued: outcome.kind !== 'stored' })}
        />
      )}
    </>
  );
}
