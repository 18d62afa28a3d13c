import { createRequire } from 'node:module';
import {
  type RemsFieldId,
  type RemsFormView,
  type ReportPaper,
  describeTimeZone,
  formatClinicDate,
  formatClinicDateTime,
  formatClinicTime,
  remsFieldIds,
  remsFieldLabels,
} from '@chairside/shared';
import { pdfDocumentClass } from './pdfkit';
import { paperSizes, printable, reportDisclaimer } from './pdf-report';

/*
 * The esketamine REMS Patient Monitoring Form as Chairside keeps it, printable
 * (`GET /api/v1/sessions/:id/rems-form.pdf`): every field with its value and where the value came from (the
 * readings, a score, the record, or the clinician who entered it), the missing ones marked, the signature and
 * submission block, and the notice that the official form is filed through the REMS portal. In Chairside's own
 * layout, not the manufacturer's. Drawn with PDFKit in Noto Sans like the session report (pdf-report.ts). Pure but
 * for reading the font files: the form, the time zone and the generation time are arguments.
 */

export interface RemsPdfOptions {
  /** IANA time zone of the clinic: every printed time is clinic time. */
  timeZone: string;
  paper?: ReportPaper;
  /** When the PDF is made (footer, PDF creation date). */
  generatedAtMs: number;
  clinicName?: string;
  /** TrueType fonts to embed instead of Noto Sans: file paths or file contents. */
  fonts?: { regular: string | Buffer; bold: string | Buffer };
}

export const remsPdfTitle = 'Spravato REMS Patient Monitoring Form';

export const remsPdfNotice =
  'This is Chairside’s record of the REMS Patient Monitoring Form, drafted from the session log and completed and ' +
  'signed by a clinician. It is not the official form: the official Patient Monitoring Form is filed through the ' +
  'Spravato REMS portal (or as the REMS directs), within 7 days of the session.';

