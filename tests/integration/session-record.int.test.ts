import { afterEach, describe, expect, it } from 'vitest';
import type { SessionDetail, SessionSummary } from '@chairside/shared';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

/*
 * The session record beyond vitals through the HTTP API (docs/architecture.md "The session record"): every entry type
 * stored with who, when and the phase, the derived record on the session view, the readiness hard stops holding the
 * start, the 5-minute rest between esketamine devices, resolution and the escort in the discharge gate, and bad input.
 */

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

interface Setup {
  clock: ManualClock;
  nurse: string;
  clinician: string;
  sessionId: string;
  event: (cookie: string, body: unknown) => ReturnType<typeof api>;
  view: () => Promise<SessionDetail>;
  bp: (systolic: number, diastolic: number) => Promise<void>;
}

async function checkIn(protocolId: 'iv-ketamine' | 'esketamine'): Promise<Setup> {
  const clock = new ManualClock(start);
  server = await startTestServer({ clock });
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'J. Doe' });
  const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId });
  expect(session.status).toBe(201);
  const sessionId: string = session.body.id;
  return {
    clock,
    nurse,
    clinician,
    sessionId,
    event: (cookie, body) => api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, cookie, body),
    view: async () => {
      const res = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, nurse);
      expect(res.status).toBe(200);
      return res.body as SessionDetail;
    },
    bp: async (systolic, diastolic) => {
      const res = await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined, heartRate: 80, spo2: 97 }));
      expect(res.status).toBe(201);
    },
  };
}

/**
 * Lets `minutes` pass with the nurse recording an eyes-on check every `every` minutes of them (due every 15 min from
 * the start of treatment), the last at the end unless `minutes` is not a multiple of `every`.
 */
