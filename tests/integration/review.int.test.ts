import { afterEach, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createR4Validator } from '@chairside/server/testing/fhir-validator';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const start = Date.parse('2026-11-20T09:00:00Z');

/** A finished IV session on chair-1 with a BP crisis acknowledged by the nurse. */
async function finishedSession(clock: ManualClock) {
  const nurse = await server.login('nurse');
  const clinician = await server.login('clinician');
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName: 'Review Patient', mrn: 'MRN-7' });
  const s = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId: 'chair-1', protocolId: 'iv-ketamine' });
  const id: string = s.body.id;
  const event = (cookie: string, body: unknown) => api(server.url, 'POST', `/api/v1/sessions/${id}/events`, cookie, body);
  const bp = async (sys: number, dia: number) =>
    expect((await postReadings(server.url, reading({ measuredAt: clock.iso(), systolic: sys, diastolic: dia, mean: undefined, heartRate: 80, spo2: 97 }))).status).toBe(201);
  await bp(128, 80);
  clock.advance(6);
  await bp(132, 84);
  clock.advance(1);
  await event(nurse, { type: 'treatment-started' });
  for (const [sys, dia] of [[140, 88], [150, 92], [205, 118], [176, 100], [160, 95], [150, 90], [140, 86], [136, 84]] as const) {
    clock.advance(5);
    await bp(sys, dia);
  }
  await expect.poll(async () => (await api(server.url, 'GET', '/api/v1/alerts', nurse)).body.length).toBeGreaterThan(0);
  const crisis = (await api(server.url, 'GET', '/api/v1/alerts', nurse)).body.find((a: { alert: { ruleId: string } }) => a.alert.ruleId === 'bp-crisis');
  clock.advance(1);
  expect((await api(server.url, 'POST', `/api/v1/alerts/${crisis.alert.id}/acknowledge`, nurse, { note: 'Called Dr. Lee' })).status).toBe(200);
  await event(nurse, { type: 'treatment-ended' });
  clock.advance(60);
  await bp(134, 84);
  await event(nurse, { type: 'checklist-updated', items: { 'alert-oriented': true, 'steady-walking': true, 'escort-present': true } });
  expect((await event(nurse, { type: 'discharged' })).status).toBe(201);
  return { id, nurse, clinician, patientId: patient.body.id as string };
}

async function pdfText(bytes: ArrayBuffer): Promise<{ text: string; pages: number }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    text += content.items.map((i) => ('str' in i ? `${i.str} ` : '')).join('');
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { text, pages };
}

