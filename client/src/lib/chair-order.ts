import type { ChairSummary } from '@chairside/shared';

/** Names as a person reads numbers ("Chair 2" before "Chair 10"); one collator, not one per comparison. */
const byName = new Intl.Collator(undefined, { numeric: true });

/** Chair ids in the clinic's order (position, then name as a person reads numbers). */
export function orderedChairIds(chairs: Record<string, ChairSummary>): string[] {
  return Object.values(chairs)
    .sort((a, b) => a.position - b.position || byName.compare(a.name, b.name))
    .map((chair) => chair.id);
}
