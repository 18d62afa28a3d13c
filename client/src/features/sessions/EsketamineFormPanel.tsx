import { type RemsBp, type SessionDetail, type SessionSummary, esketamineMonitoringForm, formatBp } from '@chairside/shared';
import { useId } from 'react';
import { formatClock } from '../../lib/vital-format';

function minutesFromDosing(minutes: number | null, moment: string): string {
  if (minutes === null) return '';
  if (minutes < 0) return ` (${-minutes} min before ${moment})`;
  return ` (${minutes} min after ${moment})`;
}

function bpAnswer(bp: RemsBp | null, moment: string): string {
  if (bp === null) return 'Not recorded';
  return `${formatBp(bp)} mmHg at ${formatClock(bp.atMs)}${minutesFromDosing(bp.minutesFromDosing, moment)}`;
}

/**
 * The Spravato REMS patient monitoring form, answered from the session log: BP before dosing, at the
 * ~40-min checkpoint and before discharge, total monitoring time, and when the discharge criteria
 * were met (the first time the discharge gate held).
 */
export function EsketamineFormPanel({ session, detail }: { session: SessionSummary; detail: SessionDetail | null }) {
  const headingId = useId();
  const form = esketamineMonitoringForm({ protocol: session.protocol, state: session.state, readings: detail?.readings ?? [] });
  const moment = session.protocol.labels.treatmentStartMoment;
  const checkpointLabel = form.bpAtCheckpoint?.checkpointLabel ?? session.protocol.checkpoints.find((c) => c.vital === 'bp')?.label ?? 'BP at checkpoint';

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        REMS monitoring form
      </h2>
      {detail === null ? (
        <p className="muted">Loading the session’s readings…</p>
      ) : (
        <>
          <dl className="facts">
            <div className="facts__row">
              <dt>BP before dosing</dt>
              <dd>{bpAnswer(form.bpBeforeDosing, moment)}</dd>
            </div>
            <div className="facts__row">
              <dt>{checkpointLabel}</dt>
              <dd>{bpAnswer(form.bpAtCheckpoint, moment)}</dd>
            </div>
            <div className="facts__row">
              <dt>BP before discharge</dt>
              <dd>{bpAnswer(form.bpBeforeDischarge, moment)}</dd>
            </div>
            <div className="facts__row">
              <dt>Total monitoring</dt>
              <dd>{form.totalMonitoringMinutes === null ? 'Not yet (the patient has not been discharged)' : `${form.totalMonitoringMinutes} min from ${moment} to discharge`}</dd>
            </div>
            <div className="facts__row">
              <dt>Discharge criteria met at</dt>
              <dd>
                {form.readyToLeaveAtMs === null
                  ? 'Not yet (discharge criteria not met so far)'
                  : `${formatClock(form.readyToLeaveAtMs)}${form.readyToLeaveMinutesFromDosing === null ? '' : ` (${form.readyToLeaveMinutesFromDosing} min after ${moment})`}`}
              </dd>
            </div>
            {form.dischargeOverrideReason !== null && (
              <div className="facts__row">
                <dt>Discharge override</dt>
                <dd>{form.dischargeOverrideReason}</dd>
              </div>
            )}
          </dl>
          {form.missing.length > 0 && (
            <div className="facts__missing">
              <p className="muted">Not answered yet:</p>
              <ul>
                {form.missing.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
