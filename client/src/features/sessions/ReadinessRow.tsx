import type { ReadinessAnswer } from '@chairside/shared';
import { type FormEvent, useId, useState } from 'react';

export interface ReadinessRowItem {
  id: string;
  label: string;
  kind: 'yesno' | 'text';
  hardStop: boolean;
  answer: ReadinessAnswer | null;
}

interface ReadinessRowProps {
  item: ReadinessRowItem;
  /** Who answered and when ("Yes · nurse at 09:12"), or what is not saved yet; null shows nothing. */
  meta: string | null;
  /** Saving this item's answer now. */
  pending?: boolean;
  /** Shows the answer only (no toggles). */
  readOnly?: boolean;
  onAnswer: (answer: ReadinessAnswer) => void;
}

function answerClass(answer: ReadinessAnswer | null): string {
  if (answer === null) return 'is-unanswered';
  if (typeof answer === 'string') return 'is-text';
  return answer ? 'is-yes' : 'is-no';
}

/**
 * One readiness question: its label, "Hard stop" when a "no" holds the start, and a Yes/No toggle
 * of two large buttons (one thumb on a tablet) or, for a text item, a short field with Save.
 */
export function ReadinessRow({ item, meta, pending = false, readOnly = false, onAnswer }: ReadinessRowProps) {
  const id = useId();
  const labelId = `${id}-label`;
  const metaId = `${id}-meta`;
  const [text, setText] = useState(typeof item.answer === 'string' ? item.answer : '');
  const [textError, setTextError] = useState<string | null>(null);

  const onSaveText = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = text.trim();
    if (value === '') {
      setTextError('Write an answer.');
      return;
    }
    setTextError(null);
    onAnswer(value);
  };

  return (
    <li className={`readiness-item ${answerClass(item.answer)}${item.hardStop ? ' is-hard-stop' : ''}`}>
      <div className="readiness-item__text">
        <span id={labelId} className="readiness-item__label">
          {item.label}
        </span>
        {item.hardStop && <span className="readiness-item__stop">Hard stop</span>}
        {meta !== null && (
          <span id={metaId} className="readiness-item__meta">
            {pending ? 'Saving…' : meta}
          </span>
        )}
      </div>
      {readOnly ? null : item.kind === 'yesno' ? (
        <div className="readiness-toggle" role="group" aria-labelledby={labelId} aria-describedby={meta === null ? undefined : metaId}>
          <button
            type="button"
            className="readiness-toggle__option readiness-toggle__option--yes"
            aria-pressed={item.answer === true}
            disabled={pending}
            onClick={() => onAnswer(true)}
          >
            <span aria-hidden="true">✓ </span>Yes
          </button>
          <button
            type="button"
            className="readiness-toggle__option readiness-toggle__option--no"
            aria-pressed={item.answer === false}
            disabled={pending}
            onClick={() => onAnswer(false)}
          >
            <span aria-hidden="true">✗ </span>No
          </button>
        </div>
      ) : (
        <form className="readiness-text" noValidate onSubmit={onSaveText}>
          <input
            className="field__input readiness-text__input"
            type="text"
            autoComplete="off"
            maxLength={500}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setTextError(null);
            }}
            aria-labelledby={labelId}
            aria-invalid={textError !== null}
            aria-describedby={textError === null ? undefined : `${id}-error`}
          />
          <button type="submit" className="button button--secondary" disabled={pending}>
            Save
          </button>
          {textError !== null && (
            <p id={`${id}-error`} className="field__error readiness-text__error">
              {textError}
            </p>
          )}
        </form>
      )}
    </li>
  );
}
