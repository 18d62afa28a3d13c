import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { orderedChairIds } from '../../lib/chair-order';
import { useAppStore } from '../../store/store-context';
import { ShiftDialog } from './ShiftDialog';
import { useWatchesChairs } from './use-assignments';
import './assignments.css';

/**
 * A low advisory at the station: chairs in session that no one watches. Derived by this screen
 * from the sessions and the assignments (like its own technical alarms): it cannot be acknowledged,
 * it goes when every such chair has a nurse. Their alarms still reach everyone on shift.
 */
export function UnassignedAdvisory() {
  const watches = useWatchesChairs();
  const names = useAppStore(
    useShallow((s) =>
      s.assignments.loaded
        ? orderedChairIds(s.chairs)
            .filter((id) => s.chairs[id]?.session != null && !s.assignments.byChair[id]?.primary)
            .map((id) => s.chairs[id]?.name ?? id)
        : [],
    ),
  );
  const [open, setOpen] = useState(false);
  if (!watches || names.length === 0) return null;
  return (
    <div className="unassigned-advisory" role="status">
      {/* One slim line, all of it the button: the grid below keeps the screen's height. */}
      <button type="button" className="unassigned-advisory__button" aria-haspopup="dialog" title={names.join(', ')} onClick={() => setOpen(true)}>
        <span className="unassigned-advisory__tag">Advisory</span>
        <span className="unassigned-advisory__text">
          {names.length <= 3 ? `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} in session with no nurse assigned` : `${names.length} chairs in session have no nurse assigned`}
          <span className="visually-hidden">: their alarms go to everyone on shift.</span>
        </span>
        <span className="unassigned-advisory__action">Assign ›</span>
      </button>
      {open && <ShiftDialog onClose={() => setOpen(false)} />}
    </div>
  );
}
