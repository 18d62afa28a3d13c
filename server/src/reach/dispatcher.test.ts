import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, AlertListItem } from '@chairside/shared';
import { silentLogger } from '../logger';
import { SqliteStore } from '../store/sqlite-store';
import type { ReachChannel, ReachNotice } from './alarm-reach';
import { ReachDispatcher } from './dispatcher';

const t0 = Date.parse('2026-11-22T10:00:00.000Z');

function alert(priority: Alert['priority'], fields: Partial<Alert> = {}): Alert {
  return {
    id: `s1.rule.${priority}`,
    ruleId: 'rule',
    subject: null,
    label: 'Test alarm',
    category: 'physiological',
    priority,
    status: 'active',
    message: 'SBP 204 ≥ 200',
    facts: { kind: 'not-ready' },
    readingSeq: null,
    raisedAtMs: t0,
    escalatedAtMs: null,
    conditionResolvedAtMs: null,
    clearedAtMs: null,
    clearReason: null,
    acknowledgements: [],
    ...fields,
  };
}

let store: SqliteStore;
let dir: string;
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function dispatcher(options: { leading: boolean; open: AlertListItem[]; nowMs: number }) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chairside-reach-'));
  store = new SqliteStore({ file: path.join(dir, 'chairside.db') });
  const notices: ReachNotice[] = [];
  const channel: ReachChannel = { name: 'hl7', notify: (n) => void notices.push(n), close: () => Promise.resolve() };
  const steps: unknown[] = [];
  const reach = new ReachDispatcher({
    store,
    clock: { now: () => options.nowMs },
    logger: silentLogger,
    channels: [channel],
    leading: () => options.leading,
    openAlerts: () => options.open,
    onStep: (step) => steps.push(step),
  });
  return { reach, notices, steps };
}

describe('reach dispatcher', () => {
  it('does nothing on a server that does not run the alert engine, however late the alarm', async () => {
    const open = [{ chairId: 'chair-1', sessionId: 's1', alert: alert('high') }];
    const { reach, notices, steps } = dispatcher({ leading: false, open, nowMs: t0 + 600_000 });
    await reach.tick();
    expect(steps).toEqual([]);
    expect(notices).toEqual([]);
    expect(await store.deliveries.listEscalations({ sessionId: 's1' })).toEqual([]);
  });

  it('tells the channels of a low alarm (raised, cleared) without reaching anyone: low alarms do not escalate', async () => {
    const low = alert('low');
    const { reach, notices, steps } = dispatcher({ leading: true, open: [{ chairId: 'chair-1', sessionId: 's1', alert: low }], nowMs: t0 + 600_000 });
    reach.onAlertEvents('chair-1', 's1', [{ type: 'alert-raised', atMs: t0, alert: low }]);
    await reach.tick();
    reach.onAlertEvents('chair-1', 's1', [{ type: 'alert-cleared', atMs: t0 + 700_000, alert: { ...low, status: 'cleared' } }]);
    await reach.idle();
    expect(steps).toEqual([]);
    expect(notices.map((n) => `${n.moment} ${n.step} ${n.recipients.length}`)).toEqual(['raised null 0', 'cleared null 0']);
    expect(notices[0]).toMatchObject({ chairId: 'chair-1', chairName: 'chair-1', hl7Bed: null, priority: 'low', sessionId: 's1' });
  });

  it('leaves acknowledged alarms alone', async () => {
    const acknowledged = alert('high', { status: 'acknowledged' });
    const { reach, steps } = dispatcher({ leading: true, open: [{ chairId: 'chair-1', sessionId: 's1', alert: acknowledged }], nowMs: t0 + 600_000 });
    await reach.tick();
    expect(steps).toEqual([]);
  });
});
