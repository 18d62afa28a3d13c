import { type RemsFormView, remsFieldIds } from '@chairside/shared';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { remsPdfRows, remsValueText, renderRemsFormPdf } from './rems-pdf';

/** The text of every page as a PDF reader sees it (Mozilla's PDF.js). */
async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join('').replace(/[ \t]+/g, ' '));
  }
  await doc.destroy();
  return pages.join('\n');
}

const tz = 'Europe/Berlin';
const firstDevice = Date.parse('2026-11-20T09:10:00Z'); // 10:10 in Berlin

/** A discharged esketamine session's form: derivable fields filled, prescriber, setting and medications missing. */
function draft(): RemsFormView {
  const fields = Object.fromEntries(remsFieldIds.map((id) => [id, { value: null, source: 'not kept by Chairside' }])) as RemsFormView['fields'];
  Object.assign(fields, {
    patient: { value: { displayName: 'Jördis Ø. Example', mrn: 'MRN-7' }, source: 'patient record' },
    date: { value: '2026-11-20', source: 'first device (UTC date)' },
    dose: { value: { totalMg: 84, devices: 3 }, source: 'dose-given entries 4, 5, 6' },
    lots: { value: ['LOT-7'], source: 'dose-given entries' },
    concomitantMedications: { value: null, source: 'readiness answers' },
    bpBeforeDosing: { value: { systolic: 128, diastolic: 82, atMs: firstDevice - 5 * 60_000, minutesFromDosing: -5 }, source: 'readings: the newest BP before dosing' },
    bpAt40Min: { value: { systolic: 134, diastolic: 84, atMs: firstDevice + 40 * 60_000, minutesFromDosing: 40 }, source: 'readings: the BP nearest 40 min in its window' },
    bpAtCompletion: { value: { systolic: 130, diastolic: 80, atMs: firstDevice + 125 * 60_000, minutesFromDosing: 125 }, source: 'readings: the newest BP before discharge' },
    vitalsAcceptableBeforeDosing: { value: true, source: 'start gate' },
    vitalsAcceptableAtCompletion: { value: true, source: 'discharge gate' },
    pulseOximetryUsed: { value: true, source: 'readings with SpO₂' },
    sedation: { value: true, source: 'MOAA/S since dosing (below 5)' },
    dissociation: { value: false, source: 'CADSS-6 since dosing (above its pre-dose value)' },
    respiratoryDepression: { value: false, source: 'RR and SpO₂ alerts' },
    seriousAdverseEvent: { value: false, source: 'adverse-event entries' },
    totalMonitoringMinutes: { value: 130, source: 'first device to discharge' },
    readyToLeaveMinutes: { value: 95, source: 'first device to the first moment the discharge criteria (vitals and resolution) held' },
  });
  return {
    sessionId: 'session-42',
    fields,
    missing: ['prescriber', 'setting', 'concomitantMedications'],
    status: 'draft',
    dueByMs: firstDevice + 7 * 86_400_000,
    signed: null,
    submitted: null,
  };
}

function signedAndSubmitted(): RemsFormView {
  const form = draft();
  const values = Object.fromEntries(remsFieldIds.map((id) => [id, form.fields[id]?.value ?? null]));
  Object.assign(values, {
    prescriber: 'Dr A. Smith',
    setting: 'Outpatient clinic, certified',
    concomitantMedications: { benzodiazepines: false, opioids: true },
    readyToLeaveMinutes: 90, // a correction
  });
  return {
    ...form,
    status: 'submitted',
    signed: { by: 'clinician', atMs: firstDevice + 86_400_000, fields: values },
    submitted: { by: 'nurse', via: 'REMS portal', atMs: firstDevice + 2 * 86_400_000, recordedAtMs: firstDevice + 2 * 86_400_000 + 60_000 },
  };
}

