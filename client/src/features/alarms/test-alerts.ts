import type { Alert, AlertEvent, AlertMessage, PublicUser } from '@chairside/shared';
import { emptyLatestVitals } from '@chairside/shared';
import { testNow } from '../../test-utils';

/** Test data for the alarm feature: alerts as the server sends them. */

export const nurse: PublicUser = { id: 'u-nurse', username: 'maria', displayName: 'Maria (nurse)', role: 'nurse' };
export const clinician: PublicUser = { id: 'u-clin', username: 'dr.lee', displayName: 'Dr Lee', role: 'clinician' };
export const admin: PublicUser = { id: 'u-admin', username: 'admin', displayName: 'Admin', role: 'admin' };

export function makeAlert(fields: Partial<Alert> & { id: string }): Alert {
  return {
    ruleId: 'bp-crisis',
    subject: null,
    label: 'Hypertensive crisis',
    category: 'physiological',
    priority: 'high',
    status: 'active',
    message: 'SBP 204 ≥ 200',
    facts: {
      kind: 'bp-threshold',
      breaches: [{ field: 'systolic', value: 204, comparator: '>=', limit: 200 }],
      readings: 1,
      requiredReadings: 1,
      prompt: null,
      measuredAt: new Date(testNow).toISOString(),
    },
    readingSeq: 1,
    raisedAtMs: testNow - 60_000,
    escalatedAtMs: null,
    conditionResolvedAtMs: null,
    clearedAtMs: null,
    clearReason: null,
    acknowledgements: [],
    ...fields,
  };
}

export function acknowledged(alert: Alert, atMs: number, note: string | null = null, by = nurse): Alert {
  return {
    ...alert,
    status: alert.priority === 'high' && alert.conditionResolvedAtMs !== null ? 'cleared' : 'acknowledged',
    acknowledgements: [
      ...alert.acknowledgements,
      { by: { userId: by.id, username: by.username }, atMs, note, priority: alert.priority, message: alert.message, vitals: emptyLatestVitals },
    ],
  };
}

export function cleared(alert: Alert, atMs: number): Alert {
  return { ...alert, status: 'cleared', clearedAtMs: atMs, clearReason: 'resolved' };
}

/** The socket message for an event about `alert`. */
export function alertMessage(type: AlertEvent['type'], alert: Alert, atMs = testNow, chairId = 'chair-1', sessionId = 'session-1'): AlertMessage {
  const acknowledgement = alert.acknowledgements.at(-1) ?? acknowledged(alert, atMs).acknowledgements.at(-1);
  const event: AlertEvent =
    type === 'alert-acknowledged' && acknowledgement !== undefined
      ? { type, atMs, alert, acknowledgement }
      : type === 'alert-escalated'
        ? { type, atMs, alert, fromPriority: 'medium' }
        : { type: type === 'alert-acknowledged' ? 'alert-raised' : type, atMs, alert };
  return { chairId, sessionId, event };
}

/** Just enough of a socket.io client: handlers fired by hand, acknowledgements answered by the test. */
export class FakeAlertSocket {
  connected = true;
  emitted: { event: string; payload: unknown }[] = [];
  answer: (event: string, payload: unknown) => Promise<unknown> = () => Promise.reject(new Error('no answer'));
  private handlers = new Map<string, Set<(payload: unknown) => void>>();

  on(event: string, handler: (payload: unknown) => void) {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler);
    this.handlers.set(event, set);
    return this;
  }
  off(event: string, handler: (payload: unknown) => void) {
    this.handlers.get(event)?.delete(handler);
    return this;
  }
  timeout() {
    return {
      emitWithAck: (event: string, payload: unknown) => {
        this.emitted.push({ event, payload });
        return this.answer(event, payload);
      },
    };
  }
  fire(event: string, payload: unknown) {
    for (const handler of this.handlers.get(event) ?? []) handler(payload);
  }
  listeners(event: string): number {
    return this.handlers.get(event)?.size ?? 0;
  }
}
