import { type Device, type Hl7UnmappedMessage, createDeviceSchema } from '@chairside/shared';
import { type FormEvent, useCallback, useId, useRef, useState } from 'react';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { ActionMessage, type Message, SelectField, TextField } from './AdminField';
import { ConfirmDialog } from './ConfirmDialog';
import { LoadState } from './LoadState';
import { type FormErrors, errorsFromFailure, errorsFromZod } from './admin-errors';
import { formatInstant } from './admin-format';
import { useLoad } from '../../hooks/use-load';

const fields = ['deviceId', 'chairId'] as const;
type Field = (typeof fields)[number];

/** The message as received, one segment a line (HL7 separates segments with CR). */
const rawLines = (raw: string) => raw.replace(/\r\n?/g, '\n');

function UnmappedRow({ message, onMap }: { message: Hl7UnmappedMessage; onMap: (deviceId: string) => void }) {
  return (
    <tr>
      <td>
        <time dateTime={message.receivedAt}>{formatInstant(message.receivedAt)}</time>
      </td>
      <td className="admin-table__id">{message.sendingDevice === null ? <span className="muted">—</span> : <code className="admin-code">{message.sendingDevice}</code>}</td>
      <td className="admin-table__id">{message.bed === null ? <span className="muted">—</span> : <code className="admin-code">{message.bed}</code>}</td>
      <td>{message.reason}</td>
      <td>
        <details className="raw-message">
          <summary>Show message{message.controlId === null ? '' : ` ${message.controlId}`}</summary>
          <pre className="raw-message__text">{rawLines(message.raw)}</pre>
          {message.rawTruncated && <p className="muted">Cut at 64 KiB.</p>}
        </details>
      </td>
      <td className="admin-table__actions">
        {message.sendingDevice !== null && (
          <button
            type="button"
            className="button button--secondary button--small"
            aria-label={`Map ${message.sendingDevice} to a chair`}
            onClick={() => onMap(message.sendingDevice ?? '')}
          >
            Map to a chair
          </button>
        )}
      </td>
    </tr>
  );
}

/**
 * HL7 bedside monitors: which device id belongs to which chair, and the messages that mapped to no
 * chair (with a shortcut to register their device).
 */