describe('clinician review', () => {
  it('finds the session, reads its report, signs it, and refuses changes afterwards except addenda', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { id, nurse, clinician } = await finishedSession(clock);

    const list = await api(server.url, 'GET', '/api/v1/sessions?hadAlerts=true&fromDate=2026-11-20&toDate=2026-11-20', clinician);
    expect(list.body).toMatchObject({ total: 1, items: [{ id, patientName: 'Review Patient', alertCount: expect.any(Number), signedAt: null }] });
    expect((await api(server.url, 'GET', '/api/v1/sessions?overrideUsed=true', clinician)).body.total).toBe(0);
    expect((await api(server.url, 'GET', '/api/v1/sessions?fromDate=2026-11-21', clinician)).body.total).toBe(0);
    expect((await api(server.url, 'GET', '/api/v1/sessions?fromDate=20-11-2026', clinician)).status).toBe(400);

    const report = await api(server.url, 'GET', `/api/v1/sessions/${id}/report`, clinician);
    expect(report.status).toBe(200);
    expect(report.body.stats.peaks.systolic).toMatchObject({ value: 205, deltaFromBaseline: 75 });
    expect(report.body.input.alerts.find((a: { ruleId: string }) => a.ruleId === 'bp-crisis').acknowledgements[0].by.username).toBe('nurse');

    expect((await api(server.url, 'POST', `/api/v1/sessions/${id}/sign`, nurse, {})).status).toBe(403);
    const signed = await api(server.url, 'POST', `/api/v1/sessions/${id}/sign`, clinician, {});
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ sessionId: id, signedBy: 'clinician' });
    expect((await api(server.url, 'POST', `/api/v1/sessions/${id}/sign`, clinician, {})).status).toBe(409);

    const note = await api(server.url, 'POST', `/api/v1/sessions/${id}/events`, clinician, { type: 'note', text: 'late note' });
    expect(note.status).toBe(409);
    expect(note.body.error.message).toMatch(/signed and locked/);
    const addendum = await api(server.url, 'POST', `/api/v1/sessions/${id}/addenda`, clinician, { text: 'Peak BP reading was taken with a large cuff.' });
    expect(addendum.status).toBe(201);
    const after = await api(server.url, 'GET', `/api/v1/sessions/${id}/report`, clinician);
    expect(after.body.addenda).toEqual([expect.objectContaining({ text: 'Peak BP reading was taken with a large cuff.', username: 'clinician' })]);
    expect(after.body.signature).toMatchObject({ signedBy: 'clinician' });
  });

  it('exports CSV, FHIR and PDF that carry the same numbers, and records every export in the audit trail', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { id, clinician } = await finishedSession(clock);
    const detail = await api(server.url, 'GET', `/api/v1/sessions/${id}`, clinician);
    const readingCount: number = detail.body.readings.length;

    const csv = await fetch(`${server.url}/api/v1/sessions/${id}/export?format=csv`, { headers: { cookie: clinician } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="?chairside-session-2026-11-20-/);
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows).toHaveLength(readingCount + 1);
    expect(rows[0]).toMatch(/systolic_mmHg/);
    expect(rows.some((r) => r.includes(',205,118,'))).toBe(true);
    expect(rows[1]).toMatch(/2026-11-20T09:00:00(\+00:00|Z)/);

    const fhir = await fetch(`${server.url}/api/v1/sessions/${id}/export?format=fhir`, { headers: { cookie: clinician } });
    expect(fhir.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    const bundle = (await fhir.json()) as { resourceType: string; entry: { resource: { resourceType: string; code?: { coding: { code: string }[] }; component?: { valueQuantity?: { value: number } }[] } }[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(createR4Validator().validate(bundle)).toEqual([]);
    const panels = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Observation' && r.code?.coding.some((c) => c.code === '85354-9'));
    expect(panels).toHaveLength(detail.body.readings.filter((r: { systolic: number | null }) => r.systolic !== null).length);
    expect(panels.some((p) => p.component?.[0]?.valueQuantity?.value === 205)).toBe(true);

    for (const paper of ['a4', 'letter']) {
      const pdf = await fetch(`${server.url}/api/v1/sessions/${id}/export?format=pdf&paper=${paper}`, { headers: { cookie: clinician } });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const { text } = await pdfText(await pdf.arrayBuffer());
      expect(text).toMatch(/Review Patient/);
      expect(text).toMatch(/205/);
      expect(text).toMatch(/secondary notification aid/i);
    }

    expect((await api(server.url, 'GET', `/api/v1/sessions/${id}/export?format=docx`, clinician)).status).toBe(400);
    expect((await api(server.url, 'GET', '/api/v1/sessions/nope/export?format=csv', clinician)).status).toBe(404);
    const admin = await server.login('admin');
    expect((await api(server.url, 'GET', `/api/v1/sessions/${id}/export?format=csv`, admin)).status).toBe(403);
    const exports = await api(server.url, 'GET', `/api/v1/audit?sessionId=${id}&action=session-exported`, admin);
    expect(exports.body.map((e: { details: { format: string } }) => e.details.format).sort()).toEqual(['csv', 'fhir', 'pdf', 'pdf']);
  });

  it('shows a patient’s sessions side by side on treatment-relative time', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const { patientId, clinician } = await finishedSession(clock);
    const history = await api(server.url, 'GET', `/api/v1/patients/${patientId}/history`, clinician);
    expect(history.status).toBe(200);
    expect(history.body).toHaveLength(1);
    expect(history.body[0].bpCurve[0].minutes).toBeLessThan(0);
    expect(history.body[0].bpCurve.some((p: { minutes: number; systolic: number }) => p.minutes === 15 && p.systolic === 205)).toBe(true);
  });
});
