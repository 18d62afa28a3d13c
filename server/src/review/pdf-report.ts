import { createRequire } from 'node:module';
import {
  alertTitle,
  describeClearReason,
  escalationStepsOf,
  escalationStepsText,
  type Alert,
  type AlertPriority,
  type Reading,
  type RecordReport,
  type ReportPaper,
  type SessionReviewInput,
  type SessionStats,
  type VitalPeak,
  bpPointsOf,
  clinicOffsetMinutes,
  describeTimeZone,
  formatClinicDate,
  formatClinicDateTime,
  formatClinicTime,
  formatDuration,
  pauseSpans,
  phaseAt,
  phaseSpans,
  recordNumber,
  recordReport,
  riskFlagLabels,
  roundingStatusLabels,
  scoreScaleLabels,
  sessionEventDetails,
  sessionEventLabel,
  sessionStats,
  timelineEndMs,
} from '@chairside/shared';
import { pdfDocumentClass } from './pdfkit';

/*
 * The printable session report (`GET /api/v1/sessions/:id/export?format=pdf&paper=a4|letter`):
 * header, disclaimer, summary statistics, the session record beyond vitals (administration with cumulative mg, scores,
 * interventions, adverse events, eyes-on checks, readiness and escort; docs/architecture.md "The session record"), a
 * chart of the session, the readings, the alerts with their acknowledgements, the event timeline and the signature
 * block; page numbers on every page.
 * Drawn with PDFKit's vector graphics in Noto Sans (embedded, subset), so names in any Latin,
 * Greek or Cyrillic script and "SpO₂" print as typed. Pure but for reading the font files: the
 * data, the time zone, the paper and the generation time are arguments.
 */

export const pdfContentType = 'application/pdf';

/** Page sizes in PDF points (1/72 in). */
export const paperSizes: Record<ReportPaper, readonly [number, number]> = {
  a4: [595.28, 841.89],
  letter: [612, 792],
};

export const reportDisclaimer =
  'Chairside is a record-keeping and secondary notification aid. The bedside monitor and the clinician remain ' +
  'the primary alarm and monitoring; it does not replace clinical monitoring.';

export interface SessionReportOptions {
  /** IANA time zone of the clinic (`config.clinicTimeZone`): every printed time is clinic time. */
  timeZone: string;
  paper: ReportPaper;
  /** When the report is made (footer, PDF creation date). */
  generatedAtMs: number;
  /** The report's title; default "Session report". */
  title?: string;
  /** The clinic's name, printed above the title. */
  clinicName?: string;
  /** TrueType fonts to embed instead of Noto Sans: file paths or file contents. */
  fonts?: { regular: string | Buffer; bold: string | Buffer };
  /**
   * More readings than this and streamed values (HR, SpO₂, RR without a cuff BP) are thinned to one
   * per minute in the table; BPs, manual entries and readings with rejected values always print.
   */
  maxReadingRows?: number;
  /**
   * Bounds on what is printed, so that no session makes a report without end (notes are up to 4,000
   * characters each and a session may have any number). Defaults in `reportLimits`.
   */
  limits?: Partial<ReportLimits>;
}

export interface ReportLimits {
  /** Rows of the readings table after thinning; beyond, its first and last rows print, with a line saying how many are left out. */
  maxTableRows: number;
  /** Events in the timeline; beyond, its first and last events print, with a line saying how many are left out. */
  maxTimelineEvents: number;
  /** Characters of one event's text (a note, a reason) printed; the rest is left out, and the report says so. */
  maxEventTextChars: number;
  /** Characters of event text printed in all; past it, events print their first line only. */
  maxTimelineTextChars: number;
}

export const reportLimits: ReportLimits = {
  maxTableRows: 5_000,
  maxTimelineEvents: 1_000,
  maxEventTextChars: 2_000,
  maxTimelineTextChars: 100_000,
};

/** How many of the last items print when a list is cut to its first and last ones. */
const tailRows = 20;

/** `items` when at most `max`; else its first and last ones (`tailRows` of them) and how many are left out between. */
export function headAndTail<T>(items: readonly T[], max: number): { head: T[]; omitted: number; tail: T[] } {
  if (items.length <= max) return { head: [...items], omitted: 0, tail: [] };
  const tail = Math.min(tailRows, Math.floor(max / 2));
  return { head: items.slice(0, max - tail), omitted: items.length - max, tail: items.slice(items.length - tail) };
}

