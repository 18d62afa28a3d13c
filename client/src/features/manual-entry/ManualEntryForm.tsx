import { type ReadingInput, vitalFieldInfo } from '@chairside/shared';
import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api/api-error';
import type { Clock } from '../../clock';
import type { SubmitOutcome } from './outbox';
import { toDateTimeLocalValue } from '../../lib/local-time';
import {
  confirmOlderThanMs,
  formatMeasuredAgo,
  type ManualEntryDraft,
  type ManualEntryErrors,
  type ManualEntryField,
  type ManualVitalField,
  emptyDraft,
  errorsFromIssues,
  manualVitalFields,
  validateManualEntry,
} from './manual-entry-validation';

export interface ManualEntryFormProps {
  chairId: string;
  /**
   * Sends the reading (outbox.submit): resolves when the server stored it or when it is kept on this
   * tablet to be sent later; rejects when it was not saved at all (refused, or nowhere to keep it).
   */
  submitReading: (reading: ReadingInput) => Promise<SubmitOutcome>;
  clock: Clock;
  newId: () => string;
  onSaved: (outcome: SubmitOutcome) => void;
  onCancel: () => void;
  /** Values to start from (an entry the server refused, to correct); the time defaults to now. */
  initial?: Partial<ManualEntryDraft>;
}

const formOrder: readonly ManualEntryField[] = [...manualVitalFields, 'time'];

function failureErrors(error: unknown): ManualEntryErrors {
  if (!(error instanceof ApiError)) return { form: `Not saved: ${errorMessage(error)}` };
  if (error.status === 400) return errorsFromIssues(error.details, `Not saved: ${error.message}`);
  if (error.code === 'network') return { form: 'Not saved: the server cannot be reached. Check the connection and save again.' };
  return { form: `Not saved: ${error.message}` };
}

