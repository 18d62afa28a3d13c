/**
 * Fuzzing the writes that matter most (issue 7): reading ingest and session events.
 *
 * - A batch of readings mixing valid and malformed items is stored whole (2xx) or not at all.
 * - A reading valid by construction, with values in and out of the plausible ranges and monitors'
 *   "no reading" markers, is stored with every value either a plausible vital or listed in
 *   `rejected` with its reason; never an implausible value as a vital.
 * - A refused session event leaves the session exactly as it was.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlausibility, type Reading, type ReadingInput, vitalFields } from '@chairside/shared';
import { api, deviceToken, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';
import { anyValue, expectCleanAnswer, fieldMix, fuzz, fuzzDataDir, jsonText, mutationsOf, nastyString } from '../helpers/fuzz';

let server: TestServer;
let nurse = '';
let clinician = '';
let stored: Reading;
const counts = { batches: 0, batchesStored: 0, readings: 0, rejectedValues: 0, events: 0, eventsRefused: 0, exports: 0 };

beforeAll(async () => {
  server = await startTestServer({ dataDir: fuzzDataDir() });
  nurse = await server.login('nurse');
  clinician = await server.login('clinician');
  const first = await postReadings(server.url, reading());
  expect(first.status).toBe(201);
  stored = first.body as Reading;
});

afterAll(async () => {
  console.info(
    `fuzz-ingest: ${counts.batches} batches (${counts.batchesStored} stored whole, the rest refused whole), ` +
      `${counts.readings} valid-by-construction readings with ${counts.rejectedValues} rejected values, ` +
      `${counts.events} session events (${counts.eventsRefused} refused), ${counts.exports} exports of sessions with arbitrary text`,
  );
  await server.close();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
});

/** Every reading the server has, by id (the store and chair-1's timeline over all time must agree). */
async function everyReading(): Promise<Map<string, Reading>> {
  const all = await server.store.readings.readingsAfter(0, 1_000_000);
  const timeline = await api(server.url, 'GET', '/api/v1/chairs/chair-1/readings?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z&limit=100000', nurse);
  expect(timeline.status).toBe(200);
  const chair1 = all.filter((r) => r.chairId === 'chair-1');
  expect((timeline.body as Reading[]).map((r) => r.id).sort()).toEqual(chair1.map((r) => r.id).sort());
  return new Map(all.map((r) => [r.id, r]));
}

