import { useCallback, useEffect, useState } from 'react';
import type { PushDevice } from '@chairside/shared';
import { Modal } from '../../components/Modal';
import { type PushState, readPushState, turnPushOff, turnPushOn } from './push-device';
import './push.css';

const stateWords: Record<PushState, string> = {
  unsupported: 'Not available',
  'ios-needs-home-screen': 'Needs the Home Screen app',
  blocked: 'Blocked',
  off: 'Off',
  on: 'On',
};

function Explanation({ state }: { state: PushState }) {
  switch (state) {
    case 'on':
      return (
        <p>
          Alarms of your chairs reach this device even when Chairside is closed or the screen is locked: the chair, the priority and
          the value, never the patient’s name. Tap the notification to open the chair, or “Acknowledge” where the device offers it.
        </p>
      );
    case 'off':
      return (
        <p>
          Turn this on to receive alarms of your chairs on this device when Chairside is not on screen. Your browser will ask to
          allow notifications.
        </p>
      );
    case 'ios-needs-home-screen':
      return (
        <p>
          On an iPhone or iPad, alarms arrive only in the Chairside app on the Home Screen (iOS or iPadOS 16.4 or later): tap Share,
          then “Add to Home Screen”, open Chairside from there, log in and come back here.
        </p>
      );
    case 'blocked':
      return (
        <p>
          Notifications for this site are blocked. Allow them in the browser’s site settings, then reload Chairside and try again.
        </p>
      );
    case 'unsupported':
      return (
        <p>
          This browser cannot receive alarms when Chairside is closed. Use Chrome, Edge or Firefox, or Chairside from the Home Screen
          on iPhone and iPad; the site must be opened over https.
        </p>
      );
  }
}

/** A bell, struck through unless alarms reach this device (the shape says it, not only the colour). */
function BellIcon({ on }: { on: boolean }) {
  return (
    <svg className="push-control__icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        d="M10 2.5a5 5 0 0 0-5 5v3.2L3.5 13.5h13L15 10.7V7.5a5 5 0 0 0-5-5zM8 15.5a2 2 0 0 0 4 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
      {!on && <path d="M3 3l14 14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />}
    </svg>
  );
}

/** "Alerts on this device": subscribes this phone or tablet to its user's alarms by Web Push, or stops. */
export function PushControl() {
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<PushState | null>(null);
  const [device, setDevice] = useState<PushDevice | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(
    () =>
      readPushState().then(
        (read) => {
          setState(read.state);
          setDevice(read.device);
        },
        (failure: unknown) => {
          setState('off');
          setError(failure instanceof Error ? failure.message : String(failure));
        },
      ),
    [],
  );

  useEffect(() => {
    let cancelled = false;
    readPushState().then(
      (read) => {
        if (cancelled) return;
        setState(read.state);
        setDevice(read.device);
      },
      () => {
        if (!cancelled) setState('off');
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const change = async (on: boolean) => {
    setBusy(true);
    setError(null);
    try {
      if (on) await turnPushOn();
      else await turnPushOff(device);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
    await refresh();
    setBusy(false);
  };

  return (
    <>
      <button type="button" className={`button button--quiet push-control__open push-control__open--${state ?? 'off'}`} onClick={() => setOpen(true)}>
        <BellIcon on={state === 'on'} />
        {/* In the header's row (wide screens) only the bell shows; the words stay for screen readers. */}
        <span className="push-control__label">Alerts on this device</span>{' '}
        <span className={`push-control__state push-control__state--${state ?? 'off'}`}>{state === null ? '…' : stateWords[state]}</span>
      </button>
      {open && (
        <Modal title="Alerts on this device" onClose={() => setOpen(false)}>
          <div className="push-control">
            <p className="push-control__now" role="status">
              Alarms by notification: <strong>{state === null ? 'checking…' : stateWords[state]}</strong>
              {device?.label ? ` (${device.label})` : ''}
            </p>
            {state !== null && <Explanation state={state} />}
            {error !== null && (
              <p className="notice notice--error" role="alert">
                {error}
              </p>
            )}
            <div className="push-control__actions">
              {state === 'off' && (
                <button type="button" className="button button--primary" disabled={busy} onClick={() => void change(true)}>
                  Turn on alerts here
                </button>
              )}
              {state === 'on' && (
                <button type="button" className="button button--secondary" disabled={busy} onClick={() => void change(false)}>
                  Turn off alerts here
                </button>
              )}
              <button type="button" className="button button--quiet" onClick={() => setOpen(false)}>
                Close
              </button>
            </div>
            <p className="muted push-control__note">
              A notification is a second way to reach you, not a replacement for the station screen and its sound.
            </p>
          </div>
        </Modal>
      )}
    </>
  );
}
