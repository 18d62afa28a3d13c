import type { Alert, AlertFacts } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import type { AlertEntry } from '../../store/alerts-slice';
import { testNow } from '../../test-utils';
import { acknowledged, makeAlert } from '../alarms/test-alerts';
import { vitalAlarms, vitalsOfFacts } from './vital-alarms';

const measuredAt = new Date(testNow).toISOString();
const breach = (field: 'heartRate' | 'spo2' | 'respRate' | 'systolic', value: number, limit: number) => ({ field, value, comparator: '<' as const, limit });
const sustained = (field: 'heartRate' | 'spo2' | 'respRate', value: number, limit: number): AlertFacts => ({
  kind: 'sustained-vital',
  breach: breach(field, value, limit),
  sustainedSec: 30,
  readings: 30,
  bySpotReadings: false,
  measuredAt,
});

function entries(...alerts: Alert[]): Record<string, AlertEntry> {
  return Object.fromEntries(alerts.map((alert) => [alert.id, { chairId: 'chair-1', sessionId: 'session-1', alert, receivedAtMs: testNow, clearedSeenAtMs: null }]));
}

describe('vitalsOfFacts: which number an alarm is about', () => {
  it.each([
    ['bp-threshold', makeAlert({ id: 'a' }).facts, ['bp']],
    ['bp-rise', { kind: 'bp-rise', rises: [], readings: 1, requiredReadings: 1, measuredAt } as AlertFacts, ['bp']],
    ['baseline-bp', { kind: 'baseline-bp', breaches: [] } as AlertFacts, ['bp']],
    ['sustained HR', sustained('heartRate', 45, 50), ['heartRate']],
    ['sustained SpO₂', sustained('spo2', 85, 88), ['spo2']],
    ['sustained RR', sustained('respRate', 6, 8), ['respRate']],
    ['BP overdue (technical)', { kind: 'bp-overdue', minutesWithoutBp: 12, intervalMin: 5 } as AlertFacts, []],
    ['no data (technical)', { kind: 'no-data', silentSec: 60 } as AlertFacts, []],
    ['implausible (technical)', { kind: 'implausible', rejected: [], measuredAt } as AlertFacts, []],
    ['checkpoint missed', { kind: 'checkpoint-missed', checkpointId: 'c', label: 'BP at 40 min' } as AlertFacts, []],
    ['discharge criteria not met', { kind: 'not-ready' } as AlertFacts, []],
  ] as const)('%s → %j', (_name, facts, vitals) => {
    expect(vitalsOfFacts(facts)).toEqual(vitals);
  });
});

describe('vitalAlarms: per vital, the alarm its number shows', () => {
  const crisis = makeAlert({ id: 's.bp-crisis.1' });
  const desaturation = makeAlert({ id: 's.spo2-low.1', ruleId: 'spo2-low', label: 'Desaturation', priority: 'medium', facts: sustained('spo2', 90, 92) });
  const tachycardia = makeAlert({ id: 's.hr-high.1', ruleId: 'hr-high', label: 'Tachycardia', priority: 'low', facts: sustained('heartRate', 118, 110) });

  it('marks each vital an open alarm is about, with its priority, unacknowledged', () => {
    expect(vitalAlarms(entries(crisis, desaturation, tachycardia), 'chair-1')).toEqual({
      bp: { priority: 'high', acknowledged: false, title: 'Hypertensive crisis' },
      spo2: { priority: 'medium', acknowledged: false, title: 'Desaturation' },
      heartRate: { priority: 'low', acknowledged: false, title: 'Tachycardia' },
    });
  });

  it('keeps an acknowledged alarm whose condition is present (outlined), drops one whose condition resolved', () => {
    const present = acknowledged(desaturation, testNow);
    const resolved = acknowledged({ ...tachycardia, conditionResolvedAtMs: testNow - 1000 }, testNow);
    expect(vitalAlarms(entries(present, resolved), 'chair-1')).toEqual({ spo2: { priority: 'medium', acknowledged: true, title: 'Desaturation' } });
  });

  it('a latched high alarm waiting for acknowledgement still marks its vital after its condition resolved', () => {
    expect(vitalAlarms(entries({ ...crisis, conditionResolvedAtMs: testNow - 1000 }), 'chair-1').bp).toMatchObject({ priority: 'high', acknowledged: false });
  });

  it('shows the alarm still waiting before an acknowledged one, then the most urgent', () => {
    const recheck = makeAlert({ id: 's.bp-severe.1', ruleId: 'bp-severe', label: 'Severe hypertension', priority: 'low' });
    expect(vitalAlarms(entries(acknowledged(crisis, testNow), recheck), 'chair-1').bp).toMatchObject({ priority: 'low', acknowledged: false });
    const severe = makeAlert({ id: 's.bp-severe.2', ruleId: 'bp-severe', label: 'Severe hypertension', priority: 'medium' });
    expect(vitalAlarms(entries(severe, crisis), 'chair-1').bp).toMatchObject({ priority: 'high' });
  });

  it('ignores other chairs, cleared alarms and alarms about no shown number', () => {
    const otherChair = { x: { chairId: 'chair-2', sessionId: 's2', alert: { ...desaturation, id: 'x' }, receivedAtMs: testNow, clearedSeenAtMs: null } };
    const cleared = makeAlert({ id: 'c', status: 'cleared', clearedAtMs: testNow, clearReason: 'resolved', ruleId: 'hr-high', facts: sustained('heartRate', 118, 110) });
    const overdue = makeAlert({ id: 'o', ruleId: 'bp-overdue', category: 'technical', priority: 'low', facts: { kind: 'bp-overdue', minutesWithoutBp: 12, intervalMin: 5 } });
    expect(vitalAlarms({ ...otherChair, ...entries(cleared, overdue) }, 'chair-1')).toEqual({});
    expect(Object.keys(vitalAlarms(otherChair, 'chair-2'))).toEqual(['spo2']);
  });
});
