import { useId, useState } from 'react';
import { useAppStore } from '../../store/store-context';
import { AlertHistory } from './AlertHistory';
import { AlertLimitsDialog } from './AlertLimitsDialog';
import { describeCustomLimits, hasCustomLimits } from '../../lib/alert-limits';
import { useHandlesAlarms } from '../../hooks/use-alarms';

/**
 * On a chair's page: the alerts of its active session, and for a clinician "Change alert limits".
 * Nothing for an empty chair or an admin.
 */
export function SessionAlarmsPanel({ chairId }: { chairId: string }) {
  const handles = useHandlesAlarms();
  const session = useAppStore((s) => s.chairs[chairId]?.session ?? null);
  const chairName = useAppStore((s) => s.chairs[chairId]?.name ?? chairId);
  const isClinician = useAppStore((s) => s.auth.user?.role === 'clinician');
  const [editing, setEditing] = useState(false);
  const headingId = useId();
  if (!handles || session === null) return null;

  const custom = hasCustomLimits(session.state.alertLimits);
  return (
    <section className="panel session-alarms" aria-labelledby={headingId}>
      <div className="panel__bar">
        <div>
          <h2 id={headingId} className="panel__title">
            Alert history
          </h2>
          <p className="muted panel__hint">
            {custom ? `Custom limits for this session: ${describeCustomLimits(session.state.alertLimits) || 'see the timeline'}` : 'Default alert limits'}
          </p>
        </div>
        {isClinician && (
          <button type="button" className="button button--secondary" aria-haspopup="dialog" onClick={() => setEditing(true)}>
            Change alert limits
          </button>
        )}
      </div>
      <AlertHistory sessionId={session.id} />
      {editing && <AlertLimitsDialog session={session} chairName={chairName} onClose={() => setEditing(false)} />}
    </section>
  );
}
