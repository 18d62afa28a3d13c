import type { Reading, ReportPaper, ReviewExportFormat, SessionReviewInput } from '@chairside/shared';
import { sessionReadingsCsv } from './csv-export';
import { sessionFhirBundle } from './fhir-export';
import { renderSessionReportPdf } from './pdf-report';

/*
 * One export of a session, as plain data that crosses to an export worker (export-pool.ts) by
 * structured clone, and its rendering there. The readings, the bulk of a session, travel as their
 * JSON bytes (which the report cache keeps for a finished session): copying bytes costs the server's
 * event loop far less than cloning 10,000 reading objects.
 */

export interface ExportJob {
  format: ReviewExportFormat;
  paper: ReportPaper;
  timeZone: string;
  /** When the export is made (FHIR Bundle.timestamp, the PDF's footer). */
  generatedAtMs: number;
  /** The session's review input with `session.readings` empty: they are `readingsJson`. */
  input: SessionReviewInput;
  /** `JSON.stringify(input.session.readings)` as UTF-8. */
  readingsJson: Uint8Array;
}

/** The job for `input`, whose readings are given as their JSON; the bytes are copied, so the job owns them. */
export function exportJobOf(
  input: SessionReviewInput,
  readingsJson: Uint8Array,
  options: Pick<ExportJob, 'format' | 'paper' | 'timeZone' | 'generatedAtMs'>,
): ExportJob {
  return {
    ...options,
    input: { ...input, session: { ...input.session, readings: [] } },
    readingsJson: new Uint8Array(readingsJson), // a copy of exactly these bytes, free to transfer
  };
}

/** The file's bytes: CSV and FHIR JSON as UTF-8, or the PDF. */
export async function renderExport(job: ExportJob): Promise<Uint8Array> {
  const readings = JSON.parse(Buffer.from(job.readingsJson.buffer, job.readingsJson.byteOffset, job.readingsJson.byteLength).toString('utf8')) as Reading[];
  const input: SessionReviewInput = { ...job.input, session: { ...job.input.session, readings } };
  const { timeZone, generatedAtMs } = job;
  switch (job.format) {
    case 'csv':
      return Buffer.from(sessionReadingsCsv(input.session, { timeZone }), 'utf8');
    case 'fhir':
      return Buffer.from(JSON.stringify(sessionFhirBundle(input, { timeZone, generatedAtMs }), null, 2), 'utf8');
    case 'pdf':
      return renderSessionReportPdf(input, { timeZone, paper: job.paper, generatedAtMs });
  }
}
