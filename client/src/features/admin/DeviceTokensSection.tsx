import { type DeviceToken, createDeviceTokenSchema } from '@chairside/shared';
import { type FormEvent, useCallback, useId, useRef, useState } from 'react';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { ActionMessage, type Message, TextField } from './AdminField';
import { ConfirmDialog } from './ConfirmDialog';
import { LoadState } from './LoadState';
import type { CreatedDeviceToken } from '@chairside/shared';
import { type FormErrors, errorsFromFailure, errorsFromZod } from './admin-errors';
import { formatInstant } from './admin-format';
import { copyText } from './copy-text';
import { useLoad } from '../../hooks/use-load';

/** The token of a device just created, shown this once with a copy button. */
function NewToken({ created, onDone }: { created: CreatedDeviceToken; onDone: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const headingId = useId();
  const warningId = useId();
  return (
    <section className="new-token" aria-labelledby={headingId}>
      <h3 id={headingId} className="new-token__title">
        New token for “{created.label}”
      </h3>
      <p id={warningId} className="new-token__warning">
        Copy this token now: you will not see it again. Paste it into the device’s settings; it sends it as <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div className="new-token__value">
        <input
          ref={inputRef}
          className="field__input new-token__input"
          readOnly
          value={created.token}
          aria-label="New device token"
          aria-describedby={warningId}
          onFocus={(event) => event.target.select()}
        />
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            void copyText(created.token, inputRef.current).then((ok) =>
              setCopied(ok ? 'Copied to the clipboard.' : 'Copying is not possible here: the token is selected, copy it with Ctrl+C or a long press.'),
            );
          }}
        >
          Copy token
        </button>
      </div>
      <p role="status" className="new-token__copied">
        {copied}
      </p>
      <button type="button" className="button button--secondary" onClick={onDone}>
        Done — hide the token
      </button>
    </section>
  );
}

/** Tokens that let a monitor, gateway or simulator post readings; each shown once, revocable. */
export function DeviceTokensSection() {
  const { api } = useServices();
  const tokens = useLoad(useCallback(() => api.listDeviceTokens(), [api]));
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<FormErrors<'label'>>({});
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<CreatedDeviceToken | null>(null);
  const [revoking, setRevoking] = useState<DeviceToken | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const headingId = useId();

  const onCreate = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const parsed = createDeviceTokenSchema.safeParse({ label });
    if (!parsed.success) {
      setErrors(errorsFromZod(parsed.error, ['label'] as const));
      return;
    }
    setErrors({});
    setSaving(true);
    setCreated(null);
    try {
      const token = await api.createDeviceToken(parsed.data.label);
      setCreated(token);
      setLabel('');
      setMessage({ kind: 'success', text: `Token “${token.label}” created.` });
      tokens.reload();
    } catch (error) {
      setErrors(errorsFromFailure(error, ['label'] as const, 'No token created'));
    } finally {
      setSaving(false);
    }
  };

  const list = [...(tokens.value ?? [])].sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="admin-section" aria-labelledby="admin-tokens-heading">
      <PageTitle title="Device tokens — Admin" />
      <h2 id="admin-tokens-heading" className="admin-section__title">
        Device tokens
      </h2>
      <p className="muted admin-section__lead">Monitors, gateways and simulators post readings with a token. Give each device its own, and revoke it when the device leaves.</p>
      <ActionMessage message={message} />

      <form className="admin-form" noValidate onSubmit={(event) => void onCreate(event)} aria-labelledby={headingId} aria-busy={saving}>
        <h3 id={headingId} className="admin-form__title">
          New token
        </h3>
        <div className="admin-form__grid">
          <TextField
            label="Label"
            name="label"
            value={label}
            onChange={(value) => {
              setLabel(value);
              setErrors({});
            }}
            error={errors.label}
            hint="The device that will use it, e.g. “HL7 gateway, room 2”"
          />
        </div>
        <div role="alert" className="entry-form__alert">
          {errors.form}
        </div>
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            Create token
          </button>
        </div>
      </form>

      {created !== null && <NewToken created={created} onDone={() => setCreated(null)} />}

      <LoadState load={tokens} what="the device tokens" />
      {tokens.value !== null &&
        (list.length === 0 ? (
          <p className="muted">No device tokens yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table">
              <caption className="visually-hidden">Device tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((token) => (
                  <tr key={token.id} className={token.revokedAt === null ? undefined : 'is-disabled'}>
                    <th scope="row" className="admin-table__key">
                      {token.label}
                    </th>
                    <td>
                      {formatInstant(token.createdAt)} <span className="muted">by {token.createdBy}</span>
                    </td>
                    <td>{formatInstant(token.lastUsedAt, 'Never')}</td>
                    <td>
                      {token.revokedAt === null ? (
                        <span className="status-chip status-chip--on">Active</span>
                      ) : (
                        <span className="status-chip status-chip--off">Revoked {formatInstant(token.revokedAt)}</span>
                      )}
                    </td>
                    <td className="admin-table__actions">
                      {token.revokedAt === null && (
                        <button type="button" className="button button--danger button--small" aria-label={`Revoke ${token.label}`} aria-haspopup="dialog" onClick={() => setRevoking(token)}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}

      {revoking !== null && (
        <ConfirmDialog
          title={`Revoke “${revoking.label}”?`}
          confirmLabel="Revoke token"
          failure="Not revoked"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await api.revokeDeviceToken(revoking.id);
            setMessage({ kind: 'success', text: `Token “${revoking.label}” revoked: devices using it can no longer send readings.` });
            tokens.reload();
          }}
        >
          <p>Devices using this token can no longer send readings. This cannot be undone; a device needs a new token afterwards.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