async function postRaw(body: string, auth: { token?: string; cookie?: string }): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const res = await fetch(`${server.url}/api/v1/readings`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

describe('POST /api/v1/readings under fuzz', () => {
  it('stores a batch mixing valid and malformed readings whole or not at all', async () => {
    const item = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('chair-1', 'chair-2').map((chairId) => jsonText(reading({ chairId, source: 'device' }))) },
      { weight: 3, arbitrary: fc.constant(null).chain(() => mutationsOf(reading())) },
      { weight: 1, arbitrary: fieldMix() },
      { weight: 1, arbitrary: anyValue.map(jsonText) },
      // The id of a stored reading with other values: a conflict.
      { weight: 1, arbitrary: fc.integer({ min: 40, max: 250 }).map((systolic) => jsonText({ ...reading(), id: stored.id, systolic })) },
    );
    const valid = fc.constantFrom('chair-1', 'chair-2').map((chairId) => jsonText(reading({ chairId })));
    const items = fc.oneof({ weight: 2, arbitrary: fc.array(item, { minLength: 1, maxLength: 12 }) }, { weight: 1, arbitrary: fc.array(valid, { minLength: 1, maxLength: 12 }) });
    const arb = fc.tuple(items, fc.constantFrom<'device' | 'nurse'>('device', 'nurse'), fc.boolean());
    await fuzz('readings batch', arb, 120, async ([items, who, duplicate]) => {
      const list = duplicate && items.length > 0 ? [...items, items[0] ?? ''] : items;
      // A nurse enters manual readings; a device sends device readings (the other way round is a 400).
      const body = `[${list.join(',')}]`.replaceAll('"source":"device"', who === 'nurse' ? '"source":"manual"' : '"source":"device"');
      const before = await everyReading();
      const res = await postRaw(body, who === 'device' ? { token: deviceToken } : { cookie: nurse });
      counts.batches += 1;
      expectCleanAnswer(res.status, res.text, `batch of ${list.length}`);
      const after = await everyReading();
      if (res.status < 300) {
        counts.batchesStored += 1;
        const answered = JSON.parse(res.text) as Reading[];
        expect(answered).toHaveLength(list.length);
        for (const r of answered) expect(after.get(r.id), `answered reading ${r.id} is stored`).toEqual(r);
        const added = [...after.keys()].filter((id) => !before.has(id));
        expect(added.sort()).toEqual([...new Set(answered.map((r) => r.id).filter((id) => !before.has(id)))].sort());
      } else {
        expect([...after.keys()].sort(), `a refused batch (${res.status}) stored nothing`).toEqual([...before.keys()].sort());
        for (const [id, r] of before) expect(after.get(id)).toEqual(r);
      }
    });
  });

  it('keeps every implausible value or marker out of the vitals and lists it in `rejected` with its reason', async () => {
    const { ranges } = { ranges: { systolic: [40, 300], diastolic: [15, 200], mean: [25, 250], heartRate: [20, 300], spo2: [50, 100], respRate: [0, 70] } } as const;
    const markers = [-999, -99.9, -1, 8388607];
    const value = (min: number, max: number): fc.Arbitrary<number> =>
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min, max }) },
        { weight: 2, arbitrary: fc.double({ min, max, noNaN: true }) },
        { weight: 2, arbitrary: fc.constantFrom(min, max, min - 0.001, max + 0.001, min - 1, max + 1, 0, -0) },
        { weight: 2, arbitrary: fc.constantFrom(...markers) },
        { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -100_000, max: min - 1 }), fc.integer({ min: max + 1, max: 100_000 })) },
        { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
      );
    const offsetMinutes = fc.constantFrom(0, 60, -60, 330, 345, -210, 840, -720, 525, -570);
    const one = fc.record({
      chairId: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('chair-1', 'chair-2') }, { weight: 1, arbitrary: fc.constantFrom('chair-99', 'Chair-1', 'chair-1.') }),
      agoMs: fc.integer({ min: -4 * 60_000, max: 11 * 3_600_000 }),
      offset: offsetMinutes,
      systolic: fc.option(value(40, 300), { nil: undefined }),
      diastolic: fc.option(value(15, 200), { nil: undefined }),
      mean: fc.option(value(25, 250), { nil: undefined }),
      heartRate: fc.option(value(20, 300), { nil: undefined }),
      spo2: fc.option(value(50, 100), { nil: undefined }),
      respRate: fc.option(value(0, 70), { nil: undefined }),
    });
    const arb = fc.tuple(fc.array(one, { minLength: 1, maxLength: 8 }), fc.constantFrom<'device' | 'simulator' | 'manual'>('device', 'simulator', 'manual'), fc.boolean());
    await fuzz('plausibility', arb, 250, async ([specs, source, asArray]) => {
      const inputs: ReadingInput[] = specs.map((s) => {
        const input: ReadingInput = { id: randomUUID(), chairId: s.chairId, measuredAt: isoWithOffset(Date.now() - s.agoMs, s.offset), source };
        for (const f of vitalFields) if (s[f] !== undefined) input[f] = s[f];
        return input;
      });
      const body = asArray ? inputs : inputs[0];
      const sent = asArray ? inputs : inputs.slice(0, 1);
      const res = await postReadings(server.url, body, source === 'manual' ? { cookie: nurse } : { token: deviceToken });
      const where = `readings ${JSON.stringify(body)}`;
      const valid = sent.every((r) => (r.chairId === 'chair-1' || r.chairId === 'chair-2') && vitalFields.some((f) => r[f] !== undefined));
      if (!valid) {
        expect(res.status, where).toBe(400);
        return;
      }
      expect(res.status, `${where}: ${JSON.stringify(res.body)}`).toBe(201);
      const answered = (asArray ? res.body : [res.body]) as Reading[];
      for (const [i, input] of sent.entries()) {
        const out = answered[i];
        expect(out?.id, where).toBe(input.id);
        if (!out) continue;
        counts.readings += 1;
        counts.rejectedValues += out.rejected.length;
        // Against the shared rule: exactly its split of accepted and rejected values.
        // (As the server read it: JSON has no -0.)
        const expected = checkPlausibility(JSON.parse(JSON.stringify(Object.fromEntries(vitalFields.flatMap((f) => (input[f] === undefined ? [] : [[f, input[f]]]))))));
        for (const f of vitalFields) expect(out[f], `${where} ${f}`).toBe(expected.accepted[f] ?? null);
        expect(out.rejected.map((r) => [r.field, r.value, r.reason])).toEqual(expected.rejected.map((r) => [r.field, r.value, r.reason]));
        // And independently of it, the documented ranges: no implausible value is a vital.
        for (const f of vitalFields) {
          const v = out[f];
          const sentValue = input[f] === undefined ? undefined : (JSON.parse(JSON.stringify(input[f])) as number);
          if (v !== null) {
            expect(v, `${where} ${f}`).toBeGreaterThanOrEqual(ranges[f][0]);
            expect(v, `${where} ${f}`).toBeLessThanOrEqual(ranges[f][1]);
            expect(markers, `${where} ${f}`).not.toContain(v);
            expect(v).toBe(sentValue);
          } else if (sentValue !== undefined) {
            const rejection = out.rejected.find((r) => r.field === f);
            expect(rejection, `${where}: ${f} ${sentValue} is neither a vital nor rejected`).toBeDefined();
            expect(rejection?.value).toBe(sentValue);
            expect(rejection?.message.length).toBeGreaterThan(0);
          }
        }
        if (out.systolic !== null && out.diastolic !== null) expect(out.diastolic).toBeLessThan(out.systolic);
        if (out.mean !== null && out.systolic !== null) expect(out.mean).toBeLessThanOrEqual(out.systolic);
        if (out.mean !== null && out.diastolic !== null) expect(out.mean).toBeGreaterThanOrEqual(out.diastolic);
        expect(out.flags.includes('spo2-low-accuracy')).toBe(out.spo2 !== null && out.spo2 < 70);
      }
    });
  });
});

