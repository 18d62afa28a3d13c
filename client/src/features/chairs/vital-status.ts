import type { LatestVitals, RejectedValue, SessionSummary, VitalField } from '@chairside/shared';

/**
 * When a shown value stops being current: older than two of its expected intervals
 * (docs/clinical-defaults.md "Alert rules"). Greyed on the tiles, with its age beside it.
 */
export interface StalenessPolicy {
  /** Two of the session phase's BP intervals. */
  bloodPressureMs: number;
  /** HR, SpO₂ and RR stream from a monitor (about every second): 30 s without one is a gap. */
  continuousMs: number;
}

/** Streamed vitals (HR, SpO₂, RR) are old after this long. */
export const streamedStaleMs = 30_000;

/** The BP interval assumed for a chair without a session. */
export const defaultBpIntervalMin = 5;

const msPerMin = 60_000;

export const defaultStaleness: StalenessPolicy = {
  bloodPressureMs: 2 * defaultBpIntervalMin * msPerMin,
  continuousMs: streamedStaleMs,
};

/** The session's own BP interval now: the treatment's in baseline and treatment, the observation's after. */
export function bpIntervalMinFor(session: Pick<SessionSummary, 'protocol' | 'state'> | null): number {
  if (session === null) return defaultBpIntervalMin;
  switch (session.state.phase) {
    case 'baseline':
    case 'treatment':
      return session.protocol.treatment.bpIntervalMin;
    case 'observation':
      return session.protocol.observation.bpIntervalMin;
    case 'discharged':
    case 'cancelled':
      return defaultBpIntervalMin;
  }
}

/** BP is old after 2 of the phase's BP intervals (no session: 2 × 5 min); streamed vitals after 30 s. */
export function stalenessFor(session: Pick<SessionSummary, 'protocol' | 'state'> | null): StalenessPolicy {
  return { bloodPressureMs: 2 * bpIntervalMinFor(session) * msPerMin, continuousMs: streamedStaleMs };
}

export type VitalGroup = 'bp' | 'heartRate' | 'spo2' | 'respRate';

/** Older than the policy allows (strictly: a value exactly at the limit is still current). */
export function isStale(group: VitalGroup, measuredAt: string, nowMs: number, policy: StalenessPolicy = defaultStaleness): boolean {
  const limit = group === 'bp' ? policy.bloodPressureMs : policy.continuousMs;
  return nowMs - Date.parse(measuredAt) > limit;
}

export function groupOf(field: VitalField): VitalGroup {
  switch (field) {
    case 'systolic':
    case 'diastolic':
    case 'mean':
      return 'bp';
    case 'heartRate':
    case 'spo2':
    case 'respRate':
      return field;
  }
}

export interface VisibleRejection extends RejectedValue {
  measuredAt: string;
}

/**
 * The rejected values a tile must show: those of the newest rejection whose vital has not been
 * measured plausibly since. A rejected BP stays visible while HR keeps streaming, and clears with
 * the next plausible BP.
 */
export function visibleRejections(latest: LatestVitals): VisibleRejection[] {
  const rejection = latest.lastRejection;
  if (rejection === null) return [];
  const rejectedAt = Date.parse(rejection.measuredAt);
  return rejection.rejected
    .filter(({ field }) => {
      const accepted = latest[groupOf(field)];
      if (accepted === null) return true;
      const acceptedAt = Date.parse(accepted.measuredAt);
      return acceptedAt < rejectedAt || (acceptedAt === rejectedAt && accepted.seq <= rejection.seq);
    })
    .map((rejected) => ({ ...rejected, measuredAt: rejection.measuredAt }));
}

/**
 * A free chair's values measured after `endedAtMs` (the previous session's end): those up to it
 * are the previous patient's and are not shown on the tile as the chair's values.
 */
export function valuesMeasuredAfter(latest: LatestVitals, endedAtMs: number): LatestVitals {
  const after = <T extends { measuredAt: string }>(value: T | null): T | null => (value !== null && Date.parse(value.measuredAt) > endedAtMs ? value : null);
  return {
    ...latest,
    bp: after(latest.bp),
    heartRate: after(latest.heartRate),
    spo2: after(latest.spo2),
    respRate: after(latest.respRate),
    lastRejection: after(latest.lastRejection),
  };
}
