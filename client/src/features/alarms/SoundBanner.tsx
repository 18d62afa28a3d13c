import { isSessionEnded } from '@chairside/shared';
import { useState } from 'react';
import { useServices } from '../../app-services';
import { useAppStore } from '../../store/store-context';
import { SpeakerIcon } from './SoundControls';
import { useHandlesAlarms } from './use-alarms';

/**
 * "Sound is off — tap to enable", full width under the alarm strip, whenever a chair is in session
 * and this screen cannot sound: never enabled here, blocked again after a reload (browsers allow
 * sound only after a tap), or suspended by the browser. A tap anywhere on it enables sound; on a
 * device that had sound before, any tap on the page does (AlarmSound).
 */
export function SoundBanner() {
  const { alarmAudio } = useServices();
  const handles = useHandlesAlarms();
  const enabled = useAppStore((s) => s.sound.enabled);
  const soundEnabledChanged = useAppStore((s) => s.soundEnabledChanged);
  const inSession = useAppStore((s) => Object.values(s.chairs).some((chair) => chair.session !== null && !isSessionEnded(chair.session.state)));
  const [refused, setRefused] = useState(false);
  const [pending, setPending] = useState(false);
  if (!handles || enabled || !inSession) return null;

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
