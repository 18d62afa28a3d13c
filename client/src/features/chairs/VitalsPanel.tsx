import type { LatestVitals } from '@chairside/shared';
import { VitalReadout } from './VitalReadout';
import { formatValue } from './vital-format';
import { defaultStaleness, isStale, type StalenessPolicy } from './vital-status';

interface VitalsPanelProps {
  latest: LatestVitals;
  nowMs: number;
  staleness?: StalenessPolicy;
}

/**
 * A chair's newest plausible values. Rejected values never reach here (they are not vitals).
 * Group names avoid the manual-entry field labels ("Heart rate", "SpO₂"…), so a label lookup
 * finds the form's inputs and nothing on the tiles behind it.
 */
export function VitalsPanel({ latest, nowMs, staleness = defaultStaleness }: VitalsPanelProps) {
  const { bp, heartRate, spo2, respRate } = latest;
  const bpValue = bp === null || (bp.systolic === null && bp.diastolic === null) ? null : `${formatValue(bp.systolic)}/${formatValue(bp.diastolic)}`;

  return (
    <div className="vitals">
      <VitalReadout
        kind="bp"
        name="Blood pressure"
        label="NIBP"
        value={bpValue}
        unit="mmHg"
        stale={bp !== null && isStale('bp', bp.measuredAt, nowMs, staleness)}
        ageMs={bp === null ? null : nowMs - Date.parse(bp.measuredAt)}
        detail={bp !== null && bp.mean !== null ? <span className="vital__detail">MAP {formatValue(bp.mean)}</span> : undefined}
      />
      <VitalReadout
        kind="heartRate"
        name="HR"
        label="HR"
        value={heartRate === null ? null : formatValue(heartRate.value)}
        unit="/min"
        stale={heartRate !== null && isStale('heartRate', heartRate.measuredAt, nowMs, staleness)}
      />
      <VitalReadout
        kind="spo2"
        name="Oxygen saturation"
        label="SpO₂"
        value={spo2 === null ? null : formatValue(spo2.value)}
        unit="%"
        stale={spo2 !== null && isStale('spo2', spo2.measuredAt, nowMs, staleness)}
        detail={spo2?.lowAccuracy ? <span className="vital__detail vital__detail--warn">low accuracy</span> : undefined}
      />
      {respRate !== null && (
        <VitalReadout
          kind="respRate"
          name="Respiration"
          label="RR"
          value={formatValue(respRate.value)}
          unit="/min"
          stale={isStale('respRate', respRate.measuredAt, nowMs, staleness)}
        />
      )}
    </div>
  );
}