const medicationNames: Record<string, string> = {
  benzodiazepines: 'benzodiazepines',
  'sedative-hypnotics': 'non-benzodiazepine sedative hypnotics',
  psychostimulants: 'psychostimulants',
  maois: 'MAOIs',
  opioids: 'opioids',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const yesNo = (v: boolean): string => (v ? 'Yes' : 'No');

/** A field's value in words; null when there is none (missing). */
export function remsValueText(id: RemsFieldId, value: unknown, timeZone: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return yesNo(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return id === 'totalMonitoringMinutes' || id === 'readyToLeaveMinutes' ? `${value} min` : String(value);
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (!isObject(value)) return String(value);
  if (id === 'patient') return `${String(value.displayName)}${typeof value.mrn === 'string' ? `, MRN ${value.mrn}` : ''}`;
  if (id === 'dose' && typeof value.totalMg === 'number') {
    return `${value.totalMg} mg${typeof value.devices === 'number' ? ` (${value.devices} device${value.devices === 1 ? '' : 's'})` : ''}`;
  }
  if (typeof value.systolic === 'number' && typeof value.diastolic === 'number') {
    const when = typeof value.atMs === 'number' ? ` at ${formatClinicTime(value.atMs, timeZone)}` : '';
    const fromDosing =
      typeof value.minutesFromDosing === 'number'
        ? value.minutesFromDosing < 0
          ? ` (${-value.minutesFromDosing} min before the first device)`
          : ` (${value.minutesFromDosing} min after the first device)`
        : '';
    return `${value.systolic}/${value.diastolic} mmHg${when}${fromDosing}`;
  }
  if (id === 'concomitantMedications') {
    return Object.entries(value)
      .map(([name, answer]) => `${medicationNames[name] ?? name}: ${typeof answer === 'boolean' ? yesNo(answer).toLowerCase() : String(answer)}`)
      .join('; ');
  }
  return JSON.stringify(value);
}

export interface RemsPdfRow {
  id: RemsFieldId;
  label: string;
  /** The value in words, or null when missing. */
  value: string | null;
  source: string;
}

/** "from readings 10:50 (the BP nearest 40 min in its window)", "from start gate". */
function derivedFrom(source: string, value: unknown, timeZone: string): string {
  const atMs = isObject(value) && typeof value.atMs === 'number' ? value.atMs : null;
  if (atMs === null) return `from ${source}`;
  const [what, detail] = source.split(/:\s*/, 2);
  return `from ${what} ${formatClinicTime(atMs, timeZone)}${detail === undefined ? '' : ` (${detail})`}`;
}

/**
 * The rows printed: the signed values once signed (a value the clinician entered or corrected says so), else the
 * draft's, each with its source (a BP with the time of its reading).
 */
export function remsPdfRows(form: RemsFormView, timeZone: string): RemsPdfRow[] {
  return remsFieldIds.map((id) => {
    const draft = form.fields[id] ?? { value: null, source: '' };
    const signedValue = form.signed?.fields[id];
    const entered = form.signed !== null && signedValue !== undefined && JSON.stringify(signedValue) !== JSON.stringify(draft.value);
    const value = form.signed !== null && signedValue !== undefined ? signedValue : draft.value;
    const source = entered ? `entered by ${form.signed?.by ?? 'the clinician'}` : draft.value === null ? draft.source : derivedFrom(draft.source, draft.value, timeZone);
    return { id, label: remsFieldLabels[id], value: remsValueText(id, value, timeZone), source };
  });
}

const require = createRequire(import.meta.url);
const margin = { top: 48, bottom: 60, left: 48, right: 48 };
const color = { text: '#111111', muted: '#555555', rule: '#999999', missing: '#c00000', shade: '#f3f3f3' };

/** Lays out the form and returns the PDF document, ended; `renderRemsFormPdf` gives a Buffer. */
export function createRemsFormPdf(form: RemsFormView, options: RemsPdfOptions): PDFKit.PDFDocument {
  const tz = options.timeZone;
  const [w, h] = paperSizes[options.paper ?? 'a4'];
  const patient = form.fields.patient?.value as { displayName?: string } | null | undefined;
  const patientName = typeof patient?.displayName === 'string' ? patient.displayName : form.sessionId;
  const doc = new (pdfDocumentClass())({
    size: [w, h],
    margins: margin,
    bufferPages: true,
    info: { Title: `${remsPdfTitle}: ${patientName}`, Author: 'Chairside', Subject: `Session ${form.sessionId}`, Creator: 'Chairside', CreationDate: new Date(options.generatedAtMs) },
  });
  const fonts = options.fonts ?? {
    regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
  };
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const left = margin.left;
  const width = w - margin.left - margin.right;
  const bottom = h - margin.bottom;
  const ensureSpace = (height: number) => {
    if (doc.y + height <= bottom) return;
    doc.addPage();
    doc.x = left;
    doc.y = margin.top;
  };
  const section = (title: string) => {
    ensureSpace(60);
    doc.moveDown(0.6);
    doc.font('bold').fontSize(12).fillColor(color.text).text(title, left, doc.y, { width });
    const y = doc.y + 1;
    doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.5).strokeColor(color.rule).stroke();
    doc.y = y + 5;
  };

  // Header.
  if (options.clinicName !== undefined) doc.font('regular').fontSize(10).fillColor(color.muted).text(printable(options.clinicName), left, doc.y, { width });
  doc.font('bold').fontSize(18).fillColor(color.text).text(remsPdfTitle, left, doc.y, { width });
  doc.font('regular').fontSize(9).fillColor(color.muted).text(`Chairside record · session ${form.sessionId} · times in ${describeTimeZone(options.generatedAtMs, tz)}`, left, doc.y, { width });
  const statusText =
    form.status === 'submitted'
      ? 'Signed and submitted'
      : form.status === 'signed'
        ? 'Signed, not yet recorded as submitted'
        : `Draft: ${form.missing.length === 0 ? 'ready to sign' : `${form.missing.length} field${form.missing.length === 1 ? '' : 's'} missing`}`;
  doc.font('bold').fontSize(10).fillColor(form.status === 'draft' ? color.missing : color.text).text(`${statusText} · due by ${formatClinicDate(form.dueByMs, tz)}`, left, doc.y + 4, { width });

  // The notice: not the official form.
  doc.moveDown(0.5);
  const notice = `${remsPdfNotice} ${reportDisclaimer}`;
  doc.font('regular').fontSize(8.5);
  const noticeHeight = doc.heightOfString(notice, { width: width - 16 }) + 12;
  const noticeY = doc.y;
  doc.rect(left, noticeY, width, noticeHeight).fillColor(color.shade).fill();
  doc.fillColor(color.text).text(notice, left + 8, noticeY + 6, { width: width - 16 });
  doc.y = noticeY + noticeHeight + 4;

  // The fields.
  section('Monitoring form');
  const labelWidth = 170;
  const sourceWidth = 150;
  const valueWidth = width - labelWidth - sourceWidth;
  doc.font('bold').fontSize(8).fillColor(color.muted);
  const headY = doc.y;
  doc.text('Question', left, headY, { width: labelWidth - 8, lineBreak: false });
  doc.text('Answer', left + labelWidth, headY, { width: valueWidth - 8, lineBreak: false });
  doc.text('Source', left + labelWidth + valueWidth, headY, { width: sourceWidth, lineBreak: false });
  doc.y = headY + 13;
  for (const row of remsPdfRows(form, tz)) {
    const value = printable(row.value ?? 'MISSING');
    const source = printable(row.source);
    doc.font('bold').fontSize(9);
    const labelHeight = doc.heightOfString(row.label, { width: labelWidth - 8 });
    doc.font('regular');
    const valueHeight = doc.heightOfString(value, { width: valueWidth - 8 });
    doc.fontSize(8);
    const height = Math.max(labelHeight, valueHeight, doc.heightOfString(source, { width: sourceWidth }), 11);
    ensureSpace(height + 6);
    const y = doc.y;
    doc.font('bold').fontSize(9).fillColor(color.text).text(row.label, left, y, { width: labelWidth - 8 });
    doc.font(row.value === null ? 'bold' : 'regular').fillColor(row.value === null ? color.missing : color.text).text(value, left + labelWidth, y, { width: valueWidth - 8 });
    doc.font('regular').fontSize(8).fillColor(color.muted).text(source, left + labelWidth + valueWidth, y + 0.5, { width: sourceWidth });
    const end = y + height + 2;
    doc.moveTo(left, end).lineTo(left + width, end).lineWidth(0.25).strokeColor(color.rule).stroke();
    doc.y = end + 3;
  }

  // Signature and submission.
  section('Attestation and signature');
  ensureSpace(70);
  const boxY = doc.y;
  doc.rect(left, boxY, width, 56).lineWidth(0.75).strokeColor(color.rule).stroke();
  const signedText =
    form.signed === null
      ? 'Not signed'
      : `Signed by ${form.signed.by} on ${formatClinicDateTime(form.signed.atMs, tz)} (${tz})`;
  doc.font('bold').fontSize(10).fillColor(form.signed === null ? color.missing : color.text).text(printable(signedText), left + 10, boxY + 9, { width: width - 20 });
  doc.font('regular').fontSize(8).fillColor(color.muted).text(
    form.signed === null
      ? 'A clinician has not yet completed, attested and signed this form.'
      : 'The signing clinician attested that the form is complete and correct.',
    left + 10,
    boxY + 26,
    { width: width - 20 },
  );
  doc.y = boxY + 64;
  const submittedText =
    form.submitted === null
      ? `Submission: not yet recorded. Due by ${formatClinicDate(form.dueByMs, tz)}.`
      : `Submitted via ${form.submitted.via} on ${formatClinicDateTime(form.submitted.atMs, tz)}; recorded by ${form.submitted.by} on ${formatClinicDateTime(form.submitted.recordedAtMs, tz)}.`;
  doc.font('regular').fontSize(9).fillColor(color.text).text(printable(submittedText), left, doc.y, { width });

  // Footers.
  const range = doc.bufferedPageRange();
  const footer = printable(`${remsPdfTitle} · ${patientName} · session ${form.sessionId} · generated ${formatClinicDateTime(options.generatedAtMs, tz)}`);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the margin must not start a new page
    const y = h - margin.bottom + 22;
    doc.moveTo(left, y - 5).lineTo(left + width, y - 5).lineWidth(0.5).strokeColor(color.rule).stroke();
    doc.font('regular').fontSize(7.5).fillColor(color.muted);
    doc.text(footer, left, y, { width: width - 80, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, left + width - 80, y, { width: 80, align: 'right', lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }
  doc.end();
  return doc;
}

/** The form as one Buffer. */
export function renderRemsFormPdf(form: RemsFormView, options: RemsPdfOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const doc = createRemsFormPdf(form, options);
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
