import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterEach, describe, expect, it } from 'vitest';
import { api, ManualClock, postReadings, reading, startTestServer, type TestServer } from '../helpers/test-server';

/*
 * The printable REMS Patient Monitoring Form (GET /api/v1/sessions/:id/rems-form.pdf): for the care team, of
 * esketamine sessions only (an IV session has none: 404), every download in the audit trail.
 */

let server: TestServer;
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

async function checkIn(nurse: string, protocolId: 'esketamine' | 'iv-ketamine', chairId: string, displayName: string): Promise<string> {
  const patient = await api(server.url, 'POST', '/api/v1/patients', nurse, { displayName });
  const session = await api(server.url, 'POST', '/api/v1/sessions', nurse, { patientId: patient.body.id, chairId, protocolId });
  expect(session.status).toBe(201);
  return session.body.id as string;
}

describe('GET /api/v1/sessions/:id/rems-form.pdf', () => {
  it('prints the esketamine form for nurses and clinicians, audited; 404 for an IV session or none; 403 for an admin', async () => {
    const clock = new ManualClock(start);
    server = await startTestServer({ clock });
    const nurse = await server.login('nurse');
    const clinician = await server.login('clinician');
    const admin = await server.login('admin');

    const sessionId = await checkIn(nurse, 'esketamine', 'chair-1', 'Rems Patient');
    expect((await postReadings(server.url, reading({ chairId: 'chair-1', measuredAt: clock.iso(), systolic: 128, diastolic: 82, mean: undefined, heartRate: 80, spo2: 97 }))).status).toBe(201);
    const started = await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, clinician, { type: 'treatment-started', override: { reason: 'enrolment confirmed by phone' } });
    expect(started.status).toBe(201);
    clock.advance(1);
    const device = { type: 'dose-given', drug: 'esketamine', doseMg: 28, route: 'intranasal', lot: 'LOT-93', device: 1 };
    expect((await api(server.url, 'POST', `/api/v1/sessions/${sessionId}/events`, nurse, device)).status).toBe(201);

    const path = `/api/v1/sessions/${sessionId}/rems-form.pdf`;
    for (const cookie of [nurse, clinician]) {
      const res = await fetch(`${server.url}${path}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?rems-form-[\w-]+\.pdf"?$/);
      const text = await pdfText(await res.arrayBuffer());
      expect(text).toContain('Spravato REMS Patient Monitoring Form');
      expect(text).toContain('Rems Patient');
      expect(text).toContain('28 mg (1 device)');
      expect(text).toContain('LOT-93');
      expect(text).toContain('MISSING');
      expect(text).toContain('Not signed');
      expect(text).toContain('Spravato REMS portal');
    }

    expect((await fetch(`${server.url}${path}`, { headers: { cookie: admin } })).status).toBe(403);
    expect((await fetch(`${server.url}${path}`)).status).toBe(401);
    const ivSessionId = await checkIn(nurse, 'iv-ketamine', 'chair-2', 'Iv Patient');
    const iv = await api(server.url, 'GET', `/api/v1/sessions/${ivSessionId}/rems-form.pdf`, clinician);
    expect(iv.status).toBe(404);
    expect(iv.body.error.message).toMatch(/IV protocol/);
    expect((await api(server.url, 'GET', '/api/v1/sessions/no-such-session/rems-form.pdf', clinician)).status).toBe(404);

    const audit = await api(server.url, 'GET', `/api/v1/audit?sessionId=${sessionId}&action=session-exported`, admin);
    expect(audit.status).toBe(200);
    expect(audit.body.map((e: { username: string; details: { format: string } }) => [e.username, e.details.format]).sort()).toEqual([
      ['clinician', 'rems-form-pdf'],
      ['nurse', 'rems-form-pdf'],
    ]);
    const ivAudit = await api(server.url, 'GET', `/api/v1/audit?sessionId=${ivSessionId}&action=session-exported`, admin);
    expect(ivAudit.body).toEqual([]);
  }, 60_000);
});
