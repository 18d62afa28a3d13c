import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { Modal } from '../../components/Modal';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Does it; the dialog closes when it resolves and shows why when it rejects. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
  /** Prefix of the failure message: "Not revoked". */
  failure: string;
}

/** "Are you sure?" for what cannot simply be undone; Cancel is focused first. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose, failure }: ConfirmDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failed) {
      setPending(false);
      setError(`${failure}: ${errorMessage(failed)}`);
      return;
    }
    onClose();
  };

  return (
    <Modal title={title} onClose={onClose}>
      <div className="confirm">
        <div className="confirm__body">{children}</div>
        <div role="alert" className="entry-form__alert">
          {error}
        </div>
        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose} data-autofocus="">
            Cancel
          </button>
          <button type="button" className="button button--danger" onClick={() => void confirm()} disabled={pending} aria-busy={pending}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </Modal>
  );
}