async function watch(s: Setup, minutes: number, every: number): Promise<void> {
  for (let m = every; m <= minutes; m += every) {
    s.clock.advance(every);
    expect((await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
  }
  s.clock.advance(minutes % every);
}

const cadss = (...items: number[]) => ({ type: 'score-recorded', scale: 'cadss-6', items });
const moaa = (value: number) => ({ type: 'score-recorded', scale: 'moaa-s', value });

describe('an IV ketamine session documented beyond its vitals', () => {
  it('readiness holds the start until the hard stops are yes; every entry is stored with who, when and phase; the record is derived', async () => {
    const s = await checkIn('iv-ketamine');
    await s.bp(128, 82);
    s.clock.advance(6);
    await s.bp(130, 84);

    // Baseline complete, readiness not answered: the start names the hard stops.
    const held = await s.event(s.nurse, { type: 'treatment-started' });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toBe('Start waits for: yes to Weight measured today, Consent on file');
    expect(held.body.error.details.failingItems.map((i: { id: string }) => i.id)).toEqual(['readiness']);
    expect((await s.event(s.nurse, { type: 'readiness-answered', answers: { 'weight-today': true, 'consent-on-file': false, fasting: true } })).status).toBe(201);
    const stillHeld = await s.event(s.nurse, { type: 'treatment-started' });
    expect(stillHeld.body.error.message).toBe('Start waits for: yes to Consent on file (answered no)');
    // A nurse cannot override it; a clinician can, with a reason (not needed here: the consent is found).
    expect((await s.event(s.nurse, { type: 'treatment-started', override: { reason: 'consent signed on paper' } })).status).toBe(403);
    const unknownItem = await s.event(s.nurse, { type: 'readiness-answered', answers: { 'shoe-size': true } });
    expect(unknownItem.status).toBe(400);
    expect(unknownItem.body.error.details[0].path).toEqual(['answers', 'shoe-size']);
    expect((await s.event(s.nurse, { type: 'readiness-answered', answers: { 'consent-on-file': true } })).status).toBe(201);

    // Infusion set-up: bad input names the field, nothing is stored.
    const setUp = { type: 'infusion-set', drug: 'ketamine', weightKg: 70, doseMgPerKg: 0.5, concentrationMgPerMl: 10, rateMlPerH: 5.25 };
    for (const [change, field] of [
      [{ weightKg: 25 }, 'weightKg'],
      [{ doseMgPerKg: 1.5 }, 'doseMgPerKg'],
      [{ rateMlPerH: 12 }, 'rateMlPerH'],
    ] as const) {
      const bad = await s.event(s.nurse, { ...setUp, ...change });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].path).toEqual([field]);
    }
    const eventsBefore = (await s.view()).events.length;
    expect((await s.event(s.nurse, setUp)).status).toBe(201);
    expect((await s.view()).events.length).toBe(eventsBefore + 1);

    const started = await s.event(s.nurse, { type: 'treatment-started' });
    expect(started.status).toBe(201);
    expect((started.body as SessionSummary).record?.infusion).toMatchObject({ totalMg: 35, plannedMin: 40 });

    s.clock.advance(10);
    expect((await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
    expect((await s.event(s.nurse, { type: 'infusion-rate-changed', rateMlPerH: 2.625, reason: 'BP rising' })).status).toBe(201);
    expect((await s.event(s.nurse, { type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false })).status).toBe(201);
    const prn = await s.event(s.nurse, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea' });
    expect(prn.status).toBe(201);
    const prnSeq = (await s.view()).events.at(-1)?.seq as number;
    expect(prn.body.record.due).toContainEqual(expect.objectContaining({ kind: 'reassessment', id: `reassessment:${prnSeq}` }));

    // A reassessment of no PRN, a correction of no entry: 409 naming the field.
    const noPrn = await s.event(s.nurse, { type: 'prn-reassessed', prnSeq: prnSeq + 100, response: 'better' });
    expect(noPrn.status).toBe(409);
    expect(noPrn.body.error.details).toEqual({ field: 'prnSeq' });
    const noEntry = await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable', corrects: 99_999 });
    expect(noEntry.status).toBe(409);
    expect(noEntry.body.error.details).toEqual({ field: 'corrects' });

    s.clock.advance(5);
    expect((await s.event(s.nurse, { type: 'prn-reassessed', prnSeq, response: 'nausea settled' })).status).toBe(201);
    expect((await s.event(s.nurse, moaa(4))).status).toBe(201);
    const badCadss = await s.event(s.nurse, cadss(0, 1, 5, 0, 0, 0));
    expect(badCadss.status).toBe(400);
    expect(badCadss.body.error.details[0].path).toEqual(['items', 2]);
    expect((await s.event(s.nurse, cadss(1, 1, 0, 0, 0, 0))).status).toBe(201);
    // A score written down later, with the moment it was taken; then corrected (the original stays in the log).
    expect((await s.event(s.nurse, { ...moaa(3), at: s.clock.iso(-1) })).status).toBe(201);
    const wrongSeq = (await s.view()).events.at(-1)?.seq as number;
    expect((await s.event(s.clinician, { ...moaa(4), corrects: wrongSeq })).status).toBe(201);
    const future = await s.event(s.nurse, { ...moaa(5), at: s.clock.iso(6) });
    expect(future.status).toBe(400);
    expect(future.body.error.details[0].path).toEqual(['at']);

    const detail = await s.view();
    const { record } = detail;
    expect(record?.infusion).toMatchObject({ totalMg: 35, plannedMin: 40, rateChanges: [{ rateMlPerH: 2.625, reason: 'BP rising' }] });
    expect(record?.prns).toMatchObject([{ drug: 'ondansetron', reassessment: { response: 'nausea settled' } }]);
    expect(record?.scores.map((x) => [x.scale, x.value])).toEqual([
      ['moaa-s', 4],
      ['moaa-s', 4],
      ['cadss-6', 2],
    ]);
    expect(record?.adverseEvents).toMatchObject([{ kind: 'nausea', severity: 'mild', serious: false }]);
    expect(record?.readiness.unmetHardStops).toEqual([]);
    // Rounding: 15 min after the check at 10 min; no reassessment left open.
    expect(record?.due.find((d) => d.kind === 'rounding')?.dueAtMs).toBe(start + (6 + 10 + 15) * 60_000);
    expect(record?.due.some((d) => d.kind === 'reassessment')).toBe(false);
    // Every entry is in the log with who, when and the phase; the corrected score stays there.
    const entries = detail.events.filter((e) => e.type !== 'checked-in' && !e.type.startsWith('treatment'));
    expect(entries.map((e) => [e.type, e.username, e.fromPhase])).toEqual([
      ['readiness-answered', 'nurse', 'baseline'],
      ['readiness-answered', 'nurse', 'baseline'],
      ['infusion-set', 'nurse', 'baseline'],
      ['rounding-check', 'nurse', 'treatment'],
      ['infusion-rate-changed', 'nurse', 'treatment'],
      ['adverse-event', 'nurse', 'treatment'],
      ['prn-given', 'nurse', 'treatment'],
      ['prn-reassessed', 'nurse', 'treatment'],
      ['score-recorded', 'nurse', 'treatment'],
      ['score-recorded', 'nurse', 'treatment'],
      ['score-recorded', 'nurse', 'treatment'],
      ['score-recorded', 'clinician', 'treatment'],
    ]);
    expect(entries.at(-2)?.payload).toMatchObject({ value: 3, occurredAtMs: start + 20 * 60_000 });
    expect(entries.at(-1)?.payload).toMatchObject({ value: 4, corrects: wrongSeq });

    // The tile's summary carries the record too.
    const chairs = await api(server.url, 'GET', '/api/v1/chairs', s.nurse);
    expect(chairs.body.find((c: { id: string }) => c.id === 'chair-1').session.record.infusion.totalMg).toBe(35);
  });

  it('the discharge gate waits for an escort recorded with name and phone; the hand-off is taken at discharge', async () => {
    const s = await checkIn('iv-ketamine');
    expect((await api(server.url, 'GET', `/api/v1/sessions/${s.sessionId}/rems-form`, s.nurse)).status).toBe(409);
    await s.bp(128, 82);
    s.clock.advance(6);
    await s.bp(130, 84);
    expect((await s.event(s.nurse, { type: 'readiness-answered', answers: { 'weight-today': true, 'consent-on-file': true } })).status).toBe(201);
    expect((await s.event(s.nurse, { type: 'treatment-started' })).status).toBe(201);
    expect((await s.event(s.nurse, { type: 'escort-handoff', collectedBy: 'Sam' })).status).toBe(409);
    await watch(s, 40, 10);
    expect((await s.event(s.nurse, { type: 'treatment-ended' })).status).toBe(201);
    await watch(s, 61, 15);
    await s.bp(130, 82);
    expect((await s.event(s.nurse, { type: 'checklist-updated', items: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } })).status).toBe(201);
    const refused = await s.event(s.nurse, { type: 'discharged' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.failingItems).toEqual([expect.objectContaining({ id: 'escort', detail: 'no escort recorded (name and phone)' })]);
    const badPhone = await s.event(s.nurse, { type: 'escort-recorded', name: 'Sam Lee', phone: 'call me' });
    expect(badPhone.status).toBe(400);
    expect((await s.event(s.nurse, { type: 'escort-recorded', name: 'Sam Lee', phone: '+1 555 0100' })).status).toBe(201);
    expect((await s.event(s.nurse, { type: 'escort-handoff', collectedBy: 'Sam Lee' })).status).toBe(201);
    expect((await s.event(s.nurse, { type: 'discharged' })).status).toBe(201);
    // After discharge, an entry needs the moment it happened before the discharge.
    s.clock.advance(1);
    const late = await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable' });
    expect(late.status).toBe(409);
    expect((await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable', at: s.clock.iso(-30) })).status).toBe(201);
    expect((await s.view()).record?.handoff).toMatchObject({ collectedBy: 'Sam Lee' });
  });
});

describe('an esketamine session: devices 5 min apart, resolution in the discharge gate', () => {
  it('refuses a device 4 min 59 s after the previous one unless a clinician overrides; counts "40 min" from the first device', async () => {
    const s = await checkIn('esketamine');
    await s.bp(128, 82);
    expect((await s.event(s.nurse, { type: 'escort-recorded', name: 'Sam Lee', phone: '555 0100' })).status).toBe(201);
    expect((await s.event(s.nurse, moaa(5))).status).toBe(201);
    expect((await s.event(s.nurse, cadss(1, 0, 0, 0, 0, 0))).status).toBe(201);
    const held = await s.event(s.nurse, { type: 'treatment-started' });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toMatch(/^Start waits for: yes to Patient enrolled in the REMS .*, Transport home arranged/);
    // A device before the start is refused.
    const device = (n: number, extra: object = {}) => ({ type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'LOT-7', device: n, ...extra });
    expect((await s.event(s.nurse, device(1))).status).toBe(409);
    // A clinician may start without the answers, with a reason.
    const overridden = await s.event(s.clinician, { type: 'treatment-started', override: { reason: 'REMS enrolment confirmed by phone' } });
    expect(overridden.status).toBe(201);
    expect(overridden.body.state.startOverride).toEqual({ reason: 'REMS enrolment confirmed by phone', failingItems: ['readiness'] });

    s.clock.advance(1);
    const first = await s.event(s.nurse, device(1));
    expect(first.status).toBe(201);
    const firstAt = s.clock.now();
    s.clock.advance(4 + 59 / 60);
    const tooSoon = await s.event(s.nurse, device(2));
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.message).toBe('Device 2 comes 4 min 59 s after device 1: rest 5 min, or a clinician overrides.');
    expect((await s.event(s.nurse, device(2, { override: { reason: 'x' } }))).status).toBe(403);
    s.clock.advance(1 / 60);
    const second = await s.event(s.nurse, device(2));
    expect(second.status).toBe(201);
    s.clock.advance(2);
    expect((await s.event(s.nurse, device(2))).status).toBe(409);
    expect((await s.event(s.clinician, device(3, { override: { reason: 'patient asked to finish early' } }))).status).toBe(201);
    expect((await s.event(s.nurse, device(4))).status).toBe(400);

    const record = (await s.view()).record;
    expect(record?.firstDeviceAtMs).toBe(firstAt);
    expect(record?.totalDoseMg).toBe(84);
    expect(record?.doses.map((d) => [d.device, d.lot, d.overrideReason])).toEqual([
      [1, 'LOT-7', null],
      [2, 'LOT-7', null],
      [3, 'LOT-7', 'patient asked to finish early'],
    ]);
    expect(record?.due.find((d) => d.kind === 'score')).toMatchObject({ id: 'score:20-min', dueAtMs: firstAt + 20 * 60_000 });

    // Observation: sedated at 30 min; the gate holds for it until the scores are back.
    expect((await s.event(s.nurse, { type: 'treatment-ended' })).status).toBe(201);
    await watch(s, 25, 5);
    expect((await s.event(s.nurse, moaa(3))).status).toBe(201);
    expect((await s.event(s.nurse, cadss(2, 2, 1, 0, 0, 0))).status).toBe(201);
    s.clock.advance(7);
    await s.bp(134, 84); // the BP at ~40 min
    await watch(s, 93, 15);
    await s.bp(130, 80);
    expect(
      (await s.event(s.nurse, { type: 'checklist-updated', items: { 'sedation-resolved': true, 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } })).status,
    ).toBe(201);
    const notResolved = await s.event(s.nurse, { type: 'discharged' });
    expect(notResolved.status).toBe(409);
    expect(notResolved.body.error.details.failingItems).toEqual([
      expect.objectContaining({ id: 'sedation-resolved', detail: 'not resolved: MOAA/S 3, CADSS-6 5 (pre-dose 1)' }),
    ]);
    expect((await s.event(s.nurse, moaa(5))).status).toBe(201);
    expect((await s.event(s.nurse, cadss(1, 0, 0, 0, 0, 0))).status).toBe(201);
    expect((await s.view()).record?.sedation).toMatchObject({ resolved: true, resolvedAtMs: s.clock.now(), sedationSeen: true, dissociationSeen: true });
    expect((await s.event(s.nurse, { type: 'discharged' })).status).toBe(201);

    // The REMS form draft: every derivable field from the record, the rest listed as missing.
    const form = await api(server.url, 'GET', `/api/v1/sessions/${s.sessionId}/rems-form`, s.clinician);
    expect(form.status).toBe(200);
    expect(form.body.missing).toEqual(['prescriber', 'setting', 'concomitantMedications']);
    expect(form.body.fields.dose.value).toEqual({ totalMg: 84, devices: 3 });
    expect(form.body.fields.lots.value).toEqual(['LOT-7']);
    expect(form.body.fields.bpAt40Min.value).toMatchObject({ systolic: 134, diastolic: 84 });
    expect(form.body.fields.sedation).toEqual({ value: true, source: 'MOAA/S since dosing (below 5)' });
    expect(form.body.fields.readyToLeaveMinutes.value).toBe(Math.floor((s.clock.now() - firstAt) / 60_000));
    expect(form.body.fields.vitalsAcceptableBeforeDosing.value).toBe(true);
    expect(form.body).toMatchObject({ status: 'draft', signed: null, submitted: null, dueByMs: s.clock.now() + 7 * 86_400_000 });

    // The queue lists it as a draft with 7 days left; submission waits for the signature.
    const drafts = await api(server.url, 'GET', '/api/v1/rems-forms?status=draft', s.nurse);
    expect(drafts.body).toMatchObject([{ sessionId: s.sessionId, status: 'draft', daysLeft: 7, missing: ['prescriber', 'setting', 'concomitantMedications'] }]);
    const formPath = `/api/v1/sessions/${s.sessionId}/rems-form`;
    expect((await api(server.url, 'POST', `${formPath}/submitted`, s.nurse, { via: 'REMS portal', at: s.clock.iso() })).status).toBe(409);
    // Only a clinician signs, attesting, with every field filled.
    expect((await api(server.url, 'POST', formPath, s.nurse, { attest: true })).status).toBe(403);
    expect((await api(server.url, 'POST', formPath, s.clinician, { fields: {} })).status).toBe(400);
    const incomplete = await api(server.url, 'POST', formPath, s.clinician, { fields: { prescriber: 'Dr A. Smith' }, attest: true });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.details.map((d: { path: unknown[] }) => d.path)).toEqual([
      ['fields', 'setting'],
      ['fields', 'concomitantMedications'],
    ]);
    const completion = {
      prescriber: 'Dr A. Smith',
      setting: 'Outpatient clinic, certified',
      concomitantMedications: { benzodiazepines: false, 'sedative-hypnotics': false, psychostimulants: false, maois: false, opioids: false },
    };
    s.clock.advance(60 * 24);
    const signed = await api(server.url, 'POST', formPath, s.clinician, { fields: completion, attest: true });
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ status: 'signed', signed: { by: 'clinician', fields: { prescriber: 'Dr A. Smith', dose: { totalMg: 84, devices: 3 } } } });
    expect((await api(server.url, 'POST', formPath, s.clinician, { fields: completion, attest: true })).status).toBe(409);
    const submitted = await api(server.url, 'POST', `${formPath}/submitted`, s.nurse, { via: 'REMS portal', at: s.clock.iso() });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'submitted', submitted: { by: 'nurse', via: 'REMS portal', atMs: s.clock.now() } });
    expect((await api(server.url, 'POST', `${formPath}/submitted`, s.nurse, { via: 'fax', at: s.clock.iso() })).status).toBe(409);
    expect((await api(server.url, 'GET', '/api/v1/rems-forms?status=draft', s.nurse)).body).toEqual([]);
    expect((await api(server.url, 'GET', '/api/v1/rems-forms?status=submitted', s.nurse)).body).toMatchObject([{ sessionId: s.sessionId, daysLeft: 6 }]);
    expect((await api(server.url, 'GET', '/api/v1/rems-forms?status=lost', s.nurse)).status).toBe(400);
  });

  it('answers the readiness list; an unknown type or a bad body is 400 and stores nothing', async () => {
    const s = await checkIn('esketamine');
    const unknown = await s.event(s.nurse, { type: 'dose-guessed' });
    expect(unknown.status).toBe(400);
    const noSeverity = await s.event(s.nurse, { type: 'adverse-event', kind: 'nausea', serious: false });
    expect(noSeverity.status).toBe(400);
    expect(noSeverity.body.error.details[0].path).toEqual(['severity']);
    const textForYesNo = await s.event(s.nurse, { type: 'readiness-answered', answers: { 'rems-enrolled': 'yes' } });
    expect(textForYesNo.status).toBe(400);
    expect((await s.view()).events.map((e) => e.type)).toEqual(['checked-in']);
    const answered = await s.event(s.nurse, {
      type: 'readiness-answered',
      answers: { 'rems-enrolled': true, 'transport-arranged': true, 'med-benzodiazepines': false, 'med-opioids': true },
    });
    expect(answered.status).toBe(201);
    const items = answered.body.record.readiness.items as { id: string; answer: unknown; answeredBy: string | null }[];
    expect(items.find((i) => i.id === 'med-opioids')).toMatchObject({ answer: true, answeredBy: 'nurse' });
    expect(answered.body.startGate.items.find((i: { id: string }) => i.id === 'readiness')).toMatchObject({ ok: true });
  });
});