/** `text` cut to `max` characters (never inside a surrogate pair), saying how much was left out. */
export function clipText(text: string, max: number, where: string): string {
  if (text.length <= max) return text;
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}… [${text.length - cut} more characters not printed; the full text is in ${where}]`;
}

const require = createRequire(import.meta.url);

function defaultFonts(): { regular: string; bold: string } {
  return {
    regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
  };
}

// Layout (points). The footer sits inside the bottom margin.
const margin = { top: 48, bottom: 60, left: 48, right: 48 };
const color = {
  text: '#111111',
  muted: '#555555',
  rule: '#999999',
  grid: '#dddddd',
  baselineBand: '#efefef',
  treatmentBand: '#fbe3cf',
  observationBand: '#dde9f6',
  pause: '#c8c8c8',
  bp: '#1f3b73',
  hr: '#b22222',
  spo2: '#2e7d32',
  priority: { high: '#c00000', medium: '#b8860b', low: '#007c89' } satisfies Record<AlertPriority, string>,
};
/** Priority as text and symbol too, never colour alone (docs/clinical-defaults.md "Alarm behaviour"). */
const prioritySymbol: Record<AlertPriority, string> = { high: '!!!', medium: '!!', low: '!' };

type Doc = PDFKit.PDFDocument;

/**
 * Characters Noto Sans lacks, as text it has (alert messages say "≥180/110"). Anything else it
 * lacks prints as a blank box, which the reader can still see is a character.
 */
const substitutes: Record<string, string> = { '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '≈': '~', '≠': '!=', '✓': 'OK', '✔': 'OK', '✗': 'x', '⚠': '!' };
export function printable(text: string): string {
  return text.replace(/[≥≤→←≈≠✓✔✗⚠]/g, (c) => substitutes[c] ?? c);
}

const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const signed = (v: number): string => (v > 0 ? `+${num(v)}` : num(v));
const phaseNames: Record<string, string> = {
  'before-check-in': 'before check-in',
  baseline: 'Baseline',
  treatment: 'Treatment',
  observation: 'Observation',
  discharged: 'after discharge',
  cancelled: 'after cancellation',
};

class ReportWriter {
  readonly doc: Doc;
  readonly left = margin.left;
  readonly width: number;
  private readonly input: SessionReviewInput;
  private readonly options: SessionReportOptions;
  private readonly stats: SessionStats;
  private readonly record: RecordReport;
  private readonly tz: string;
  private readonly limits: ReportLimits;

  constructor(input: SessionReviewInput, options: SessionReportOptions) {
    this.input = input;
    this.options = options;
    this.tz = options.timeZone;
    this.limits = { ...reportLimits, ...options.limits };
    this.stats = sessionStats({ session: input.session, alerts: input.alerts, asOfMs: options.generatedAtMs });
    this.record = recordReport(input.session, options.generatedAtMs);
    const [w, h] = paperSizes[options.paper];
    const title = this.title();
    this.doc = new (pdfDocumentClass())({
      size: [w, h],
      margins: margin,
      bufferPages: true,
      info: {
        Title: `${title}: ${input.session.patient.displayName}`,
        Author: 'Chairside',
        Subject: `Session ${input.session.id}`,
        Creator: 'Chairside',
        CreationDate: new Date(options.generatedAtMs),
      },
    });
    this.width = w - margin.left - margin.right;
    const fonts = options.fonts ?? defaultFonts();
    this.doc.registerFont('regular', fonts.regular);
    this.doc.registerFont('bold', fonts.bold);
    this.doc.font('regular').fillColor(color.text);
  }

  private phaseName(phase: string): string {
    return phase === 'treatment' ? this.input.session.protocol.labels.treatmentPhase : (phaseNames[phase] ?? phase);
  }

  private title(): string {
    return this.options.title ?? 'Session report';
  }

  private get bottom(): number {
    return this.doc.page.height - margin.bottom;
  }

  private time(ms: number, seconds = false): string {
    return formatClinicTime(ms, this.tz, { seconds });
  }

  /** Starts a new page unless `height` fits below the cursor. Returns true when it did. */
  private ensureSpace(height: number): boolean {
    if (this.doc.y + height <= this.bottom) return false;
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = margin.top;
    return true;
  }

  /** `text` cut with an ellipsis to fit `width` at the current font. */
  private fit(raw: string, width: number): string {
    const text = printable(raw);
    if (this.doc.widthOfString(text) <= width) return text;
    let cut = text;
    while (cut.length > 1 && this.doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
    return `${cut}…`;
  }

  /** A section heading, kept on one page with the first `keepWithNext` points of what follows. */
  private sectionTitle(text: string, keepWithNext = 40): void {
    this.ensureSpace(keepWithNext + 24);
    this.doc.moveDown(0.6);
    this.doc.font('bold').fontSize(12).fillColor(color.text).text(text, this.left, this.doc.y, { width: this.width });
    const y = this.doc.y + 1;
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.5).strokeColor(color.rule).stroke();
    this.doc.y = y + 5;
    this.doc.font('regular').fontSize(9);
  }

  /** A paragraph that moves to the next page whole when it does not fit. */
  private paragraph(raw: string, options: { font?: 'regular' | 'bold'; size?: number; indent?: number; color?: string } = {}): void {
    const text = printable(raw);
    const indent = options.indent ?? 0;
    this.doc.font(options.font ?? 'regular').fontSize(options.size ?? 9);
    const width = this.width - indent;
    this.ensureSpace(this.doc.heightOfString(text, { width }) + 2);
    this.doc.fillColor(options.color ?? color.text).text(text, this.left + indent, this.doc.y, { width });
    this.doc.fillColor(color.text);
  }

  /** Label–value rows, the label column `labelWidth` wide. */
  private keyValues(rows: readonly [string, string][], labelWidth = 130): void {
    for (const [label, raw] of rows) {
      const value = printable(raw);
      this.doc.font('regular').fontSize(9);
      const valueWidth = this.width - labelWidth;
      const height = Math.max(this.doc.heightOfString(value, { width: valueWidth }), 11);
      this.ensureSpace(height + 2);
      const y = this.doc.y;
      this.doc.font('bold').fillColor(color.muted).text(label, this.left, y, { width: labelWidth - 8 });
      this.doc.font('regular').fillColor(color.text).text(value, this.left + labelWidth, y, { width: valueWidth });
      this.doc.y = Math.max(this.doc.y, y + height) + 2;
    }
  }

  // ——— sections ———

  header(): void {
    const { session, chairName } = this.input;
    const { doc } = this;
    if (this.options.clinicName !== undefined) {
      doc.font('regular').fontSize(10).fillColor(color.muted).text(printable(this.options.clinicName), this.left, doc.y, { width: this.width });
    }
    doc.font('bold').fontSize(18).fillColor(color.text).text(printable(this.title()), this.left, doc.y, { width: this.width });
    doc.moveDown(0.3);
    const { state, protocol, patient } = session;
    const endMs = state.dischargedAtMs ?? state.cancelledAtMs;
    const status =
      state.phase === 'discharged'
        ? 'Discharged'
        : state.phase === 'cancelled'
          ? `Cancelled${state.cancelReason === null ? '' : ` (${state.cancelReason})`}`
          : `In progress (${this.phaseName(state.phase)}) at ${formatClinicDateTime(this.options.generatedAtMs, this.tz)}`;
    const dates =
      endMs === null
        ? `${formatClinicDateTime(state.checkedInAtMs, this.tz)} – (running)`
        : formatClinicDate(endMs, this.tz) === formatClinicDate(state.checkedInAtMs, this.tz)
          ? `${formatClinicDate(state.checkedInAtMs, this.tz)}, ${this.time(state.checkedInAtMs)}–${this.time(endMs)}`
          : `${formatClinicDateTime(state.checkedInAtMs, this.tz)} – ${formatClinicDateTime(endMs, this.tz)}`;
    this.keyValues(
      [
        ['Patient', `${patient.displayName}${patient.mrn === null ? '' : `   MRN ${patient.mrn}`}`],
        ...(patient.riskFlags.length > 0 ? [['Risk flags', patient.riskFlags.map((f) => riskFlagLabels[f]).join(', ')] as [string, string]] : []),
        ['Chair', chairName ?? session.chairId],
        ['Protocol', `${protocol.name} (version ${protocol.version})`],
        ['Date', `${dates}   ${describeTimeZone(state.checkedInAtMs, this.tz)}`],
        ['Status', status],
        ['Checked in by', session.checkedInBy],
        ['Session', session.id],
      ],
      95,
    );
  }

  disclaimer(): void {
    const { doc } = this;
    doc.moveDown(0.5);
    doc.font('regular').fontSize(8.5);
    const height = doc.heightOfString(reportDisclaimer, { width: this.width - 16 }) + 10;
    this.ensureSpace(height);
    const y = doc.y;
    doc.rect(this.left, y, this.width, height).lineWidth(0.75).strokeColor(color.rule).stroke();
    doc.fillColor(color.text).text(reportDisclaimer, this.left + 8, y + 5, { width: this.width - 16 });
    doc.y = y + height + 2;
  }

  private peakText(peak: VitalPeak | null, unit: string): string {
    if (peak === null) return 'no readings';
    const moment = this.input.session.protocol.labels.treatmentStartMoment;
    const when =
      peak.sinceTreatmentStartMs === null
        ? `at ${this.time(peak.atMs)}`
        : `at ${this.time(peak.atMs)}, ${formatDuration(peak.sinceTreatmentStartMs)} after ${moment}`;
    const delta = peak.deltaFromBaseline === null ? 'no baseline to compare' : `${signed(peak.deltaFromBaseline)} ${unit} vs baseline ${num(peak.baseline ?? 0)}`;
    return `${num(peak.value)} ${unit} ${when}; ${delta}`;
  }

  summary(): void {
    const s = this.stats;
    const { protocol } = this.input.session;
    const labels = protocol.labels;
    this.sectionTitle('Summary');
    const b = s.baseline;
    const baseline =
      b.systolic === null || b.diastolic === null
        ? `not taken${b.missing === null ? '' : ` (${b.missing})`}`
        : `${num(b.systolic)}/${num(b.diastolic)} mmHg` +
          (b.mean === null ? '' : `, MAP ${num(b.mean)}`) +
          (b.heartRate === null ? '' : `, HR ${num(b.heartRate)} /min`) +
          ` (mean of ${b.bpReadingCount} BP reading${b.bpReadingCount === 1 ? '' : 's'})` +
          (b.complete ? '' : ` — incomplete: ${b.missing ?? ''}`);
    const a = s.alerts;
    const ack = s.acknowledgement;
    const phases = s.phases;
    const phaseParts = [`Baseline ${formatDuration(phases.baselineMs)}`];
    if (phases.treatmentStartedAtMs !== null) {
      phaseParts.push(`${labels.treatmentPhase} ${formatDuration(phases.treatmentMs)}${phases.pausedMs > 0 ? ` (paused ${formatDuration(phases.pausedMs)})` : ''}`);
    }
    if (phases.treatmentEndedAtMs !== null) phaseParts.push(`Observation ${formatDuration(phases.observationMs)}`);
    phaseParts.push(`Total ${formatDuration(phases.totalMs)}`);
    const phaseTimes = [
      `check-in ${this.time(phases.checkedInAtMs)}`,
      ...(phases.treatmentStartedAtMs === null ? [] : [`${labels.treatmentStartMoment} ${this.time(phases.treatmentStartedAtMs)}`]),
      ...(phases.treatmentEndedAtMs === null ? [] : [`${labels.treatmentEndMoment} ${this.time(phases.treatmentEndedAtMs)}`]),
      ...(phases.dischargedAtMs === null ? [] : [`discharge ${this.time(phases.dischargedAtMs)}`]),
      ...(phases.cancelledAtMs === null ? [] : [`cancelled ${this.time(phases.cancelledAtMs)}`]),
    ];
    const obs = s.observation;
    const moment = (from: 'treatment-start' | 'treatment-end'): string => (from === 'treatment-start' ? labels.treatmentStartMoment : labels.treatmentEndMoment);
    const g = s.gate;
    const gate = [
      g.firstHeldAtMs === null
        ? 'discharge criteria never met'
        : `discharge criteria met at ${this.time(g.firstHeldAtMs)}${g.firstHeldAfterReferenceMs === null || obs === null ? '' : ` (${formatDuration(g.firstHeldAfterReferenceMs)} after ${moment(obs.from)})`}`,
      g.dischargedVia === 'gate' ? 'discharged without override' : '',
      g.dischargedVia === 'override' ? `discharged with a clinician's override — reason: ${g.overrideReason ?? ''}` : '',
    ].filter((x) => x !== '');
    const lowest = s.lowestSpo2;
    const rows: [string, string][] = [
      ['Baseline', baseline],
      ['Peak systolic', this.peakText(s.peaks.systolic, 'mmHg')],
      ['Peak diastolic', this.peakText(s.peaks.diastolic, 'mmHg')],
      ['Peak heart rate', this.peakText(s.peaks.heartRate, '/min')],
      [
        'Lowest SpO₂',
        lowest === null
          ? 'not monitored'
          : `${num(lowest.value)} % at ${this.time(lowest.atMs)}` +
            (lowest.sinceTreatmentStartMs === null ? '' : `, ${formatDuration(lowest.sinceTreatmentStartMs)} after ${labels.treatmentStartMoment}`) +
            (lowest.value < 70 ? ' (below 70 %: low accuracy)' : ''),
      ],
      [
        'Readings',
        `${s.readings.total} readings, ${s.readings.bloodPressures} blood pressures; ${s.readings.rejectedValues} rejected value${s.readings.rejectedValues === 1 ? '' : 's'} (kept, not charted)`,
      ],
      [
        'Alerts',
        a.total === 0
          ? 'none'
          : `${a.total}: ${a.byPriority.high} high, ${a.byPriority.medium} medium, ${a.byPriority.low} low; ${a.unacknowledged} not acknowledged`,
      ],
      [
        'Time to acknowledge',
        ack.acknowledged === 0
          ? 'no acknowledged alerts'
          : `median ${formatDuration(ack.medianMs ?? 0, { seconds: true })}, longest ${formatDuration(ack.maxMs ?? 0, { seconds: true })} (${ack.acknowledged} acknowledged)`,
      ],
      ['Phases', `${phaseParts.join(' · ')}\n${phaseTimes.join(', ')}`],
      [
        'Observation',
        obs === null
          ? 'not started'
          : `${formatDuration(obs.elapsedMs)} since ${moment(obs.from)}; minimum ${formatDuration(obs.minimumMs)} ${obs.minimumReached ? 'reached' : 'not reached'}`,
      ],
      ['Discharge gate', gate.join('; ')],
    ];
    this.keyValues(rows);
    const form = s.esketamineForm;
    if (form !== null) {
      const bp = (x: { systolic: number; diastolic: number; atMs: number; minutesFromDosing: number | null } | null): string =>
        x === null ? 'not recorded' : `${num(x.systolic)}/${num(x.diastolic)} mmHg at ${this.time(x.atMs)}${x.minutesFromDosing === null ? '' : ` (${x.minutesFromDosing} min from dosing)`}`;
      this.doc.moveDown(0.4);
      this.paragraph('Esketamine (REMS) monitoring form', { font: 'bold', size: 10 });
      this.keyValues([
        ['BP before dosing', bp(form.bpBeforeDosing)],
        [form.bpAtCheckpoint?.checkpointLabel ?? 'BP at ~40 min', bp(form.bpAtCheckpoint)],
        ['BP before discharge', bp(form.bpBeforeDischarge)],
        ['Total monitoring', form.totalMonitoringMinutes === null ? 'not discharged' : `${form.totalMonitoringMinutes} min from dosing to end of monitoring`],
        [
          'Discharge criteria met at',
          form.readyToLeaveAtMs === null ? 'never met' : `${this.time(form.readyToLeaveAtMs)} (${form.readyToLeaveMinutesFromDosing ?? 0} min from dosing)`,
        ],
        ...(form.missing.length > 0 ? [['Not answered', form.missing.join('; ')] as [string, string]] : []),
      ]);
    }
  }

  chart(): void {
    const { doc } = this;
    const { session, alerts } = this.input;
    const chartHeight = 262;
    this.sectionTitle('Chart', chartHeight);
    const top = doc.y;
    const axisWidth = 34;
    const x0 = this.left + axisWidth;
    const plotWidth = this.width - axisWidth - 6;
    const upper = { top, height: 160 };
    const lower = { top: top + 172, height: 56 };

    const readings = session.readings
      .map((r) => ({ r, atMs: Date.parse(r.measuredAt) }))
      .filter((x) => !Number.isNaN(x.atMs))
      .sort((p, q) => p.atMs - q.atMs || p.r.seq - q.r.seq);
    const endMs = timelineEndMs(session.state, this.options.generatedAtMs);
    const t0 = Math.min(session.state.checkedInAtMs, readings[0]?.atMs ?? Infinity);
    const t1 = Math.max(endMs, readings.at(-1)?.atMs ?? -Infinity, t0 + 10 * 60_000);
    const xOf = (ms: number): number => x0 + ((ms - t0) / (t1 - t0)) * plotWidth;

    const values = readings.flatMap(({ r }) => [r.systolic, r.diastolic, r.heartRate].filter((v): v is number => v !== null));
    const hi = Math.max(200, Math.ceil((Math.max(0, ...values) + 10) / 20) * 20);
    const lo = Math.min(40, Math.floor((Math.min(Infinity, ...values) - 10) / 20) * 20);
    const yUpper = (v: number): number => upper.top + upper.height - ((v - lo) / (hi - lo)) * upper.height;
    const spo2Values = readings.flatMap(({ r }) => (r.spo2 === null ? [] : [r.spo2]));
    const spo2Lo = Math.min(80, Math.floor((Math.min(Infinity, ...spo2Values) - 2) / 5) * 5);
    const yLower = (v: number): number => lower.top + lower.height - ((v - spo2Lo) / (100 - spo2Lo)) * lower.height;

    // phases shaded, pauses darker, labelled at the top
    const bandColor = { baseline: color.baselineBand, treatment: color.treatmentBand, observation: color.observationBand };
    const bandLabel = { baseline: 'Baseline', treatment: session.protocol.labels.treatmentPhase, observation: 'Observation' };
    const spans = phaseSpans(session.state, this.options.generatedAtMs);
    const pauses = pauseSpans(session.state, this.options.generatedAtMs);
    for (const span of spans) {
      const xa = xOf(span.fromMs);
      const xb = xOf(span.toMs);
      for (const panel of [upper, lower]) doc.rect(xa, panel.top, xb - xa, panel.height).fillColor(bandColor[span.phase]).fill();
    }
    for (const p of pauses) {
      const xa = xOf(p.fromMs);
      const xb = Math.max(xOf(p.toMs), xa + 1);
      for (const panel of [upper, lower]) doc.rect(xa, panel.top, xb - xa, panel.height).fillColor(color.pause).fill();
    }

    // grid and axes
    doc.lineWidth(0.3).strokeColor(color.grid);
    doc.font('regular').fontSize(7).fillColor(color.muted);
    for (let v = lo; v <= hi; v += 20) {
      doc.moveTo(x0, yUpper(v)).lineTo(x0 + plotWidth, yUpper(v)).stroke();
      doc.text(String(v), this.left, yUpper(v) - 3.5, { width: axisWidth - 4, align: 'right', lineBreak: false });
    }
    for (let v = spo2Lo; v <= 100; v += 5) {
      doc.moveTo(x0, yLower(v)).lineTo(x0 + plotWidth, yLower(v)).stroke();
      if ((v - spo2Lo) % 10 === 0 || v === 100) doc.text(`${v}`, this.left, yLower(v) - 3.5, { width: axisWidth - 4, align: 'right', lineBreak: false });
    }
    doc.save().rotate(-90, { origin: [this.left - 2, upper.top + upper.height / 2] });
    doc.text('mmHg · /min', this.left - 40, upper.top + upper.height / 2 - 9, { width: 80, align: 'center', lineBreak: false });
    doc.restore();
    doc.save().rotate(-90, { origin: [this.left - 2, lower.top + lower.height / 2] });
    doc.text('SpO₂ %', this.left - 40, lower.top + lower.height / 2 - 9, { width: 80, align: 'center', lineBreak: false });
    doc.restore();
    for (const panel of [upper, lower]) doc.rect(x0, panel.top, plotWidth, panel.height).lineWidth(0.5).strokeColor(color.rule).stroke();

    // time axis on the clinic's clock
    const spanMin = (t1 - t0) / 60_000;
    const stepMin = [5, 10, 15, 30, 60, 120, 240].find((s) => spanMin / s <= 10) ?? 480;
    const offsetMs = clinicOffsetMinutes(t0, this.tz) * 60_000;
    const stepMs = stepMin * 60_000;
    for (let t = Math.ceil((t0 + offsetMs) / stepMs) * stepMs - offsetMs; t <= t1; t += stepMs) {
      const x = xOf(t);
      doc.moveTo(x, lower.top + lower.height).lineTo(x, lower.top + lower.height + 3).lineWidth(0.5).strokeColor(color.rule).stroke();
      doc.moveTo(x, upper.top).lineTo(x, upper.top + upper.height).lineWidth(0.3).strokeColor(color.grid).stroke();
      doc.font('regular').fontSize(7).fillColor(color.muted).text(this.time(t), x - 15, lower.top + lower.height + 4, { width: 30, align: 'center', lineBreak: false });
    }

    // phase labels over the grid
    for (const span of spans) {
      const xa = xOf(span.fromMs);
      const xb = xOf(span.toMs);
      if (xb - xa <= 16) continue;
      doc.font('regular').fontSize(7);
      const label = this.fit(bandLabel[span.phase], xb - xa - 6);
      doc.rect(xa + 1, upper.top + 1, doc.widthOfString(label) + 4, 9).fillColor(bandColor[span.phase]).fill();
      doc.fillColor(color.muted).text(label, xa + 3, upper.top + 2, { lineBreak: false });
    }
    for (const p of pauses) {
      const xa = xOf(p.fromMs);
      if (xOf(p.toMs) - xa > 18) doc.font('regular').fontSize(6).fillColor(color.muted).text('paused', xa + 1, upper.top + 12, { lineBreak: false });
    }

    // baseline BP, dashed
    const b = session.baseline;
    doc.lineWidth(0.8).strokeColor(color.bp).dash(3, { space: 2 });
    for (const v of [b.systolic, b.diastolic]) {
      if (v !== null) doc.moveTo(x0, yUpper(v)).lineTo(x0 + plotWidth, yUpper(v)).stroke();
    }
    doc.undash();

    // BP: a bar from diastolic to systolic with caps
    doc.lineWidth(1.2).strokeColor(color.bp);
    for (const p of bpPointsOf(session.readings)) {
      const x = xOf(p.atMs);
      doc.moveTo(x, yUpper(p.systolic)).lineTo(x, yUpper(p.diastolic)).stroke();
      doc.moveTo(x - 2.5, yUpper(p.systolic)).lineTo(x + 2.5, yUpper(p.systolic)).stroke();
      doc.moveTo(x - 2.5, yUpper(p.diastolic)).lineTo(x + 2.5, yUpper(p.diastolic)).stroke();
    }

    const line = (points: { x: number; y: number }[], stroke: string, marker: 'circle' | 'square'): void => {
      if (points.length === 0) return;
      doc.lineWidth(0.9).strokeColor(stroke);
      points.forEach((p, i) => (i === 0 ? doc.moveTo(p.x, p.y) : doc.lineTo(p.x, p.y)));
      doc.stroke();
      if (points.length <= 240) {
        doc.fillColor(stroke);
        for (const p of points) {
          if (marker === 'circle') doc.circle(p.x, p.y, 1.4).fill();
          else doc.rect(p.x - 1.3, p.y - 1.3, 2.6, 2.6).fill();
        }
      }
    };
    line(readings.flatMap(({ r, atMs }) => (r.heartRate === null ? [] : [{ x: xOf(atMs), y: yUpper(r.heartRate) }])), color.hr, 'circle');
    line(readings.flatMap(({ r, atMs }) => (r.spo2 === null ? [] : [{ x: xOf(atMs), y: yLower(r.spo2) }])), color.spo2, 'square');

    // alerts: a triangle at the top edge where each was raised
    for (const alert of alerts) {
      const x = xOf(alert.raisedAtMs);
      const y = upper.top;
      doc.polygon([x - 3.5, y - 6], [x + 3.5, y - 6], [x, y]).fillColor(color.priority[alert.priority]).fill();
    }

    // legend
    let lx = this.left;
    const ly = lower.top + lower.height + 16;
    const legend = (draw: (x: number, y: number) => void, label: string): void => {
      draw(lx, ly + 4);
      doc.font('regular').fontSize(7).fillColor(color.text).text(label, lx + 14, ly, { lineBreak: false });
      lx += 14 + doc.widthOfString(label) + 12;
    };
    legend((x, y) => {
      doc.lineWidth(1.2).strokeColor(color.bp).moveTo(x + 5, y - 4).lineTo(x + 5, y + 4).stroke();
    }, 'BP systolic–diastolic');
    legend((x, y) => {
      doc.lineWidth(0.8).strokeColor(color.bp).dash(3, { space: 2 }).moveTo(x, y).lineTo(x + 10, y).stroke();
      doc.undash();
    }, 'baseline BP');
    legend((x, y) => {
      doc.lineWidth(0.9).strokeColor(color.hr).moveTo(x, y).lineTo(x + 10, y).stroke();
      doc.fillColor(color.hr).circle(x + 5, y, 1.4).fill();
    }, 'heart rate');
    legend((x, y) => {
      doc.lineWidth(0.9).strokeColor(color.spo2).moveTo(x, y).lineTo(x + 10, y).stroke();
      doc.fillColor(color.spo2).rect(x + 3.7, y - 1.3, 2.6, 2.6).fill();
    }, 'SpO₂');
    legend((x, y) => {
      doc.polygon([x + 1.5, y - 3], [x + 8.5, y - 3], [x + 5, y + 3]).fillColor(color.priority.medium).fill();
    }, 'alert raised');
    legend((x, y) => {
      doc.rect(x, y - 4, 10, 8).fillColor(color.treatmentBand).fill();
    }, session.protocol.labels.treatmentPhase);
    legend((x, y) => {
      doc.rect(x, y - 4, 10, 8).fillColor(color.observationBand).fill();
    }, 'Observation');
    doc.fillColor(color.text);
    doc.x = this.left;
    doc.y = ly + 14;
  }

  /**
   * A table whose cells wrap: the header again on each new page, rows kept whole, every other row shaded. The last
   * column takes the width left.
   */
  private table(columns: readonly { head: string; width: number; align?: 'left' | 'right' }[], rows: readonly string[][]): void {
    const { doc } = this;
    const gap = 4;
    const fixed = columns.slice(0, -1).reduce((sum, c) => sum + c.width + gap, 0);
    const cols = columns.map((c, i) => (i === columns.length - 1 ? { ...c, width: this.width - fixed } : c));
    const size = 7.5;
    const drawHeader = (): void => {
      const y = doc.y;
      let x = this.left;
      doc.font('bold').fontSize(size).fillColor(color.muted);
      for (const c of cols) {
        doc.text(printable(c.head), x, y, { width: c.width, align: c.align ?? 'left', lineBreak: false });
        x += c.width + gap;
      }
      doc.moveTo(this.left, y + 10).lineTo(this.left + this.width, y + 10).lineWidth(0.5).strokeColor(color.rule).stroke();
      doc.y = y + 12.5;
      doc.font('regular').fillColor(color.text);
    };
    this.ensureSpace(30);
    drawHeader();
    rows.forEach((row, i) => {
      doc.font('regular').fontSize(size);
      const texts = cols.map((_c, j) => printable(row[j] ?? ''));
      const height = Math.max(10, ...cols.map((c, j) => doc.heightOfString(texts[j] === '' ? ' ' : (texts[j] as string), { width: c.width }))) + 1.5;
      if (this.ensureSpace(height)) drawHeader();
      const y = doc.y;
      if (i % 2 === 1) doc.rect(this.left, y - 1, this.width, height).fillColor('#f5f5f5').fill();
      let x = this.left;
      doc.fillColor(color.text).font('regular').fontSize(size);
      cols.forEach((c, j) => {
        doc.text(texts[j] ?? '', x, y, { width: c.width, align: c.align ?? 'left' });
        x += c.width + gap;
      });
      doc.x = this.left;
      doc.y = y + height;
    });
  }

  /** The session record beyond vitals; nothing for a session without record entries. */
  sessionRecord(): void {
    const r = this.record;
    if (!r.hasEntries) return;
    const { doc } = this;
    const muted = { color: color.muted, size: 8.5 };

    this.sectionTitle('Administration');
    if (r.administration.length === 0) {
      this.paragraph('No dose or infusion recorded.', muted);
    } else {
      const weightKg = r.record.infusion?.weightKg ?? null;
      this.paragraph(
        `Total given: ${recordNumber(r.totalMg)} mg${weightKg === null ? '' : ` (${Math.round((r.totalMg / weightKg) * 100) / 100} mg/kg at ${recordNumber(weightKg)} kg)`}` +
          (r.record.doses.some((d) => d.device !== null) ? `, ${r.record.doses.filter((d) => d.device !== null).length} device${r.record.doses.filter((d) => d.device !== null).length === 1 ? '' : 's'}` : '') +
          (r.record.firstDeviceAtMs === null ? '' : `; first device ${this.time(r.record.firstDeviceAtMs)}`),
        { font: 'bold' },
      );
      doc.moveDown(0.2);
      this.table(
        [
          { head: 'Time', width: 30 },
          { head: 'What', width: 56 },
          { head: 'Drug', width: 46 },
          { head: 'Route', width: 42 },
          { head: 'Lot / device', width: 82 },
          { head: 'By', width: 42 },
          { head: 'Cum. mg', width: 34, align: 'right' },
          { head: 'Dose / rate', width: 0 },
        ],
        r.administration.map((a) => [
          this.time(a.atMs),
          a.what,
          a.drug,
          a.route,
          a.lotDevice ?? '',
          a.username,
          recordNumber(a.cumulativeMg),
          [a.dose, a.rate, a.note === null ? null : `Note: ${a.note}`].filter((x) => x !== null).join('\n'),
        ]),
      );
    }

    this.sectionTitle('Sedation and dissociation (MOAA/S, CADSS-6)');
    const sed = r.record.sedation;
    this.paragraph(
      [
        sed.resolved && sed.resolvedAtMs !== null ? `Resolved at ${this.time(sed.resolvedAtMs)} (MOAA/S 5, CADSS-6 at or below its pre-dose value)` : 'Not resolved',
        `pre-dose CADSS-6 ${sed.preDoseCadss === null ? 'not taken' : sed.preDoseCadss}`,
        `sedation ${sed.sedationSeen ? 'seen' : 'not seen'}`,
        `dissociation ${sed.dissociationSeen ? 'seen' : 'not seen'}`,
      ].join('; '),
    );
    doc.moveDown(0.2);
    if (r.scores.length === 0) this.paragraph('No scores recorded.', muted);
    else
      this.table(
        [
          { head: 'Time', width: 30 },
          { head: 'From dosing', width: 50, align: 'right' },
          { head: 'Scale', width: 46 },
          { head: 'Score', width: 40, align: 'right' },
          { head: 'CADSS-6 items', width: 80 },
          { head: 'By', width: 50 },
          { head: 'Note', width: 0 },
        ],
        r.scores.map((s) => [
          this.time(s.atMs),
          s.minFromDosing === null ? '' : `${s.minFromDosing} min`,
          scoreScaleLabels[s.scale],
          s.scale === 'moaa-s' ? `${s.value} of 5` : `${s.value} of 24`,
          s.items === null ? '' : s.items.join(' '),
          s.username,
          s.corrected ? 'corrected entry' : '',
        ]),
      );

    this.sectionTitle('Interventions (PRN)');
    if (r.interventions.length === 0) this.paragraph('No PRN given.', muted);
    else
      this.table(
        [
          { head: 'Time', width: 30 },
          { head: 'Drug and dose', width: 96 },
          { head: 'Indication', width: 80 },
          { head: 'By', width: 44 },
          { head: 'Reassessment and response', width: 0 },
        ],
        r.interventions.map((p) => [
          this.time(p.atMs),
          `${p.drug} ${recordNumber(p.doseMg)} mg ${p.route}`,
          p.indication,
          p.username,
          p.reassessment === null
            ? `Not reassessed (due ${this.time(p.reassessDueAtMs)})`
            : `${this.time(p.reassessment.atMs)} by ${p.reassessment.username}${p.reassessment.late ? ' (late)' : ''}: ${p.reassessment.response}`,
        ]),
      );

    this.sectionTitle('Adverse events');
    if (r.adverseEvents.length === 0) this.paragraph('No adverse event recorded.', muted);
    else
      this.table(
        [
          { head: 'Time', width: 30 },
          { head: 'Event', width: 90 },
          { head: 'Severity', width: 50 },
          { head: 'Serious', width: 40 },
          { head: 'By', width: 44 },
          { head: 'Note', width: 0 },
        ],
        r.adverseEvents.map((a) => [this.time(a.atMs), a.kind, a.severity, a.serious ? 'SERIOUS' : 'no', a.username, a.note ?? '']),
      );

    this.sectionTitle('Eyes-on checks');
    const ro = r.rounding;
    this.keyValues([
      ['Checks', `${ro.count} (one expected every ${ro.intervalMin} min during treatment and observation)`],
      [
        'Longest gap',
        ro.longestGap === null
          ? 'treatment not started'
          : `${formatDuration(ro.longestGap.ms)} (${this.time(ro.longestGap.fromMs)}–${this.time(ro.longestGap.toMs)}); ${ro.overdueGaps} gap${ro.overdueGaps === 1 ? '' : 's'} past the overdue margin`,
      ],
      ['Statuses', ro.byStatus.length === 0 ? 'none recorded' : ro.byStatus.map((b) => `${b.status} ${b.count}`).join(', ')],
    ]);
    const unusual = ro.checks.filter((c) => c.status !== 'comfortable');
    if (unusual.length > 0) {
      this.paragraph(`Not comfortable: ${unusual.map((c) => `${this.time(c.atMs)} ${roundingStatusLabels[c.status] ?? c.status} (${c.username})`).join('; ')}`, { size: 8.5 });
    }

    this.sectionTitle('Readiness and escort');
    const answered = r.readiness.items.filter((i) => i.answer !== null);
    const answerText = (a: boolean | string | null): string => (a === true ? 'yes' : a === false ? 'no' : (a ?? 'not answered'));
    this.keyValues(
      [
        ...r.readiness.items.map((i): [string, string] => [
          i.hardStop ? `${i.label} (hard stop)` : i.label,
          i.answer === null ? 'not answered' : `${answerText(i.answer)} — ${i.answeredBy ?? ''}${i.answeredAtMs === null ? '' : `, ${this.time(i.answeredAtMs)}`}`,
        ]),
        ['Escort', r.escort === null ? 'not recorded' : `${r.escort.name}, ${r.escort.phone} (recorded ${this.time(r.escort.atMs)} by ${r.escort.username})`],
        ['Hand-off', r.handoff === null ? 'not recorded' : `collected by ${r.handoff.collectedBy} at ${this.time(r.handoff.atMs)} (recorded by ${r.handoff.username})`],
      ],
      200,
    );
    if (answered.length === 0 && r.readiness.items.length > 0) this.paragraph('No readiness answers recorded.', muted);
  }

  readingsTable(): void {
    const { doc } = this;
    const { session } = this.input;
    this.sectionTitle('Readings');
    const all = [...session.readings].sort((p, q) => Date.parse(p.measuredAt) - Date.parse(q.measuredAt) || p.seq - q.seq);
    const { rows: kept, thinned } = thinReadings(all, this.options.maxReadingRows ?? 1500);
    if (thinned > 0) {
      this.paragraph(
        `${thinned} streamed readings (heart rate, SpO₂ or respiratory rate alone) are thinned to one per minute here; ` +
          'every reading is in the CSV export.',
        { color: color.muted, size: 8 },
      );
    }
    const { head, omitted, tail } = headAndTail(kept, this.limits.maxTableRows);
    const rows = [...head, ...tail];
    if (rows.length === 0) {
      this.paragraph('No readings.', { color: color.muted });
      return;
    }
    const cols = [
      { head: 'Time', width: 42, align: 'left' as const },
      { head: 'Phase', width: 58, align: 'left' as const },
      { head: 'SBP', width: 28, align: 'right' as const },
      { head: 'DBP', width: 28, align: 'right' as const },
      { head: 'MAP', width: 28, align: 'right' as const },
      { head: 'HR', width: 26, align: 'right' as const },
      { head: 'SpO₂', width: 30, align: 'right' as const },
      { head: 'RR', width: 24, align: 'right' as const },
      { head: '', width: 2, align: 'left' as const },
      { head: 'Source', width: 60, align: 'left' as const },
    ];
    const fixed = cols.reduce((s, c) => s + c.width + 4, 0);
    const allCols = [...cols, { head: 'Notes', width: this.width - fixed, align: 'left' as const }];
    const rowHeight = 11.5;
    const drawHeader = (): void => {
      let x = this.left;
      const y = doc.y;
      doc.font('bold').fontSize(7.5).fillColor(color.muted);
      for (const c of allCols) {
        doc.text(c.head, x, y, { width: c.width, align: c.align, lineBreak: false });
        x += c.width + 4;
      }
      doc.moveTo(this.left, y + rowHeight - 1.5).lineTo(this.left + this.width, y + rowHeight - 1.5).lineWidth(0.5).strokeColor(color.rule).stroke();
      doc.y = y + rowHeight + 1;
      doc.font('regular').fontSize(7.5).fillColor(color.text);
    };
    drawHeader();
    let day = formatClinicDate(session.state.checkedInAtMs, this.tz);
    rows.forEach((r, i) => {
      if (omitted > 0 && i === head.length) {
        if (this.ensureSpace(rowHeight * 2)) drawHeader();
        doc.font('bold').fontSize(7.5).fillColor(color.muted);
        doc.text(`… ${omitted} more readings are not printed here; every reading is in the CSV export …`, this.left, doc.y, { lineBreak: false });
        doc.y += rowHeight;
        doc.font('regular').fillColor(color.text);
      }
      const ms = Date.parse(r.measuredAt);
      const rowDay = Number.isNaN(ms) ? day : formatClinicDate(ms, this.tz);
      const dayChange = rowDay !== day;
      if (this.ensureSpace(rowHeight * (dayChange ? 2 : 1))) drawHeader();
      if (dayChange) {
        day = rowDay;
        doc.font('bold').fontSize(7.5).text(rowDay, this.left, doc.y, { lineBreak: false });
        doc.y += rowHeight;
        doc.font('regular');
      }
      const y = doc.y;
      if (i % 2 === 1) doc.rect(this.left, y - 1.5, this.width, rowHeight).fillColor('#f5f5f5').fill();
      const rejected = (f: string): boolean => r.rejected.some((x) => x.field === f);
      const cell = (v: number | null, f: string): string => (v !== null ? num(v) : rejected(f) ? 'rej.' : '');
      const notes = [
        ...r.rejected.map((x) => `rejected ${x.field} ${x.value}: ${x.message}`),
        ...(r.flags.includes('spo2-low-accuracy') ? ['SpO₂ low accuracy (<70 %)'] : []),
      ].join('; ');
      const source = r.source === 'manual' ? `manual${r.enteredBy === null ? '' : ` (${r.enteredBy})`}` : r.source;
      const texts = [
        Number.isNaN(ms) ? r.measuredAt : this.time(ms, true),
        this.phaseName(Number.isNaN(ms) ? '' : phaseAt(session.state, ms)),
        cell(r.systolic, 'systolic'),
        cell(r.diastolic, 'diastolic'),
        cell(r.mean, 'mean'),
        cell(r.heartRate, 'heartRate'),
        cell(r.spo2, 'spo2'),
        cell(r.respRate, 'respRate'),
        '',
        source,
        notes,
      ];
      let x = this.left;
      doc.fillColor(color.text).font('regular').fontSize(7.5);
      allCols.forEach((c, j) => {
        doc.text(this.fit(texts[j] ?? '', c.width), x, y, { width: c.width + 2, align: c.align, lineBreak: false });
        x += c.width + 4;
      });
      doc.x = this.left;
      doc.y = y + rowHeight;
    });
  }

  alerts(): void {
    const { alerts } = this.input;
    this.sectionTitle('Alerts and acknowledgements');
    if (alerts.length === 0) {
      this.paragraph('No alerts were raised.', { color: color.muted });
      return;
    }
    for (const alert of [...alerts].sort((p, q) => p.raisedAtMs - q.raisedAtMs)) this.alertBlock(alert);
  }

  private alertBlock(alert: Alert): void {
    const { doc } = this;
    this.ensureSpace(40);
    const head = `${prioritySymbol[alert.priority]}  ${this.time(alert.raisedAtMs, true)}  ${alertTitle(alert)} — ${alert.priority} priority, ${alert.category}`;
    this.paragraph(head, { font: 'bold', color: color.priority[alert.priority] });
    const status =
      alert.clearedAtMs !== null
        ? `Cleared ${this.time(alert.clearedAtMs, true)}${alert.clearReason === null ? '' : ` (${describeClearReason(alert.clearReason)})`}.`
        : alert.status === 'active'
          ? 'Still active when the report was made.'
          : 'Acknowledged; not cleared.';
    const escalated = alert.escalatedAtMs === null ? '' : ` Escalated ${this.time(alert.escalatedAtMs, true)}.`;
    this.paragraph(`${alert.message}. ${status}${escalated}`, { indent: 14 });
    const reached = escalationStepsText(escalationStepsOf(this.input.escalations, alert.id), (ms) => this.time(ms, true));
    if (reached !== null) this.paragraph(`${reached}.`, { indent: 14 });
    if (alert.acknowledgements.length === 0) {
      this.paragraph('Not acknowledged.', { indent: 14, color: color.priority.high });
    }
    for (const a of alert.acknowledgements) {
      const after = formatDuration(Math.max(0, a.atMs - alert.raisedAtMs), { seconds: true });
      this.paragraph(
        `Acknowledged ${this.time(a.atMs, true)} by ${a.by.username}, ${after} after it was raised${a.note === null || a.note.trim() === '' ? '' : ` — note: “${a.note.trim()}”`}`,
        { indent: 14 },
      );
    }
    doc.moveDown(0.3);
  }

  timeline(): void {
    const { doc } = this;
    const { session } = this.input;
    this.sectionTitle('Event timeline');
    const events = [...session.events].sort((p, q) => p.seq - q.seq);
    if (events.length === 0) {
      this.paragraph('No events recorded.', { color: color.muted });
      return;
    }
    const timeWidth = 50;
    const whoWidth = 110;
    const { head, omitted, tail } = headAndTail(events, this.limits.maxTimelineEvents);
    const fullText = 'the session record (FHIR export)';
    let textLeft = this.limits.maxTimelineTextChars;
    for (const e of [...head, ...tail]) {
      if (omitted > 0 && e === tail[0]) {
        this.paragraph(`… ${omitted} more events are not printed here; the full timeline is in the session record (FHIR export) …`, { color: color.muted, size: 8 });
        doc.moveDown(0.2);
      }
      const ms = Date.parse(e.at);
      const label = sessionEventLabel(e, session.protocol);
      const details = sessionEventDetails(e, session.protocol).join('\n');
      const shown = details === '' ? '' : textLeft > 0 ? clipText(details, Math.min(this.limits.maxEventTextChars, textLeft), fullText) : `[${details.length} characters not printed; the full text is in ${fullText}]`;
      textLeft -= Math.min(details.length, this.limits.maxEventTextChars);
      const what = printable(shown === '' ? label : `${label}\n${shown}`);
      const whatWidth = this.width - timeWidth - whoWidth;
      doc.font('regular').fontSize(8.5);
      const height = Math.max(doc.heightOfString(what, { width: whatWidth }), 11);
      this.ensureSpace(height + 3);
      const y = doc.y;
      doc.fillColor(color.muted).text(Number.isNaN(ms) ? e.at : this.time(ms, true), this.left, y, { width: timeWidth - 4, lineBreak: false });
      doc.fillColor(color.text).text(this.fit(e.role === 'system' ? 'system' : `${e.username} (${e.role})`, whoWidth - 6), this.left + timeWidth, y, { lineBreak: false });
      doc.text(what, this.left + timeWidth + whoWidth, y, { width: whatWidth });
      doc.y = Math.max(doc.y, y + height) + 3;
    }
  }

  signature(): void {
    const { doc } = this;
    const { signature, addenda } = this.input;
    this.sectionTitle('Signature');
    doc.font('regular').fontSize(10);
    this.ensureSpace(56);
    const y = doc.y;
    const text =
      signature === null
        ? 'Not signed'
        : `Signed by ${signature.signedBy} on ${formatClinicDateTime(signature.signedAtMs, this.tz)} (${this.tz})`;
    doc.rect(this.left, y, this.width, 44).lineWidth(0.75).strokeColor(color.rule).stroke();
    doc.font('bold').fillColor(signature === null ? color.priority.high : color.text).text(printable(text), this.left + 10, y + 9, { width: this.width - 20 });
    doc.font('regular').fontSize(8).fillColor(color.muted).text(
      signature === null ? 'A clinician has not reviewed and signed this session log.' : 'The session log is locked; later corrections are addenda.',
      this.left + 10,
      y + 26,
      { width: this.width - 20 },
    );
    doc.y = y + 52;
    doc.fillColor(color.text);
    for (const [i, a] of addenda.entries()) {
      this.paragraph(`Addendum ${i + 1} — ${a.by}, ${formatClinicDateTime(a.atMs, this.tz)}`, { font: 'bold' });
      this.paragraph(a.text, { indent: 14 });
    }
  }

  /** Footer on every page: what and when on the left, "Page n of N" on the right. */
  footers(): void {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    const left = `${this.title()} · ${this.input.session.patient.displayName} · session ${this.input.session.id} · generated ${formatClinicDateTime(this.options.generatedAtMs, this.tz)}`;
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const savedBottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0; // writing inside the margin must not start a new page
      const y = doc.page.height - margin.bottom + 22;
      doc.moveTo(this.left, y - 5).lineTo(this.left + this.width, y - 5).lineWidth(0.5).strokeColor(color.rule).stroke();
      doc.font('regular').fontSize(7.5).fillColor(color.muted);
      doc.text(this.fit(left, this.width - 80), this.left, y, { width: this.width - 80, lineBreak: false });
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, this.left + this.width - 80, y, { width: 80, align: 'right', lineBreak: false });
      doc.page.margins.bottom = savedBottom;
    }
  }
}

