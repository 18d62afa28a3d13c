import {
  type Alert,
  bpPointsOf,
  formatClinicDate,
  isSessionEnded,
  type ReviewExportFormat,
  reviewExportFileName,
  type ReportPaper,
  type SessionReviewInput,
  sessionStats,
  type SessionStats,
} from '@chairside/shared';
import type { Clock } from '../clock';
import { conflict, forbidden } from '../http/app-error';
import type { SessionsService } from '../sessions/sessions.service';
import type { AddendumRecord, SessionFilter, SignatureRecord, Store } from '../store/store';
import { csvContentType, sessionReadingsCsv } from './csv-export';
import { fhirContentType, sessionFhirBundle } from './fhir-export';
import { pdfContentType, renderSessionReportPdf } from './pdf-report';
import { type ReportSession, reportSessionOf, SessionReportCache } from './report-cache';
import { reportJsonBody } from './report-json';

export interface ReviewServiceDeps {
  store: Store;
  clock: Clock;
  sessions: SessionsService;
  timeZone: string;
  /**
   * How many readings of finished sessions the report cache keeps in memory (default 50,000: about
   * 45 MB, objects and JSON, for four to five 3-hour sessions at 1 Hz); 0 keeps none.
   */
  reportCacheReadings?: number;
}

export interface SessionReport {
  input: SessionReviewInput;
  stats: SessionStats;
  signature: SignatureRecord | null;
  addenda: AddendumRecord[];
  timeZone: string;
}

export interface ExportFile {
  contentType: string;
  fileName: string;
  body: string | Buffer;
}

/** One session of a patient's history, set on treatment-relative time for comparison. */
export interface PatientHistoryItem {
  sessionId: string;
  checkedInAt: string;
  protocolName: string;
  phase: string;
  stats: SessionStats;
  /** BP points, minutes since treatment start (null times before treatment are negative). */
  bpCurve: { minutes: number; systolic: number; diastolic: number }[];
}

const statement =
  'I have reviewed this session record (readings, alerts, acknowledgements and events) and sign it as complete.';

/** Clinician review: the session report, sign and lock, addenda, exports, patient history. */
export class ReviewService {
  private readonly cache: SessionReportCache;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.cache = new SessionReportCache(deps.reportCacheReadings ?? 50_000);
  }

  async report(sessionId: string): Promise<SessionReport> {
    return (await this.build(sessionId)).report;
  }

  /** The report as UTF-8 JSON, exactly `JSON.stringify(report)`, without serialising a kept session's readings again. */
  async reportJson(sessionId: string): Promise<{ sessionId: string; body: Buffer }> {
    const { report, readingsJson } = await this.build(sessionId);
    return { sessionId: report.input.session.id, body: reportJsonBody(report, readingsJson()) };
  }

  /**
   * A finished session from the report cache while its stored version is unchanged; read (and, with
   * `keep`, kept) otherwise. The version is read first, so what is kept is at least as new as it.
   */
  private async reportSession(sessionId: string, keep: boolean): Promise<ReportSession> {
    const version = await this.deps.store.findSessionVersion(sessionId);
    const cached = version === null ? null : this.cache.get(sessionId, version);
    if (cached) return cached;
    const session = await this.deps.sessions.detail(sessionId);
    return version !== null && keep ? this.cache.set(sessionId, version, session) : reportSessionOf(session);
  }

  /** Alerts, chair, signature and addenda are read on every view; the statistics are taken now. */
  private async build(sessionId: string, keep = true): Promise<{ report: SessionReport; readingsJson: () => Buffer }> {
    const { store, clock, timeZone } = this.deps;
    const { session, readingsJson } = await this.reportSession(sessionId, keep);
    const [alertRecords, chair, signature, addenda] = await Promise.all([
      store.listSessionAlerts(session.id),
      store.findChair(session.chairId),
      store.findSignature(session.id),
      store.listAddenda(session.id),
    ]);
    const alerts: Alert[] = alertRecords.map((r) => r.alert);
    const input: SessionReviewInput = {
      session,
      alerts,
      chairName: chair?.name ?? null,
      signature: signature ? { signedBy: `${signature.signedByName} (${signature.signedBy})`, signedAtMs: signature.signedAt } : null,
      addenda: addenda.map((a) => ({ text: a.text, by: `${a.displayName} (${a.username})`, atMs: a.at })),
    };
    return { report: { input, stats: sessionStats({ session, alerts, asOfMs: clock.now() }), signature, addenda, timeZone }, readingsJson };
  }

  async sign(sessionId: string, clinician: { username: string; displayName: string; role: string }): Promise<SignatureRecord> {
    if (clinician.role !== 'clinician') throw forbidden('Only a clinician signs a session.');
    const { session } = await this.reportSession(sessionId, true); // usually kept: its report was viewed before
    if (!isSessionEnded(session.state)) {
      throw conflict('Only a finished session can be signed: discharge or cancel it first.');
    }
    const signature: SignatureRecord = {
      sessionId: session.id,
      signedBy: clinician.username,
      signedByName: clinician.displayName,
      signedAt: this.deps.clock.now(),
      statement,
    };
    if (!(await this.deps.store.signSession(signature))) throw conflict('This session is signed already.');
    return signature;
  }

  async addAddendum(sessionId: string, text: string, user: { username: string; displayName: string }): Promise<AddendumRecord> {
    const { session } = await this.reportSession(sessionId, true);
    if (!(await this.deps.store.findSignature(session.id))) {
      throw conflict('Addenda are for signed sessions; this one is still open to notes and corrections.');
    }
    return this.deps.store.addAddendum({ sessionId: session.id, text, username: user.username, displayName: user.displayName, at: this.deps.clock.now() });
  }

  async exportFile(sessionId: string, format: ReviewExportFormat, paper: ReportPaper): Promise<ExportFile> {
    const { input } = await this.report(sessionId);
    const { timeZone, clock } = this.deps;
    const fileName = reviewExportFileName(input.session.id, formatClinicDate(input.session.state.checkedInAtMs, timeZone), format);
    switch (format) {
      case 'csv':
        return { contentType: csvContentType, fileName, body: sessionReadingsCsv(input.session, { timeZone }) };
      case 'fhir':
        return {
          contentType: fhirContentType,
          fileName,
          body: JSON.stringify(sessionFhirBundle(input, { timeZone, generatedAtMs: clock.now() }), null, 2),
        };
      case 'pdf':
        return { contentType: pdfContentType, fileName, body: await renderSessionReportPdf(input, { timeZone, paper, generatedAtMs: clock.now() }) };
    }
  }

  list(filter: SessionFilter) {
    return this.deps.store.listSessions(filter);
  }

  async patientHistory(patientId: string): Promise<PatientHistoryItem[]> {
    const { rows } = await this.deps.store.listSessions({ fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, patientId, order: 'asc', limit: 200, offset: 0 });
    const items: PatientHistoryItem[] = [];
    for (const row of rows) {
      // Served from the report cache when there, without filling it with a patient's whole history.
      const { input, stats } = (await this.build(row.session.id, false)).report;
      const start = input.session.state.treatmentStartedAtMs;
      items.push({
        sessionId: row.session.id,
        checkedInAt: new Date(row.session.checkedInAt).toISOString(),
        protocolName: input.session.protocol.name,
        phase: input.session.state.phase,
        stats,
        bpCurve:
          start === null
            ? []
            : bpPointsOf(input.session.readings).map((p) => ({ minutes: Math.round(((p.atMs - start) / 60_000) * 10) / 10, systolic: p.systolic, diastolic: p.diastolic })),
      });
    }
    return items;
  }
}
