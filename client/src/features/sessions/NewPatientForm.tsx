import { type Patient, type RiskFlag, createPatientSchema, riskFlagLabels, riskFlagSchema } from '@chairside/shared';
import { type KeyboardEvent, useId, useState } from 'react';
import { ApiError } from '../../api/api-error';
import { refusalOf } from './session-events';

interface NewPatientFormProps {
  /** Stores the patient (api.createPatient). */
  createPatient: (patient: { displayName: string; mrn: string | null; riskFlags: RiskFlag[] }) => Promise<Patient>;
  onCreated: (patient: Patient) => void;
  onCancel: () => void;
}

type Field = 'displayName' | 'mrn';
type Errors = Partial<Record<Field | 'form', string>>;

const riskFlags = riskFlagSchema.options;

/**
 * A pseudonymous patient: a display name the clinic chooses, an optional MRN, risk flags. Part of the
 * check-in form (not a form of its own: forms do not nest); Enter in a field adds the patient.
 */
export function NewPatientForm({ createPatient, onCreated, onCancel }: NewPatientFormProps) {
  const [displayName, setDisplayName] = useState('');
  const [mrn, setMrn] = useState('');
  const [flags, setFlags] = useState<RiskFlag[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const id = useId();

  const add = async () => {
    if (saving) return;
    const input = { displayName, mrn: mrn.trim() === '' ? null : mrn, riskFlags: flags };
    const parsed = createPatientSchema.safeParse(input);
    if (!parsed.success) {
      const found: Errors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === 'displayName' || field === 'mrn') && found[field] === undefined) found[field] = issue.message;
      }
      setErrors(found);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const patient = await createPatient({ displayName: parsed.data.displayName, mrn: parsed.data.mrn ?? null, riskFlags: parsed.data.riskFlags });
      onCreated(patient);
    } catch (error) {
      setSaving(false);
      const found: Errors = { form: `Patient not added: ${refusalOf(error).message}` };
      if (error instanceof ApiError) {
        for (const detail of error.details) {
          const field = detail.path[0];
          if (field === 'displayName' || field === 'mrn') found[field] = detail.message;
        }
      }
      setErrors(found);
    }
  };

  const onEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void add();
  };

  const field = (name: Field, label: string, value: string, set: (value: string) => void, hint?: string) => {
    const inputId = `${id}-${name}`;
    const error = errors[name];
    const describedBy = [hint === undefined ? null : `${inputId}-hint`, error === undefined ? null : `${inputId}-error`].filter((x) => x !== null).join(' ');
    return (
      <div className={`field${error === undefined ? '' : ' has-error'}`}>
        <label htmlFor={inputId} className="field__label">
          {label}
        </label>
        <input
          id={inputId}
          className="field__input"
          type="text"
          autoComplete="off"
          value={value}
          onChange={(event) => {
            set(event.target.value);
            setErrors((e) => ({ ...e, [name]: undefined, form: undefined }));
          }}
          onKeyDown={onEnter}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy === '' ? undefined : describedBy}
        />
        {hint !== undefined && (
          <p id={`${inputId}-hint`} className="field__hint">
            {hint}
          </p>
        )}
        {error !== undefined && (
          <p id={`${inputId}-error`} className="field__error">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <div className="new-patient" role="group" aria-labelledby={`${id}-title`} aria-busy={saving}>
      <h3 id={`${id}-title`} className="new-patient__title">
        Add a new patient
      </h3>
      <div className="new-patient__grid">
        {field('displayName', 'Display name', displayName, setDisplayName, 'A pseudonym the clinic chooses; no full name needed')}
        {field('mrn', 'MRN', mrn, setMrn, 'Optional')}
      </div>
      <fieldset className="check-list">
        <legend className="field__label">Risk flags</legend>
        {riskFlags.map((flag) => (
          <label key={flag} className="check">
            <input
              type="checkbox"
              checked={flags.includes(flag)}
              onChange={(event) => setFlags((current) => (event.target.checked ? [...current, flag] : current.filter((f) => f !== flag)))}
            />
            {riskFlagLabels[flag]}
          </label>
        ))}
      </fieldset>
      {errors.form !== undefined && (
        <p role="alert" className="field__error">
          {errors.form}
        </p>
      )}
      <div className="new-patient__actions">
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Cancel new patient
        </button>
        <button type="button" className="button button--secondary" onClick={() => void add()} disabled={saving}>
          Add patient
        </button>
      </div>
    </div>
  );
}
