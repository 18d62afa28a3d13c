import {
  type EsketamineMonitoringForm,
  type RemsBp,
  type VitalPeak,
  alertPriorities,
  dischargeGateLabels,
  formatBp,
  formatDuration,
  phaseSpans,
  vitalFieldInfo,
} from '@chairside/shared';
import { type ReactNode, useId } from 'react';
import { Link } from 'react-router';
import { priorityWord } from '../../lib/alarm-view';
import { patientLine } from './PatientFilter';
import type { ReportView } from './report-view';
import { staffOf } from './report-view';
import { acknowledgeTimeText, formatNumber, phaseWord, signedDelta, sinceTreatmentText } from './review-format';
import { TableScroll } from './TableScroll';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function statusText(view: ReportView): string {
  const { state, protocol } = view.session;
  switch (state.phase) {
    case 'discharged':
      return `Discharged ${view.dateTime(state.dischargedAtMs ?? state.checkedInAtMs)}`;
    case 'cancelled':
      return `Cancelled ${view.dateTime(state.cancelledAtMs ?? state.checkedInAtMs)}${state.cancelReason === null ? '' : ` — ${state.cancelReason}`}`;
    default:
      return `Running: ${phaseWord(state.phase, protocol)} (figures as of ${view.dateTime(view.stats.asOfMs)})`;
  }
}

function baselineText(view: ReportView): string {
  const { baseline, protocol } = view.session;
  if (baseline.systolic === null || baseline.diastolic === null) return `No baseline BP (${baseline.missing ?? `the protocol asks for ${protocol.baseline.bpReadings}`})`;
  const bp = `${formatBp({ systolic: baseline.systolic, diastolic: baseline.diastolic })} mmHg`;
  const of = `mean of ${baseline.bpReadingCount} BP reading${baseline.bpReadingCount === 1 ? '' : 's'}`;
  const hr = baseline.heartRate === null ? '' : ` · HR ${formatNumber(baseline.heartRate)} /min`;
  return baseline.complete ? `${bp} (${of})${hr}` : `${bp} (${of}; incomplete: ${baseline.missing ?? 'fewer readings than the protocol asks for'})${hr}`;
}

