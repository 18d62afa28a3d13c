import {
  type Protocol,
  type SessionEventView,
  type SessionPhase,
  dischargeGateItemIdSchema,
  dischargeGateLabels,
  startGateItemIdSchema,
  startGateLabels,
} from '@chairside/shared';

/** One timeline entry in words: what happened, and the details that go with it (reasons, notes). */
export interface EventText {
  title: string;
  details: string[];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** A phase in the protocol's words: "Infusion" rather than "treatment". */
export function phaseName(phase: SessionPhase, protocol: Protocol): string {
  switch (phase) {
    case 'baseline':
      return 'Baseline';
    case 'treatment':
      return protocol.labels.treatmentPhase;
    case 'observation':
      return 'Observation';
    case 'discharged':
      return 'Discharged';
    case 'cancelled':
      return 'Cancelled';
  }
}

function checklistDetails(items: Record<string, unknown> | null, protocol: Protocol): string[] {
  if (items === null) return [];
  const labelOf = (itemId: string) => protocol.dischargeGate.checklist.find((i) => i.id === itemId)?.label ?? itemId;
  const ticked = Object.entries(items).filter(([, v]) => v === true).map(([k]) => labelOf(k));
  const unticked = Object.entries(items).filter(([, v]) => v === false).map(([k]) => labelOf(k));
  return [...(ticked.length > 0 ? [`Ticked: ${ticked.join(', ')}`] : []), ...(unticked.length > 0 ? [`Unticked: ${unticked.join(', ')}`] : [])];
}

/** "bp-crisis: systolicMmHg 190, diastolicMmHg 115" for each rule a clinician changed. */
function limitsDetails(limits: Record<string, unknown> | null): string[] {
  if (limits === null) return [];
  return Object.entries(limits).map(([ruleId, value]) => {
    const fields = record(value);
    if (fields === null) return `${ruleId}: ${String(value)}`;
    return `${ruleId}: ${Object.entries(fields)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')}`;
  });
}

function gateItemLabels(ids: unknown): string | null {
  if (!Array.isArray(ids) || ids.length === 0) return null;
  return ids
    .map((id) => {
      const parsed = dischargeGateItemIdSchema.safeParse(id);
      return parsed.success ? dischargeGateLabels[parsed.data] : String(id);
    })
    .join(', ');
}

function startGateItemLabels(ids: unknown): string | null {
  if (!Array.isArray(ids) || ids.length === 0) return null;
  return ids
    .map((id) => {
      const parsed = startGateItemIdSchema.safeParse(id);
      return parsed.success ? startGateLabels[parsed.data] : String(id);
    })
    .join(', ');
}

/** What an event of the session log says, in the protocol's words. */
export function describeEvent(event: SessionEventView, protocol: Protocol): EventText {
  const { payload } = event;
  const { labels } = protocol;
  const details: string[] = [];
  const reason = text(payload.reason);
  let title: string;
  switch (event.type) {
    case 'checked-in':
      title = 'Checked in';
      if (typeof payload.protocolId === 'string') details.push(`Protocol ${payload.protocolId}${typeof payload.protocolVersion === 'number' ? `, version ${payload.protocolVersion}` : ''}`);
      break;
    case 'treatment-started': {
      const override = text(record(payload.override)?.reason);
      const start = record(payload.start);
      const overridden = override !== null && start?.gateHeld !== true;
      title = overridden ? `${labels.startTreatment} with override` : labels.startTreatment;
      if (override !== null) details.push(overridden ? `Override reason: ${override}` : `Override reason (not needed, the start gate held): ${override}`);
      const failing = startGateItemLabels(start?.failingItems);
      if (failing !== null) details.push(`Not met at the start: ${failing}`);
      break;
    }
    case 'monitor-removed':
      title = 'Monitor removed';
      break;
    case 'treatment-paused':
      title = labels.pauseTreatment;
      if (reason !== null) details.push(`Reason: ${reason}`);
      break;
    case 'treatment-resumed':
      title = labels.resumeTreatment;
      break;
    case 'treatment-ended':
      title = labels.endTreatment;
      break;
    case 'discharged': {
      const override = text(record(payload.override)?.reason);
      const discharge = record(payload.discharge);
      title = override === null ? 'Discharged' : 'Discharged with override';
      if (override !== null) details.push(`Override reason: ${override}`);
      const failing = gateItemLabels(discharge?.failingItems);
      if (failing !== null) details.push(`Not met at discharge: ${failing}`);
      break;
    }
    case 'cancelled':
      title = 'Session cancelled';
      if (reason !== null) details.push(`Reason: ${reason}`);
      break;
    case 'note':
      title = 'Note';
      if (text(payload.text) !== null) details.push(String(payload.text));
      break;
    case 'checklist-updated':
      title = 'Discharge checklist';
      details.push(...checklistDetails(record(payload.items), protocol));
      break;
    case 'limits-changed':
      title = 'Alert limits changed';
      if (reason !== null) details.push(`Reason: ${reason}`);
      details.push(...limitsDetails(record(payload.limits)));
      break;
    case 'readings-attached': {
      title = 'Readings attached to the session';
      const ids = payload.readingIds;
      if (Array.isArray(ids) && ids.length > 0) details.push(`${ids.length} reading${ids.length === 1 ? '' : 's'}`);
      break;
    }
    case 'gate-held':
      title = 'Discharge criteria met';
      break;
    default:
      title = event.type;
  }
  const note = text(payload.note);
  if (note !== null) details.push(`Note: ${note}`);
  return { title, details };
}

/** "nurse (nurse)", or just "system" for what the server recorded itself. */
export function actorText(event: SessionEventView): string {
  return event.role === 'system' ? event.username : `${event.username} (${event.role})`;
}

/** "Baseline → Infusion", or "during Infusion" when the phase did not change. */
export function phaseText(event: SessionEventView, protocol: Protocol): string | null {
  const { fromPhase, toPhase } = event;
  if (fromPhase === null) return toPhase === null ? null : `→ ${phaseName(toPhase, protocol)}`;
  if (toPhase === null || toPhase === fromPhase) return `during ${phaseName(fromPhase, protocol)}`;
  return `${phaseName(fromPhase, protocol)} → ${phaseName(toPhase, protocol)}`;
}
