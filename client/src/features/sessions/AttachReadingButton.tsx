import type { Reading } from '@chairside/shared';
import { useState } from 'react';
import { useServices } from '../../app-services';
import { useAppStore } from '../../store/store-context';
import { refusalOf } from './session-events';

/**
 * How long before check-in an unassigned reading may still belong to the patient (a BP taken in the
 * chair before the check-in was recorded). Older ones are most likely the previous patient's.
 */
export const attachWindowMs = 60 * 60 * 1000;

/** Marks a reading that belongs to no session and, while a patient is in the chair, offers to attach it. */
export function AttachReadingButton({ chairId, reading }: { chairId: string; reading: Reading }) {
  const { api } = useServices();
  const session = useAppStore((s) => s.chairs[chairId]?.session ?? null);
  const readingsUpdated = useAppStore((s) => s.readingsUpdated);
  const [state, setState] = useState<{ status: 'idle' | 'saving' } | { status: 'failed'; message: string }>({ status: 'idle' });
  if (reading.sessionId !== null) return null;

  const attachable = session !== null && Date.parse(reading.measuredAt) >= session.state.checkedInAtMs - attachWindowMs;
  const attach = async () => {
    if (session === null) return;
    setState({ status: 'saving' });
    try {
      readingsUpdated(await api.attachReadings(session.id, [reading.id]));
      setState({ status: 'idle' });
    } catch (error) {
      setState({ status: 'failed', message: refusalOf(error).message });
    }
  };

  return (
    <span className="attach">
      <span className="note">Not in a session</span>
      {attachable && (
        <button type="button" className="button button--quiet button--small" disabled={state.status === 'saving'} onClick={() => void attach()}>
          Attach to session
        </button>
      )}
      {state.status === 'failed' && (
        <span role="alert" className="note note--rejected">
          Not attached: {state.message}
        </span>
      )}
    </span>
  );
}
