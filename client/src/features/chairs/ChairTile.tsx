import { useId } from 'react';
import { useNavigate } from 'react-router';
import { useNow } from '../../hooks/use-now';
import { useAppStore } from '../../store/store-context';
import { EnterReadingButton } from '../manual-entry/EnterReadingButton';
import { PhaseBadge } from './PhaseBadge';
import { RejectionNotice } from './RejectionNotice';
import { VitalsPanel } from './VitalsPanel';
import { sessionPhase } from './session-view';
import { formatAge, formatClockSeconds } from './vital-format';

/** One chair on the grid: who is in it, the newest values and how old they are. A tap opens the chair. */
export function ChairTile({ chairId }: { chairId: string }) {
  const name = useAppStore((s) => s.chairs[chairId]?.name);
  const session = useAppStore((s) => s.chairs[chairId]?.session ?? null);
  const latest = useAppStore((s) => s.chairs[chairId]?.latest);
  const nowMs = useNow(1000);
  const navigate = useNavigate();
  const nameId = useId();
  if (name === undefined || latest === undefined) return null;

  const lastAt = latest.lastReadingAt === null ? null : Date.parse(latest.lastReadingAt);
  return (
    <article className={`chair-tile${session === null ? ' chair-tile--empty' : ''}`} aria-labelledby={nameId}>
      <header className="chair-tile__header">
        <h2 id={nameId} className="chair-tile__name">
          {name}
        </h2>
        {session !== null && <PhaseBadge phase={sessionPhase(session)} />}
        <button
          type="button"
          className="chair-tile__open"
          aria-label={`Open ${name}`}
          onClick={() => void navigate(`/chairs/${encodeURIComponent(chairId)}`)}
        >
          Open <span aria-hidden="true">›</span>
        </button>
      </header>
      <p className="chair-tile__patient">{session === null ? <span className="muted">No patient</span> : session.patient.displayName}</p>

      <VitalsPanel latest={latest} nowMs={nowMs} />
      <RejectionNotice latest={latest} />

      <footer className="chair-tile__footer">
        <span className="chair-tile__age">
          {lastAt === null ? (
            'No readings yet'
          ) : (
            <>
              Last reading{' '}
              <time dateTime={latest.lastReadingAt ?? undefined} title={formatClockSeconds(lastAt)}>
                {formatAge(nowMs - lastAt)}
              </time>
            </>
          )}
        </span>
        <EnterReadingButton chairId={chairId} chairName={name} className="button button--secondary chair-tile__action" />
      </footer>
    </article>
  );
}