/** ISO 8601 with an explicit offset of `offsetMinutes` (e.g. +05:30). */
function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

describe('POST /api/v1/sessions/:id/events under fuzz', () => {
  it('leaves the session unchanged when it refuses an event', async () => {
    const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'E. Vent' });
    let sessionId = '';
    const checkIn = async (): Promise<void> => {
      const res = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-2', protocolId: 'iv-ketamine' });
      expect(res.status).toBe(201);
      sessionId = res.body.id;
    };
    await checkIn();
    const bases = [
      { type: 'note', text: 'fine' },
      { type: 'treatment-started' },
      { type: 'treatment-paused', reason: 'nausea' },
      { type: 'treatment-resumed' },
      { type: 'treatment-ended' },
      { type: 'limits-changed', limits: { 'bp-crisis': { systolicMmHg: 190 }, 'hr-low': { heartRatePerMin: 45 } }, reason: 'known hypertensive' },
      { type: 'checklist-updated', items: { 'no-nausea': true } },
      { type: 'discharged' },
      { type: 'discharged', override: { reason: 'escorted home' } },
      { type: 'cancelled', reason: 'declined' },
    ];
    const event = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...bases).chain((b) => mutationsOf(b)) },
      { weight: 1, arbitrary: fc.constantFrom(...bases).map(jsonText) },
      { weight: 2, arbitrary: fieldMix() },
      { weight: 1, arbitrary: anyValue.map(jsonText) },
    );
    await fuzz('session events', fc.tuple(event, fc.constantFrom('nurse', 'clinician')), 150, async ([body, role]) => {
      const cookie = role === 'nurse' ? nurse : clinician;
      const before = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, nurse);
      expect(before.status).toBe(200);
      const res = await fetch(`${server.url}/api/v1/sessions/${sessionId}/events`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
      const text = await res.text();
      counts.events += 1;
      expectCleanAnswer(res.status, text, `event ${body.slice(0, 300)} as ${role}`);
      const after = await api(server.url, 'GET', `/api/v1/sessions/${sessionId}`, nurse);
      if (res.status >= 400) {
        counts.eventsRefused += 1;
        expect(after.body, `a refused event (${res.status}: ${text.slice(0, 200)}) changed the session`).toEqual(before.body);
      } else {
        expect(after.body.events.length).toBe(before.body.events.length + 1);
      }
      if (['discharged', 'cancelled'].includes(after.body.state.phase)) await checkIn();
    });
  });
});

