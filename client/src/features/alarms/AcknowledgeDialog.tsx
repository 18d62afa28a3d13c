import { alertSymbol, alertTitle } from '@chairside/shared';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { Modal } from '../../components/Modal';
import type { AlertEntry } from '../../store/alerts-slice';
import { priorityWord } from '../../lib/alarm-view';

interface AcknowledgeDialogProps {
  entry: AlertEntry;
  chairName: string;
  onClose: () => void;
}

const noteMaxLength = 500;

/** "A person has seen it", with an optional note; it silences the alarm on every screen. */
export function AcknowledgeDialog({ entry, chairName, onClose }: AcknowledgeDialogProps) {
  const { alerts } = useServices();
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noteId = useId();
  const { alert } = entry;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await alerts.acknowledge(alert.id, note);
      onClose();
    } catch (failure) {
      setPending(false);
      // Someone else was quicker, or it cleared meanwhile: read the alarms again to show which.
      if (failure instanceof ApiError && failure.status === 409) void alerts.reloadAlerts();
      setError(`Not acknowledged: ${errorMessage(failure)}`);
    }
  };

  return (
    <Modal title={`Acknowledge alarm — ${chairName}`} onClose={onClose}>
      <form className="ack-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={pending}>
        <p className={`ack-form__alarm alarm-tag alarm-tag--${alert.priority}`}>
          <span className="alarm-symbol" aria-hidden="true">
            {alertSymbol(alert.priority)}
          </span>
          <span>
            <strong>
              {priorityWord[alert.priority]} · {alertTitle(alert)}
            </strong>{' '}
            — {alert.message}
          </span>
        </p>
        <div className="field">
          <label htmlFor={noteId} className="field__label">
            Note (optional)
          </label>
          <textarea
            id={noteId}
            className="field__input ack-form__note"
            value={note}
            maxLength={noteMaxLength}
            rows={2}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        <div role="alert" className="entry-form__alert">
          {error}
        </div>
        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          {/* Focused first: on a tablet the keyboard opens only if someone wants to write a note. */}
          <button type="submit" className="button button--primary" disabled={pending} data-autofocus="">
            Acknowledge
          </button>
        </div>
      </form>
    </Modal>
  );
}