describe('overdue eyes-on checks and reassessments raise alerts through the alert engine', () => {
  it('rounding overdue by 5 min is low, by 10 min medium, until a check is recorded; a PRN reassessment past due is low until done', async () => {
    const s = await checkIn('iv-ketamine');
    await s.bp(128, 82);
    s.clock.advance(6);
    await s.bp(130, 84);
    expect((await s.event(s.nurse, { type: 'readiness-answered', answers: { 'weight-today': true, 'consent-on-file': true } })).status).toBe(201);
    expect((await s.event(s.nurse, { type: 'treatment-started' })).status).toBe(201);
    // The watch starts with the first eyes-on check: the next is due 15 min later.
    expect((await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable' })).status).toBe(201);
    const prn = await s.event(s.nurse, { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea', reassessInMin: 10 });
    const prnSeq = (prn.body as SessionSummary).record?.prns[0]?.seq;
    const openOf = async (ruleId: string) => {
      await server.chairside.alerts.tick();
      await server.chairside.alerts.idle();
      const res = await api(server.url, 'GET', '/api/v1/alerts', s.nurse);
      return (res.body as { alert: { ruleId: string; priority: string; message: string } }[]).map((i) => i.alert).filter((a) => a.ruleId === ruleId);
    };

    s.clock.advance(10);
    expect(await openOf('reassessment-overdue')).toEqual([]);
    s.clock.advance(1);
    expect(await openOf('reassessment-overdue')).toMatchObject([{ priority: 'low', message: 'Reassess after ondansetron (nausea): 1 min overdue' }]);
    expect((await s.event(s.nurse, { type: 'prn-reassessed', prnSeq, response: 'settled' })).status).toBe(201);

    s.clock.advance(9 - 1 / 60); // 19:59 after the check: 4:59 overdue
    expect(await openOf('rounding-overdue')).toEqual([]);
    s.clock.advance(1 / 60);
    expect(await openOf('rounding-overdue')).toMatchObject([{ priority: 'low', message: 'No eyes-on check recorded: 5 min overdue' }]);
    s.clock.advance(5);
    expect(await openOf('rounding-overdue')).toMatchObject([{ priority: 'medium', message: 'No eyes-on check recorded: 10 min overdue' }]);
    expect((await s.event(s.nurse, { type: 'rounding-check', status: 'asleep-rousable' })).status).toBe(201);
    s.clock.advance(0.1); // past the 5 s every alarm stays on screen
    expect(await openOf('rounding-overdue')).toEqual([]);
    expect(await openOf('reassessment-overdue')).toEqual([]);
  });
});
