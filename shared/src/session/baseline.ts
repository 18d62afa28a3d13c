import { z } from 'zod';
import type { Reading } from '../schemas/reading';
import { type BpPoint, bpPointsOf, msPerMin } from './bp-readings';
import type { Protocol } from './protocol';

/** The patient's own pre-treatment reference, against which rises and the discharge gate are judged. */
export const sessionBaselineSchema = z.object({
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  mean: z.number().nullable(),
  heartRate: z.number().nullable(),
  /** BP readings the baseline is the mean of. */
  bpReadingCount: z.number().int().min(0),
  /** Their ids, oldest first, so the UI can show which readings count. */
  readingIds: z.array(z.string()),
  /** The protocol's requirement is met. */
  complete: z.boolean(),
  /** What is still needed, in plain words; null when complete. */
  missing: z.string().nullable(),
});
export type SessionBaseline = z.infer<typeof sessionBaselineSchema>;

const round1 = (x: number): number => Math.round(x * 10) / 10;
const average = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : round1(xs.reduce((s, x) => s + x, 0) / xs.length);

/**
 * Which baseline BPs count. With more readings than the protocol asks for, the baseline is the mean
 * of the most recent ones that keep the spacing (walking back from the newest): those closest to the
 * start of treatment, taken after the patient has settled. The first reading after arrival is often
 * raised by the walk in and by anxiety, and averaging every reading would let it pull the baseline
 * up, which would hide a rise later.
 */
function selectBaselinePoints(points: readonly BpPoint[], wanted: number, minSpacingMs: number): BpPoint[] {
  const chosen: BpPoint[] = [];
  for (let i = points.length - 1; i >= 0 && chosen.length < wanted; i--) {
    const p = points[i];
    if (p === undefined) continue;
    const newerChosen = chosen[chosen.length - 1];
    if (newerChosen === undefined || newerChosen.atMs - p.atMs >= minSpacingMs) chosen.push(p);
  }
  return chosen.reverse();
}

/**
 * The least time between two baseline BPs that count: the protocol's spacing less its tolerance
 * (5 min less 30 s: a reading 4 min 30 s after the last counts, 4 min 29 s does not), never below 0.
 */
export function baselineSpacingMs(protocol: Pick<Protocol, 'baseline'>): number {
  const { minSpacingMin, spacingToleranceSec } = protocol.baseline;
  return Math.max(0, minSpacingMin * msPerMin - spacingToleranceSec * 1000);
}

/**
 * The baseline from the readings taken during the baseline phase (docs/clinical-defaults.md "The session timeline"): the mean
 * of the protocol's number of BP readings, spaced at least its minimum apart less its tolerance (IV
 * ketamine: 2 readings ≥5 min apart, where 4 min 30 s counts; esketamine: 1 reading before dosing). Rejected values are stored as null and never
 * count.
 *
 * While incomplete, the values are the mean of the readings chosen so far (a provisional baseline,
 * better than none for judging a rise), with `complete: false` and what is `missing`.
 *
 * Mean arterial pressure: the mean of the chosen readings' MAP when every one of them has one,
 * otherwise (SBP + 2·DBP) / 3 of the baseline. Heart rate: the mean of the chosen readings' pulse,
 * or of every heart rate in the phase when the cuff readings carry none.
 */
export function computeBaseline(protocol: Protocol, readings: readonly Reading[]): SessionBaseline {
  const { bpReadings: wanted } = protocol.baseline;
  const chosen = selectBaselinePoints(bpPointsOf(readings), wanted, baselineSpacingMs(protocol));

  const systolic = average(chosen.map((p) => p.systolic));
  const diastolic = average(chosen.map((p) => p.diastolic));
  const maps = chosen.flatMap((p) => (p.mean === null ? [] : [p.mean]));
  const mean =
    chosen.length > 0 && maps.length === chosen.length
      ? average(maps)
      : systolic !== null && diastolic !== null
        ? round1((systolic + 2 * diastolic) / 3)
        : null;
  const cuffPulses = chosen.flatMap((p) => (p.heartRate === null ? [] : [p.heartRate]));
  const heartRate =
    average(cuffPulses) ?? average(readings.flatMap((r) => (r.heartRate === null ? [] : [r.heartRate])));

  const complete = chosen.length >= wanted;
  return {
    systolic,
    diastolic,
    mean,
    heartRate,
    bpReadingCount: chosen.length,
    readingIds: chosen.map((p) => p.readingId),
    complete,
    missing: complete ? null : describeMissing(protocol, wanted - chosen.length, chosen.length > 0),
  };
}

function describeMissing(protocol: Protocol, count: number, haveSome: boolean): string {
  const { minSpacingMin, bpReadings } = protocol.baseline;
  const readings = `${count} ${haveSome ? 'more ' : ''}BP reading${count === 1 ? '' : 's'}`;
  const before = `before ${protocol.labels.treatmentStartMoment}`;
  if (minSpacingMin === 0 || bpReadings === 1) return `needs ${readings} ${before}`;
  if (haveSome) return `needs ${readings} at least ${minSpacingMin} min after the last one`;
  return `needs ${readings} at least ${minSpacingMin} min apart`;
}
