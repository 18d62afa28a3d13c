import { useAppStore } from '../../store/store-context';
import { initialsOf, watchText } from './people';
import './assignments.css';

/**
 * Who watches the chair, on its tile: the primary's initials, small (the backup is in its label).
 * A chair in session with no one says so: it is an advisory at the station (UnassignedAdvisory).
 */
export function TileAssignee({ chairId, inSession }: { chairId: string; inSession: boolean }) {
  const loaded = useAppStore((s) => s.assignments.loaded);
  const assignment = useAppStore((s) => s.assignments.byChair[chairId]);
  const mine = useAppStore((s) => s.auth.user !== null && s.assignments.byChair[chairId]?.primary?.userId === s.auth.user.id);
  if (!loaded) return null;
  const label = watchText(assignment);
  if (!assignment?.primary) {
    if (!inSession) return null;
    return (
      <span className="tile-assignee tile-assignee--none" title={label}>
        No nurse
      </span>
    );
  }
  return (
    <span className={`tile-assignee${mine ? ' tile-assignee--mine' : ''}`} title={label}>
      <span className="visually-hidden">{label}</span>
      <span aria-hidden="true">{mine ? 'You' : initialsOf(assignment.primary.displayName)}</span>
    </span>
  );
}
