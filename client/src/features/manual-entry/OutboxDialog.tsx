import { useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { Modal } from '../../components/Modal';
import { type OutboxEntry, outboxEntries } from '../../store/outbox-slice';
import { useAppStore, useAppStoreApi } from '../../store/store-context';
import { useShallow } from 'zustand/react/shallow';
import { formatClock, formatDateTime } from '../../lib/vital-format';
import { entryValuesText, pendingLabel, refusedLabel } from './offline-text';

interface OutboxDialogProps {
  onClose: () => void;
  /** The nurse wants to correct a refused entry and send it again. */
  onCorrect: (entry: OutboxEntry) => void;
}

function EntryItem({ entry, onCorrect }: { entry: OutboxEntry; onCorrect: () => void }) {
  const { outbox } = useServices();
  const chairName = useAppStore((s) => (entry.reading.chairId === undefined ? null : (s.chairs[entry.reading.chairId]?.name ?? entry.reading.chairId)));
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { reading, status, refusal, lastError, attempts, queuedAt } = entry;
  const takenAt = formatClock(Date.parse(reading.measuredAt));
  const what = `${chairName ?? 'the chair'} at ${takenAt}`;

  const discard = async () => {
    try {
      await outbox.discard(reading.id);
    } catch (failure) {
      setError(`Not discarded: ${errorMessage(failure)}`);
    }
  };

  return (
    <li className={`outbox-entry outbox-entry--${status}`}>
      <p className="outbox-entry__title">
        <strong>{chairName ?? 'Unknown chair'}</strong> · taken <time dateTime={reading.measuredAt}>{takenAt}</time>
      </p>
      <p className="outbox-entry__values">{entryValuesText(reading)}</p>
      <p className="outbox-entry__status">{status === 'pending' ? pendingLabel : refusedLabel}</p>
      {status === 'pending' ? (
        <p className="muted outbox-entry__detail">
          Saved on this tablet {formatDateTime(queuedAt)}
          {attempts > 0 && lastError !== null ? `; last attempt: ${lastError}` : ''}
        </p>
      ) : (
        refusal !== null && (
          <div className="outbox-entry__refusal">
            <p>{refusal.message}</p>
            {refusal.details.length > 0 && (
              <ul>
                {refusal.details.map((detail, i) => (
                  <li key={i}>{detail.message}</li>
                ))}
              </ul>
            )}
          </div>
        )
      )}
      {status === 'refused' && (
        <div className="outbox-entry__actions">
          {confirming ? (
            <>
              <span>This entry will not be recorded.</span>
              <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(false)}>
                Keep entry
              </button>
              <button type="button" className="button button--danger button--small" onClick={() => void discard()}>
                Discard entry
              </button>
            </>
          ) : (
            <>
              <button type="button" className="button button--primary button--small" aria-label={`Correct the entry of ${what}`} onClick={onCorrect}>
                Correct
              </button>
              <button type="button" className="button button--quiet button--small" aria-label={`Discard the entry of ${what}`} onClick={() => setConfirming(true)}>
                Discard
              </button>
            </>
          )}
        </div>
      )}
      {error !== null && (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
    </li>
  );
}

/** The current user's manual entries kept on this tablet: their state, "Send now", and the refused ones to correct or discard. */
export function OutboxDialog({ onClose, onCorrect }: OutboxDialogProps) {
  const { outbox } = useServices();
  const store = useAppStoreApi();
  const entries = useAppStore(useShallow(outboxEntries));
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<string | null>(null);

  const sendNow = async () => {
    setSending(true);
    setResult(null);
    await outbox.flush();
    setSending(false);
    const left = outboxEntries(store.getState()).filter((e) => e.status === 'pending');
    setResult(left.length === 0 ? 'Every waiting entry has been sent.' : `Not sent yet: ${left[0]?.lastError ?? 'the server cannot be reached'}. Chairside keeps trying.`);
  };

  const pending = entries.filter((e) => e.status === 'pending').length;
  return (
    <Modal title="Entries waiting to send" onClose={onClose}>
      <div className="outbox-dialog">
        <p className="muted">
          These manual readings are saved on this tablet only. Chairside sends them by itself when the server can be reached; each is recorded once.
        </p>
        {entries.length === 0 ? (
          <p className="empty-state">Nothing is waiting: every entry is on the server.</p>
        ) : (
          <ul className="outbox-dialog__list" aria-label="Entries on this tablet">
            {entries.map((entry) => (
              <EntryItem key={entry.reading.id} entry={entry} onCorrect={() => onCorrect(entry)} />
            ))}
          </ul>
        )}
        <p role="status" className="outbox-dialog__result">
          {sending ? 'Sending…' : result}
        </p>
        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Close
          </button>
          {pending > 0 && (
            <button type="button" className="button button--primary" onClick={() => void sendNow()} disabled={sending} aria-busy={sending}>
              Send now
            </button>
          )}
        </div>
      </div>
    </Modal>
  );
}
