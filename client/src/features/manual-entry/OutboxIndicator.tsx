import { useAppStore } from '../../store/store-context';
import { OutboxReviewButton } from './OutboxReviewButton';
import { refusedText, waitingText } from './offline-text';

/** In the header: "2 entries waiting to send" while manual entries are on this tablet only; opens them. */
export function OutboxIndicator() {
  const pending = useAppStore((s) => Object.values(s.outbox.entries).filter((e) => e.status === 'pending').length);
  const refused = useAppStore((s) => Object.values(s.outbox.entries).filter((e) => e.status === 'refused').length);
  const parts = [pending > 0 ? waitingText(pending) : null, refused > 0 ? refusedText(refused) : null].filter((p) => p !== null);
  return (
    <OutboxReviewButton className={`outbox-indicator${refused > 0 ? ' outbox-indicator--refused' : ''}`} hidden={parts.length === 0}>
      <span className="outbox-indicator__symbol" aria-hidden="true">
        ⇡
      </span>
      {parts.join(' · ')}
    </OutboxReviewButton>
  );
}
