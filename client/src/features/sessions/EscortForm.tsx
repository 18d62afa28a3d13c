import { type SessionSummary, escortRecordedSchema } from '@chairside/shared';
import { type FormEvent, useId, useState } from 'react';
import { formatClock } from '../../lib/vital-format';
import { refusalOf } from './session-events';
import { usePostSessionEvent } from './use-session-event';

export interface EscortDraft {
  name: string;
  phone: string;
}

/** The escort's fields checked as the server checks them; null when both are empty (nothing to record). */
export function checkEscort(draft: EscortDraft): { ok: true; value: EscortDraft | null } | { ok: false; field: 'name' | 'phone'; message: string } {
  if (draft.name.trim() === '' && draft.phone.trim() === '') return { ok: true, value: null };
  const parsed = escortRecordedSchema.safeParse({ type: 'escort-recorded', name: draft.name, phone: draft.phone });
  if (parsed.success) return { ok: true, value: { name: parsed.data.name, phone: parsed.data.phone } };
  const issue = parsed.error.issues[0];
  const field = issue?.path[0] === 'phone' ? 'phone' : 'name';
  const message = issue?.message ?? 'check the escort';
  return { ok: false, field, message: `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}.` };
}

interface EscortFieldsProps {
  draft: EscortDraft;
  onChange: (draft: EscortDraft) => void;
  error: { field: 'name' | 'phone'; message: string } | null;
}

/** Name and phone of who takes the patient home (no driving until the next day). */
export function EscortFields({ draft, onChange, error }: EscortFieldsProps) {
  const id = useId();
  const field = (key: 'name' | 'phone', label: string, type: 'text' | 'tel', autoComplete: string) => {
    const inputId = `${id}-${key}`;
    const failing = error?.field === key;
    return (
      <div className={`field${failing ? ' has-error' : ''}`}>
        <label htmlFor={inputId} className="field__label">
          {label}
        </label>
        <input
          id={inputId}
          className="field__input"
          type={type}
          autoComplete={autoComplete}
          inputMode={type === 'tel' ? 'tel' : undefined}
          value={draft[key]}
          onChange={(event) => onChange({ ...draft, [key]: event.target.value })}
          aria-invalid={failing}
          aria-describedby={failing ? `${inputId}-error` : undefined}
        />
        {failing && (
          <p id={`${inputId}-error`} className="field__error">
            {error.message}
          </p>
        )}
      </div>
    );
  };
  return (
    <div className="escort-fields">
      {field('name', 'Escort’s name', 'text', 'off')}
      {field('phone', 'Escort’s phone', 'tel', 'off')}
    </div>
  );
}

/**
 * The escort on the chair page: who was recorded and when, or a form to record one (a change is
 * recorded as a correction of the earlier entry). The discharge gate waits for it.
 */
export function EscortForm({ session }: { session: SessionSummary }) {
  const postEvent = usePostSessionEvent();
  const escort = session.record?.escort ?? null;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<EscortDraft>({ name: escort?.name ?? '', phone: escort?.phone ?? '' });
  const [error, setError] = useState<{ field: 'name' | 'phone'; message: string } | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const checked = checkEscort(draft);
    if (!checked.ok) {
      setError(checked);
      return;
    }
    if (checked.value === null) {
      setError({ field: 'name', message: 'Give the escort’s name and phone.' });
      return;
    }
    setError(null);
    setRefusal(null);
    setSaving(true);
    try {
      await postEvent(session.id, { type: 'escort-recorded', ...checked.value, ...(escort === null ? {} : { corrects: escort.seq }) });
      setEditing(false);
    } catch (failure) {
      setRefusal(`Not saved: ${refusalOf(failure).message}`);
    }
    setSaving(false);
  };

  if (escort !== null && !editing) {
    return (
      <div className="escort">
        <p className="escort__recorded">
          <span aria-hidden="true">✓ </span>
          Escort: <strong>{escort.name}</strong> ({escort.phone}) · recorded at {formatClock(escort.atMs)}
        </p>
        <button
          type="button"
          className="button button--quiet"
          onClick={() => {
            setDraft({ name: escort.name, phone: escort.phone });
            setEditing(true);
          }}
        >
          Change escort
        </button>
      </div>
    );
  }
  return (
    <form className="escort" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={saving} aria-label="Escort">
      {escort === null && <p className="muted">No escort recorded yet: the discharge criteria wait for one.</p>}
      <EscortFields
        draft={draft}
        onChange={(next) => {
          setDraft(next);
          setError(null);
        }}
        error={error}
      />
      <div role="alert" className="entry-form__alert">
        {refusal}
      </div>
      <div className="escort__actions">
        {editing && (
          <button type="button" className="button button--secondary" onClick={() => setEditing(false)}>
            Keep {escort?.name ?? 'the escort'}
          </button>
        )}
        <button type="submit" className="button button--secondary" disabled={saving}>
          {saving ? 'Saving…' : 'Save escort'}
        </button>
      </div>
    </form>
  );
}
