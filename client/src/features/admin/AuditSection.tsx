import { idSchema } from '@chairside/shared';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { ApiError } from '../../api/api-error';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { parseDateTimeLocal, toIsoWithOffset } from '../manual-entry/local-time';
import { TextField } from './AdminField';
import { LoadState } from './LoadState';
import type { AuditEntry, AuditQuery } from './admin-api';
import { type FormErrors, errorsFromIssues, hasErrors } from './admin-errors';
import { formatInstant } from './admin-format';
import { useAdminLoad } from './use-admin-load';

export const auditPageSize = 50;
/** The server's limit for one answer, so the most a download holds. */
const csvLimit = 5000;

const fields = ['from', 'to', 'user', 'action', 'sessionId'] as const;
type Field = (typeof fields)[number];
type Draft = Record<Field, string>;
const emptyDraft: Draft = { from: '', to: '', user: '', action: '', sessionId: '' };

/** Actions the server records (server/src, `audit.record`); the field takes any other too. */
const knownActions = [
  'login',
  'login-failed',
  'logout',
  'user-created',
  'user-updated',
  'device-token-created',
  'device-token-revoked',
  'device-registered',
  'device-removed',
  'chair-created',
  'protocol-saved',
  'patient-created',
  'session-checked-in',
  'session-viewed',
  'session-signed',
  'session-exported',
  'addendum-added',
  'readings-attached',
  'alert-acknowledged',
  'audio-paused',
  'audit-viewed',
];

/** The filter as the API takes it, or the fields to fix. */
function toQuery(draft: Draft): { ok: true; query: AuditQuery } | { ok: false; errors: FormErrors<Field> } {
  const errors: FormErrors<Field> = {};
  const instant = (field: 'from' | 'to'): string | undefined => {
    if (draft[field].trim() === '') return undefined;
    const ms = parseDateTimeLocal(draft[field]);
    if (ms === null) {
      errors[field] = 'Enter a date and time';
      return undefined;
    }
    return toIsoWithOffset(ms);
  };
  const from = instant('from');
  const to = instant('to');
  if (from !== undefined && to !== undefined && Date.parse(from) >= Date.parse(to)) errors.to = 'Must be after “From”';
  const sessionId = draft.sessionId.trim();
  if (sessionId !== '' && !idSchema.safeParse(sessionId).success) errors.sessionId = 'Not a session id (letters, digits, “.”, “_” or “-”)';
  if (hasErrors(errors)) return { ok: false, errors };
  return { ok: true, query: { from, to, user: draft.user.trim().toLowerCase(), action: draft.action.trim(), sessionId } };
}

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details === 'object' && Object.keys(details).length === 0) return '';
  const text = typeof details === 'string' ? details : JSON.stringify(details);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const details = detailsText(entry.details);
  const full = typeof entry.details === 'string' ? entry.details : JSON.stringify(entry.details);
  return (
    <tr>
      <td>
        <time dateTime={entry.at}>{formatInstant(entry.at)}</time>
      </td>
      <td>
        {entry.username} <span className="muted">{entry.role}</span>
      </td>
      <td>
        <code className="admin-code">{entry.action}</code>
      </td>
      <td>{entry.targetType === null ? '' : `${entry.targetType}${entry.targetId === null ? '' : ` ${entry.targetId}`}`}</td>
      <td>{entry.sessionId === null ? '' : <code className="admin-code">{entry.sessionId}</code>}</td>
      <td className="admin-table__details" title={details === full ? undefined : full}>
        {details}
      </td>
      <td>{entry.ip ?? ''}</td>
    </tr>
  );
}

