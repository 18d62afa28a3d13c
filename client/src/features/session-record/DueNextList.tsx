import { type DueItem, dueAt } from '@chairside/shared';
import { dueNextLongText } from './record-display';

/** Everything due, the most urgent first, in sentences. */
export function DueNextList({ due, nowMs }: { due: readonly DueItem[]; nowMs: number }) {
  const items = dueAt(due, nowMs);
  if (items.length === 0) return null;
  return (
    <ul className="record-due-list" aria-label="Due">
      {items.map((d) => (
        <li key={d.item.id} className={`record-due-list__item is-${d.status}`}>
          {d.status === 'overdue' && d.item.id !== 'score:pre-dose' && (
            <span className="session-status__symbol" aria-hidden="true">
              !
            </span>
          )}
          {dueNextLongText(d)}
        </li>
      ))}
    </ul>
  );
}
