import { esketamineProtocol, type Reading, type SessionEventView } from '@chairside/shared';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipText, headAndTail, paperSizes, printable, renderSessionReportPdf, reportDisclaimer } from './pdf-report';
import { at, iso, makeEsketamineRecordInput, makeRecordReviewInput, makeReviewInput } from './test-fixtures';

interface ExtractedPdf {
  pages: { text: string; view: number[] }[];
  text: string;
}

/** Text and page boxes as a PDF reader sees them (Mozilla's PDF.js). */
async function extract(pdf: Buffer): Promise<ExtractedPdf> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: ExtractedPdf['pages'] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join('');
    pages.push({ text: text.replace(/[ \t]+/g, ' '), view: page.view });
  }
  await doc.destroy();
  return { pages, text: pages.map((p) => p.text).join('\n') };
}

const options = { timeZone: 'Europe/Berlin', paper: 'a4' as const, generatedAtMs: at(200) };

describe('renderSessionReportPdf', () => {
  let report: ExtractedPdf;
  beforeAll(async () => {
    report = await extract(await renderSessionReportPdf(makeReviewInput(), { ...options, clinicName: 'Lakeside Ketamine Clinic' }));
  }, 60_000);

  it('is a PDF', async () => {
    const pdf = await renderSessionReportPdf(makeReviewInput(), options);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it.each([
    ['the clinic and title', 'Lakeside Ketamine Clinic'],
    ['the title', 'Session report'],
    ['the patient and MRN', 'Robin B. MRN MRN-0042'],
    ['the chair', 'Chair 3 (window)'],
    ['the protocol', 'IV ketamine (version 1)'],
    ['the date in clinic time with the zone', '2025-01-15, 10:00–11:55 Europe/Berlin (UTC+01:00)'],
    ['the disclaimer', 'record-keeping and secondary notification aid'],
    ['the disclaimer (primary monitoring)', 'the clinician remain'],
  ])('has %s in its header', (_what, text) => {
    expect(report.pages[0]?.text).toContain(text);
  });

  it.each([
    // what                           text of the summary
    ['baseline', '130/82 mmHg, MAP 98, HR 76 /min (mean of 2 BP readings)'],
    ['peak systolic, time to peak, Δ', '183 mmHg at 10:40, 30 min after infusion start; +53 mmHg vs baseline 130'],
    ['peak diastolic', '112 mmHg at 10:40, 30 min after infusion start; +30 mmHg vs baseline 82'],
    ['peak heart rate', '102 /min at 10:35, 25 min after infusion start; +26 /min vs baseline 76'],
    ['lowest SpO₂', '65 % at 10:45, 35 min after infusion start (below 70 %: low accuracy)'],
    ['alert counts', '2: 1 high, 1 medium, 0 low; 1 not acknowledged'],
    ['time to acknowledge', 'median 1 min 30 s, longest 1 min 30 s (1 acknowledged)'],
    ['phases', 'Baseline 10 min · Infusion 40 min (paused 3 min) · Observation 1 h 02 min · Total 1 h 55'],
    ['observation', '1 h 02 min since infusion end; minimum 1 h 00 min reached'],
    ['gate', 'discharge criteria met at 11:52 (59 min after infusion end); discharged without override'],
  ])('prints the summary: %s', (_what, text) => {
    // A long value wraps onto the next line of the page.
    expect(report.text.replace(/\s+/g, ' ')).toContain(text);
  });

  it('prints every reading, rejected values with their reason', () => {
    for (const time of ['10:00:00', '10:06:00', '10:42:00', '10:55:00', '11:50:00']) expect(report.text).toContain(time);
    expect(report.text).toContain('rejected systolic -999');
    expect(report.text).toContain('manual (nina)');
  });

  it('prints alerts with who acknowledged when, and the note', () => {
    expect(report.text).toContain('!! 10:40:00 Severe hypertension — medium priority, physiological');
    expect(report.text).toContain('BP 183/112 (>=180/110) on 2 readings. Cleared 11:05:00 (resolved).');
    expect(report.text).toContain('Acknowledged 10:41:30 by dr.lee, 1 min 30 s after it was raised — note: “Seen; rechecking in 5 min”');
    expect(report.text).toContain('!!! 10:45:00 SpO₂ low — high priority');
    expect(report.text).toContain('Not acknowledged.');
  });

  it('leads with the summary, alerts, events, chart and signature; the readings table comes last', () => {
    const text = report.text.replace(/\s+/g, ' ');
    const order = ['Summary', 'Alerts and acknowledgements', 'Event timeline', 'Chart', 'Signature', 'Readings Time Phase'].map((heading) => text.indexOf(heading));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('prints whom an unacknowledged alarm reached, step by step, under the alarm', async () => {
    const input = makeReviewInput();
    const spo2 = input.alerts.find((a) => a.priority === 'high');
    if (spo2 === undefined) throw new Error('fixture changed');
    const step = (kind: 'primary' | 'backup' | 'all', atMs: number, names: string[]) => ({
      type: 'escalated-to' as const,
      alertId: spo2.id,
      sessionId: input.session.id,
      chairId: input.session.chairId,
      priority: spo2.priority,
      step: kind,
      recipients: names.map((displayName) => ({ userId: displayName.toLowerCase(), displayName })),
      atMs,
    });
    input.escalations = [step('primary', spo2.raisedAtMs, ['Dana']), step('backup', spo2.raisedAtMs + 30_000, ['Sam']), step('all', spo2.raisedAtMs + 60_000, ['Dana', 'Sam'])];
    const { text } = await extract(await renderSessionReportPdf(input, options));
    expect(text.replace(/\s+/g, ' ')).toContain('Reached Dana (primary) 10:45:00 · Sam (backup) 10:45:30 · everyone on shift 10:46:00.');
    expect(report.text).not.toContain('Reached');
  });

  it('titles a "recheck BP now" prompt as the dashboard does, not by its rule’s name', async () => {
    const input = makeReviewInput();
    const [severe] = input.alerts;
    if (severe === undefined || severe.facts.kind !== 'bp-threshold') throw new Error('fixture changed');
    input.alerts = [{ ...severe, priority: 'low', facts: { ...severe.facts, prompt: 'recheck BP now', bp: { systolic: 186, diastolic: 100 } } }];
    const { text } = await extract(await renderSessionReportPdf(input, options));
    expect(text).toContain('Recheck BP now: 186/100 — low priority, physiological');
    expect(text).not.toContain('Severe hypertension');
  });

  it('prints the event timeline: who did what when', () => {
    expect(report.text).toContain('10:25:00 nina (nurse) Infusion paused');
    expect(report.text).toContain('Reason: IV line check');
    expect(report.text).toContain('Patient calm, <b>no headache</b> & talking');
    expect(report.text).toContain('11:52:00 system Discharge criteria met');
  });

  it('prints the signature and page numbers on every page', () => {
    expect(report.text).toContain('Signed by dr.lee on 2025-01-15 13:00 (Europe/Berlin)');
    const count = report.pages.length;
    report.pages.forEach((p, i) => expect(p.text).toContain(`Page ${i + 1} of ${count}`));
  });

  it('says "Not signed" for an unsigned session, and prints addenda', async () => {
    const input = makeReviewInput();
    input.signature = null;
    input.addenda = [{ text: 'BP at 40 min re-measured manually: 176/104', by: 'dr.lee', atMs: at(300) }];
    const { text } = await extract(await renderSessionReportPdf(input, options));
    expect(text).toContain('Not signed');
    expect(text).toContain('Addendum 1 — dr.lee, 2025-01-15 15:00');
    expect(text).toContain('BP at 40 min re-measured manually: 176/104');
  });

  it.each([
    ['a4', [0, 0, 595.28, 841.89]],
    ['letter', [0, 0, 612, 792]],
  ] as const)('lays out every page on %s paper', async (paper, box) => {
    const { pages } = await extract(await renderSessionReportPdf(makeReviewInput(), { ...options, paper }));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const p of pages) expect(p.view.map((v) => Math.round(v * 100) / 100)).toEqual(box);
    expect(paperSizes[paper]).toEqual(box.slice(2));
  });

  it('answers the esketamine monitoring form for a nasal-spray protocol', async () => {
    const input = makeReviewInput(esketamineProtocol);
    const { text } = await extract(await renderSessionReportPdf(input, options));
    expect(text).toContain('Esketamine (REMS) monitoring form');
    expect(text).toContain('BP before dosing 128/80 mmHg at 10:06 (-4 min from dosing)');
    expect(text).toContain('Dosing started');
    expect(text).toMatch(/Discharge criteria met at/);
    expect(text).not.toMatch(/ready to leave/i);
  });

  it('pages a long readings table, repeating its header, and thins streamed values past the limit', async () => {
    const input = makeReviewInput();
    const base = input.session.readings[2] as Reading;
    const streamed: Reading[] = Array.from({ length: 600 }, (_, i) => ({
      ...base,
      seq: 1000 + i,
      id: `6f1c2a4e-0000-4000-9000-${String(i).padStart(12, '0')}`,
      measuredAt: iso(60 + i / 12), // every 5 s for 50 min
      heartRate: 80 + (i % 7),
    }));
    input.session.readings = [...input.session.readings, ...streamed];
    const full = await extract(await renderSessionReportPdf(input, options));
    const tablePages = full.pages.filter((p) => /Time Phase SBP DBP MAP HR SpO₂ RR/.test(p.text));
    expect(tablePages.length).toBeGreaterThan(3);
    const thinned = await extract(await renderSessionReportPdf(input, { ...options, maxReadingRows: 100 }));
    expect(thinned.text).toContain('550 streamed readings (heart rate, SpO₂ or respiratory rate alone) are thinned to one per minute');
    expect(thinned.pages.length).toBeLessThan(full.pages.length);
  });

  it('bounds what a note-heavy, reading-heavy session prints, and says what was left out and where it is', async () => {
    const input = makeReviewInput();
    const base = input.session.readings[3] as Reading; // a BP: never thinned
    input.session.readings = Array.from({ length: 400 }, (_, i) => ({ ...base, seq: 1000 + i, id: `r-${i}`, measuredAt: iso(i / 4) }));
    const note = (i: number): SessionEventView => ({
      seq: 100 + i,
      type: 'note',
      at: iso(20 + i / 10),
      username: 'nina',
      role: 'nurse',
      fromPhase: 'treatment',
      toPhase: 'treatment',
      payload: { type: 'note', text: `Note ${i}: ${'calm, talking. '.repeat(266)}` },
    });
    input.session.events = [...input.session.events, ...Array.from({ length: 60 }, (_, i) => note(i))].sort((p, q) => Date.parse(p.at) - Date.parse(q.at));
    const limits = { maxTableRows: 100, maxTimelineEvents: 50, maxEventTextChars: 500, maxTimelineTextChars: 5_000 };
    const { text } = await extract(await renderSessionReportPdf(input, { ...options, limits }));
    expect(text).toContain('… 300 more readings are not printed here; every reading is in the CSV export …');
    expect(text).toContain(`… ${input.session.events.length - 50} more events are not printed here; the full timeline is in the session record (FHIR export) …`);
    expect(text.replace(/\s+/g, ' ')).toContain('more characters not printed; the full text is in the session record (FHIR export)]');
    expect(text).toMatch(/\[\d+ characters not printed; the full text is in the session record/);
    // The end of the session still prints: the last readings, discharge.
    expect(text).toContain('Discharged');
    expect(text).toContain('11:39:45');
  });

  it('cuts a list to its first and last items, and text to its length without splitting a character', () => {
    expect(headAndTail([1, 2, 3], 3)).toEqual({ head: [1, 2, 3], omitted: 0, tail: [] });
    const cut = headAndTail(Array.from({ length: 100 }, (_, i) => i), 50);
    expect(cut.omitted).toBe(50);
    expect(cut.head).toHaveLength(30);
    expect(cut.tail).toEqual(Array.from({ length: 20 }, (_, i) => 80 + i));
    expect(clipText('short', 10, 'X')).toBe('short');
    expect(clipText('abcdef', 3, 'X')).toBe('abc… [3 more characters not printed; the full text is in X]');
    expect(clipText('ab😀cd', 3, 'X')).toBe('ab… [4 more characters not printed; the full text is in X]');
  });

  it('replaces characters the font lacks', () => {
    expect(printable('BP ≥180 → recheck')).toBe('BP >=180 -> recheck');
    expect(reportDisclaimer).toContain('The bedside monitor and the clinician remain the primary');
  });
});

describe('renderSessionReportPdf: the session record beyond vitals', () => {
  let iv: ExtractedPdf;
  let esk: ExtractedPdf;
  beforeAll(async () => {
    // lines joined: a cell or sentence that wraps reads as one
    const flat = (pdf: ExtractedPdf): ExtractedPdf => ({ ...pdf, text: pdf.text.replace(/\s+/g, ' ') });
    iv = flat(await extract(await renderSessionReportPdf(makeRecordReviewInput(), options)));
    esk = flat(await extract(await renderSessionReportPdf(makeEsketamineRecordInput(), options)));
  }, 60_000);

  it('prints the record sections after the summary and before the alerts', () => {
    const order = ['Summary', 'Administration', 'Sedation and dissociation (MOAA/S, CADSS-6)', 'Interventions (PRN)', 'Adverse events', 'Eyes-on checks', 'Readiness and escort', 'Alerts and acknowledgements'];
    const positions = order.map((heading) => iv.text.indexOf(heading));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it.each([
    // what                                        text (time, what, drug, route, lot/device, by, cumulative mg, dose/rate)
    ['the total given, in mg and mg/kg', 'Total given: 30.2 mg (0.43 mg/kg at 70 kg)'],
    ['the set-up with its plan', '10:05 Infusion set up Ketamine IV nina 0 0.5 mg/kg × 70 kg = 35 mg'],
    ['the start at the set-up rate', '10:10 Infusion started Ketamine IV nina 0 52.5 mL/h (0.75 mg/kg/h)'],
    ['the pause with its reason and the mg by then', '10:25 Infusion paused Ketamine IV nina 13.1 0 mL/h'],
    ['the rate change, who and why', '10:30 Rate changed Ketamine IV dr.lee 14.9 40 mL/h (0.57 mg/kg/h)'],
    ['the reason of the change', 'Note: BP 168/101: slowed'],
    ['the end with the mg infused', '10:53 Infusion ended Ketamine IV nina 30.2'],
  ])('prints the administration table: %s', (_what, text) => {
    expect(iv.text).toContain(text);
  });

  it.each([
    ['resolution and what was seen', 'Resolved at 10:53 (MOAA/S 5, CADSS-6 at or below its pre-dose value); pre-dose CADSS-6 0; sedation seen; dissociation seen'],
    ['a CADSS-6 with its items', '10:30 20 min CADSS-6 5 of 24 1 2 1 0 1 0 nina'],
    ['the corrected MOAA/S, marked', '10:30 20 min MOAA/S 3 of 5 nina corrected entry'],
    ['the PRN with its reassessment and response', '10:36 Ondansetron 4 mg IV nausea nina 10:50 by nina: Nausea settled'],
    ['the adverse event', '10:35 Nausea mild no nina after the rate change'],
    ['the eyes-on count', '4 (one expected every 15 min during treatment and observation)'],
    ['the longest gap without a check', '35 min (11:20–11:55); 2 gaps past the overdue margin'],
    ['a check that was not comfortable', 'Not comfortable: 10:50 asleep, rousable (nina)'],
    ['a readiness answer with who and when', 'Weight measured today (hard stop) yes — nina, 10:02'],
    ['the escort', 'Sam B., +49 30 1234567 (recorded 10:03 by nina)'],
    ['the hand-off', 'collected by Sam B. (partner) at 11:54 (recorded by nina)'],
  ])('prints %s', (_what, text) => {
    expect(iv.text).toContain(text);
  });

  it('prints record entries in the timeline with their fields and the correction', () => {
    expect(iv.text).toContain('Infusion rate changed');
    expect(iv.text).toContain('Rate: 40 mL/h · Reason: BP 168/101: slowed');
    expect(iv.text).toMatch(/MOAA\/S recorded\s+MOAA\/S: 3\s+Note: first written as 4 by mistake\s+Corrects entry #\d+/);
  });

  it('prints esketamine devices with their lot and the running total', () => {
    expect(esk.text).toContain('Total given: 84 mg, 3 devices; first device 10:10');
    expect(esk.text).toContain('10:10 Device 1 Esketamine intranasal Device 1 · lot LOT-2411A nina 28 28 mg');
    expect(esk.text).toContain('10:20 Device 3 Esketamine intranasal Device 3 · lot LOT-2411B nina 84 28 mg');
    expect(esk.text).toContain('Takes MAOIs not answered');
    expect(esk.text).toContain('Hand-off not recorded');
  });

  it('prints no record sections for a session without record entries', async () => {
    const plain = await extract(await renderSessionReportPdf(makeReviewInput(), options));
    expect(plain.text).not.toContain('Administration');
    expect(plain.text).not.toContain('Eyes-on checks');
  });
});
