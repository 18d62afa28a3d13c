import { useShallow } from 'zustand/react/shallow';
import { outboxEntries } from '../../store/outbox-slice';
import { useAppStore } from '../../store/store-context';
import { formatClock } from '../../lib/vital-format';
import { entryValuesText, pendingLabel, refusedLabel } from './offline-text';

/**
 * A chair's manual entries that are on this tablet only: plainly apart from the vitals (never folded
 * into them), dashed and labelled, so no one mistakes them for values the server has.
 */
export function PendingReadings({ chairId }: { chairId: string }) {
  const entries = useAppStore(useShallow((s) => outboxEntries(s).filter((e) => e.reading.chairId === chairId)));
  if (entries.length === 0) return null;
  return (
    <div className="pending-readings" role="note" aria-label="Entries not yet on the server">
      <ul className="pending-readings__list">
        {entries.map(({ reading, status, refusal }) => (
          <li key={reading.id} className={`pending-reading pending-reading--${status}`}>
            <span className="pending-reading__status">{status === 'pending' ? pendingLabel : refusedLabel}</span>
            <span className="pending-reading__values">
              {entryValuesText(reading)}
              <span className="muted">
                {' '}
                · taken <time dateTime={reading.measuredAt}>{formatClock(Date.parse(reading.measuredAt))}</time>
              </span>
            </span>
            {status === 'refused' && refusal !== null && <span className="pending-reading__reason">{refusal.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
