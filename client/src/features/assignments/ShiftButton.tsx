import { useState } from 'react';
import { useAppStore } from '../../store/store-context';
import { ShiftDialog } from './ShiftDialog';
import { useAssignmentsSync } from './use-assignments';

/** "My chairs" in the header (a nurse), "Assignments" (a clinician, an admin): opens the shift dialog; keeps the assignments read. */
export function ShiftButton() {
  useAssignmentsSync();
  const user = useAppStore((s) => s.auth.user);
  const myCount = useAppStore((s) => (user === null ? 0 : Object.values(s.assignments.byChair).filter((a) => a.primary?.userId === user.id).length));
  const [open, setOpen] = useState(false);
  if (user === null) return null;
  return (
    <>
      <button type="button" className="button button--quiet shift-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {user.role === 'nurse' ? `My chairs${myCount > 0 ? ` (${myCount})` : ''}` : 'Assignments'}
      </button>
      {open && <ShiftDialog onClose={() => setOpen(false)} />}
    </>
  );
}
