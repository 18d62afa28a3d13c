import { z } from 'zod';

/** Formats of `GET /api/v1/sessions/:id/export?format=…`. */
export const reviewExportFormatSchema = z.enum(['csv', 'fhir', 'pdf']);
export type ReviewExportFormat = z.infer<typeof reviewExportFormatSchema>;

/** Paper of the PDF report. */
export const reportPaperSchema = z.enum(['a4', 'letter']);
export type ReportPaper = z.infer<typeof reportPaperSchema>;

/** Query of `GET /api/v1/sessions/:id/export`: `?format=csv|fhir|pdf&paper=a4|letter` (paper: PDF only). */
export const reviewExportQuerySchema = z
  .object({
    format: reviewExportFormatSchema,
    paper: reportPaperSchema.optional(),
  })
  .strict();
export type ReviewExportQuery = z.infer<typeof reviewExportQuerySchema>;

const extensions: Record<ReviewExportFormat, string> = { csv: 'csv', fhir: 'fhir.json', pdf: 'pdf' };

/**
 * A download's file name: "chairside-session-2025-03-03-<session id>.csv". No patient data in it:
 * file names end up in download folders, mail subjects and logs. `clinicDate` is the session's date
 * in the clinic's time zone (`formatClinicDate`).
 */
export function reviewExportFileName(sessionId: string, clinicDate: string, format: ReviewExportFormat): string {
  const safeId = sessionId.replace(/[^A-Za-z0-9._-]/g, '_');
  return `chairside-session-${clinicDate}-${safeId}.${extensions[format]}`;
}
