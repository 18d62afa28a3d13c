/**
 * Clinician review and export of a session: CSV of the readings, a FHIR R4 Bundle and a printable
 * PDF report. Each takes a `SessionReviewInput` (from @chairside/shared) and the clinic's time zone;
 * none touches the store or the clock. The route gathers the input, picks the format and records
 * the export in the audit trail.
 */
export { csvContentType, csvField, csvHeaders, csvRow, sessionReadingsCsv, type CsvExportOptions } from './csv-export';
export { fhirContentType, loincCodes, sessionFhirBundle, uuidV5, vitalSignsProfiles, type FhirExportOptions } from './fhir-export';
export type { Bundle as FhirBundle } from './fhir-types';
export {
  createSessionReportPdf,
  paperSizes,
  pdfContentType,
  renderSessionReportPdf,
  reportDisclaimer,
  type SessionReportOptions,
} from './pdf-report';
export { createRemsFormPdf, remsPdfNotice, remsPdfTitle, renderRemsFormPdf, type RemsPdfOptions } from './rems-pdf';
