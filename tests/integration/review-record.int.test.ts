import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail } from '@chairside/shared';
import { createR4Validator, type R4Validator } from '@chairside/server/testing/fhir-validator';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

/*
 * The session record beyond vitals in the review and its exports, over HTTP on the real store (SQLite, and PostgreSQL
 * under the integration-pg project): an IV session and an esketamine session documented through the events endpoint,
 * then the CSV, the FHIR bundle (validated against R4), the PDF and the report; a record entry written after a report
 * was viewed shows in the next view and export (docs/architecture.md "The session record").
 */

let server: TestServer;
let validator: R4Validator;
beforeAll(() => {
  validator = createR4Validator(); // seconds: it compiles the R4 schema and definitions once for the file
}, 180_000);
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

async function pdfText(bytes: ArrayBuffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    text += content.items.map((i) => ('str' in i ? `${i.str} ` : '')).join('');
  }
  await doc.destroy();
  return text.replace(/\s+/g, ' ');
}

/** Minimal RFC 4180 rows (the export quotes fields with commas). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c ?? '';
  }
  return rows;
}

interface Session {
  id: string;
  nurse: string;
  clinician: string;
  clock: ManualClock;
  event: (cookie: string, body: unknown) => ReturnType<typeof api>;
  lastSeq: () => Promise<number>;
  bp: (systolic: number, diastolic: number) => Promise<void>;
}

async function checkIn(protocolId: 'iv-ketamine' | 'esketamine', displayName: string): Promise<Session> {
  const clock = new ManualClock(start);
  server = await startTestServer({ clock });
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName });
  const created = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  const event = async (cookie: string, body: unknown) => {
    const res = await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, cookie, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res;
  };
  return {
    id,
    nurse,
    clinician,
    clock,
    event,
    lastSeq: async () => ((await api(server.url, 'GET', `/api/v1/sessions/${id}`, nurse)).body as SessionDetail).events.at(-1)?.seq as number,
    bp: async (systolic, diastolic) => {
      const atMs = clock.now();
      expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic, diastolic, mean: undefined, heartRate: 80, spo2: 97 }))).status).toBe(201);
      await expect.poll(() => server.chairside.sessions.activeSummary('chair-1')?.bpTimesMs.includes(atMs) ?? true).toBe(true);
      await server.chairside.alerts.idle();
    },
  };
}

const exportOf = async (s: Session, format: 'csv' | 'fhir' | 'pdf'): Promise<Response> => {
  const res = await fetch(`${server.url}/api/v1/sessions/${s.id}/export?format=${format}`, { headers: { cookie: s.clinician } });
  expect(res.status).toBe(200);
  return res;
};

type Resource = { resourceType: string; [key: string]: unknown };

// A session documented entry by entry and exported three ways: well over a minute on a busy 2-core machine.
describe('the session record in the review and its exports', { timeout: 240_000 }, () => {
  it('exports an IV session documented beyond its vitals as CSV, valid FHIR R4 and PDF', async () => {
    const s = await checkIn('iv-ketamine', 'Record Patient');
    await s.bp(128, 80);
    s.clock.advance(6);
    await s.bp(130, 82);
    await s.event(s.nurse, { type: 'readiness-answered', answers: { 'weight-today': true, 'consent-on-file': true, 'iv-site-checked': true, fasting: true, 'transport-arranged': true } });
    await s.event(s.nurse, { type: 'escort-recorded', name: 'Sam Lee', phone: '555 0100' });
    await s.event(s.nurse, { type: 'infusion-set', drug: 'Ketamine', weightKg: 70, doseMgPerKg: 0.5, concentrationMgPerMl: 1, rateMlPerH: 52.5 });
    await s.event(s.nurse, { type: 'score-recorded', scale: 'moaa-s', value: 5 });
    await s.event(s.nurse, { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] });
    s.clock.advance(1);
    await s.event(s.nurse, { type: 'treatment-started' }); // 09:07
    s.clock.advance(15);
    await s.bp(150, 92);
    await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable' }); // 09:22
    await s.event(s.clinician, { type: 'infusion-rate-changed', rateMlPerH: 40, reason: 'BP 150/92' });
    await s.event(s.nurse, { type: 'score-recorded', scale: 'moaa-s', value: 4 });
    const wrongSeq = await s.lastSeq();
    await s.event(s.nurse, { type: 'score-recorded', scale: 'moaa-s', value: 3, corrects: wrongSeq, note: 'misread' });
    await s.event(s.nurse, { type: 'score-recorded', scale: 'cadss-6', items: [1, 2, 1, 0, 1, 0] });
    s.clock.advance(3);
    await s.event(s.nurse, { type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false }); // 09:25
    await s.event(s.nurse, { type: 'prn-given', drug: 'Ondansetron', doseMg: 4, route: 'iv', indication: 'nausea' });
    const prnSeq = await s.lastSeq();
    s.clock.advance(12);
    await s.event(s.nurse, { type: 'prn-reassessed', prnSeq, response: 'Nausea settled' }); // 09:37
    await s.event(s.nurse, { type: 'rounding-check', status: 'asleep-rousable' });
    await s.bp(138, 86);
    s.clock.advance(13);
    await s.event(s.nurse, { type: 'treatment-ended' }); // 09:50
    await s.event(s.nurse, { type: 'score-recorded', scale: 'moaa-s', value: 5 });
    await s.event(s.nurse, { type: 'score-recorded', scale: 'cadss-6', items: [0, 0, 0, 0, 0, 0] });
    await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable' });
    s.clock.advance(60);
    await s.bp(130, 82);
    await s.event(s.nurse, { type: 'rounding-check', status: 'comfortable' });
    await s.event(s.nurse, { type: 'checklist-updated', items: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } });
    await s.event(s.nurse, { type: 'escort-handoff', collectedBy: 'Sam Lee' });
    await s.event(s.nurse, { type: 'discharged' }); // 10:50

    // CSV: the record entries among the readings, their columns after the readings'.
    const [header = [], ...rows] = csvRows(await (await exportOf(s, 'csv')).text());
    const col = (name: string): number => header.indexOf(name);
    expect(header.slice(-6)).toEqual(['record_type', 'record_seq', 'record_entry', 'record_details', 'corrects_seq', 'corrected_by_seq']);
    const records = rows.filter((r) => r[col('record_type')] !== '');
    expect(new Set(records.map((r) => r[col('record_type')]))).toEqual(
      new Set(['readiness-answered', 'escort-recorded', 'infusion-set', 'score-recorded', 'rounding-check', 'infusion-rate-changed', 'adverse-event', 'prn-given', 'prn-reassessed', 'escort-handoff']),
    );
    const rate = records.find((r) => r[col('record_type')] === 'infusion-rate-changed') ?? [];
    expect(rate[col('entered_by')]).toBe('clinician');
    expect(rate[col('record_details')]).toBe('rate_ml_per_h=40; reason=BP 150/92');
    expect(rate[col('measured_at')]).toMatch(/^2026-11-20T09:22:00/);
    const correction = records.find((r) => r[col('corrects_seq')] === String(wrongSeq)) ?? [];
    expect(correction[col('record_details')]).toBe('scale=MOAA/S; value=3; note=misread');
    expect(records.find((r) => r[col('record_seq')] === String(wrongSeq))?.[col('corrected_by_seq')]).toBe(correction[col('record_seq')]);

    // FHIR: valid R4, the infusion with RxNorm and its rate, the PRN, the scores, the adverse event, readiness, escort.
    const bundle = (await (await exportOf(s, 'fhir')).json()) as { entry: { resource: Resource }[] };
    expect(validator.validate(bundle)).toEqual([]);
    const ofType = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
    const given = ofType('MedicationAdministration');
    expect(given[0]).toMatchObject({
      status: 'completed',
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '6130' }] },
      dosage: { rateQuantity: { value: 52.5, code: 'mL/h' }, route: { coding: [{ code: '47625008' }] } },
    });
    expect(given.find((m) => (m['medicationCodeableConcept'] as { text?: string })?.text === 'Ondansetron')).toMatchObject({ reasonCode: [{ text: 'nausea' }] });
    expect(ofType('AdverseEvent')).toMatchObject([{ actuality: 'actual', severity: { coding: [{ code: 'mild' }] } }]);
    expect(ofType('QuestionnaireResponse')).toMatchObject([{ status: 'completed' }]);
    expect(ofType('RelatedPerson')).toMatchObject([{ name: [{ text: 'Sam Lee' }] }]);
    const moaa = ofType('Observation').filter((o) => (o['code'] as { coding?: { code?: string }[] }).coding?.[0]?.code === 'moaa-s');
    expect(moaa.map((o) => [o['valueInteger'], o['status']])).toEqual([
      [5, 'final'],
      [3, 'corrected'],
      [5, 'final'],
    ]);

    // PDF: the administration table with the cumulative mg, the scores, the PRN, the eyes-on summary, the hand-off.
    const text = await pdfText(await (await exportOf(s, 'pdf')).arrayBuffer());
    expect(text).toContain('Administration');
    expect(text).toContain('Rate changed Ketamine IV clinician');
    expect(text).toContain('Ondansetron 4 mg IV nausea nurse');
    expect(text).toContain('Nausea settled');
    expect(text).toContain('Eyes-on checks Checks 4');
    expect(text).toContain('collected by Sam Lee');
  });

  it('exports esketamine devices with their lots, and shows an entry written after a report was viewed', async () => {
    const s = await checkIn('esketamine', 'Spray Patient');
    await s.bp(126, 80);
    s.clock.advance(6);
    await s.bp(128, 82);
    await s.event(s.nurse, { type: 'readiness-answered', answers: { 'rems-enrolled': true, 'transport-arranged': true } });
    await s.event(s.nurse, { type: 'escort-recorded', name: 'Alex Kim', phone: '555 0101' });
    s.clock.advance(1);
    await s.event(s.nurse, { type: 'treatment-started' });
    for (const device of [1, 2, 3]) {
      await s.event(s.nurse, { type: 'dose-given', drug: 'Esketamine', doseMg: 28, route: 'intranasal', device, lot: device < 3 ? 'LOT-A1' : 'LOT-B2' });
      s.clock.advance(5);
    }
    await s.event(s.nurse, { type: 'treatment-ended' });
    s.clock.advance(1);
    await s.event(s.clinician, { type: 'discharged', override: { reason: 'left early with escort against advice' } });

    const bundle = (await (await exportOf(s, 'fhir')).json()) as { entry: { resource: Resource }[] };
    expect(validator.validate(bundle)).toEqual([]);
    const devices = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'MedicationAdministration');
    expect(devices.map((d) => (d['contained'] as { batch: { lotNumber: string } }[])[0]?.batch.lotNumber)).toEqual(['LOT-A1', 'LOT-A1', 'LOT-B2']);
    expect(devices[0]).toMatchObject({ contained: [{ code: { coding: [{ code: '2201623' }] } }], dosage: { dose: { value: 28, code: 'mg' }, route: { coding: [{ code: '46713006' }] } } });

    // The report of the finished session is kept between views; an entry written since shows in the next one.
    const view = async () => (await api(server.url, 'GET', `/api/v1/sessions/${s.id}/report`, s.clinician)).body as { input: { session: SessionDetail } };
    expect((await view()).input.session.events.some((e) => e.type === 'escort-handoff')).toBe(false);
    expect((await view()).input.session.events.some((e) => e.type === 'escort-handoff')).toBe(false);
    await s.event(s.nurse, { type: 'escort-handoff', collectedBy: 'Alex Kim' });
    expect((await view()).input.session.events.filter((e) => e.type === 'escort-handoff')).toHaveLength(1);
    const text = await pdfText(await (await exportOf(s, 'pdf')).arrayBuffer());
    expect(text).toContain('Total given: 84 mg, 3 devices');
    expect(text).toContain('Device 3 · lot LOT-B2');
    expect(text).toContain('collected by Alex Kim');
  });
});