/** Which readings the table prints: all of them up to `maxRows`, else streamed values one per minute. */
function thinReadings(readings: readonly Reading[], maxRows: number): { rows: Reading[]; thinned: number } {
  if (readings.length <= maxRows) return { rows: [...readings], thinned: 0 };
  const rows: Reading[] = [];
  let lastStreamedMinute = Number.NEGATIVE_INFINITY;
  let thinned = 0;
  for (const r of readings) {
    const keep = r.systolic !== null || r.diastolic !== null || r.source === 'manual' || r.rejected.length > 0 || r.flags.length > 0;
    const minute = Math.floor(Date.parse(r.measuredAt) / 60_000);
    if (keep || minute !== lastStreamedMinute) {
      rows.push(r);
      if (!keep) lastStreamedMinute = minute;
    } else {
      thinned += 1;
    }
  }
  return { rows, thinned };
}

/**
 * Lays out the report and returns the PDF document, ended: pipe it to a response, or use
 * `renderSessionReportPdf` for a Buffer.
 */
export function createSessionReportPdf(input: SessionReviewInput, options: SessionReportOptions): Doc {
  const w = new ReportWriter(input, options);
  w.header();
  w.disclaimer();
  // What a reviewer reads first leads, as on the screen: the summary, alerts with their
  // acknowledgements, the events, the chart and the signature; the readings table, the longest and
  // the evidence behind the rest, comes last.
  w.summary();
  w.sessionRecord();
  w.alerts();
  w.timeline();
  w.chart();
  w.signature();
  w.readingsTable();
  w.footers();
  w.doc.end();
  return w.doc;
}

/** The report as one Buffer. */
export function renderSessionReportPdf(input: SessionReviewInput, options: SessionReportOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const doc = createSessionReportPdf(input, options);
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
