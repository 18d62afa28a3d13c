import type { Role } from '@chairside/shared';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { Modal } from '../../components/Modal';
import type { ReportView } from './report-view';
import { type SessionAddendum, type SessionSignature, signingStatement } from '@chairside/shared';
import { phaseWord } from './review-format';

interface SignDialogProps {
  view: ReportView;
  onSigned: (signature: SessionSignature) => void;
  onRefused: () => void;
  onClose: () => void;
}

function SignDialog({ view, onSigned, onRefused, onClose }: SignDialogProps) {
  const { api } = useServices();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { session } = view;

  const sign = async () => {
    if (saving) return;
    setSaving(true);
    setError(null);
    try {
      const signature = await api.signSession(session.id);
      onSigned(signature);
    } catch (failure) {
      setSaving(false);
      setError(errorMessage(failure));
      onRefused();
    }
  };

  return (
    <Modal title="Sign session" onClose={onClose}>
      <div className="action-form" aria-busy={saving}>
        <p className="action-form__lead">
          You sign the record of {session.patient.displayName}’s session of {view.dateTime(session.state.checkedInAtMs)} at {view.chairName}, stating:
        </p>
        <blockquote className="review-signature__statement">{signingStatement}</blockquote>
        <p className="muted">Once signed, the record is locked: nothing in it can change, and corrections are added as addenda beside it.</p>
        <div role="alert" className="entry-form__alert">
          {error === null ? null : `Not signed: ${error}`}
        </div>
        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={() => void sign()} disabled={saving} data-autofocus="">
            Sign and lock
          </button>
        </div>
        <p className="entry-form__status" role="status">
          {saving ? 'Signing…' : ''}
        </p>
      </div>
    </Modal>
  );
}

function AddendumForm({ sessionId, onAdded }: { sessionId: string; onAdded: (addendum: SessionAddendum) => void }) {
  const { api } = useServices();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    if (text.trim() === '') {
      setFieldError('Write the correction or addition.');
      return;
    }
    setFieldError(null);
    setError(null);
    setSaving(true);
    try {
      const addendum = await api.addSessionAddendum(sessionId, text.trim());
      setText('');
      onAdded(addendum);
    } catch (failure) {
      setError(`Not added: ${errorMessage(failure)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="review-addendum-form no-print" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={saving}>
      <div className={`field${fieldError === null ? '' : ' has-error'}`}>
        <label htmlFor={`${id}-text`} className="field__label">
          Addendum
        </label>
        <textarea
          id={`${id}-text`}
          className="field__input field__textarea"
          rows={3}
          maxLength={4000}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setFieldError(null);
          }}
          aria-invalid={fieldError !== null}
          aria-describedby={fieldError === null ? `${id}-hint` : `${id}-error`}
        />
        {fieldError === null ? (
          <p id={`${id}-hint`} className="field__hint">
            Kept beside the signed record with your name and the time; the record itself does not change.
          </p>
        ) : (
          <p id={`${id}-error`} className="field__error">
            {fieldError}
          </p>
        )}
      </div>
      <div role="alert" className="entry-form__alert">
        {error}
      </div>
      <div className="entry-form__actions">
        <button type="submit" className="button button--primary" disabled={saving}>
          Add addendum
        </button>
      </div>
    </form>
  );
}

interface SignatureSectionProps {
  view: ReportView;
  role: Role | null;
  onSigned: (signature: SessionSignature) => void;
  onAddendum: (addendum: SessionAddendum) => void;
  /** The server refused: read the report again (someone else may have signed). */
  onStale: () => void;
}

/**
 * The signature block: who signed and when, or — for a clinician on a finished, unsigned session — the
 * "Sign session" button; then the addenda of a signed session and the form to add one.
 */
export function SignatureSection({ view, role, onSigned, onAddendum, onStale }: SignatureSectionProps) {
  const headingId = useId();
  const addendaId = useId();
  const [signing, setSigning] = useState(false);
  const { signature, finished, session } = view;
  const careTeam = role === 'nurse' || role === 'clinician';

  let state: ReactNode;
  if (signature !== null) {
    state = (
      <>
        <p className="review-signature__line">
          Signed by <strong>{signature.signedByName}</strong> ({signature.signedBy}) on{' '}
          <time dateTime={view.iso(signature.signedAt)}>{view.dateTime(signature.signedAt)}</time>
        </p>
        <blockquote className="review-signature__statement">{signature.statement}</blockquote>
        <p className="muted">The record is locked. Corrections are added as addenda.</p>
      </>
    );
  } else if (!finished) {
    state = (
      <p>
        Not signed. The session is still running ({phaseWord(session.state.phase, session.protocol)}); it can be signed once the patient is discharged or the session
        is cancelled.
      </p>
    );
  } else if (role === 'clinician') {
    state = (
      <div className="review-signature__sign">
        <p>Not signed yet. Review the record above, then sign it: signing locks the record.</p>
        <button type="button" className="button button--primary no-print" onClick={() => setSigning(true)}>
          Sign session
        </button>
      </div>
    );
  } else {
    state = <p>Not signed yet: waiting for a clinician to review and sign the record.</p>;
  }

  return (
    <section className="panel review-section review-signature" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Signature
      </h2>
      {state}
      {signature !== null && (
        <div className="review-addenda">
          <h3 id={addendaId} className="review-subsection__title">
            Addenda
          </h3>
          {view.addenda.length === 0 ? (
            <p className="muted">No addenda.</p>
          ) : (
            <ol className="review-addenda__list" aria-labelledby={addendaId}>
              {view.addenda.map((addendum) => (
                <li key={addendum.seq} className="review-addenda__item">
                  <p className="review-addenda__text">{addendum.text}</p>
                  <p className="review-addenda__meta">
                    {addendum.displayName} ({addendum.username}), <time dateTime={view.iso(addendum.at)}>{view.dateTime(addendum.at)}</time>
                  </p>
                </li>
              ))}
            </ol>
          )}
          {careTeam && <AddendumForm sessionId={session.id} onAdded={onAddendum} />}
        </div>
      )}
      {signing && (
        <SignDialog
          view={view}
          onSigned={(s) => {
            setSigning(false);
            onSigned(s);
          }}
          onRefused={onStale}
          onClose={() => setSigning(false)}
        />
      )}
    </section>
  );
}
