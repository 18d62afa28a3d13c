import {
  type Alert,
  bpPointsOf,
  formatClinicDate,
  isSessionEnded,
  type ReviewExportFormat,
  reviewExportFileName,
  type ReportPaper,
  type SessionPhase,
  type SessionReviewInput,
  sessionStats,
  signingStatement,
  type SessionStats,
} from '@chairside/shared';
import type { Clock } from '../clock';
import { AppError, conflict, forbidden } from '../http/app-error';
import type { SessionsService } from '../sessions/sessions.service';
import type { AddendumRecord, SessionFilter, SignatureRecord, Store } from '../store/store';
import { csvContentType } from './csv-export';
import { ExportBusyError, ExportFailedError, type ExportPool } from './export-pool';
import { exportJobOf } from './export-render';
import { fhirContentType } from './fhir-export';
import { pdfContentType } from './pdf-report';
import { type ReportSession, reportSessionOf, SessionReportCache } from './report-cache';
import { reportJsonBody } from './report-json';

export interface ReviewServiceDeps {
  store: Pick<Store, 'sessions' | 'alerts' | 'catalog' | 'deliveries'>;
  clock: Clock;
  sessions: SessionsService;
  timeZone: string;
  /** Renders exports off the event loop (export-pool.ts). */
  exports: Pick<ExportPool, 'assertRoom' | 'run'>;
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
  body: Buffer;
}

/** Content types of the exports; text is UTF-8. */
const exportContentTypes: Record<ReviewExportFormat, string> = {
  csv: csvContentType,
  fhir: `${fhirContentType}; charset=utf-8`,
  pdf: pdfContentType,
};

const exportsBusy = (error: ExportBusyError): AppError =>
  new AppError('unavailable', 'The server is busy with other exports; nothing was made. Try again in a few seconds.', { retryAfterSec: error.retryAfterSec });

/** One session of a patient's history, set on treatment-relative time for comparison. */
export interface PatientHistoryItem {
  sessionId: string;
  checkedInAt: string;
  protocolName: string;
  phase: SessionPhase;
  stats: SessionStats;
  /** BP points, minutes since treatment start (null times before treatment are negative). */
  bpCurve: { minutes: number; systolic: number; diastolic: number }[];
}

/** What a signature states: the dashboard quotes the same text before signing. */
const statement = signingStatement;

/** Clinician review: the session report, sign and lock, addenda, exports, patient history. */
export class ReviewService {
  private readonly cache: SessionReportCache;
  /** Sessions being read for a report, by id, version and whether to keep it. */
  private readonly reading = new Map<string, Promise<ReportSession>>();

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
    const version = await this.deps.store.sessions.findSessionVersion(sessionId);
    const cached = version === null ? null : this.cache.get(sessionId, version);
    if (cached) return cached;
    // Views and exports asked for together (a clinician's three formats) read the session once.
    const key = JSON.stringify([sessionId, version, keep]);
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.deps.sessions
        .detail(sessionId)
        .then((session) => (version !== null && keep ? this.cache.set(sessionId, version, session) : reportSessionOf(session)))
        .finally(() => this.reading.delete(key));
      this.reading.set(key, reading);
    }
    return reading;
  }

  /** Alerts and their escalation steps, chair, signature and addenda are read on every view; the statistics are taken now. */
  private async build(sessionId: string, keep = true): Promise<{ report: SessionReport; readingsJson: () => Buffer }> {
    const { clock, timeZone } = this.deps;
    const { input, signature, addenda, readingsJson } = await this.reviewInput(sessionId, keep);
    const stats = sessionStats({ session: input.session, alerts: input.alerts, asOfMs: clock.now() });
    return { report: { input, stats, signature, addenda, timeZone }, readingsJson };
  }

  /** What a report or an export of the session is made of. */
  private async reviewInput(
    sessionId: string,
    keep: boolean,
  ): Promise<{ input: SessionReviewInput; signature: SignatureRecord | null; addenda: AddendumRecord[]; readingsJson: () => Buffer }> {
    const { store } = this.deps;
    const { session, readingsJson } = await this.reportSession(sessionId, keep);
    // Read beside the kept session, never kept with it (report-cache.ts): an escalation step is an alert event, which
    // changes nothing the cache's version key holds.
    const [alertRecords, escalations, chair, signature, addenda] = await Promise.all([
      store.alerts.listSessionAlerts(session.id),
      store.deliveries.listEscalations({ sessionId: session.id }),
      store.catalog.findChair(session.chairId),
      store.sessions.findSignature(session.id),
      store.sessions.listAddenda(session.id),
    ]);
    const alerts: Alert[] = alertRecords.map((r) => r.alert);
    const input: SessionReviewInput = {
      session,
      alerts,
      chairName: chair?.name ?? null,
      signature: signature ? { signedBy: `${signature.signedByName} (${signature.signedBy})`, signedAtMs: signature.signedAt } : null,
      addenda: addenda.map((a) => ({ text: a.text, by: `${a.displayName} (${a.username})`, atMs: a.at })),
      escalations,
    };
    return { input, signature, addenda, readingsJson };
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
    if (!(await this.deps.store.sessions.signSession(signature))) throw conflict('This session is signed already.');
    return signature;
  }

  async addAddendum(sessionId: string, text: string, user: { username: string; displayName: string }): Promise<AddendumRecord> {
    const { session } = await this.reportSession(sessionId, true);
    if (!(await this.deps.store.sessions.findSignature(session.id))) {
      throw conflict('Addenda are for signed sessions; this one is still open to notes and corrections.');
    }
    return this.deps.store.sessions.addAddendum({ sessionId: session.id, text, username: user.username, displayName: user.displayName, at: this.deps.clock.now() });
  }

  /**
   * The export, rendered in a worker thread (export-pool.ts): the event loop only reads the session
   * (a finished one usually from the report cache) and hands its readings over as JSON bytes.
   * 503 with Retry-After when the export workers and their queue are full.
   */
  async exportFile(sessionId: string, format: ReviewExportFormat, paper: ReportPaper): Promise<ExportFile> {
    const { exports, timeZone, clock } = this.deps;
    // Refused before the session is read: a busy server spends nothing on an export it cannot make.
    try {
      exports.assertRoom();
    } catch (error) {
      throw error instanceof ExportBusyError ? exportsBusy(error) : error;
    }
    const { input, readingsJson } = await this.reviewInput(sessionId, true);
    const fileName = reviewExportFileName(input.session.id, formatClinicDate(input.session.state.checkedInAtMs, timeZone), format);
    const job = exportJobOf(input, readingsJson(), { format, paper, timeZone, generatedAtMs: clock.now() });
    let bytes: Uint8Array;
    try {
      bytes = await exports.run(job);
    } catch (error) {
      if (error instanceof ExportFailedError) throw new AppError('unavailable', `${error.message} Nothing was exported.`);
      if (error instanceof ExportBusyError) throw exportsBusy(error);
      throw error;
    }
    return { contentType: exportContentTypes[format], fileName, body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  list(filter: SessionFilter) {
    return this.deps.store.sessions.listSessions(filter);
  }

  async patientHistory(patientId: string): Promise<PatientHistoryItem[]> {
    const { rows } = await this.deps.store.sessions.listSessions({ fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, patientId, order: 'asc', limit: 200, offset: 0 });
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
