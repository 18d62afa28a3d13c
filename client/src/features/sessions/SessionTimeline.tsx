import type { SessionDetail } from '@chairside/shared';
import { useId } from 'react';
import { formatClockSeconds } from '../../lib/vital-format';
import { actorText, describeEvent, phaseText } from '../../lib/timeline-text';

interface SessionTimelineProps {
  detail: SessionDetail | null;
  loading: boolean;
  error: string | null;
  onRetry: () => void;
}

/** The session log: who did what, when, from which phase, with reasons and notes. Newest last, as it happened. */
export function SessionTimeline({ detail, loading, error, onRetry }: SessionTimelineProps) {
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <div className="panel__bar">
        <h2 id={headingId} className="panel__title">
          Session timeline
        </h2>
        {loading && detail !== null && (
          <span className="muted" role="status">
            Updating…
          </span>
        )}
      </div>
      {error !== null && (
        <div role="alert" className="notice notice--error">
          <span>Could not load the session log: {error}</span>
          <button type="button" className="button button--secondary" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
      {detail === null ? (
        error === null && (
          <p className="muted" role="status">
            Loading the session log…
          </p>
        )
      ) : (
        <ol className="timeline" aria-label="Session events">
          {detail.events.map((event) => {
            const { title, details } = describeEvent(event, detail.protocol);
            const phase = phaseText(event, detail.protocol);
            return (
              <li key={event.seq} className={`timeline__item timeline__item--${event.type}`}>
                <time className="timeline__time" dateTime={event.at}>
                  {formatClockSeconds(Date.parse(event.at))}
                </time>
                <div className="timeline__body">
                  <p className="timeline__title">{title}</p>
                  <p className="timeline__meta">
                    by {actorText(event)}
                    {phase !== null && ` · ${phase}`}
                  </p>
                  {details.map((line, i) => (
                    <p key={i} className="timeline__detail">
                      {line}
                    </p>
                  ))}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
