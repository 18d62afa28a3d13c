import type { SessionEventView } from '../schemas/session';
import { dischargeGateLabels } from '../session/discharge-gate';
import type { Protocol } from '../session/protocol';
import { dischargeGateItemIdSchema, startGateItemIdSchema } from '../session/session-state';
import { startGateLabels } from '../session/start-gate';
import { recordEventText } from './record-report';

const capitalize = (s: string): string => (s.length === 0 ? s : s[0]?.toUpperCase() + s.slice(1));

/**
 * What a session event was, as a report's timeline says it, in the protocol's words ("Infusion
 * started", "Dosing ended"). Unknown types read as their type.
 */
export function sessionEventLabel(event: Pick<SessionEventView, 'type' | 'payload'>, protocol: Protocol): string {
  const record = recordEventText(event, protocol);
  if (record !== null) return record.label;
  const phase = capitalize(protocol.labels.treatmentPhase);
  switch (event.type) {
    case 'checked-in':
      return 'Checked in';
    case 'treatment-started':
      return startOverridden(event.payload) ? `${phase} started with override` : `${phase} started`;
    case 'treatment-paused':
      return `${phase} paused`;
    case 'treatment-resumed':
      return `${phase} resumed`;
    case 'treatment-ended':
      return `${phase} ended`;
    case 'discharged':
      return hasOverride(event.payload) ? 'Discharged with override' : 'Discharged';
    case 'cancelled':
      return 'Session cancelled';
    case 'note':
      return 'Note';
    case 'checklist-updated':
      return 'Discharge checklist updated';
    case 'limits-changed':
      return 'Alert limits changed';
    case 'readings-attached':
      return 'Readings attached';
    case 'gate-held':
      return 'Discharge criteria met';
    default:
      return capitalize(event.type.replaceAll('-', ' '));
  }
}

function hasOverride(payload: Record<string, unknown>): boolean {
  const override = payload['override'];
  return typeof override === 'object' && override !== null;
}

/** A start whose gate did not hold, overridden by a clinician (an override sent while it held was not needed). */
function startOverridden(payload: Record<string, unknown>): boolean {
  const start = payload['start'];
  return hasOverride(payload) && !(typeof start === 'object' && start !== null && (start as Record<string, unknown>)['gateHeld'] === true);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * The free text and particulars of an event, each a short line: "Reason: …", "Note: …",
 * "Ticked: Escort present". Empty when the event carries none.
 */
export function sessionEventDetails(event: Pick<SessionEventView, 'type' | 'payload'>, protocol: Protocol): string[] {
  const record = recordEventText(event, protocol);
  if (record !== null) return record.lines;
  const p = event.payload;
  const lines: string[] = [];
  const override = p['override'];
  if (typeof override === 'object' && override !== null) {
    const reason = text((override as Record<string, unknown>)['reason']);
    if (reason !== null) lines.push(`Override reason: ${reason}`);
  }
  const discharge = p['discharge'];
  if (typeof discharge === 'object' && discharge !== null) {
    const failing = (discharge as Record<string, unknown>)['failingItems'];
    if (Array.isArray(failing) && failing.length > 0) {
      const labels = failing.map((id) => {
        const parsed = dischargeGateItemIdSchema.safeParse(id);
        return parsed.success ? dischargeGateLabels[parsed.data] : String(id);
      });
      lines.push(`Gate items not met: ${labels.join(', ')}`);
    }
  }
  const start = p['start'];
  if (typeof start === 'object' && start !== null) {
    const failing = (start as Record<string, unknown>)['failingItems'];
    if (Array.isArray(failing) && failing.length > 0) {
      const labels = failing.map((id) => {
        const parsed = startGateItemIdSchema.safeParse(id);
        return parsed.success ? startGateLabels[parsed.data] : String(id);
      });
      lines.push(`Start gate items not met: ${labels.join(', ')}`);
    }
  }
  const reason = text(p['reason']);
  if (reason !== null) lines.push(`Reason: ${reason}`);
  const noteText = text(p['text']);
  if (noteText !== null) lines.push(noteText);
  const items = p['items'];
  if (event.type === 'checklist-updated' && typeof items === 'object' && items !== null) {
    const labelOf = (id: string): string => protocol.dischargeGate.checklist.find((i) => i.id === id)?.label ?? id;
    const entries = Object.entries(items as Record<string, unknown>);
    const ticked = entries.filter(([, v]) => v === true).map(([id]) => labelOf(id));
    const unticked = entries.filter(([, v]) => v === false).map(([id]) => labelOf(id));
    if (ticked.length > 0) lines.push(`Ticked: ${ticked.join(', ')}`);
    if (unticked.length > 0) lines.push(`Unticked: ${unticked.join(', ')}`);
  }
  const readingIds = p['readingIds'];
  if (Array.isArray(readingIds)) lines.push(`${readingIds.length} reading${readingIds.length === 1 ? '' : 's'}`);
  const note = text(p['note']);
  if (note !== null) lines.push(`Note: ${note}`);
  return lines;
}
