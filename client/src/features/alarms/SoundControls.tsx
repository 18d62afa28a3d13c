import { Fragment, useState } from 'react';
import { useServices } from '../../app-services';
import { useNow } from '../../hooks/use-now';
import { isScreenMuted } from '../../store/alerts-slice';
import { useAppStore } from '../../store/store-context';
import { formatCountdown } from '../../lib/alarm-view';
import { useHandlesAlarms, useServerNow } from '../../hooks/use-alarms';

export function SpeakerIcon({ on }: { on: boolean }) {
  return (
    <svg className="sound-indicator__icon" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M3 7.5h3l4-3.5v12l-4-3.5H3z" fill="currentColor" />
      {on ? (
        <path d="M13 7a4 4 0 0 1 0 6M15 4.5a7.5 7.5 0 0 1 0 11" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      ) : (
        <path d="M13 7.5l5 5M18 7.5l-5 5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      )}
    </svg>
  );
}

/**
 * Always in the header for nurses and clinicians: whether alarms are audible on this screen
 * ("Sound on", "Sound off", "Sound muted 1:32", "Sound paused (Chair 2, 1:32)"), "Enable sound"
 * (browsers allow sound only after a tap), and "Mute 2 min": this screen's own mute, which ends by
 * itself like a chair's audio pause (docs/clinical-defaults.md "Alarm behaviour": no permanent mute), or "Unmute" sooner.
 * Any nurse or clinician may mute for 2 min; there is no way to turn sound off for longer.
 */
export function SoundControls() {
  const { alarmAudio, clock } = useServices();
  const handles = useHandlesAlarms();
  const sound = useAppStore((s) => s.sound);
  const soundEnabledChanged = useAppStore((s) => s.soundEnabledChanged);
  const soundMuted = useAppStore((s) => s.soundMuted);
  const soundUnmuted = useAppStore((s) => s.soundUnmuted);
  const pauses = useAppStore((s) => s.alerts.pauses);
  const chairs = useAppStore((s) => s.chairs);
  const serverNowMs = useServerNow(1000);
  const clientNowMs = useNow(1000);
  const [refused, setRefused] = useState(false);
  if (!handles) return null;

  const paused = Object.values(pauses)
    .map((message) => ({ chairId: message.chairId, remainingMs: (message.pause.pausedUntilMs ?? 0) - serverNowMs }))
    .filter((p) => p.remainingMs > 0)
    .sort((a, b) => (chairs[a.chairId]?.position ?? 0) - (chairs[b.chairId]?.position ?? 0));
  const muted = isScreenMuted(sound, clientNowMs);
  const muteRemainingMs = muted ? (sound.mutedUntilMs ?? 0) - clientNowMs : 0;
  const state = !sound.enabled ? 'off' : muted ? 'muted' : paused.length > 0 ? 'paused' : 'on';

  const enable = async () => {
    const ok = await alarmAudio.enable();
    setRefused(!ok);
    soundEnabledChanged(ok);
  };

  return (
    <div className="sound-controls">
      <span role="status" className={`sound-indicator sound-indicator--${state}`}>
        <SpeakerIcon on={state !== 'off' && state !== 'muted'} />
        {state === 'off' && 'Sound off'}
        {state === 'muted' && (
          <span>
            Sound muted <span role="timer">{formatCountdown(muteRemainingMs)}</span>
          </span>
        )}
        {state === 'on' && 'Sound on'}
        {state === 'paused' && (
          <span>
            Sound paused (
            {paused.map((p, index) => (
              <Fragment key={p.chairId}>
                {index > 0 && '; '}
                {chairs[p.chairId]?.name ?? p.chairId}, <span role="timer">{formatCountdown(p.remainingMs)}</span>
              </Fragment>
            ))}
            )
          </span>
        )}
      </span>
      {sound.enabled && !muted && (
        <button type="button" className="button button--secondary sound-controls__mute" onClick={() => soundMuted(clock.now())}>
          Mute 2 min
        </button>
      )}
      {sound.enabled && muted && (
        <button type="button" className="button button--secondary sound-controls__unmute" onClick={soundUnmuted}>
          Unmute
        </button>
      )}
      {!sound.enabled && (
        <button type="button" className="button button--primary sound-controls__enable" onClick={() => void enable()}>
          Enable sound
        </button>
      )}
      {refused && !sound.enabled && (
        <span role="alert" className="sound-controls__error">
          This browser did not allow sound.
        </span>
      )}
    </div>
  );
}
