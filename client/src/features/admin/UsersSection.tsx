import type { UserListItem } from '@chairside/shared';
import { useCallback, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { useAppStore } from '../../store/store-context';
import { ActionMessage, type Message } from './AdminField';
import { AddUserForm } from './AddUserForm';
import { ConfirmDialog } from './ConfirmDialog';
import { ChangeRoleDialog, ResetPasswordDialog } from './UserDialogs';
import { roleLabels } from './admin-format';
import { LoadState } from './LoadState';
import { useLoad } from '../../hooks/use-load';

type Dialog = { kind: 'password' | 'role' | 'disable'; user: UserListItem } | null;

/** Accounts: who may log in with which role; add, disable or enable, reset a password, change a role. */
export function UsersSection() {
  const { api } = useServices();
  const me = useAppStore((s) => s.auth.user?.id ?? null);
  const users = useLoad(useCallback(() => api.listUsers(), [api]));
  const [message, setMessage] = useState<Message>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const done = (text: string) => {
    setMessage({ kind: 'success', text });
    users.reload();
  };

  const enable = async (user: UserListItem) => {
    setBusy(user.id);
    try {
      await api.updateUser(user.id, { disabled: false });
      done(`${user.username} can log in again.`);
    } catch (error) {
      setMessage({ kind: 'error', text: `${user.username} not enabled: ${errorMessage(error)}` });
    } finally {
      setBusy(null);
    }
  };

  const list = [...(users.value ?? [])].sort((a, b) => a.username.localeCompare(b.username));
  return (
    <section className="admin-section" aria-labelledby="admin-users-heading">
      <PageTitle title="Users — Admin" />
      <h2 id="admin-users-heading" className="admin-section__title">
        Users
      </h2>
      <ActionMessage message={message} />
      <LoadState load={users} what="the users" />
      {users.value !== null && (
        <div className="table-scroll">
          <table className="admin-table">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((user) => {
                const self = user.id === me;
                return (
                  <tr key={user.id} className={user.disabled ? 'is-disabled' : undefined}>
                    <th scope="row" className="admin-table__key">
                      {user.username}
                      {self && <span className="muted"> (you)</span>}
                    </th>
                    <td>{user.displayName}</td>
                    <td>{roleLabels[user.role]}</td>
                    <td>
                      <span className={`status-chip status-chip--${user.disabled ? 'off' : 'on'}`}>{user.disabled ? 'Disabled' : 'Active'}</span>
                    </td>
                    <td className="admin-table__actions">
                      {!self && (
                        <button type="button" className="button button--quiet button--small" aria-label={`Change role of ${user.username}`} aria-haspopup="dialog" onClick={() => setDialog({ kind: 'role', user })}>
                          Change role
                        </button>
                      )}
                      <button type="button" className="button button--quiet button--small" aria-label={`Reset password of ${user.username}`} aria-haspopup="dialog" onClick={() => setDialog({ kind: 'password', user })}>
                        Reset password
                      </button>
                      {!self &&
                        (user.disabled ? (
                          <button type="button" className="button button--secondary button--small" aria-label={`Enable ${user.username}`} onClick={() => void enable(user)} disabled={busy === user.id}>
                            Enable
                          </button>
                        ) : (
                          <button type="button" className="button button--danger button--small" aria-label={`Disable ${user.username}`} aria-haspopup="dialog" onClick={() => setDialog({ kind: 'disable', user })}>
                            Disable
                          </button>
                        ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <AddUserForm onAdded={(user) => done(`User ${user.username} added as ${roleLabels[user.role]}.`)} />

      {dialog?.kind === 'password' && <ResetPasswordDialog user={dialog.user} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'role' && <ChangeRoleDialog user={dialog.user} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'disable' && (
        <ConfirmDialog
          title={`Disable ${dialog.user.username}?`}
          confirmLabel="Disable user"
          failure="Not disabled"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const { user } = dialog;
            await api.updateUser(user.id, { disabled: true });
            done(`${user.username} is disabled and was logged out.`);
          }}
        >
          <p>
            {dialog.user.displayName} is logged out at once and cannot log in until enabled again. Everything they recorded stays.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
