import { cadssTotal } from '@chairside/shared';
import { type FormEvent, useId, useState } from 'react';
import { savedWhen } from './record-entry';
import { FieldError, RefusalAlert, SaveBar, WhenField } from './EntryParts';
import type { EntryFormProps } from './entry-props';
import { cadssAnchors, moaaSLevels } from './record-display';
import { useRecordEntry } from './use-record-entry';

/**
 * MOAA/S and CADSS-6 (docs/clinical-defaults.md "The session record beyond vitals"): MOAA/S is one tap on one of six
 * big buttons (saved at once); CADSS-6 is six items scored 0–4, its total shown as they are tapped, saved together.
 */
export function ScoreForm({ session, nowMs, onSaved, onBack }: EntryFormProps) {
  const id = useId();
  const [when, setWhen] = useState('');
  const [moaaSaved, setMoaaSaved] = useState<string | null>(null);
  const [items, setItems] = useState<(number | undefined)[]>([undefined, undefined, undefined, undefined, undefined, undefined]);
  const moaa = useRecordEntry(session, nowMs);
  const cadss = useRecordEntry(session, nowMs);
  const scored = items.filter((v) => v !== undefined) as number[];
  const saving = moaa.saving || cadss.saving;
  const errors = { ...moaa.errors, ...cadss.errors };

  const saveMoaa = async (value: number) => {
    cadss.reset();
    setMoaaSaved(null);
    // The form stays open: CADSS-6 is usually taken at the same time.
    if (await moaa.save({ type: 'score-recorded', scale: 'moaa-s', value }, when)) setMoaaSaved(`MOAA/S ${value} recorded at ${savedWhen(when, nowMs)}`);
  };

  const saveCadss = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    moaa.reset();
    if (await cadss.save({ type: 'score-recorded', scale: 'cadss-6', items }, when)) {
      onSaved(`CADSS-6 ${cadssTotal(scored)}/24 recorded at ${savedWhen(when, nowMs)}`);
      setItems([undefined, undefined, undefined, undefined, undefined, undefined]);
    }
  };

  return (
    <form className="record-form" noValidate aria-label="Scores" onSubmit={(event) => void saveCadss(event)} aria-busy={saving}>
      <fieldset className="record-fieldset">
        <legend className="record-fieldset__legend">MOAA/S — tap the level to save it</legend>
        <div className="record-moaa" role="group" aria-label="MOAA/S">
          {moaaSLevels.map((level) => (
            <button
              key={level.value}
              type="button"
              className="record-moaa__level"
              disabled={saving}
              aria-label={`MOAA/S ${level.value}: ${level.text}`}
              onClick={() => void saveMoaa(level.value)}
            >
              <span className="record-moaa__value">{level.value}</span>
              <span className="record-moaa__text">{level.text}</span>
            </button>
          ))}
        </div>
        <FieldError id={`${id}-value`} message={errors.value} />
        <p role="status" className="record-saved">
          {moaaSaved !== null && (
            <>
              <span aria-hidden="true">✓ </span>
              {moaaSaved}
            </>
          )}
        </p>
      </fieldset>

      <fieldset className="record-fieldset">
        <legend className="record-fieldset__legend">CADSS-6 — each item 0 ({cadssAnchors[0].toLowerCase()}) to 4 ({cadssAnchors[4].toLowerCase()})</legend>
        <ol className="record-cadss">
          {items.map((value, i) => {
            const itemError = errors[`items.${i}`];
            const labelId = `${id}-item-${i}`;
            return (
              <li key={i} className={`record-cadss__item${itemError === undefined ? '' : ' has-error'}`}>
                <span id={labelId} className="record-cadss__label">
                  Item {i + 1}
                </span>
                <div className="record-segments" role="radiogroup" aria-labelledby={labelId} aria-describedby={itemError === undefined ? undefined : `${labelId}-error`}>
                  {[0, 1, 2, 3, 4].map((n) => (
                    <button
                      key={n}
                      type="button"
                      role="radio"
                      aria-checked={value === n}
                      aria-label={`Item ${i + 1}: ${n} (${cadssAnchors[n] ?? ''})`}
                      className="record-segments__option"
                      onClick={() => {
                        setItems((all) => all.map((v, j) => (j === i ? n : v)));
                        cadss.reset();
                      }}
                    >
                      {n}
                    </button>
                  ))}
                </div>
                <FieldError id={`${labelId}-error`} message={itemError} />
              </li>
            );
          })}
        </ol>
        <p className="record-total" aria-live="polite">
          CADSS-6 total <strong>{cadssTotal(scored)}</strong> of 24{scored.length < 6 ? ` · ${6 - scored.length} item${6 - scored.length === 1 ? '' : 's'} to score` : ''}
        </p>
        <FieldError id={`${id}-items`} message={errors.items} />
      </fieldset>
      <WhenField value={when} onChange={setWhen} errors={errors} />
      <RefusalAlert refusal={moaa.refusal ?? cadss.refusal} />
      <SaveBar saving={saving} label="Save CADSS-6">
        {onBack !== undefined && (
          <button type="button" className="button button--secondary" onClick={onBack}>
            Back
          </button>
        )}
      </SaveBar>
    </form>
  );
}
