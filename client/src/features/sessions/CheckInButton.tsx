import { useState } from 'react';
import { useAppStore } from '../../store/store-context';
import { CheckInDialog } from './CheckInDialog';

interface CheckInButtonProps {
  chairId: string;
  chairName: string;
  className?: string;
}

/** Opens the check-in dialog for a free chair; nurses and clinicians run sessions, admins do not. */
export function CheckInButton({ chairId, chairName, className = 'button button--secondary' }: CheckInButtonProps) {
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const [open, setOpen] = useState(false);
  if (role !== 'nurse' && role !== 'clinician') return null;
  return (
    <>
      <button type="button" className={className} aria-label={`Check in patient to ${chairName}`} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Check in patient
      </button>
      {open && <CheckInDialog chairId={chairId} chairName={chairName} onClose={() => setOpen(false)} />}
    </>
  );
}
