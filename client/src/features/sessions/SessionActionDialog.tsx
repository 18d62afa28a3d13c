import type { SessionAction, SessionSummary } from '@chairside/shared';
import { type FormEvent, useId, useState } from 'react';
import { Modal } from '../../components/Modal';
import { type GateItem, GateItemList } from './GateItemList';
import { type Refusal, actionLabel, eventForAction, refusalOf } from './session-events';
import { usePostSessionEvent } from './use-session-event';

interface SessionActionDialogProps {
  action: SessionAction;
  session: SessionSummary;
  chairName: string;
  /** The gate's failing items, shown when a clinician overrides it. */
  failingItems?: readonly GateItem[] | undefined;
  onClose: () => void;
}

function leadText(action: SessionAction, session: SessionSummary, chairName: string): string {
  const patient = session.patient.displayName;
  switch (action.id) {
    case 'discharge':
      return `${patient} leaves ${chairName}; the session ends and the chair becomes free.`;
    case 'discharge-with-override':
      return `The discharge gate does not hold. ${patient} leaves ${chairName} on your decision; your reason is kept in the session log.`;
    case 'start-treatment-with-override':
      return `The start gate does not hold. ${session.protocol.labels.treatmentPhase} starts for ${patient} on your decision; your reason is kept in the session log.`;
    case 'record-monitor-removed':
      return `Records that the bedside monitor was taken off ${patient} now, with your name: silence from it is then expected.`;
    case 'cancel':
      return `Treatment was not given: the session ends and ${chairName} becomes free. The reason is kept in the session log.`;
    case 'add-note':
      return `The note is kept in ${patient}’s session log with your name and the time.`;
    default:
      return `Records “${action.label}” for ${patient} now, with your name.`;
  }
}

/**
 * Confirms one session action and asks for what it needs (a reason, a note's text), then posts it.
 * A refusal is shown as the server put it, with the gate's failing items when it sent them.
 */
export function SessionActionDialog({ action, session, chairName, failingItems = [], onClose }: SessionActionDialogProps) {
  const postEvent = usePostSessionEvent();
  const [reason, setReason] = useState('');
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();
  const label = actionLabel(action);

  const isOverride = action.id === 'discharge-with-override' || action.id === 'start-treatment-with-override';
  const needsReason = action.asks === 'reason';
  const takesReason = needsReason || action.asks === 'optional-reason';
  const needsText = action.asks === 'text';
  const takesNote = action.asks === 'nothing' || action.asks === 'optional-reason';

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    if (needsReason && reason.trim() === '') {
      setFieldError(
        action.id === 'discharge-with-override'
          ? 'Write why the patient leaves although the gate does not hold.'
          : action.id === 'start-treatment-with-override'
            ? 'Write why treatment starts although the gate does not hold.'
            : 'Give a reason.',
      );
      return;
    }
    if (needsText && text.trim() === '') {
      setFieldError('Write the note.');
      return;
    }
    setFieldError(null);
    setRefusal(null);
    setSaving(true);
    try {
      await postEvent(session.id, eventForAction(action, { reason, text, note }));
    } catch (error) {
      setSaving(false);
      setRefusal(refusalOf(error));
      return;
    }
    onClose();
  };

  const fieldId = `${id}-field`;
  const errorId = `${id}-error`;
  const mainField = takesReason || needsText;
  const mainLabel = needsText ? 'Note' : isOverride ? 'Reason for the override' : needsReason ? 'Reason' : 'Reason (optional)';

  return (
    <Modal title={`${label} — ${chairName}`} onClose={onClose}>
      <form className="action-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={saving}>
        <p className="action-form__lead">{leadText(action, session, chairName)}</p>
        {isOverride && failingItems.length > 0 && <GateItemList items={failingItems} label="Items not met" />}

        {mainField && (
          <div className={`field${fieldError === null ? '' : ' has-error'}`}>
            <label htmlFor={fieldId} className="field__label">
              {mainLabel}
            </label>
            <textarea
              id={fieldId}
              className="field__input field__textarea"
              rows={3}
              value={needsText ? text : reason}
              onChange={(event) => {
                if (needsText) setText(event.target.value);
                else setReason(event.target.value);
                setFieldError(null);
              }}
              aria-invalid={fieldError !== null}
              aria-describedby={fieldError === null ? undefined : errorId}
              data-autofocus=""
            />
            {fieldError !== null && (
              <p id={errorId} className="field__error">
                {fieldError}
              </p>
            )}
          </div>
        )}
        {takesNote && (
          <div className="field">
            <label htmlFor={`${id}-note`} className="field__label">
              Note (optional)
            </label>
            <input id={`${id}-note`} className="field__input" type="text" value={note} onChange={(event) => setNote(event.target.value)} autoComplete="off" />
          </div>
        )}

        <div role="alert" className="entry-form__alert">
          {refusal === null ? null : (
            <>
              <p>Not recorded: {refusal.message}</p>
              {refusal.failingItems.length > 0 && <GateItemList items={refusal.failingItems} label="Items not met" />}
            </>
          )}
        </div>

        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Close
          </button>
          <button type="submit" className={`button ${action.id === 'cancel' || isOverride ? 'button--danger' : 'button--primary'}`} disabled={saving}>
            {label}
          </button>
        </div>
        <p className="entry-form__status" role="status">
          {saving ? 'Saving…' : ''}
        </p>
      </form>
    </Modal>
  );
}
