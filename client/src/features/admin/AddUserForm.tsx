import { type PublicUser, type Role, createUserSchema } from '@chairside/shared';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useServices } from '../../app-services';
import { SelectField, TextField } from './AdminField';
import { type FormErrors, errorsFromFailure, errorsFromZod, hasErrors } from './admin-errors';
import { isRole, roleOptions } from './admin-format';

const fields = ['username', 'displayName', 'password', 'role'] as const;
type Field = (typeof fields)[number];

const empty = { username: '', displayName: '', password: '', role: 'nurse' as Role };

/** A new account: checked here with the shared rules, then by the server (a taken username is 409). */
export function AddUserForm({ onAdded }: { onAdded: (user: PublicUser) => void }) {
  const { api } = useServices();
  const [draft, setDraft] = useState(empty);
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [saving, setSaving] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const headingId = useId();

  const change = (field: Field) => (value: string) => {
    setDraft((d) => (field === 'role' ? { ...d, role: isRole(value) ? value : d.role } : { ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined, form: undefined }));
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const found: FormErrors<Field> = {};
    if (draft.username.trim() === '') found.username = 'Enter a username';
    if (draft.password === '') found.password = 'Enter a password';
    const parsed = createUserSchema.safeParse({
      username: draft.username,
      password: draft.password,
      role: draft.role,
      ...(draft.displayName.trim() === '' ? {} : { displayName: draft.displayName }),
    });
    const all = parsed.success ? found : { ...errorsFromZod(parsed.error, fields), ...found };
    if (!parsed.success || hasErrors(all)) {
      setErrors({ ...all, form: 'Not added — check the marked fields.' });
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const user = await api.createUser(parsed.data);
      setDraft(empty);
      onAdded(user);
      usernameRef.current?.focus();
    } catch (error) {
      setErrors(errorsFromFailure(error, fields, 'Not added', 'username'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="admin-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-labelledby={headingId} aria-busy={saving}>
      <h3 id={headingId} className="admin-form__title">
        New user
      </h3>
      <div className="admin-form__grid">
        <TextField
          label="Username"
          name="username"
          value={draft.username}
          onChange={change('username')}
          error={errors.username}
          hint="Lowercase letters, digits, “.”, “_” or “-”"
          inputRef={usernameRef}
        />
        <TextField label="Display name" name="displayName" value={draft.displayName} onChange={change('displayName')} error={errors.displayName} hint="Optional; shown in the header and the records" />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={draft.password}
          onChange={change('password')}
          error={errors.password}
          hint="At least 8 characters"
        />
        <SelectField label="Role" name="role" value={draft.role} onChange={change('role')} options={roleOptions} error={errors.role} />
      </div>
      <div role="alert" className="entry-form__alert">
        {errors.form}
      </div>
      <div className="admin-form__actions">
        <button type="submit" className="button button--primary" disabled={saving}>
          Add user
        </button>
      </div>
    </form>
  );
}
