import { afterEach, describe, expect, it } from 'vitest';
import { storeKind, tempDataDir } from '../helpers/test-server';
import { type ServerProcess, startServerProcess } from '../helpers/server-process';

let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')?.split(';')[0] ?? '';
}

async function getJson<T>(url: string, cookie: string): Promise<T> {
  const res = await fetch(url, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

interface ListItem {
  id: string;
  chairId: string;
  phase: string;
  endedAt: string | null;
}

interface Reading {
  measuredAt: string;
  systolic: number | null;
}

interface SessionDetail {
  id: string;
  chairId: string;
  protocol: {
    kind: 'iv-infusion' | 'nasal-spray';
    baseline: { bpReadings: number };
    treatment: { bpIntervalMin: number };
    observation: { bpIntervalMin: number };
  };
  state: {
    phase: string;
    treatmentStartedAtMs: number | null;
    treatmentEndedAtMs: number | null;
    dischargedAtMs: number | null;
    gateFirstHeldAtMs: number | null;
    dischargeOverride: unknown;
    startOverride: unknown;
  };
  baseline: { complete: boolean; bpReadingCount: number };
  events: { type: string; at: string; username: string; payload: { start?: { gateHeld: boolean }; discharge?: { gateHeld: boolean; overrideReason: string | null } } }[];
  readings: Reading[];
}

const demoTrigger = (url: string, cookie: string, body: unknown) =>
  fetch(`${url}/api/v1/demo/trigger`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });

// The demo's autopilot and simulator do not depend on the store, and a run takes minutes: SQLite only.
describe.runIf(storeKind === 'sqlite')('demo mode', () => {
  it('shows demo logins, runs simulated sessions, and lets an admin trigger a scenario on a chair', async () => {
    server = await startServerProcess({ DATA_DIR: tempDataDir(), DEMO_CHAIRS: '3', DEMO_SPEED: '60', SIM_SEED: '7' });
    const status = (await (await fetch(`${server.url}/api/auth/session`)).json()) as { demoAccounts: { username: string }[] };
    expect(status.demoAccounts.map((a) => a.username)).toEqual(['nurse', 'clinician', 'admin']);

    // Chairs start empty and their patients arrive in turn: chair 1's at once.
    const nurse = await login(server.url, 'nurse', 'demo');
    await expect
      .poll(async () => {
        const chairs = await getJson<{ id: string; session: unknown; latest: { lastReadingAt: string | null } }[]>(`${server?.url}/api/v1/chairs`, nurse);
        return chairs.find((c) => c.id === 'chair-1' && c.session !== null && c.latest.lastReadingAt !== null) !== undefined;
      }, { timeout: 20_000 })
      .toBe(true);

    const admin = await login(server.url, 'admin', 'demo');
    const control = await getJson<{ enabled: boolean; kinds: string[] }>(`${server.url}/api/v1/demo`, admin);
    expect(control.enabled).toBe(true);
    expect(control.kinds).toEqual(expect.arrayContaining(['surge', 'discharge-with-override']));
    expect((await demoTrigger(server.url, admin, { chairId: 'chair-2', kind: 'surge' })).status).toBe(201);
    expect((await demoTrigger(server.url, admin, { chairId: 'chair-9', kind: 'surge' })).status).toBe(400);
    expect((await demoTrigger(server.url, admin, { chairId: 'chair-2', kind: 'explode' })).status).toBe(400);
    expect((await demoTrigger(server.url, nurse, { chairId: 'chair-2', kind: 'surge' })).status).toBe(403);
    // The override scenario is about a discharge: refused while chair 1's patient is still in baseline.
    const early = await demoTrigger(server.url, admin, { chairId: 'chair-1', kind: 'discharge-with-override' });
    expect(early.status).toBe(409);
  });

  it('a presenter’s first finished sessions read like a good clinic’s: baseline first, start and discharge through the gates, no override', async () => {
    server = await startServerProcess({ DATA_DIR: tempDataDir(), DEMO_CHAIRS: '3', DEMO_SPEED: '300', SIM_SEED: '11' });
    const url = server.url;
    const nurse = await login(url, 'nurse', 'demo');
    const list = async (): Promise<ListItem[]> => (await getJson<{ items: ListItem[] }>(`${url}/api/v1/sessions?limit=100`, nurse)).items;

    // IV visits at 300×: a 1-min baseline spacing and a 1-min observation (whole protocol minutes) make ~2.5 min each.
    await expect.poll(async () => (await list()).filter((s) => s.endedAt !== null).length, { timeout: 240_000, interval: 2_000 }).toBeGreaterThanOrEqual(2);
    const sessions = await list();
    const finished = sessions.filter((s) => s.endedAt !== null).sort((a, b) => Date.parse(a.endedAt ?? '') - Date.parse(b.endedAt ?? ''));

    for (const item of finished.slice(0, 2)) {
      const s = await getJson<SessionDetail>(`${url}/api/v1/sessions/${item.id}`, nurse);
      const { state } = s;
      const bpTimes = s.readings.filter((r) => r.systolic !== null).map((r) => Date.parse(r.measuredAt));
      const started = state.treatmentStartedAtMs ?? Number.NaN;
      const ended = state.treatmentEndedAtMs ?? Number.NaN;

      // A complete baseline, taken before the start, and the start through the gate.
      expect(state.phase).toBe('discharged');
      expect(s.baseline).toMatchObject({ complete: true, bpReadingCount: s.protocol.baseline.bpReadings });
      expect(bpTimes.filter((t) => t < started).length).toBeGreaterThanOrEqual(s.protocol.kind === 'iv-infusion' ? 2 : 1);
      const start = s.events.find((e) => e.type === 'treatment-started');
      expect(start?.payload.start?.gateHeld).toBe(true);
      expect(state.startOverride).toBeNull();

      // BPs at least at the protocol's cadence while treated and observed.
      const gaps = (from: number, to: number) => bpTimes.filter((t) => t >= from && t <= to).map((t, i, all) => (i === 0 ? 0 : t - (all[i - 1] ?? t)));
      expect(Math.max(...gaps(started, ended))).toBeLessThanOrEqual(s.protocol.treatment.bpIntervalMin * 60_000);
      expect(Math.max(...gaps(ended, state.dischargedAtMs ?? ended))).toBeLessThanOrEqual(s.protocol.observation.bpIntervalMin * 60_000);
      expect(bpTimes.some((t) => t >= ended && t <= (state.dischargedAtMs ?? 0))).toBe(true);

      // Discharged through the gate by the autopilot, "discharge criteria met at" recorded, no override.
      const discharge = s.events.find((e) => e.type === 'discharged');
      expect(discharge).toMatchObject({ username: 'demo autopilot', payload: { discharge: { gateHeld: true, overrideReason: null } } });
      expect(state.dischargeOverride).toBeNull();
      expect(state.gateFirstHeldAtMs).not.toBeNull();
      expect(state.gateFirstHeldAtMs ?? Infinity).toBeLessThanOrEqual(state.dischargedAtMs ?? 0);
      expect(s.events.filter((e) => e.type === 'checklist-updated')).toHaveLength(1);

      // No high-priority alarm on a routine visit, and none left open after discharge.
      const alerts = await getJson<{ priority: string; status: string }[]>(`${url}/api/v1/sessions/${item.id}/alerts`, nurse);
      expect(alerts.filter((a) => a.priority === 'high')).toEqual([]);
      expect(alerts.filter((a) => a.status === 'active' || a.status === 'acknowledged')).toEqual([]);
    }

    // Every session that has started treatment so far started after its baseline.
    for (const item of sessions) {
      const s = await getJson<SessionDetail>(`${url}/api/v1/sessions/${item.id}`, nurse);
      if (s.state.treatmentStartedAtMs === null) continue;
      const before = s.readings.filter((r) => r.systolic !== null && Date.parse(r.measuredAt) < (s.state.treatmentStartedAtMs ?? 0));
      expect(before.length).toBeGreaterThanOrEqual(s.protocol.baseline.bpReadings);
    }

    // The one scenario about overrides: a presenter has a clinician discharge a patient in observation before the gate holds.
    const admin = await login(url, 'admin', 'demo');
    let overridden: { chairId: string; event: { sessionId: string } } | null = null;
    await expect
      .poll(
        async () => {
          const chairs = await getJson<{ id: string; session: { state: { phase: string } } | null }[]>(`${url}/api/v1/chairs`, nurse);
          for (const chair of chairs.filter((c) => c.session?.state.phase === 'observation')) {
            const res = await demoTrigger(url, admin, { chairId: chair.id, kind: 'discharge-with-override' });
            if (res.status === 201) overridden = (await res.json()) as typeof overridden;
          }
          return overridden !== null;
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toBe(true);
    const sessionId = (overridden as { event: { sessionId: string } } | null)?.event.sessionId ?? '';
    const s = await getJson<SessionDetail>(`${url}/api/v1/sessions/${sessionId}`, nurse);
    expect(s.state.phase).toBe('discharged');
    expect(s.state.dischargeOverride).toMatchObject({ reason: expect.stringMatching(/^Demo scenario "discharge with override", started by a presenter/) });
    expect(s.events.find((e) => e.type === 'discharged')).toMatchObject({ username: 'demo autopilot', payload: { discharge: { gateHeld: false } } });
  }, 420_000);

  it('has no demo logins and no demo control outside demo mode, and disables demo accounts left from one', async () => {
    const dataDir = tempDataDir();
    server = await startServerProcess({ DATA_DIR: dataDir, DEMO_CHAIRS: '1' });
    await server.stop();
    server = await startServerProcess({ DATA_DIR: dataDir, DEMO_CHAIRS: '0', ADMIN_PASSWORD: 'real-admin-password' });
    const status = (await (await fetch(`${server.url}/api/auth/session`)).json()) as { demoAccounts: unknown };
    expect(status.demoAccounts).toBeNull();
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nurse', password: 'demo' }) });
    // A disabled account is answered like a wrong password (README: login).
    expect(res.status).toBe(401);
    // ADMIN_PASSWORD turns the demo admin into the clinic's real admin.
    await login(server.url, 'admin', 'real-admin-password');
    const demoAdmin = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo' }) });
    expect(demoAdmin.status).toBe(401);
  });
});