/** The append-only audit trail, newest first: filtered, paged, and downloadable as CSV. */
export function AuditSection() {
  const { api } = useServices();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [applied, setApplied] = useState<AuditQuery>({});
  const [page, setPage] = useState(0);
  // One more than a page: whether there is a next one.
  const entries = useAdminLoad(useCallback(() => api.listAudit({ ...applied, limit: auditPageSize + 1, offset: page * auditPageSize }), [api, applied, page]));
  const formId = useId();
  const listId = useId();

  const change = (field: Field) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined, form: undefined }));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = toQuery(draft);
    if (!result.ok) {
      setErrors({ ...result.errors, form: 'Check the marked fields.' });
      return;
    }
    setErrors({});
    setApplied(result.query);
    setPage(0);
    if (JSON.stringify(result.query) === JSON.stringify(applied) && page === 0) entries.reload();
  };

  const clear = () => {
    setDraft(emptyDraft);
    setErrors({});
    setApplied({});
    setPage(0);
  };

  // The server's own objections to the filter, beside the fields they name.
  const serverErrors = entries.cause instanceof ApiError && entries.cause.status === 400 ? errorsFromIssues(entries.cause.details, fields) : {};
  const shownErrors = { ...serverErrors, ...errors };
  const rows = (entries.value ?? []).slice(0, auditPageSize);
  const hasMore = (entries.value?.length ?? 0) > auditPageSize;
  const first = page * auditPageSize + 1;

  return (
    <section className="admin-section" aria-labelledby="admin-audit-heading">
      <PageTitle title="Audit trail — Admin" />
      <div className="admin-subbar">
        <h2 id="admin-audit-heading" className="admin-section__title">
          Audit trail
        </h2>
        <a className="button button--secondary" href={api.auditCsvUrl({ ...applied, limit: csvLimit })} download="chairside-audit.csv">
          Download CSV
        </a>
      </div>
      <p className="muted admin-section__lead">
        Logins, record views, changes and admin actions, newest first; it cannot be edited. The download holds the filtered entries (at most {csvLimit}).
      </p>

      <form className="admin-form admin-filter" noValidate onSubmit={onSubmit} aria-labelledby={`${formId}-title`}>
        <h3 id={`${formId}-title`} className="admin-form__title">
          Filter
        </h3>
        <div className="admin-form__grid admin-filter__grid">
          <TextField label="From" name="from" type="datetime-local" value={draft.from} onChange={change('from')} error={shownErrors.from} />
          <TextField label="To" name="to" type="datetime-local" value={draft.to} onChange={change('to')} error={shownErrors.to} />
          <TextField label="User" name="user" value={draft.user} onChange={change('user')} error={shownErrors.user} hint="Username" />
          <TextField label="Action" name="action" value={draft.action} onChange={change('action')} error={shownErrors.action} list={listId} hint="e.g. login-failed" />
          <TextField label="Session id" name="sessionId" value={draft.sessionId} onChange={change('sessionId')} error={shownErrors.sessionId} />
        </div>
        <datalist id={listId}>
          {knownActions.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <div role="alert" className="entry-form__alert">
          {errors.form}
        </div>
        <div className="admin-form__actions">
          <button type="button" className="button button--quiet" onClick={clear}>
            Clear filter
          </button>
          <button type="submit" className="button button--primary">
            Show entries
          </button>
        </div>
      </form>

      <LoadState load={entries} what="the audit trail" />
      {entries.value !== null &&
        (rows.length === 0 ? (
          <p className="muted">{page === 0 ? 'No entries match the filter.' : 'No more entries.'}</p>
        ) : (
          <div className="table-scroll" aria-busy={entries.status === 'loading'}>
            <table className="admin-table admin-table--dense">
              <caption className="visually-hidden">Audit trail</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">User</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Session</th>
                  <th scope="col">Details</th>
                  <th scope="col">IP</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((entry) => (
                  <AuditRow key={entry.seq} entry={entry} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <nav className="pager" aria-label="Audit trail pages">
        <button type="button" className="button button--secondary" onClick={() => setPage((p) => Math.max(0, p - 1))} disabled={page === 0}>
          Previous page
        </button>
        <span className="pager__position" role="status">
          {rows.length === 0 ? '' : `Entries ${first}–${first + rows.length - 1}`}
        </span>
        <button type="button" className="button button--secondary" onClick={() => setPage((p) => p + 1)} disabled={!hasMore}>
          Next page
        </button>
      </nav>
    </section>
  );
}
