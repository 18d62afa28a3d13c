import type { LatestVitals } from '@chairside/shared';
import type { ChairSession } from '../../lib/session-view';
import type { VitalAlarms } from './vital-alarms';
import { VitalReadout } from './VitalReadout';
import { formatValue } from '../../lib/vital-format';
import { isStale, stalenessFor, type VitalGroup } from './vital-status';

interface VitalsPanelProps {
  latest: LatestVitals;
  /** The chair's active session: its phase sets how old a BP may be. */
  session: ChairSession | null;
  /** Now on the server's clock (readings are stamped by the devices and the server, not this tablet). */
  nowMs: number;
  /** Every value counts as old (the connection to the server is lost): nothing newer can arrive. */
  allStale?: boolean;
  /** Open alarms by the vital they are about: that number inverts in the priority's colour. */
  alarms?: VitalAlarms;
}

/**
 * A chair's newest plausible values. Rejected values never reach here (they are not vitals).
 * Group names avoid the manual-entry field labels ("Heart rate", "SpO₂"…), so a label lookup
 * finds the form's inputs and nothing on the tiles behind it.
 */
export function VitalsPanel({ latest, session, nowMs, allStale = false, alarms = {} }: VitalsPanelProps) {
  const { bp, heartRate, spo2, respRate } = latest;
  const policy = stalenessFor(session);
  const bpValue = bp === null || (bp.systolic === null && bp.diastolic === null) ? null : `${formatValue(bp.systolic)}/${formatValue(bp.diastolic)}`;
  const stale = (group: VitalGroup, measuredAt: string) => allStale || isStale(group, measuredAt, nowMs, policy);
  const age = (measuredAt: string) => nowMs - Date.parse(measuredAt);

  return (
    <div className="vitals">
      <VitalReadout
        kind="bp"
        name="Blood pressure"
        label="NIBP"
        value={bpValue}
        unit="mmHg"
        stale={bp !== null && stale('bp', bp.measuredAt)}
        ageMs={bp === null ? null : age(bp.measuredAt)}
        alwaysShowAge
        alarm={alarms.bp}
        detail={bp !== null && bp.mean !== null ? <span className="vital__detail">MAP {formatValue(bp.mean)}</span> : undefined}
      />
      <VitalReadout
        kind="heartRate"
        name="HR"
        label="HR"
        value={heartRate === null ? null : formatValue(heartRate.value)}
        unit="/min"
        stale={heartRate !== null && stale('heartRate', heartRate.measuredAt)}
        ageMs={heartRate === null ? null : age(heartRate.measuredAt)}
        alarm={alarms.heartRate}
      />
      <VitalReadout
        kind="spo2"
        name="Oxygen saturation"
        label="SpO₂"
        value={spo2 === null ? null : formatValue(spo2.value)}
        unit="%"
        stale={spo2 !== null && stale('spo2', spo2.measuredAt)}
        ageMs={spo2 === null ? null : age(spo2.measuredAt)}
        alarm={alarms.spo2}
        detail={spo2?.lowAccuracy ? <span className="vital__detail vital__detail--warn">low accuracy</span> : undefined}
      />
      {respRate !== null && (
        <VitalReadout
          kind="respRate"
          name="Respiration"
          label="RR"
          value={formatValue(respRate.value)}
          unit="/min"
          stale={stale('respRate', respRate.measuredAt)}
          ageMs={age(respRate.measuredAt)}
          alarm={alarms.respRate}
        />
      )}
    </div>
  );
}
