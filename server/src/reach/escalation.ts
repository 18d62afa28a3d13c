import type { AlertPriority } from '@chairside/shared';
import type { ReachStep } from './alarm-reach';

/**
 * When an unacknowledged alarm reaches whom (docs/clinical-defaults.md "Alarm reach and
 * escalation"). Pure: the dispatcher asks with the clock's time.
 */

/** How long an alarm waits for an acknowledgement before it goes to the next people, per priority. */
export interface EscalationDelays {
  highMs: number;
  mediumMs: number;
}

export const defaultEscalationDelays: EscalationDelays = { highMs: 30_000, mediumMs: 90_000 };

/** The delay of a priority; null for low: low alarms and advisories stay on the screens and never escalate. */
export function escalationDelayMs(priority: AlertPriority, delays: EscalationDelays): number | null {
  if (priority === 'high') return delays.highMs;
  if (priority === 'medium') return delays.mediumMs;
  return null;
}

/** Who watches the chair, as far as the chain's shape goes. */
export interface ChairWatch {
  hasPrimary: boolean;
  hasBackup: boolean;
}

export interface ChainLink {
  step: ReachStep;
  /** After the alarm was raised. */
  afterMs: number;
}

/**
 * The chain of an alarm: primary at once, backup after one delay, everyone on shift after another.
 * No backup: everyone after one delay. No one assigned: everyone at once. Low priority: none.
 */
export function escalationChain(priority: AlertPriority, watch: ChairWatch, delays: EscalationDelays): ChainLink[] {
  const delay = escalationDelayMs(priority, delays);
  if (delay === null) return [];
  if (!watch.hasPrimary) return [{ step: 'all', afterMs: 0 }];
  if (!watch.hasBackup) return [{ step: 'primary', afterMs: 0 }, { step: 'all', afterMs: delay }];
  return [
    { step: 'primary', afterMs: 0 },
    { step: 'backup', afterMs: delay },
    { step: 'all', afterMs: 2 * delay },
  ];
}

const order: Record<ReachStep, number> = { primary: 0, backup: 1, all: 2 };

/**
 * The steps due at `nowMs` that have not been taken: each link whose time has come and that lies
 * beyond the furthest step taken (an assignment made after everyone was reached adds nothing).
 */
export function dueSteps(chain: readonly ChainLink[], raisedAtMs: number, nowMs: number, taken: ReadonlySet<ReachStep>): ReachStep[] {
  const furthest = Math.max(-1, ...[...taken].map((step) => order[step]));
  return chain.filter((link) => order[link.step] > furthest && raisedAtMs + link.afterMs <= nowMs).map((link) => link.step);
}

/** When the next step of the chain is due, or null when nothing is left. */
export function nextStepAtMs(chain: readonly ChainLink[], raisedAtMs: number, taken: ReadonlySet<ReachStep>): number | null {
  const furthest = Math.max(-1, ...[...taken].map((step) => order[step]));
  const next = chain.find((link) => order[link.step] > furthest);
  return next ? raisedAtMs + next.afterMs : null;
}
