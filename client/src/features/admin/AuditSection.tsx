import { idSchema } from '@chairside/shared';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { ApiError } from '../../api/api-error';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { parseDateTimeLocal, toIsoWithOffset } from '../../lib/local-time';
import { TextField } from './AdminField';
import { LoadState } from './LoadState';
import type { AuditEntry } from '@chairside/shared';
import type { AuditQuery } from '../../api/audit-query';
import { type FormErrors, errorsFromIssues, hasErrors } from './admin-errors';
import { auditSentence, auditTimeText, formatInstant } from './admin-format';
import { useLoad } from '../../hooks/use-load';

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
  'session-event',
  'start-override',
  'discharge-override',
  'limits-changed',
  'session-viewed',
  'session-signed',
  'session-exported',
  'addendum-added',
  'readings-attached',
  'alert-acknowledged',
  'audio-paused',
  'audit-viewed',
  'demo-triggered',
  'assignment-set',
  'assignment-released',
  'push-subscribed',
  'push-removed',
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

/** The entry as stored, for the disclosure under its sentence (the names are not part of the record). */
function rawText(entry: AuditEntry): string {
  const { names: _names, ...stored } = entry;
  return JSON.stringify(stored, null, 2);
}

function AuditItem({ entry }: { entry: AuditEntry }) {
  return (
    <li className="audit-entry">
      <p className="audit-entry__sentence">
        {auditSentence(entry)}{' '}
        <time className="audit-entry__time" dateTime={entry.at}>
          {auditTimeText(entry.at)}
        </time>
      </p>
      <details className="audit-entry__raw">
        <summary>
          {formatInstant(entry.at)}
          {entry.ip === null ? '' : ` · from ${entry.ip}`} · entry {entry.seq}
        </summary>
        <pre className="admin-code audit-entry__json">{rawText(entry)}</pre>
      </details>
    </li>
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
  const entries = useLoad(useCallback(() => api.listAudit({ ...applied, limit: auditPageSize + 1, offset: page * auditPageSize }), [api, applied, page]));
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
        Logins, record views, changes and admin actions, newest first; it cannot be edited. Under each entry, its time, address and the record as stored. The download holds the filtered entries (at most {csvLimit}).
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
          <ol className="audit-list" aria-label="Audit trail" aria-busy={entries.status === 'loading'}>
            {rows.map((entry) => (
              <AuditItem key={entry.seq} entry={entry} />
            ))}
          </ol>
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