describe('remsValueText', () => {
  it.each([
    ['sedation', true, 'Yes'],
    ['dissociation', false, 'No'],
    ['totalMonitoringMinutes', 130, '130 min'],
    ['dose', { totalMg: 56, devices: 2 }, '56 mg (2 devices)'],
    ['lots', ['A1', 'B2'], 'A1, B2'],
    ['patient', { displayName: 'R. B.', mrn: null }, 'R. B.'],
    ['bpAt40Min', { systolic: 134, diastolic: 84, atMs: firstDevice + 40 * 60_000, minutesFromDosing: 40 }, '134/84 mmHg at 10:50 (40 min after the first device)'],
    ['bpBeforeDosing', { systolic: 128, diastolic: 82 }, '128/82 mmHg'],
    ['concomitantMedications', { 'sedative-hypnotics': false, opioids: true }, 'non-benzodiazepine sedative hypnotics: no; opioids: yes'],
    ['prescriber', 'Dr A. Smith', 'Dr A. Smith'],
    ['prescriber', null, null],
  ] as const)('%s %j → %s', (id, value, text) => {
    expect(remsValueText(id, value, tz)).toBe(text);
  });
});

describe('remsPdfRows', () => {
  it('a draft: derived values with their source (a BP with its reading time), missing ones null', () => {
    const rows = remsPdfRows(draft(), tz);
    expect(rows.map((r) => r.id)).toEqual([...remsFieldIds]);
    expect(rows.find((r) => r.id === 'bpAt40Min')).toMatchObject({ value: '134/84 mmHg at 10:50 (40 min after the first device)', source: 'from readings 10:50 (the BP nearest 40 min in its window)' });
    expect(rows.find((r) => r.id === 'prescriber')).toMatchObject({ value: null, source: 'not kept by Chairside' });
  });

  it('a signed form: the signed values; what the clinician entered or corrected says so', () => {
    const rows = remsPdfRows(signedAndSubmitted(), tz);
    expect(rows.find((r) => r.id === 'prescriber')).toMatchObject({ value: 'Dr A. Smith', source: 'entered by clinician' });
    expect(rows.find((r) => r.id === 'readyToLeaveMinutes')).toMatchObject({ value: '90 min', source: 'entered by clinician' });
    expect(rows.find((r) => r.id === 'sedation')).toMatchObject({ value: 'Yes', source: 'from MOAA/S since dosing (below 5)' });
  });
});

describe('renderRemsFormPdf', () => {
  it('a draft prints every field, its source, the missing ones marked, "Not signed" and the notice about the official form', async () => {
    const pdf = await renderRemsFormPdf(draft(), { timeZone: tz, generatedAtMs: firstDevice + 3 * 3_600_000, clinicName: 'Lakeside Ketamine Clinic' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const expected of [
      'Lakeside Ketamine Clinic',
      'Spravato REMS Patient Monitoring Form',
      'Jördis Ø. Example, MRN MRN-7',
      'Draft: 3 fields missing',
      'due by 2026-11-27',
      'filed through the',
      'Spravato REMS portal',
      'record-keeping and secondary notification aid',
      '84 mg (3 devices)',
      'LOT-7',
      '134/84 mmHg at 10:50',
      'Pulse oximetry used',
      'Respiratory depression',
      '130 min',
      '95 min',
      'MISSING',
      'Not signed',
      'Submission: not yet recorded',
      'Page 1 of',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text.match(/MISSING/g)).toHaveLength(3);
  }, 60_000);

  it('a signed and submitted form prints the signature, the entries by the clinician and the submission', async () => {
    const text = await pdfText(await renderRemsFormPdf(signedAndSubmitted(), { timeZone: tz, paper: 'letter', generatedAtMs: firstDevice + 3 * 86_400_000 }));
    expect(text).toContain('Signed and submitted');
    expect(text).toContain('Signed by clinician on 2026-11-21 10:10 (Europe/Berlin)');
    expect(text).toContain('attested that the form is complete and correct');
    expect(text).toContain('Dr A. Smith');
    expect(text).toContain('entered by clinician');
    expect(text).toContain('opioids: yes');
    expect(text).toContain('Submitted via REMS portal on 2026-11-22 10:10; recorded by nurse on 2026-11-22 10:11.');
    expect(text).not.toContain('MISSING');
  }, 60_000);
});
