import { type ReactNode, type Ref, useId } from 'react';

interface FieldFrameProps {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  wide?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled field with its hint and its error (`aria-describedby`), as the other forms do. */
function FieldFrame({ label, error, hint, wide = false, children }: FieldFrameProps) {
  const id = useId();
  const describedBy = [hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`].filter((x) => x !== null).join(' ');
  return (
    <div className={`field${wide ? ' field--wide' : ''}${error === undefined ? '' : ' has-error'}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children({ id, describedBy: describedBy === '' ? undefined : describedBy, invalid: error !== undefined })}
      {hint !== undefined && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'password' | 'datetime-local';
  autoComplete?: string;
  inputRef?: Ref<HTMLInputElement>;
  list?: string;
  wide?: boolean;
}

export function TextField({ label, name, value, onChange, error, hint, type = 'text', autoComplete = 'off', inputRef, list, wide }: TextFieldProps) {
  return (
    <FieldFrame label={label} error={error} hint={hint} wide={wide}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          ref={inputRef}
          name={name}
          type={type}
          className="field__input"
          autoComplete={autoComplete}
          autoCapitalize="none"
          spellCheck={false}
          value={value}
          list={list}
          step={type === 'datetime-local' ? 1 : undefined}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={invalid}
          aria-describedby={describedBy}
        />
      )}
    </FieldFrame>
  );
}

interface SelectFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  error?: string | undefined;
  hint?: string;
  selectRef?: Ref<HTMLSelectElement>;
  /** Shown first, with the value ''. */
  placeholder?: string;
}

export function SelectField({ label, name, value, onChange, options, error, hint, selectRef, placeholder }: SelectFieldProps) {
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          ref={selectRef}
          name={name}
          className="field__input"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={invalid}
          aria-describedby={describedBy}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

/** The outcome of the last action: a success is announced politely, a failure as an alert. */
export function ActionMessage({ message }: { message: { kind: 'success' | 'error'; text: string } | null }) {
  return (
    <>
      <p role="status" className={message?.kind === 'success' ? 'notice notice--success admin-message' : 'admin-message'}>
        {message?.kind === 'success' ? message.text : null}
      </p>
      <p role="alert" className={message?.kind === 'error' ? 'notice notice--error admin-message' : 'admin-message'}>
        {message?.kind === 'error' ? message.text : null}
      </p>
    </>
  );
}

export type Message = { kind: 'success' | 'error'; text: string } | null;
