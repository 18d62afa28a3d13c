import type { ReportPaper, ReviewExportFormat } from '@chairside/shared';

/* The review API's queries as the dashboard sends them; its answers' schemas are in @chairside/shared (review/review-api.ts). */

/** The query of `GET /api/v1/sessions`, as the server names it; every field optional. */
export interface SessionListQuery {
  fromDate?: string;
  toDate?: string;
  patientId?: string;
  chairId?: string;
  protocolId?: string;
  hadAlerts?: boolean;
  overrideUsed?: boolean;
  signed?: boolean;
  sort?: 'checkedInAt' | 'chair' | 'protocol';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

const listQueryKeys = [
  'fromDate',
  'toDate',
  'patientId',
  'chairId',
  'protocolId',
  'hadAlerts',
  'overrideUsed',
  'signed',
  'sort',
  'order',
  'limit',
  'offset',
] as const satisfies readonly (keyof SessionListQuery)[];

/** "fromDate=2026-11-16&toDate=2026-11-22&sort=chair…": the list query as the server reads it, in a fixed order. */
export function sessionListQueryString(query: SessionListQuery): string {
  const params = new URLSearchParams();
  for (const key of listQueryKeys) {
    const value = query[key];
    if (value !== undefined) params.set(key, String(value));
  }
  return params.toString();
}

const sessionPath = (sessionId: string) => `/api/v1/sessions/${encodeURIComponent(sessionId)}`;

/**
 * Where a session's export downloads from (`GET /api/v1/sessions/:id/export`). A plain link: the
 * browser sends the session cookie and saves the answer under the server's file name.
 */
export function sessionExportHref(sessionId: string, format: ReviewExportFormat, paper?: ReportPaper): string {
  const query = new URLSearchParams({ format });
  if (format === 'pdf' && paper !== undefined) query.set('paper', paper);
  return `${sessionPath(sessionId)}/export?${query.toString()}`;
}

/** The printable REMS Patient Monitoring Form of an esketamine session (same origin, with the session cookie). */
export function remsFormPdfHref(sessionId: string): string {
  return `${sessionPath(sessionId)}/rems-form.pdf`;
}
