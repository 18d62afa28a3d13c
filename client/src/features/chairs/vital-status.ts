import type { LatestVitals, VitalField } from '@chairside/shared';

/** When a shown value stops being current: about two expected intervals (clinical-reference §3, no-data). */
export interface StalenessPolicy {
  /** NIBP is cycled every 5 min during treatment; 12 min allows one missed cycle and a slow cuff. */
  bloodPressureMs: number;
  /** HR, SpO₂ and RR stream from a monitor; a minute without them is a gap. */
  continuousMs: number;
}

export const defaultStaleness: StalenessPolicy = {
  bloodPressureMs: 12 * 60 * 1000,
  continuousMs: 60 * 1000,
};

export type VitalGroup = 'bp' | 'heartRate' | 'spo2' | 'respRate';

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

export interface VisibleRejection {
  field: VitalField;
  message: string;
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
    .map(({ field, message }) => ({ field, message, measuredAt: rejection.measuredAt }));
}
