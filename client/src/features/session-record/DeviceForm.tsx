import { nextDeviceAt, recordSettingsOf } from '@chairside/shared';
import { type FormEvent, useState } from 'react';
import { formatClock } from '../../lib/vital-format';
import { EntryField, RefusalAlert, SaveBar, WhenField } from './EntryParts';
import type { EntryFormProps } from './entry-props';
import { countdownText, savedWhen } from './record-entry';
import { useRecordEntry } from './use-record-entry';

/**
 * An esketamine device given (docs/clinical-defaults.md "The session record beyond vitals"): the next device's number
 * filled in, the lot remembered from the previous device, the rest since it counted down. The server refuses a device
 * inside its rest (409); a clinician may then override with a reason.
 */
export function DeviceForm({ session, nowMs, role, onSaved, onBack }: EntryFormProps) {
  const devices = recordSettingsOf(session.protocol).devices;
  const record = session.record;
  const next = record === undefined ? null : nextDeviceAt(record, nowMs);
  const [lot, setLot] = useState(next?.lot ?? '');
  const [when, setWhen] = useState('');
  const [override, setOverride] = useState<string | null>(null);
  const entry = useRecordEntry(session, nowMs);
  if (devices === null || next === null) {
    return <p className="muted">{devices === null ? 'This protocol gives no nasal-spray devices.' : 'Every device of this session is recorded.'}</p>;
  }
  const restRefused = entry.refusal?.status === 409 && entry.refusal.field === 'device';
  const mayOverride = role === 'clinician' && (restRefused || override !== null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Once overriding, the reason field stays until the device is recorded.
    if (mayOverride && override === null) setOverride('');
    const body = {
      type: 'dose-given' as const,
      drug: 'esketamine',
      doseMg: devices.mgPerDevice,
      route: 'intranasal',
      device: next.device,
      ...(lot.trim() === '' ? {} : { lot: lot.trim() }),
      ...(mayOverride ? { override: { reason: override ?? '' } } : {}),
    };
    if (await entry.save(body, when)) {
      onSaved(`Device ${next.device} recorded at ${savedWhen(when, nowMs)}`);
      setOverride(null);
    }
  };

  return (
    <form className="record-form" noValidate aria-label={`Device ${next.device}`} onSubmit={(event) => void onSubmit(event)} aria-busy={entry.saving}>
      <p className="record-device">
        <span className="record-device__number">
          Device {next.device} of {devices.maxDevices}
        </span>
        <span className="muted"> · {devices.mgPerDevice} mg esketamine, intranasal</span>
      </p>
      {next.notBeforeMs !== null && (
        <p className={`record-rest${next.restLeftMs > 0 ? ' is-resting' : ' is-over'}`} role="timer" aria-live="off">
          {next.restLeftMs > 0 ? (
            <>
              <span aria-hidden="true">⏱ </span>Rest after device {next.device - 1}: <strong>{countdownText(next.restLeftMs)}</strong> left (from {formatClock(next.notBeforeMs)})
            </>
          ) : (
            <>
              <span aria-hidden="true">✓ </span>Rest after device {next.device - 1} over at {formatClock(next.notBeforeMs)}
            </>
          )}
        </p>
      )}
      <EntryField label="Lot" name="lot" value={lot} onChange={setLot} errors={entry.errors} hint={next.lot === null ? undefined : `Kept from the previous device; change it if this box differs.`} />
      <WhenField value={when} onChange={setWhen} errors={entry.errors} />
      {mayOverride && (
        <EntryField
          label="Override the rest: reason (clinician)"
          name="override.reason"
          value={override ?? ''}
          onChange={(value) => setOverride(value)}
          errors={entry.errors}
        />
      )}
      <RefusalAlert refusal={entry.refusal} />
      {restRefused && role !== 'clinician' && <p className="record-note">Wait for the rest to end, or ask a clinician to override it.</p>}
      <SaveBar saving={entry.saving} label={mayOverride ? `Override and record device ${next.device}` : `Device ${next.device} given`}>
        {onBack !== undefined && (
          <button type="button" className="button button--secondary" onClick={onBack}>
            Back
          </button>
        )}
      </SaveBar>
    </form>
  );
}
