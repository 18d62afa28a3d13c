import { useState } from 'react';
import { ManualEntryDialog } from './ManualEntryDialog';

interface EnterReadingButtonProps {
  chairId: string;
  chairName: string;
  className?: string;
}

export function EnterReadingButton({ chairId, chairName, className = 'button button--secondary' }: EnterReadingButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} aria-label={`Enter reading for ${chairName}`} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Enter reading
      </button>
      {open && <ManualEntryDialog chairId={chairId} chairName={chairName} onClose={() => setOpen(false)} />}
    </>
  );
}
