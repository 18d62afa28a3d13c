import { esketamineProtocol, type Reading, type SessionEventView } from '@chairside/shared';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipText, headAndTail, paperSizes, printable, renderSessionReportPdf, reportDisclaimer } from './pdf-report';
import { at, iso, makeReviewInput } from './test-fixtures';

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
