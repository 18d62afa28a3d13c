import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AssignChair, ChairAssignment } from '@chairside/shared';
import { errorMessage } from '../../api/api-error';
import { Modal } from '../../components/Modal';
import { orderedChairIds } from '../../lib/chair-order';
import { useAppStore } from '../../store/store-context';
import { useAssignmentsApi } from './assignments-api';
import { initialsOf } from './people';
import './assignments.css';

function holderText(assignment: ChairAssignment | undefined, myId: string): string {
  const primary = assignment?.primary;
  if (!primary) return 'Free';
  if (primary.userId === myId) return assignment.backup ? `Mine · backup ${initialsOf(assignment.backup.displayName)}` : 'Mine';
  return `${primary.displayName}`;
}

/**
 * The shift's chairs (docs/architecture.md "Alarm reach"). A nurse taps chairs to take or release
 * them and names one backup for all of hers; a clinician sets any chair's primary and backup; an
 * admin reads. Whoever watches a chair is the first its unacknowledged alarms reach.
 */
export function ShiftDialog({ onClose }: { onClose: () => void }) {
  const api = useAssignmentsApi();
  const user = useAppStore((s) => s.auth.user);
  const chairIds = useAppStore(useShallow((s) => orderedChairIds(s.chairs)));
  const chairs = useAppStore((s) => s.chairs);
  const { byChair, users } = useAppStore((s) => s.assignments);
  const loaded = useAppStore((s) => s.assignmentsLoaded);
  const myChairsFirst = useAppStore((s) => s.myChairsFirst);
  const setMyChairsFirst = useAppStore((s) => s.setMyChairsFirst);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const backupId = useId();
  const firstId = useId();
  if (user === null) return null;
  const myId = user.id;
  const mine = chairIds.filter((id) => byChair[id]?.primary?.userId === myId);
  const myBackup = mine.map((id) => byChair[id]?.backup?.userId ?? '').find((b) => b !== '') ?? '';
  const others = users.filter((u) => u.userId !== myId);

  const run = async (key: string, work: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };
  const assign = (request: AssignChair) => run(request.chairId, async () => loaded(await api.assign(request)));
  const release = (chairId: string) =>
    run(chairId, async () => {
      await api.release(chairId);
      loaded(await api.list());
    });

  const nurseView = (
    <>
      <div className="field">
        <label htmlFor={backupId}>Backup for my chairs</label>
        <select
          id={backupId}
          value={myBackup}
          disabled={busy !== null}
          onChange={(event) => {
            const backupUserId = event.target.value === '' ? null : event.target.value;
            void run('backup', async () => {
              for (const chairId of mine) loaded(await api.assign({ chairId, primaryUserId: myId, backupUserId }));
            });
          }}
        >
          <option value="">No backup</option>
          {others.map((u) => (
            <option key={u.userId} value={u.userId}>
              {u.displayName}
            </option>
          ))}
        </select>
        <p className="muted shift__hint">
          An alarm nobody acknowledges reaches you at once, your backup after the clinic’s delay (by default 30 s for a high alarm, 90 s for a medium one), then everyone on shift.
        </p>
      </div>
      <fieldset className="shift__chairs">
        <legend>Tap a chair to take it or give it back</legend>
        {chairIds.map((id) => {
          const assignment = byChair[id];
          const isMine = assignment?.primary?.userId === myId;
          const name = chairs[id]?.name ?? id;
          return (
            <button
              key={id}
              type="button"
              className={`button shift__chair${isMine ? ' is-mine' : ''}`}
              aria-pressed={isMine}
              disabled={busy !== null}
              onClick={() => void (isMine ? release(id) : assign({ chairId: id, primaryUserId: myId, backupUserId: myBackup === '' ? null : myBackup }))}
            >
              <span className="shift__chair-name">{name}</span>
              <span className="shift__chair-holder">
                {holderText(assignment, myId)}
                {chairs[id]?.session ? ' · in session' : ''}
              </span>
            </button>
          );
        })}
      </fieldset>
    </>
  );

  const clinicianView = (
    <div className="table-scroll" role="group" aria-label="Chair assignments, scrolls sideways" tabIndex={0}>
      <table className="readings-table shift__table" aria-label="Chair assignments">
        <thead>
          <tr>
            <th scope="col">Chair</th>
            <th scope="col">Primary</th>
            <th scope="col">Backup</th>
          </tr>
        </thead>
        <tbody>
          {chairIds.map((id) => {
            const assignment = byChair[id];
            const name = chairs[id]?.name ?? id;
            const primary = assignment?.primary?.userId ?? '';
            const backup = assignment?.backup?.userId ?? '';
            return (
              <tr key={id}>
                <th scope="row">{name}</th>
                <td>
                  <select
                    aria-label={`Primary of ${name}`}
                    value={primary}
                    disabled={busy !== null}
                    onChange={(event) => {
                      const next = event.target.value;
                      if (next === '') void release(id);
                      else void assign({ chairId: id, primaryUserId: next, backupUserId: backup === '' || backup === next ? null : backup });
                    }}
                  >
                    <option value="">No one</option>
                    {users.map((u) => (
                      <option key={u.userId} value={u.userId}>
                        {u.displayName}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    aria-label={`Backup of ${name}`}
                    value={backup}
                    disabled={busy !== null || primary === ''}
                    onChange={(event) => void assign({ chairId: id, primaryUserId: primary, backupUserId: event.target.value === '' ? null : event.target.value })}
                  >
                    <option value="">No backup</option>
                    {users
                      .filter((u) => u.userId !== primary)
                      .map((u) => (
                        <option key={u.userId} value={u.userId}>
                          {u.displayName}
                        </option>
                      ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );

  const readView = (
    <ul className="shift__list">
      {chairIds.map((id) => (
        <li key={id}>
          <strong>{chairs[id]?.name ?? id}</strong>: {byChair[id]?.primary?.displayName ?? 'no one'}
          {byChair[id]?.backup ? `, backup ${byChair[id].backup.displayName}` : ''}
        </li>
      ))}
    </ul>
  );

  return (
    <Modal title={user.role === 'nurse' ? 'My chairs' : 'Chair assignments'} onClose={onClose}>
      <div className="shift">
        {user.role === 'nurse' ? nurseView : user.role === 'clinician' ? clinicianView : readView}
        {error !== null && (
          <p role="alert" className="notice notice--error">
            Not saved: {error}
          </p>
        )}
        <div className="shift__first">
          <input id={firstId} type="checkbox" checked={myChairsFirst} onChange={(event) => setMyChairsFirst(event.target.checked)} />
          <label htmlFor={firstId}>Show my chairs first on this device</label>
        </div>
        <div className="shift__actions">
          <button type="button" className="button button--primary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </Modal>
  );
}