function PhaseTimes({ view }: { view: ReportView }) {
  const { session, stats } = view;
  const { protocol } = session;
  const spans = phaseSpans(session.state, stats.asOfMs);
  const { phases } = stats;
  const durationOf = { baseline: phases.baselineMs, treatment: phases.treatmentMs, observation: phases.observationMs };
  return (
    <table className="readings-table review-table review-table--compact" aria-label="Phase times">
      <thead>
        <tr>
          <th scope="col">Phase</th>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {spans.map((span) => (
          <tr key={span.phase}>
            <th scope="row">{phaseWord(span.phase, protocol)}</th>
            <td className="num">{view.when(span.fromMs)}</td>
            <td className="num">{view.when(span.toMs)}</td>
            <td className="num">
              {formatDuration(durationOf[span.phase])}
              {span.phase === 'treatment' && phases.pausedMs > 0 && (
                <span className="note">
                  paused {formatDuration(phases.pausedMs)} in {phases.pauses.length} pause{phases.pauses.length === 1 ? '' : 's'} (not counted)
                </span>
              )}
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">Total</th>
          <td className="num">{view.when(phases.checkedInAtMs)}</td>
          <td className="num">{phases.endedAtMs === null ? 'running' : view.when(phases.endedAtMs)}</td>
          <td className="num">{formatDuration(phases.totalMs)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function PeakRow({ label, unit, peak, view }: { label: string; unit: string; peak: VitalPeak | null; view: ReportView }) {
  if (peak === null) {
    return (
      <tr>
        <th scope="row">{label}</th>
        <td colSpan={5} className="muted">
          No {label} in this window
        </td>
      </tr>
    );
  }
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">
        {formatNumber(peak.value)} {unit}
      </td>
      <td className="num">
        <time dateTime={view.iso(peak.atMs)}>{view.when(peak.atMs)}</time>
      </td>
      <td>{sinceTreatmentText(peak.sinceTreatmentStartMs, view.session.protocol) ?? '—'}</td>
      <td className="num">{peak.baseline === null ? '—' : formatNumber(peak.baseline)}</td>
      <td className="num">{peak.deltaFromBaseline === null ? '—' : signedDelta(peak.deltaFromBaseline)}</td>
    </tr>
  );
}

function Peaks({ view }: { view: ReportView }) {
  const { stats, session } = view;
  const { peaks, lowestSpo2 } = stats;
  const window =
    stats.peakWindow === 'since-treatment-start'
      ? `Highest values since ${session.protocol.labels.treatmentStartMoment}, each the first time it was reached`
      : `Highest values of the whole session (${session.protocol.labels.treatmentStartMoment} was never recorded)`;
  return (
    <table className="readings-table review-table review-table--compact review-peaks" aria-label="Peaks">
      <caption className="review-table__caption">{window}</caption>
      <thead>
        <tr>
          <th scope="col">Vital</th>
          <th scope="col">Peak</th>
          <th scope="col">At</th>
          <th scope="col">Time to peak</th>
          <th scope="col">Baseline</th>
          <th scope="col">Δ from baseline</th>
        </tr>
      </thead>
      <tbody>
        <PeakRow label={vitalFieldInfo.systolic.abbreviation} unit="mmHg" peak={peaks.systolic} view={view} />
        <PeakRow label={vitalFieldInfo.diastolic.abbreviation} unit="mmHg" peak={peaks.diastolic} view={view} />
        <PeakRow label={vitalFieldInfo.heartRate.abbreviation} unit="/min" peak={peaks.heartRate} view={view} />
        <tr>
          <th scope="row">Lowest SpO₂</th>
          {lowestSpo2 === null ? (
            <td colSpan={5} className="muted">
              No SpO₂ in this window
            </td>
          ) : (
            <>
              <td className="num">{formatNumber(lowestSpo2.value)} %</td>
              <td className="num">
                <time dateTime={view.iso(lowestSpo2.atMs)}>{view.when(lowestSpo2.atMs)}</time>
              </td>
              <td>{sinceTreatmentText(lowestSpo2.sinceTreatmentStartMs, session.protocol) ?? '—'}</td>
              <td className="num">—</td>
              <td className="num">—</td>
            </>
          )}
        </tr>
      </tbody>
    </table>
  );
}

function alertCountText(view: ReportView): string {
  const { alerts } = view.stats;
  if (alerts.total === 0) return 'None';
  const parts = alertPriorities.map((p) => `${priorityWord[p]} ${alerts.byPriority[p]}`).join(' · ');
  return `${alerts.total} (${parts})`;
}

function acknowledgeText(view: ReportView): string {
  const { acknowledgement, alerts } = view.stats;
  if (alerts.total === 0) return '—';
  if (acknowledgement.acknowledged === 0) return 'No alert was acknowledged';
  return `Median ${acknowledgeTimeText(acknowledgement.medianMs)} · longest ${acknowledgeTimeText(acknowledgement.maxMs)} (${acknowledgement.acknowledged} of ${alerts.total} acknowledged)`;
}

function observationText(view: ReportView): string {
  const { observation } = view.stats;
  const { protocol } = view.session;
  if (observation === null) return 'Not started';
  const from = observation.from === 'treatment-start' ? protocol.labels.treatmentStartMoment : protocol.labels.treatmentEndMoment;
  const verdict = observation.minimumReached ? 'minimum reached' : 'minimum not reached';
  return `${formatDuration(observation.elapsedMs)} from ${from} (minimum ${formatDuration(observation.minimumMs)}) — ${verdict}`;
}

/** When the discharge gate first held: "10:52 (1 h 02 min after infusion end)". */
function criteriaMetText(view: ReportView): string {
  const { gate, observation } = view.stats;
  const { protocol } = view.session;
  if (gate.firstHeldAtMs === null) return 'Never met';
  const from = observation?.from === 'treatment-start' ? protocol.labels.treatmentStartMoment : protocol.labels.treatmentEndMoment;
  const after = gate.firstHeldAfterReferenceMs === null ? '' : ` (${formatDuration(gate.firstHeldAfterReferenceMs)} after ${from})`;
  return `${view.when(gate.firstHeldAtMs)}${after}`;
}

function dischargeText(view: ReportView): string {
  const { gate } = view.stats;
  const { state } = view.session;
  if (state.phase === 'cancelled') return 'Not discharged: the session was cancelled';
  if (gate.dischargedVia === null) return 'Not yet discharged';
  if (gate.dischargedVia === 'gate') return 'Through the discharge gate';
  return 'With a clinician’s override of the discharge gate';
}

function readingsText(view: ReportView): string {
  const { readings } = view.stats;
  const rejected =
    readings.withRejectedValues === 0
      ? 'no rejected values'
      : `${readings.withRejectedValues} with rejected values (${readings.rejectedValues} value${readings.rejectedValues === 1 ? '' : 's'})`;
  return `${readings.total} reading${readings.total === 1 ? '' : 's'}, ${readings.bloodPressures} blood pressure${readings.bloodPressures === 1 ? '' : 's'}, ${rejected}`;
}

function remsBpText(bp: RemsBp | null, view: ReportView): string {
  if (bp === null) return 'Not recorded';
  const moment = view.session.protocol.labels.treatmentStartMoment;
  const minutes = bp.minutesFromDosing === null ? '' : bp.minutesFromDosing < 0 ? ` (${-bp.minutesFromDosing} min before ${moment})` : ` (${bp.minutesFromDosing} min after ${moment})`;
  return `${formatBp(bp)} mmHg at ${view.when(bp.atMs)}${minutes}`;
}

function EsketamineForm({ form, view }: { form: EsketamineMonitoringForm; view: ReportView }) {
  const headingId = useId();
  const moment = view.session.protocol.labels.treatmentStartMoment;
  const checkpointLabel = form.bpAtCheckpoint?.checkpointLabel ?? view.session.protocol.checkpoints.find((c) => c.vital === 'bp')?.label ?? 'BP at checkpoint';
  return (
    <section className="review-subsection" aria-labelledby={headingId}>
      <h3 id={headingId} className="review-subsection__title">
        REMS monitoring form
      </h3>
      <dl className="facts">
        <Fact label="BP before dosing">{remsBpText(form.bpBeforeDosing, view)}</Fact>
        <Fact label={checkpointLabel}>{remsBpText(form.bpAtCheckpoint, view)}</Fact>
        <Fact label="BP before discharge">{remsBpText(form.bpBeforeDischarge, view)}</Fact>
        <Fact label="Total monitoring">
          {form.totalMonitoringMinutes === null ? 'Not answered (no discharge)' : `${form.totalMonitoringMinutes} min from ${moment} to discharge`}
        </Fact>
        <Fact label="Discharge criteria met at">
          {form.readyToLeaveAtMs === null
            ? 'Not answered (discharge criteria never met)'
            : `${view.when(form.readyToLeaveAtMs)}${form.readyToLeaveMinutesFromDosing === null ? '' : ` (${form.readyToLeaveMinutesFromDosing} min after ${moment})`}`}
        </Fact>
        {form.dischargeOverrideReason !== null && <Fact label="Discharge override">{form.dischargeOverrideReason}</Fact>}
      </dl>
      {form.missing.length > 0 && (
        <div className="facts__missing">
          <p className="muted">Not answered:</p>
          <ul>
            {form.missing.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The report's first section: who, where, under which protocol, and the figures a reviewer looks for first. */
export function ReportSummary({ view }: { view: ReportView }) {
  const headingId = useId();
  const { session, stats } = view;
  const { patient, protocol } = session;
  const staff = staffOf(session.events);
  const { gate } = stats;

  return (
    <section className="panel review-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Summary
      </h2>
      <div className="review-summary">
        <dl className="facts review-summary__facts">
          <Fact label="Patient">
            {patientLine(patient)}{' '}
            <Link className="review-summary__history no-print" to={`/patients/${encodeURIComponent(patient.id)}?session=${encodeURIComponent(session.id)}`}>
              Patient history
            </Link>
          </Fact>
          <Fact label="Chair">{view.chairName}</Fact>
          <Fact label="Protocol">
            {protocol.name}, version {protocol.version}
          </Fact>
          <Fact label="Status">{statusText(view)}</Fact>
          <Fact label="Checked in">
            {view.dateTime(session.state.checkedInAtMs)} by {session.checkedInBy}
          </Fact>
          <Fact label="Staff">
            {staff.length === 0
              ? '—'
              : staff.map((member) => `${member.username} (${member.role}, ${member.events} event${member.events === 1 ? '' : 's'})`).join(', ')}
          </Fact>
          <Fact label="Baseline">{baselineText(view)}</Fact>
          <Fact label="Observation">{observationText(view)}</Fact>
          <Fact label="Discharge criteria met at">{criteriaMetText(view)}</Fact>
          <Fact label="Discharge">{dischargeText(view)}</Fact>
          {gate.dischargedVia === 'override' && (
            <Fact label="Override reason">
              {gate.overrideReason ?? '—'}
              {gate.overrideFailingItems.length > 0 && <span className="note">Not met: {gate.overrideFailingItems.map((id) => dischargeGateLabels[id]).join(', ')}</span>}
            </Fact>
          )}
          <Fact label="Alerts">{alertCountText(view)}</Fact>
          {stats.alerts.total > 0 && (
            <Fact label="Unacknowledged">
              {stats.alerts.unacknowledged}
              {stats.alerts.active > 0 && ` (${stats.alerts.active} still active)`}
            </Fact>
          )}
          <Fact label="Time to acknowledge">{acknowledgeText(view)}</Fact>
          <Fact label="Readings">{readingsText(view)}</Fact>
        </dl>
        <div className="review-summary__tables">
          <TableScroll label="Peaks">
            <Peaks view={view} />
          </TableScroll>
          <TableScroll label="Phase times">
            <PhaseTimes view={view} />
          </TableScroll>
        </div>
      </div>
      {stats.esketamineForm !== null && <EsketamineForm form={stats.esketamineForm} view={view} />}
    </section>
  );
}
