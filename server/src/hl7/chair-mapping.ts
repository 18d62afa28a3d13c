/**
 * Which chair an HL7 message's readings belong to. Pure.
 *
 * Bed (PV1-3 = point of care ^ room ^ bed): a chair's `hl7Bed` is written as `bed`, `room^bed` or
 * `pointOfCare^room^bed`, and matches when it equals that many trailing parts of PV1-3
 * (case-insensitive, spaces around parts ignored). So `KETA^102^1` matches a chair with hl7Bed
 * `KETA^102^1`, `102^1` or `1`. A PV1-3 with a single part (`BED7`) is taken as the bed. When chairs
 * match at different lengths the longest (most specific) wins; two chairs at the same length are
 * ambiguous and map nothing.
 *
 * Device: a registered device id equal (case-insensitive) to MSH-3 as sent, its namespace id or its
 * universal id, or to an OBX-18 equipment id as sent, its entity id or its universal id.
 *
 * The message maps when the bed and the devices that match all name the same chair. Nothing
 * matching, or matches naming different chairs, maps nothing: the message is kept for an admin
 * rather than guessed onto a chair.
 */
import type { Chair } from '@chairside/shared';
import type { BedLocation } from './oru-r01';

export interface DeviceBinding {
  deviceId: string;
  chairId: string;
}

export interface MappingInput {
  location: BedLocation | null;
  /** MSH-3 forms, then OBX-18 forms. */
  deviceIds: readonly string[];
}

export type ChairMapping = { ok: true; chairId: string } | { ok: false; reason: string };

const norm = (s: string): string => s.trim().toUpperCase();

/** The parts of a bed as compared: [pointOfCare, room, bed], or just [bed] for a single-part PV1-3. */
function bedParts(location: BedLocation): string[] {
  const parts = [location.pointOfCare, location.room, location.bed].map(norm);
  if (parts[1] === '' && parts[2] === '') return [parts[0] ?? ''];
  return parts;
}

/** The chairs whose hl7Bed matches, most specific first; ambiguous when two tie for the best. */
export function chairsForBed(location: BedLocation, chairs: readonly Chair[]): { chairId: string } | { ambiguous: string[] } | null {
  const parts = bedParts(location);
  let bestLength = 0;
  let best: string[] = [];
  for (const chair of chairs) {
    if (chair.hl7Bed === null || chair.hl7Bed.trim() === '') continue;
    const wanted = chair.hl7Bed.split('^').map(norm);
    if (wanted.length > parts.length) continue;
    const tail = parts.slice(parts.length - wanted.length);
    if (!wanted.every((w, i) => w === tail[i])) continue;
    if (wanted.length > bestLength) {
      bestLength = wanted.length;
      best = [chair.id];
    } else if (wanted.length === bestLength) {
      best.push(chair.id);
    }
  }
  if (best.length === 0) return null;
  if (best.length > 1) return { ambiguous: best };
  return { chairId: best[0] ?? '' };
}

export function mapToChair(input: MappingInput, chairs: readonly Chair[], devices: readonly DeviceBinding[]): ChairMapping {
  const bedText = input.location?.text ?? '(none)';
  const deviceText = input.deviceIds[0] ?? '(none)';
  const byBed = input.location ? chairsForBed(input.location, chairs) : null;
  if (byBed && 'ambiguous' in byBed) {
    return { ok: false, reason: `bed ${bedText} matches several chairs (${byBed.ambiguous.join(', ')}); make their HL7 beds distinct` };
  }
  const wanted = new Set(input.deviceIds.map(norm));
  const viaDevices = devices.filter((d) => wanted.has(norm(d.deviceId)));
  const found = new Map<string, string>(); // chairId → how
  if (byBed) found.set(byBed.chairId, `bed ${bedText}`);
  for (const d of viaDevices) if (!found.has(d.chairId)) found.set(d.chairId, `device ${d.deviceId}`);
  if (found.size === 0) return { ok: false, reason: `no chair mapped for bed ${bedText} / device ${deviceText}` };
  if (found.size > 1) {
    const list = [...found.entries()].map(([chairId, how]) => `${how} is ${chairId}`).join(', ');
    return { ok: false, reason: `conflicting chairs: ${list}` };
  }
  const [chairId = ''] = found.keys();
  return { ok: true, chairId };
}
