import { useId, useRef, useState } from 'react';
import { usePublishedHeight } from './use-published-height';

/**
 * Permanent wording (docs/clinical-defaults.md "Alarm behaviour"): what Chairside is, and what stays
 * primary. One line at the foot of every page, in its flow, so it covers no value (app.css "Safety
 * note"). On a phone the line is short ("Secondary aid — …"); the full sentence is one tap away, and
 * always there for a screen reader.
 */
export function SafetyNote() {
  const [expanded, setExpanded] = useState(false);
  const textId = useId();
  const ref = useRef<HTMLElement>(null);
  usePublishedHeight(ref, '--safety-note-height');
  return (
    <footer ref={ref} className={`safety-note${expanded ? ' is-expanded' : ''}`}>
      <button
        type="button"
        className="safety-note__toggle"
        aria-expanded={expanded}
        aria-controls={textId}
        aria-label="Full safety notice"
        onClick={() => setExpanded((open) => !open)}
      >
        <InfoIcon />
      </button>
      <InfoIcon className="safety-note__icon" />
      <p id={textId} className="safety-note__text">
        <span className="safety-note__short" aria-hidden="true">
          Secondary aid — monitor and clinician are primary
        </span>
        <span className="safety-note__full">Record-keeping and secondary notification aid — the bedside monitor and the clinician remain primary.</span>
      </p>
    </footer>
  );
}

function InfoIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="8.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M10 9v5.2M10 5.8v.1" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" />
    </svg>
  );
}