describe('session logs with arbitrary text', () => {
  it('exports (CSV, FHIR, PDF) and reports sessions whose names, notes and reasons hold any text', async () => {
    const text = (max: number): fc.Arbitrary<string> =>
      fc.oneof(
        nastyString,
        fc.string({ unit: 'binary', minLength: 1, maxLength: max }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }),
        fc.tuple(fc.constantFrom('👩‍⚕️', '\u202e', 'é\u0301', '\u0000', '\ud800', 'ﷺ', '𒐫', '\t\r\n', '"', ',', '=cmd|'), fc.integer({ min: 1, max: Math.floor(max / 4) })).map(([c, n]) => c.repeat(n).slice(0, max)),
      );
    const arb = fc.record({ name: text(40), mrn: fc.option(fc.stringMatching(/^[A-Za-z0-9._/-]{1,40}$/), { nil: undefined }), note: text(2000), reason: text(1000), paper: fc.constantFrom('a4', 'letter') });
    await fuzz('session text', arb, 12, async ({ name, mrn, note, reason, paper }) => {
      const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: name, ...(mrn === undefined ? {} : { mrn }) });
      expect(patient.status, JSON.stringify(patient.body)).toBeLessThan(500);
      if (patient.status !== 201) return;
      // Each case starts on a free chair (an earlier case's session may still hold it).
      const occupied = (await api(server.url, 'GET', '/api/v1/chairs', nurse)).body.find((c: { id: string }) => c.id === 'chair-1')?.session;
      if (occupied) {
        const freed = await api(server.url, 'POST', `/api/v1/sessions/${occupied.id}/events`, clinician, { type: 'cancelled', reason: 'fuzz: free the chair' });
        if (freed.status !== 201) await api(server.url, 'POST', `/api/v1/sessions/${occupied.id}/events`, clinician, { type: 'discharged', override: { reason: 'fuzz: free the chair' } });
      }
      const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'esketamine' });
      expect(session.status, JSON.stringify(session.body)).toBe(201);
      const id: string = session.body.id;
      const posted = [
        await postReadings(server.url, reading({ sessionId: id, chairId: undefined, systolic: 400, heartRate: -999 })),
        await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, nurse, { type: 'note', text: note }),
        await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, nurse, { type: 'cancelled', reason }),
      ];
      for (const p of posted) expect(p.status, JSON.stringify(p.body).slice(0, 300)).toBeLessThan(500);
      if (posted[2]?.status !== 201) await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, nurse, { type: 'cancelled', reason: 'fuzz' });
      const signed = await api(server.url, 'POST', `/api/v1/sessions/${id}/sign`, clinician, {});
      expect(signed.status).toBeLessThan(500);
      const addendum = await api(server.url, 'POST', `/api/v1/sessions/${id}/addenda`, clinician, { text: note });
      expect(addendum.status).toBeLessThan(500);
      for (const path of [`export?format=csv`, `export?format=fhir`, `export?format=pdf&paper=${paper}`, 'report']) {
        const res = await fetch(`${server.url}/api/v1/sessions/${id}/${path}`, { headers: { cookie: clinician } });
        const body = Buffer.from(await res.arrayBuffer());
        counts.exports += 1;
        expect(res.status, `${path}: ${body.toString('utf8').slice(0, 300)}`).toBe(200);
        if (path.includes('pdf')) expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        else JSON.parse(path.includes('csv') ? '{}' : body.toString('utf8'));
      }
    });
  });
});
