import type { ChairAssignment } from '@chairside/shared';

/** "Demo Nurse" → "DN", "Jo" → "JO": what a tile shows of who has the chair. */
export function initialsOf(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return '?';
  if (words.length === 1) return (words[0] ?? '?').slice(0, 2).toUpperCase();
  return words
    .slice(0, 3)
    .map((w) => w.charAt(0))
    .join('')
    .toUpperCase();
}

/** "Watched by Demo Nurse, backup Ann Lee" / "No nurse assigned". */
export function watchText(assignment: ChairAssignment | undefined): string {
  if (!assignment?.primary) return 'No nurse assigned';
  return `Watched by ${assignment.primary.displayName}${assignment.backup ? `, backup ${assignment.backup.displayName}` : ''}`;
}

/** The chair ids with the user's own (primary, then backup) first, each group in the grid's order. */
export function myChairsFirst(ids: readonly string[], byChair: Record<string, ChairAssignment>, userId: string | null): string[] {
  if (userId === null) return [...ids];
  const rank = (id: string) => (byChair[id]?.primary?.userId === userId ? 0 : byChair[id]?.backup?.userId === userId ? 1 : 2);
  return [...ids].sort((a, b) => rank(a) - rank(b));
}
