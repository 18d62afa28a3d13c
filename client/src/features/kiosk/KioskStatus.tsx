import { useWakeLock } from './use-wake-lock';
import './kiosk.css';

/**
 * Kiosk mode's screen: keeps it awake, and says so when it cannot (the display's own sleep setting
 * must then be set to never). The large clock and the connection state are the header's, enlarged
 * by `.is-kiosk` (kiosk.css).
 */
export function KioskStatus({ active }: { active: boolean }) {
  const wakeLock = useWakeLock(active);
  if (wakeLock !== 'unsupported' && wakeLock !== 'denied') return null;
  return (
    <p className="kiosk-warning" role="status">
      {wakeLock === 'unsupported'
        ? 'This browser cannot keep the screen awake: set the display never to sleep.'
        : 'The screen may sleep: the browser refused to keep it awake. Set the display never to sleep.'}
    </p>
  );
}
