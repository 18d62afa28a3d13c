import type { ReadinessAnswer, SessionSummary } from '@chairside/shared';
import { useState } from 'react';
import { ReadinessRow } from './ReadinessRow';
import { answeredText, readinessItemsOf, readinessSummaryText } from './readiness';
import { refusalOf } from './session-events';
import { usePostSessionEvent } from './use-session-event';

interface ReadinessChecklistProps {
  session: SessionSummary;
  /** Shows the answers only (after the start, the answers are part of the record). */
  readOnly?: boolean;
}

/**
 * The protocol's readiness checklist for a checked-in patient: each tap on Yes or No is saved at
 * once as a `readiness-answered` entry with the nurse's name and the time (as the discharge
 * checklist's ticks are), and the start gate the server sends back follows it.
 */
export function ReadinessChecklist({ session, readOnly = false }: ReadinessChecklistProps) {
  const postEvent = usePostSessionEvent();
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const items = readinessItemsOf(session);

  const answer = async (itemId: string, value: ReadinessAnswer) => {
    if (items.find((i) => i.id === itemId)?.answer === value) return; // already the answer on record
    setPending((p) => new Set(p).add(itemId));
    setError(null);
    try {
      await postEvent(session.id, { type: 'readiness-answered', answers: { [itemId]: value } });
    } catch (failure) {
      const label = items.find((i) => i.id === itemId)?.label ?? itemId;
      setError(`Not saved (${label}): ${refusalOf(failure).message}`);
    }
    setPending((p) => {
      const next = new Set(p);
      next.delete(itemId);
      return next;
    });
  };

  if (items.length === 0) return <p className="muted">This protocol asks no readiness questions.</p>;
  return (
    <div className="readiness">
      <p className="readiness__summary" role="status">
        {readinessSummaryText(items, session.state.phase !== 'baseline')}
      </p>
      <ul className="readiness__items" aria-label="Readiness checklist">
        {items.map((item) => (
          <ReadinessRow
            key={item.id}
            item={item}
            meta={answeredText(item)}
            pending={pending.has(item.id)}
            readOnly={readOnly}
            onAnswer={(value) => void answer(item.id, value)}
          />
        ))}
      </ul>
      <div role="alert" className="entry-form__alert">
        {error}
      </div>
    </div>
  );
}