/** A nurse's manual reading: checked here with the shared plausibility rules, stored by the server. */
export function ManualEntryForm({ chairId, submitReading, clock, newId, onSaved, onCancel, initial }: ManualEntryFormProps) {
  const [draft, setDraft] = useState<ManualEntryDraft>(() => ({ ...emptyDraft(toDateTimeLocalValue(clock.now())), ...initial }));
  const [errors, setErrors] = useState<ManualEntryErrors>({});
  const [saving, setSaving] = useState(false);
  /** The time field's text of an old reading awaiting the nurse's "Save anyway", and how long ago it was. */
  const [oldTime, setOldTime] = useState<{ time: string; ago: string } | null>(null);
  const confirmedTime = useRef<string | null>(null);
  const saveAnyway = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    if (oldTime !== null) saveAnyway.current?.focus();
  }, [oldTime]);
  /** A retry of an unchanged entry reuses its id, so the server stores it once (README, Readings). */
  const lastAttempt = useRef<{ body: string; id: string } | null>(null);
  const inputs = useRef<Partial<Record<ManualEntryField, HTMLInputElement | null>>>({});
  const idPrefix = useId();

  const focusFirstError = (found: ManualEntryErrors) => {
    const field = formOrder.find((f) => found[f] !== undefined) ?? 'systolic';
    inputs.current[field]?.focus();
  };

  const onChange = (field: ManualEntryField) => (event: ChangeEvent<HTMLInputElement>) => {
    const { value } = event.target;
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => (e[field] === undefined && e.form === undefined ? e : { ...e, [field]: undefined, form: undefined }));
    if (field === 'time') setOldTime(null);
  };

  const onSubmit = async (event?: FormEvent<HTMLFormElement>) => {
    event?.preventDefault();
    if (saving) return;
    const nowMs = clock.now();
    const result = validateManualEntry(draft, nowMs);
    if (!result.ok) {
      setOldTime(null);
      setErrors(result.errors);
      focusFirstError(result.errors);
      return;
    }
    // A time long past is often a slip of the date: the nurse says so before it is saved.
    if (nowMs - result.measuredAtMs > confirmOlderThanMs && confirmedTime.current !== draft.time) {
      setErrors({});
      setOldTime({ time: draft.time, ago: formatMeasuredAgo(nowMs - result.measuredAtMs) });
      return;
    }
    setOldTime(null);
    const entry = { chairId, measuredAt: result.measuredAt, ...result.values, source: 'manual' as const };
    const body = JSON.stringify(entry);
    const id = lastAttempt.current?.body === body ? lastAttempt.current.id : newId();
    lastAttempt.current = { body, id };

    setErrors({});
    setSaving(true);
    let saved: SubmitOutcome;
    try {
      saved = await submitReading({ id, ...entry });
    } catch (error) {
      const found = failureErrors(error);
      setSaving(false);
      setErrors(found);
      focusFirstError(found);
      return;
    }
    onSaved(saved);
  };

  const hasFieldErrors = formOrder.some((f) => errors[f] !== undefined);

  const renderField = (field: ManualVitalField) => {
    const id = `${idPrefix}-${field}`;
    const error = errors[field];
    return (
      <div className={`field${error === undefined ? '' : ' has-error'}`} key={field}>
        <label htmlFor={id} className="field__label">
          {vitalFieldInfo[field].label}
        </label>
        <div className="field__control">
          <input
            id={id}
            ref={(element) => {
              inputs.current[field] = element;
            }}
            name={field}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            enterKeyHint="next"
            className="field__input field__input--number"
            value={draft[field]}
            onChange={onChange(field)}
            aria-invalid={error !== undefined}
            aria-describedby={error === undefined ? `${id}-unit` : `${id}-unit ${id}-error`}
            data-autofocus={field === 'systolic' ? '' : undefined}
          />
          <span id={`${id}-unit`} className="field__unit">
            {vitalFieldInfo[field].unit}
          </span>
        </div>
        {error !== undefined && (
          <p id={`${id}-error`} className="field__error">
            {error}
          </p>
        )}
      </div>
    );
  };

  const timeId = `${idPrefix}-time`;
  return (
    <form className="entry-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={saving}>
      <div className="entry-form__grid">
        {manualVitalFields.map(renderField)}
        <div className={`field field--wide${errors.time === undefined ? '' : ' has-error'}`}>
          <label htmlFor={timeId} className="field__label">
            Time
          </label>
          <div className="field__control">
            <input
              id={timeId}
              ref={(element) => {
                inputs.current.time = element;
              }}
              name="time"
              type="datetime-local"
              step={1}
              className="field__input"
              value={draft.time}
              onChange={onChange('time')}
              aria-invalid={errors.time !== undefined}
              aria-describedby={errors.time === undefined ? undefined : `${timeId}-error`}
            />
            <button
              type="button"
              className="button button--quiet"
              onClick={() => setDraft((d) => ({ ...d, time: toDateTimeLocalValue(clock.now()) }))}
            >
              Now
            </button>
          </div>
          {errors.time !== undefined && (
            <p id={`${timeId}-error`} className="field__error">
              {errors.time}
            </p>
          )}
        </div>
      </div>

      {oldTime !== null && (
        <div role="alertdialog" aria-labelledby={`${idPrefix}-old`} className="entry-form__confirm">
          <p id={`${idPrefix}-old`}>This reading was measured {oldTime.ago} ago — save it anyway?</p>
          <div className="entry-form__actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setOldTime(null);
                inputs.current.time?.focus();
              }}
            >
              Change the time
            </button>
            <button
              type="button"
              className="button button--primary"
              ref={saveAnyway}
              onClick={() => {
                confirmedTime.current = oldTime.time;
                void onSubmit();
              }}
            >
              Save anyway
            </button>
          </div>
        </div>
      )}

      <div role="alert" className="entry-form__alert">
        {errors.form !== undefined ? errors.form : hasFieldErrors ? 'Not saved — check the marked fields.' : null}
      </div>

      <div className="entry-form__actions">
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={saving}>
          Save reading
        </button>
      </div>
      <p className="entry-form__status" role="status">
        {saving ? 'Saving…' : ''}
      </p>
    </form>
  );
}
