import { type ReactNode, useId } from 'react';
import type { EntryRefusal, FieldErrors } from './record-entry';

/** A field's error under it, tied to its input by id. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p id={id} className="field__error">
      {message}
    </p>
  );
}

interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  errors: FieldErrors;
  /** Numbers: a decimal keypad on a tablet. */
  numeric?: boolean;
  unit?: string;
  hint?: string;
  list?: string;
  autoFocus?: boolean;
}

/** A labelled input whose error (from the shared schema or the server) names its field. */
export function EntryField({ label, name, value, onChange, errors, numeric = false, unit, hint, list, autoFocus }: TextFieldProps) {
  const id = useId();
  const error = errors[name];
  const describedBy = [error === undefined ? null : `${id}-error`, hint === undefined ? null : `${id}-hint`].filter(Boolean).join(' ');
  return (
    <div className={`field record-field${error === undefined ? '' : ' has-error'}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {unit !== undefined && <span className="record-field__unit"> ({unit})</span>}
      </label>
      <input
        id={id}
        name={name}
        className={`field__input${numeric ? ' field__input--number' : ''}`}
        type="text"
        inputMode={numeric ? 'decimal' : undefined}
        autoComplete="off"
        list={list}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        {...(autoFocus === true ? { 'data-autofocus': true } : {})}
      />
      {hint !== undefined && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

interface ChoiceProps<T extends string> {
  label: string;
  name: string;
  options: readonly { value: T; label: string }[];
  value: T | null;
  onChange: (value: T) => void;
  errors: FieldErrors;
}

/** Big buttons for one choice among a few (one thumb): a radio group. */
export function ChoiceButtons<T extends string>({ label, name, options, value, onChange, errors }: ChoiceProps<T>) {
  const id = useId();
  const error = errors[name];
  return (
    <div className="record-choice">
      <span id={`${id}-label`} className="field__label">
        {label}
      </span>
      <div className="record-choice__options" role="radiogroup" aria-labelledby={`${id}-label`} aria-describedby={error === undefined ? undefined : `${id}-error`}>
        {options.map((o) => (
          <button key={o.value} type="button" role="radio" aria-checked={value === o.value} className="record-choice__option" onClick={() => onChange(o.value)}>
            {o.label}
          </button>
        ))}
      </div>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** "Happened earlier?": the time it happened, empty for now. */
export function WhenField({ value, onChange, errors }: { value: string; onChange: (value: string) => void; errors: FieldErrors }) {
  return (
    <EntryField
      label="Happened at"
      name="at"
      value={value}
      onChange={onChange}
      errors={errors}
      hint="Leave empty for now; or the time it happened (e.g. 10:35)."
    />
  );
}

/** The server's refusal in words (a 409 or 400, naming the field), or nothing. */
export function RefusalAlert({ refusal }: { refusal: EntryRefusal | null }) {
  return (
    <div role="alert" className="entry-form__alert record-refusal">
      {refusal === null ? null : `Not saved: ${refusal.message}`}
    </div>
  );
}

/** Save (and the back step) at the foot of an entry form. */
export function SaveBar({ saving, label, children }: { saving: boolean; label: string; children?: ReactNode }) {
  return (
    <div className="entry-form__actions record-actions">
      {children}
      <button type="submit" className="button button--primary" disabled={saving}>
        {saving ? 'Saving…' : label}
      </button>
    </div>
  );
}