export function MonitorsSection() {
  const { api } = useServices();
  const devices = useLoad(useCallback(() => api.listDevices(), [api]));
  const chairs = useLoad(useCallback(() => api.listChairs(), [api]));
  const unmapped = useLoad(useCallback(() => api.listUnmappedHl7(), [api]));
  const [draft, setDraft] = useState({ deviceId: '', chairId: '' });
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [removing, setRemoving] = useState<Device | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const chairRef = useRef<HTMLSelectElement>(null);
  const headingId = useId();

  const chairName = (chairId: string) => chairs.value?.find((c) => c.id === chairId)?.name ?? chairId;
  const chairOptions = [...(chairs.value ?? [])].sort((a, b) => a.position - b.position).map((c) => ({ value: c.id, label: c.hl7Bed === null ? c.name : `${c.name} (bed ${c.hl7Bed})` }));

  const change = (field: Field) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined, form: undefined }));
  };

  const mapDevice = (deviceId: string) => {
    setDraft((d) => ({ ...d, deviceId }));
    setErrors({});
    setMessage({ kind: 'success', text: `Pick the chair of ${deviceId}, then register the device.` });
    formRef.current?.scrollIntoView?.({ block: 'center' });
    chairRef.current?.focus();
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    if (draft.chairId === '') {
      setErrors({ chairId: 'Pick the chair', ...(draft.deviceId.trim() === '' ? { deviceId: 'Enter the device id' } : {}) });
      return;
    }
    const parsed = createDeviceSchema.safeParse(draft);
    if (!parsed.success) {
      setErrors(errorsFromZod(parsed.error, fields));
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const device = await api.registerDevice(parsed.data);
      setDraft({ deviceId: '', chairId: '' });
      setMessage({ kind: 'success', text: `${device.deviceId} registered for ${chairName(device.chairId)}; its next messages land there.` });
      devices.reload();
    } catch (error) {
      setErrors(errorsFromFailure(error, fields, 'Not registered', 'deviceId'));
    } finally {
      setSaving(false);
    }
  };

  const deviceList = [...(devices.value ?? [])].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  return (
    <section className="admin-section" aria-labelledby="admin-monitors-heading">
      <PageTitle title="Bedside monitors — Admin" />
      <h2 id="admin-monitors-heading" className="admin-section__title">
        Bedside monitors
      </h2>
      <p className="muted admin-section__lead">
        A monitor’s HL7 messages land on the chair whose HL7 bed matches their PV1-3, or on the chair its device id is registered for.
      </p>
      <ActionMessage message={message} />

      <h3 className="admin-subtitle">Registered monitors</h3>
      <LoadState load={devices} what="the registered monitors" />
      {devices.value !== null &&
        (deviceList.length === 0 ? (
          <p className="muted">No monitors registered; messages map by bed only.</p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table">
              <caption className="visually-hidden">Registered monitors</caption>
              <thead>
                <tr>
                  <th scope="col">Device id</th>
                  <th scope="col">Chair</th>
                  <th scope="col">Registered</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {deviceList.map((device) => (
                  <tr key={device.deviceId}>
                    <th scope="row" className="admin-table__key">
                      <code className="admin-code">{device.deviceId}</code>
                    </th>
                    <td>{chairName(device.chairId)}</td>
                    <td>
                      {formatInstant(device.createdAt)}
                      {device.createdBy !== null && <span className="muted"> by {device.createdBy}</span>}
                    </td>
                    <td className="admin-table__actions">
                      <button type="button" className="button button--danger button--small" aria-label={`Remove ${device.deviceId}`} aria-haspopup="dialog" onClick={() => setRemoving(device)}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}

      <form ref={formRef} className="admin-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-labelledby={headingId} aria-busy={saving}>
        <h3 id={headingId} className="admin-form__title">
          Register a monitor
        </h3>
        <div className="admin-form__grid">
          <TextField
            label="Device id"
            name="deviceId"
            value={draft.deviceId}
            onChange={change('deviceId')}
            error={errors.deviceId}
            hint="As the monitor sends it in MSH-3 or OBX-18: the whole field, or its EUI-64"
          />
          <SelectField
            label="Chair"
            name="chairId"
            value={draft.chairId}
            onChange={change('chairId')}
            options={chairOptions}
            placeholder={chairs.value === null ? 'Loading chairs…' : 'Pick a chair'}
            error={errors.chairId}
            selectRef={chairRef}
          />
        </div>
        <div role="alert" className="entry-form__alert">
          {errors.form}
        </div>
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            Register device
          </button>
        </div>
      </form>

      <div className="admin-subbar">
        <h3 className="admin-subtitle">Unmapped messages</h3>
        <button type="button" className="button button--quiet button--small" onClick={unmapped.reload} disabled={unmapped.status === 'loading'}>
          Refresh messages
        </button>
      </div>
      <p className="muted">
        Messages that mapped to no chair, newest first. They are kept, not replayed: once the device is registered (or the chair has the bed), its next messages land.
      </p>
      <LoadState load={unmapped} what="the unmapped messages" />
      {unmapped.value !== null &&
        (unmapped.value.length === 0 ? (
          <p className="muted">No unmapped messages.</p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table">
              <caption className="visually-hidden">Unmapped messages</caption>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Device</th>
                  <th scope="col">Bed</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Message</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {unmapped.value.map((m) => (
                  <UnmappedRow key={m.id} message={m} onMap={mapDevice} />
                ))}
              </tbody>
            </table>
          </div>
        ))}

      {removing !== null && (
        <ConfirmDialog
          title={`Remove ${removing.deviceId}?`}
          confirmLabel="Remove device"
          failure="Not removed"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await api.removeDevice(removing.deviceId);
            setMessage({ kind: 'success', text: `${removing.deviceId} removed; its messages map by bed only now.` });
            devices.reload();
          }}
        >
          <p>
            Its messages no longer land on {chairName(removing.chairId)} unless their bed matches a chair. Register it again to undo.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
