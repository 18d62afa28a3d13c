import { describe, expect, it } from 'vitest';
import type { Alert } from '@chairside/shared';
import type { ReachNotice } from '../reach/alarm-reach';
import { pushMessageFor, pushTopicFor } from './push-payload';

const alert = {
  id: 'session-1.bp-crisis.1',
  label: 'Hypertensive crisis',
  message: 'SBP 204 ≥ 200',
  priority: 'high',
} as Alert;

function notice(moment: ReachNotice['moment'], priority: ReachNotice['priority'] = 'high'): ReachNotice {
  return { moment, step: null, recipients: [], alert, priority, sessionId: 'session-1', chairId: 'chair 3', chairName: 'Chair 3', hl7Bed: null, by: null, atMs: 1 };
}

describe('push payload', () => {
  it.each([
    ['raised', 'high', 'High alarm — Chair 3', 'Hypertensive crisis: SBP 204 ≥ 200'],
    ['escalated-to', 'medium', 'Alarm — Chair 3', 'Hypertensive crisis: SBP 204 ≥ 200 — not yet acknowledged'],
    ['raised', 'low', 'Advisory — Chair 3', 'Hypertensive crisis: SBP 204 ≥ 200'],
  ] as const)('%s %s: %s / %s', (moment, priority, title, body) => {
    expect(pushMessageFor(notice(moment, priority))).toEqual({
      type: 'alarm',
      alertId: alert.id,
      chairId: 'chair 3',
      title,
      body,
      priority,
      url: '/chairs/chair%203',
      atMs: 1,
    });
  });

  it.each(['acknowledged', 'cleared'] as const)('%s closes the notification', (moment) => {
    expect(pushMessageFor(notice(moment))).toEqual({ type: 'close', alertId: alert.id, reason: moment });
  });

  it('keeps a long text short', () => {
    const long = pushMessageFor({ ...notice('raised'), alert: { ...alert, message: 'x'.repeat(400) } });
    expect(long.type === 'alarm' && long.body.length).toBe(160);
  });

  it.each([
    ['session-1.bp-crisis.1', 'session-1bp-crisis1'],
    ['3f2b9c1e-8d7a-4b6c-9e1f-0a2b3c4d5e6f.spo2-low.12', null],
  ])('topic of %s is base64url, at most 32 characters, and stable', (id, expected) => {
    const topic = pushTopicFor(id);
    expect(topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(pushTopicFor(id)).toBe(topic);
    if (expected !== null) expect(topic).toBe(expected);
  });

  it('gives different long ids different topics', () => {
    expect(pushTopicFor(`${'a'.repeat(40)}.rule.1`)).not.toBe(pushTopicFor(`${'b'.repeat(40)}.rule.1`));
  });
});
