import { describe, expect, it } from 'vitest';
import type { ChairAssignment } from '@chairside/shared';
import { initialsOf, myChairsFirst, watchText } from './people';

const chair = (chairId: string, primary: string | null, backup: string | null = null): ChairAssignment => ({
  chairId,
  chairName: chairId,
  primary: primary === null ? null : { userId: primary, displayName: `User ${primary}` },
  backup: backup === null ? null : { userId: backup, displayName: `User ${backup}` },
  assignedBy: null,
  assignedAtMs: null,
});

describe('people on chairs', () => {
  it.each([
    ['Demo Nurse', 'DN'],
    ['Jo', 'JO'],
    ['  ann  marie   lee ', 'AML'],
    ['A B C D', 'ABC'],
    ['', '?'],
  ])('%o → %s', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });

  it('says who watches a chair', () => {
    expect(watchText(chair('c1', 'a', 'b'))).toBe('Watched by User a, backup User b');
    expect(watchText(chair('c1', 'a'))).toBe('Watched by User a');
    expect(watchText(chair('c1', null))).toBe('No nurse assigned');
    expect(watchText(undefined)).toBe('No nurse assigned');
  });

  it('puts my chairs first (primary, then backup), keeping the grid order within each group', () => {
    const byChair = { c1: chair('c1', 'x'), c2: chair('c2', 'me'), c3: chair('c3', 'y', 'me'), c4: chair('c4', 'me') };
    expect(myChairsFirst(['c1', 'c2', 'c3', 'c4', 'c5'], byChair, 'me')).toEqual(['c2', 'c4', 'c3', 'c1', 'c5']);
    expect(myChairsFirst(['c1', 'c2'], byChair, null)).toEqual(['c1', 'c2']);
  });
});
