import type { Reading } from '@chairside/shared';
import { readingId } from './common';

/** How often a chair's cuff takes a blood pressure (the other vitals come every reading). */
export const bpEverySeconds = 300;

/**
 * The JSON of reading `index` of a run spread round-robin over `chairIds`: heart rate, SpO₂ and
 * respiratory rate every time (a monitor at 1 Hz), a cuff blood pressure every `bpEverySeconds`
 * rounds per chair (staggered), all plausible values.
 */
export function readingJson(prefix: string, index: number, chairIds: readonly string[], measuredAt: string): string {
  const chair = index % chairIds.length;
  const round = Math.floor(index / chairIds.length);
  const wave = (index * 7919) % 13;
  const bp =
    (round + chair) % bpEverySeconds === 0
      ? `,"systolic":${118 + wave},"diastolic":${76 + (wave >> 1)},"mean":${90 + (wave >> 1)}`
      : '';
  return `{"id":"${readingId(prefix, index)}","chairId":"${chairIds[chair]}","measuredAt":"${measuredAt}","heartRate":${72 + wave},"spo2":${96 + (wave % 4)},"respRate":${13 + (wave % 5)}${bp},"source":"device"}`;
}

/** `readingJson`'s reading as an object (what a device's Socket.IO client sends). */
export function readingObject(prefix: string, index: number, chairIds: readonly string[], measuredAt: string): Record<string, unknown> {
  const chair = index % chairIds.length;
  const round = Math.floor(index / chairIds.length);
  const wave = (index * 7919) % 13;
  const bp = (round + chair) % bpEverySeconds === 0 ? { systolic: 118 + wave, diastolic: 76 + (wave >> 1), mean: 90 + (wave >> 1) } : {};
  return { id: readingId(prefix, index), chairId: chairIds[chair], measuredAt, heartRate: 72 + wave, spo2: 96 + (wave % 4), respRate: 13 + (wave % 5), ...bp, source: 'device' };
}

/** A stored-reading-shaped object, as the server broadcasts it (for the bare Socket.IO baseline). */
export function storedReadingLike(prefix: string, index: number, chairIds: readonly string[]): Record<string, unknown> {
  const chair = index % chairIds.length;
  const wave = (index * 7919) % 13;
  const at = new Date().toISOString();
  return {
    seq: index + 1,
    id: readingId(prefix, index),
    chairId: chairIds[chair],
    sessionId: `3f0c6a52-6d7e-4f7e-9a55-${(chair + 1).toString(16).padStart(12, '0')}`,
    measuredAt: at,
    receivedAt: at,
    source: 'device',
    systolic: null,
    diastolic: null,
    mean: null,
    heartRate: 72 + wave,
    spo2: 96 + (wave % 4),
    respRate: 13 + (wave % 5),
    rejected: [],
    flags: [],
    enteredBy: null,
  };
}

/**
 * An hour of one chair at 1 Hz from `t0`, as the alert engine sees it (stored readings of session
 * s1): HR, SpO₂ and RR every second, a BP every 5 min, every 20th reading measured 90 s before it
 * arrived (late data).
 */
export function anHourOfEngineReadings(t0: number): Reading[] {
  const out: Reading[] = [];
  for (let i = 0; i < 3600; i += 1) {
    const late = i % 20 === 19;
    const bp = i % 300 === 0;
    out.push({
      seq: i + 1,
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      chairId: 'chair-1',
      sessionId: 's1',
      measuredAt: new Date(t0 + (late ? i - 90 : i) * 1000).toISOString(),
      receivedAt: new Date(t0 + i * 1000).toISOString(),
      source: 'device',
      systolic: bp ? 120 + (i % 90) : null,
      diastolic: bp ? 80 : null,
      mean: null,
      heartRate: 70 + ((i * 7) % 70),
      spo2: 90 + (i % 9),
      respRate: 12 + (i % 6),
      rejected: [],
      flags: [],
      enteredBy: null,
    });
  }
  return out;
}
