import type { AssignableUser, AssignmentsList, ChairAssignment, EscalationStep } from '@chairside/shared';
import type { SliceCreator } from './slice';

/** Where this device keeps "my chairs first" (a per-device choice, not the user's). */
export const myChairsFirstKey = 'chairside.myChairsFirst';

function storedMyChairsFirst(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(myChairsFirstKey) === '1';
  } catch {
    return false;
  }
}

export interface AssignmentsState {
  /** Per chair id: its primary and backup for the shift. */
  byChair: Record<string, ChairAssignment>;
  /** Who can be assigned (active nurses and clinicians). */
  users: AssignableUser[];
  loaded: boolean;
}

export interface AssignmentsSlice {
  assignments: AssignmentsState;
  /** Escalation steps per alert id, oldest first (`alert:reached`, or read with a session's history). */
  escalations: Record<string, EscalationStep[]>;
  /** The grid shows this user's chairs first (remembered on this device). */
  myChairsFirst: boolean;
  assignmentsLoaded(list: AssignmentsList): void;
  /** Steps read or heard; a step already held (same alert, step and time) is not added twice. */
  escalationsReceived(steps: readonly EscalationStep[]): void;
  setMyChairsFirst(on: boolean): void;
}

export const createAssignmentsSlice: SliceCreator<AssignmentsSlice, AssignmentsSlice> = (set) => ({
  assignments: { byChair: {}, users: [], loaded: false },
  escalations: {},
  myChairsFirst: storedMyChairsFirst(),

  assignmentsLoaded: (list) =>
    set({ assignments: { byChair: Object.fromEntries(list.assignments.map((a) => [a.chairId, a])), users: list.users, loaded: true } }),

  escalationsReceived: (steps) =>
    set((s) => {
      let escalations = s.escalations;
      for (const step of steps) {
        const held = escalations[step.alertId] ?? [];
        if (held.some((h) => h.step === step.step && h.atMs === step.atMs)) continue;
        escalations = { ...escalations, [step.alertId]: [...held, step].sort((a, b) => a.atMs - b.atMs) };
      }
      return escalations === s.escalations ? s : { escalations };
    }),

  setMyChairsFirst: (on) => {
    try {
      localStorage.setItem(myChairsFirstKey, on ? '1' : '0');
    } catch {
      // Private mode: remembered until the page reloads.
    }
    set({ myChairsFirst: on });
  },
});
