import { useEffect } from 'react';
import { useServices } from '../../app-services';
import { useAppStore, useAppStoreApi } from '../../store/store-context';
import { createAlarmSoundDriver } from './alarm-sound';
import { useHandlesAlarms } from '../../hooks/use-alarms';

/** What browsers count as a user's gesture, the only moment they let a page start sound. */
const gestureEvents = ['pointerup', 'touchend', 'click', 'keydown'] as const;

/**
 * Plays the alarm sound while a nurse or clinician is logged in; renders nothing.
 *
 * On a device where sound was enabled before, a reload does not need "Enable sound" again: the
 * sound is asked for at once (some browsers allow it), and otherwise the first tap or key anywhere
 * on the page unlocks it, as long as it is blocked.
 */
export function AlarmSound() {
  const { alarmAudio, clock } = useServices();
  const store = useAppStoreApi();
  const handles = useHandlesAlarms();
  // Looked at again whenever sound goes on or off: enabled on this page, or suspended by the browser.
  const enabled = useAppStore((s) => s.sound.enabled);
  useEffect(() => {
    if (!handles) return;
    return createAlarmSoundDriver({ store, audio: alarmAudio, clock }).start();
  }, [handles, store, alarmAudio, clock]);

  useEffect(() => {
    if (!handles || enabled || !alarmAudio.wasEnabledBefore()) return;
    let active = true;
    const unlock = () => {
      if (alarmAudio.isReady()) {
        if (!store.getState().sound.enabled) store.getState().soundEnabledChanged(true);
        return;
      }
      void alarmAudio.enable().then((ok) => {
        if (active && ok) store.getState().soundEnabledChanged(true);
      });
    };
    unlock();
    for (const type of gestureEvents) window.addEventListener(type, unlock, { capture: true, passive: true });
    return () => {
      active = false;
      for (const type of gestureEvents) window.removeEventListener(type, unlock, { capture: true });
    };
  }, [handles, enabled, alarmAudio, store]);
  return null;
}
