import { isSessionEnded } from '@chairside/shared';
import { useState } from 'react';
import { useServices } from '../../app-services';
import { useNow } from '../../hooks/use-now';
import { isScreenMuted } from '../../store/alerts-slice';
import { useAppStore } from '../../store/store-context';
import { SpeakerIcon } from './SoundControls';
import { formatCountdown } from '../../lib/alarm-view';
import { useHandlesAlarms } from '../../hooks/use-alarms';

/**
 * "Sound is off — tap to enable", full width under the alarm strip, whenever a chair is in session
 * and this screen cannot sound: never enabled here, blocked again after a reload (browsers allow
 * sound only after a tap), or suspended by the browser. A tap anywhere on it enables sound; on a
 * device that had sound before, any tap on the page does (AlarmSound).
 *
 * While the screen is muted (2 min at most) the same place says "Sound muted 1:42 — tap to unmute":
 * on a phone the header's sound controls are behind its menu, and a silent screen should show it.
 */
export function SoundBanner() {
  const { alarmAudio } = useServices();
  const handles = useHandlesAlarms();
  const sound = useAppStore((s) => s.sound);
  const enabled = sound.enabled;
  const soundEnabledChanged = useAppStore((s) => s.soundEnabledChanged);
  const soundUnmuted = useAppStore((s) => s.soundUnmuted);
  const nowMs = useNow(1000);
  const inSession = useAppStore((s) => Object.values(s.chairs).some((chair) => chair.session !== null && !isSessionEnded(chair.session.state)));
  const [refused, setRefused] = useState(false);
  const [pending, setPending] = useState(false);
  if (!handles || !inSession) return null;
  if (enabled) {
    if (!isScreenMuted(sound, nowMs)) return null;
    return (
      <button type="button" className="sound-banner sound-banner--muted" onClick={soundUnmuted}>
        <SpeakerIcon on={false} />
        <strong className="sound-banner__text">
          Sound muted <span role="timer">{formatCountdown((sound.mutedUntilMs ?? 0) - nowMs)}</span> — tap to unmute
        </strong>
        <span className="sound-banner__why">Alarm sound comes back by itself.</span>
      </button>
    );
  }

  const enable = async () => {
    setPending(true);
    const ok = await alarmAudio.enable();
    setPending(false);
    setRefused(!ok);
    soundEnabledChanged(ok);
  };

  return (
    <button type="button" className="sound-banner" aria-busy={pending} onClick={() => void enable()}>
      <SpeakerIcon on={false} />
      <strong className="sound-banner__text">Sound is off — tap to enable</strong>
      <span className="sound-banner__why">
        {refused ? 'This browser did not allow sound; tap again, or check the tablet’s volume and silent switch.' : 'Alarms on this screen are silent.'}
      </span>
    </button>
  );
}
