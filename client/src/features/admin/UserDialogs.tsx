import { type Role, type UserListItem, updateUserSchema } from '@chairside/shared';
import { type FormEvent, useState } from 'react';
import { useServices } from '../../app-services';
import { Modal } from '../../components/Modal';
import { SelectField, TextField } from './AdminField';
import { type FormErrors, errorsFromFailure, errorsFromZod } from './admin-errors';
import { isRole, roleLabels, roleOptions } from './admin-format';

interface UserDialogProps {
  user: UserListItem;
  onClose: () => void;
  onDone: (message: string) => void;
}

/** A new password set by an admin: the user's sessions end, a locked account is unlocked. */
export function ResetPasswordDialog({ user, onClose, onDone }: UserDialogProps) {
  const { api } = useServices();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FormErrors<'password' | 'repeat'>>({});
  const [saving, setSaving] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const parsed = updateUserSchema.safeParse({ password });
    if (!parsed.success) {
      setErrors(errorsFromZod(parsed.error, ['password'] as const));
      return;
    }
    if (repeat !== password) {
      setErrors({ repeat: 'The two passwords differ' });
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await api.updateUser(user.id, parsed.data);
    } catch (error) {
      setSaving(false);
      setErrors(errorsFromFailure(error, ['password'] as const, 'Password not changed'));
      return;
    }
    onDone(`New password set for ${user.username}; they were logged out everywhere.`);
    onClose();
  };

  return (
    <Modal title={`Reset password — ${user.username}`} onClose={onClose}>
      <form className="admin-dialog-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={saving}>
        <p className="muted">Give the new password to {user.displayName} in person. Their current logins end at once.</p>
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(value) => {
            setPassword(value);
            setErrors({});
          }}
          error={errors.password}
          hint="At least 8 characters"
        />
        <TextField
          label="Repeat password"
          name="repeat"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(value) => {
            setRepeat(value);
            setErrors({});
          }}
          error={errors.repeat}
        />
        <div role="alert" className="entry-form__alert">
          {errors.form}
        </div>
        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving}>
            Set new password
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A new role; the user's sessions end, so the next login has the new rights. */
export function ChangeRoleDialog({ user, onClose, onDone }: UserDialogProps) {
  const { api } = useServices();
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    if (role === user.role) {
      onClose();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await api.updateUser(user.id, { role });
    } catch (failure) {
      setSaving(false);
      setError(errorsFromFailure(failure, [] as const, 'Role not changed').form ?? null);
      return;
    }
    onDone(`${user.username} is now ${roleLabels[role]}; they were logged out and log in again with the new role.`);
    onClose();
  };

  return (
    <Modal title={`Change role — ${user.username}`} onClose={onClose}>
      <form className="admin-dialog-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={saving}>
        <SelectField
          label="Role"
          name="role"
          value={role}
          onChange={(value) => {
            if (isRole(value)) setRole(value);
          }}
          options={roleOptions}
          hint="Changing the role ends the user’s current logins."
        />
        <div role="alert" className="entry-form__alert">
          {error}
        </div>
        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving}>
            Save role
          </button>
        </div>
      </form>
    </Modal>
  );
}
