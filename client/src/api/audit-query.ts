/** The audit list's query (`GET /api/v1/audit`); its answer's schema is in @chairside/shared. */
export interface AuditQuery {
  /** ISO instants with an offset. */
  from?: string;
  to?: string;
  /** Username. */
  user?: string;
  action?: string;
  sessionId?: string;
  limit?: number;
  offset?: number;
}

/** `from=…&to=…&user=…`, empty parts left out; `format=csv` for the download. */
export function auditQueryString(query: AuditQuery, format: 'json' | 'csv' = 'json'): string {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'user', 'action', 'sessionId'] as const) {
    const value = query[key]?.trim();
    if (value !== undefined && value !== '') params.set(key, value);
  }
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.offset !== undefined && query.offset > 0) params.set('offset', String(query.offset));
  if (format === 'csv') params.set('format', 'csv');
  return params.toString();
}
