import type { ChairSummary } from '@chairside/shared';

/** Chair ids in the clinic's order (position, then name as a person reads numbers). */
export function orderedChairIds(chairs: Record<string, ChairSummary>): string[] {
  return Object.values(chairs)
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name, undefined, { numeric: true }))
    .map((chair) => chair.id);
}
