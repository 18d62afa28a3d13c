import type { SessionSummary } from '@chairside/shared';
import { type ChangeEvent, type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { Modal } from '../../components/Modal';
import { useAppStore } from '../../store/store-context';
import { priorityWord } from '../../lib/alarm-view';
import { type LimitField, type LimitsErrors, currentLimitFields, draftOf, errorsFromLimitIssues, validateLimits } from '../../lib/alert-limits';

interface AlertLimitsDialogProps {
  session: SessionSummary;
  chairName: string;
  onClose: () => void;
}

function failureErrors(error: unknown): LimitsErrors {
  if (error instanceof ApiError && error.status === 400) {
    const errors = errorsFromLimitIssues(error.details, ['limits']);
    return { ...errors, form: errors.form ?? `Not saved: ${error.message}` };
  }
  if (error instanceof ApiError && error.code === 'network') return { form: 'Not saved: the server cannot be reached. Check the connection and save again.' };
  return { form: `Not saved: ${errorMessage(error)}` };
}

/** Groups fields by rule, keeping the rule table's order. */
function byRule(fields: readonly LimitField[]): LimitField[][] {
  const groups: LimitField[][] = [];
  for (const field of fields) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]?.ruleId === field.ruleId) last.push(field);
    else groups.push([field]);
  }
  return groups;
}

/**
 * A clinician changes this session's alert thresholds, with a reason. Checked here with the shared
 * rules; the server checks again and its per-field details are shown beside the fields.
 */
export function AlertLimitsDialog({ session, chairName, onClose }: AlertLimitsDialogProps) {
  const { api } = useServices();
  const sessionUpdated = useAppStore((s) => s.sessionUpdated);
  const current = useMemo(() => currentLimitFields(session.state.alertLimits), [session.state.alertLimits]);
  const [draft, setDraft] = useState(() => draftOf(current));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<LimitsErrors>({});
  const [saving, setSaving] = useState(false);
  const inputs = useRef<Record<string, HTMLInputElement | null>>({});
  const idPrefix = useId();

  const focusFirstError = (found: LimitsErrors) => {
    const field = current.find((f) => found[f.id] !== undefined);
    if (field !== undefined) inputs.current[field.id]?.focus();
    else if (found.reason !== undefined) inputs.current.reason?.focus();
  };

  const onChange = (id: string) => (event: ChangeEvent<HTMLInputElement>) => {
    const { value } = event.target;
    setDraft((d) => ({ ...d, [id]: value }));
    setErrors((e) => (e[id] === undefined && e.form === undefined ? e : { ...e, [id]: undefined, form: undefined }));
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const result = validateLimits(draft, reason, current);
    if (!result.ok) {
      setErrors(result.errors);
      focusFirstError(result.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    let saved: SessionSummary;
    try {
      saved = await api.postSessionEvent(session.id, { type: 'limits-changed', limits: result.limits, reason: reason.trim() });
    } catch (error) {
      const found = failureErrors(error);
      setSaving(false);
      setErrors(found);
      focusFirstError(found);
      return;
    }
    sessionUpdated(saved);
    onClose();
  };

  const hasFieldErrors = Object.entries(errors).some(([key, value]) => key !== 'form' && value !== undefined);
  const reasonId = `${idPrefix}-reason`;

  return (
    <Modal title={`Change alert limits — ${chairName}`} onClose={onClose}>
      <form className="limits-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={saving}>
        <p className="muted limits-form__hint">
          For this session only. Persistence and priorities stay as the clinic set them; the bedside monitor keeps its own alarms.
        </p>
        <div className="limits-form__groups">
          {byRule(current).map((group) => {
            const first = group[0];
            if (first === undefined) return null;
            return (
              <fieldset key={first.ruleId} className="limits-form__rule">
                <legend>
                  {first.ruleLabel} <span className="limits-form__priority">({priorityWord[first.priority].toLowerCase()})</span>
                </legend>
                {group.map((field) => {
                  const id = `${idPrefix}-${field.id}`;
                  const error = errors[field.id];
                  return (
                    <div key={field.id} className={`field limits-form__field${error === undefined ? '' : ' has-error'}`}>
                      <label htmlFor={id} className="field__label">
                        <span className="visually-hidden">{field.ruleLabel}: </span>
                        {field.name}
                      </label>
                      <div className="field__control">
                        <input
                          id={id}
                          ref={(element) => {
                            inputs.current[field.id] = element;
                          }}
                          type="text"
                          inputMode="numeric"
                          autoComplete="off"
                          className="field__input field__input--number"
                          value={draft[field.id] ?? ''}
                          onChange={onChange(field.id)}
                          aria-invalid={error !== undefined}
                          aria-describedby={error === undefined ? `${id}-unit` : `${id}-unit ${id}-error`}
                        />
                        <span id={`${id}-unit`} className="field__unit">
                          {field.unit}
                        </span>
                      </div>
                      {error !== undefined && (
                        <p id={`${id}-error`} className="field__error">
                          {error}
                        </p>
                      )}
                    </div>
                  );
                })}
              </fieldset>
            );
          })}
        </div>
        <div className={`field limits-form__reason${errors.reason === undefined ? '' : ' has-error'}`}>
          <label htmlFor={reasonId} className="field__label">
            Reason
          </label>
          <input
            id={reasonId}
            ref={(element) => {
              inputs.current.reason = element;
            }}
            type="text"
            className="field__input"
            value={reason}
            required
            maxLength={2000}
            onChange={(e) => {
              setReason(e.target.value);
              setErrors((x) => (x.reason === undefined ? x : { ...x, reason: undefined }));
            }}
            aria-invalid={errors.reason !== undefined}
            aria-describedby={errors.reason === undefined ? undefined : `${reasonId}-error`}
          />
          {errors.reason !== undefined && (
            <p id={`${reasonId}-error`} className="field__error">
              {errors.reason}
            </p>
          )}
        </div>
        <div role="alert" className="entry-form__alert">
          {errors.form !== undefined ? errors.form : hasFieldErrors ? 'Not saved — check the marked fields.' : null}
        </div>
        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving}>
            Save limits
          </button>
        </div>
      </form>
    </Modal>
  );
}
