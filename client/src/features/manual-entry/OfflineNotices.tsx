import { useAppStore } from '../../store/store-context';
import { OutboxReviewButton } from './OutboxReviewButton';
import { refusedText, sentNotice } from './offline-text';

/**
 * Below the header, on every page: "Saved on this tablet — will be sent when the connection is back"
 * after an entry was kept (and that it was sent, once it was), the entries the server refused, and
 * a tablet that cannot keep entries at all.
 */
export function OfflineNotices() {
  const notice = useAppStore((s) => s.outbox.notice);
  const error = useAppStore((s) => s.outbox.error);
  const pending = useAppStore((s) => Object.values(s.outbox.entries).filter((e) => e.status === 'pending').length);
  const refused = useAppStore((s) => Object.values(s.outbox.entries).filter((e) => e.status === 'refused').length);
  const dismiss = useAppStore((s) => s.outboxNoticeChanged);
  // Once nothing waits, the notice says they went (a refused one has its own alert below).
  const shown = notice === null ? null : pending > 0 ? notice : refused === 0 ? sentNotice : null;

  return (
    <div className="offline-notices">
      {/* Always present, so a new message is announced. */}
      <div role="status" className="offline-notices__status">
        {shown !== null && (
          <div className={`notice ${pending === 0 ? 'notice--info' : 'notice--pending'}`}>
            <span>{shown}</span>
            <button type="button" className="button button--quiet button--small" onClick={() => dismiss(null)}>
              Dismiss
            </button>
          </div>
        )}
      </div>
      <div role="alert" className={refused > 0 ? 'notice notice--error' : undefined}>
        {refused > 0 && <span>{refusedText(refused)}: not recorded until corrected.</span>}
        <OutboxReviewButton className="button button--secondary button--small" hidden={refused === 0}>
          Review entries
        </OutboxReviewButton>
      </div>
      {error !== null && (
        <p role="alert" className="notice notice--error">
          {error}
        </p>
      )}
    </div>
  );
}
