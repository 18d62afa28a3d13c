import { useEffect } from 'react';
import { useServices } from '../../app-services';
import { useAppStoreApi } from '../../store/store-context';
import { createAlarmSoundDriver } from './alarm-sound';
import { useHandlesAlarms } from './use-alarms';

/** Plays the alarm sound while a nurse or clinician is logged in; renders nothing. */
export function AlarmSound() {
  const { alarmAudio, clock } = useServices();
  const store = useAppStoreApi();
  const handles = useHandlesAlarms();
  useEffect(() => {
    if (!handles) return;
    return createAlarmSoundDriver({ store, audio: alarmAudio, clock }).start();
  }, [handles, store, alarmAudio, clock]);
  return null;
}
