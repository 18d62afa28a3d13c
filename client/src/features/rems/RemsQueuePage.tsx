import { type RemsFormStatus, formatClinicDateTime, remsFieldIds, remsFieldLabels } from '@chairside/shared';
import { useCallback, useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { useLoad } from '../../hooks/use-load';
import { useAppStore } from '../../store/store-context';
import { daysLeftText, deviceTimeZone, dueDate, queueOrder } from './rems-fields';
import '../../styles/rems.css';

/*
 * The REMS forms of esketamine sessions (/rems): drafts by default, the soonest due (the oldest session) first, each
 * with the days left of the 7 and what it still lacks; signed and submitted ones by the filter. Each opens the form.
 */

const statuses: readonly { value: RemsFormStatus; label: string }[] = [
  { value: 'draft', label: 'To sign' },
  { value: 'signed', label: 'Signed, not submitted' },
  { value: 'submitted', label: 'Submitted' },
];

const statusOf = (raw: string | null): RemsFormStatus => statuses.find((s) => s.value === raw)?.value ?? 'draft';

export function RemsQueuePage() {
  const { api } = useServices();
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const chairs = useAppStore((s) => s.chairs);
  const [params, setParams] = useSearchParams();
  const status = statusOf(params.get('status'));
  const headingId = useId();
  const filterId = useId();
  const zone = deviceTimeZone();
  const load = useCallback(() => api.remsQueue(status), [api, status]);
  const result = useLoad(load, status);
  const items = queueOrder(result.answer ?? []);

  return (
    <section className="page rems-page" aria-labelledby={headingId}>
      <PageTitle title="REMS forms" />
      <div className="page__bar">
        <h1 id={headingId} className="page__title">
          REMS forms
        </h1>
        <p className="page__summary">Esketamine sessions of the last 30 days. Each REMS Patient Monitoring Form is due within 7 days of the session.</p>
      </div>

      <fieldset className="rems-filter">
        <legend id={filterId} className="field__label">
          Show
        </legend>
        {statuses.map((s) => (
          <label key={s.value} className={`rems-filter__option${status === s.value ? ' is-checked' : ''}`}>
            <input type="radio" name="rems-status" value={s.value} checked={status === s.value} onChange={() => setParams(s.value === 'draft' ? {} : { status: s.value })} />
            {s.label}
          </label>
        ))}
      </fieldset>

      {role !== 'clinician' && <p className="notice rems-notice">Only a clinician signs these forms; you can open them to read the drafts.</p>}

      {result.status === 'failed' && (
        <div role="alert" className="notice notice--error">
          <span>Could not load the REMS forms: {result.error}</span>
          <button type="button" className="button button--secondary" onClick={result.reload}>
            Retry
          </button>
        </div>
      )}
      {result.status === 'loading' && <p className="empty-state">Loading REMS forms…</p>}
      {result.status === 'loaded' && items.length === 0 && (
        <p className="empty-state">{status === 'draft' ? 'No REMS forms wait for a signature.' : status === 'signed' ? 'No signed form waits to be recorded as submitted.' : 'No submitted forms in the last 30 days.'}</p>
      )}
      {items.length > 0 && (
        <ol className="rems-queue" aria-labelledby={headingId} aria-busy={result.status === 'loading'}>
          {items.map((item) => {
            const overdue = item.daysLeft < 0 && item.status !== 'submitted';
            return (
              <li key={item.sessionId} className={`rems-queue__item${overdue ? ' is-overdue' : ''}`}>
                <Link className="rems-queue__link" to={`/rems/${encodeURIComponent(item.sessionId)}`}>
                  <span className="rems-queue__patient">
                    {item.patient.displayName}
                    {item.patient.mrn !== null && <span className="muted"> · MRN {item.patient.mrn}</span>}
                  </span>
                  <span className="rems-queue__meta muted">
                    {chairs[item.chairId]?.name ?? item.chairId}
                    {item.sessionEndedAtMs !== null && ` · ended ${formatClinicDateTime(item.sessionEndedAtMs, zone)}`}
                  </span>
                  {item.status !== 'submitted' && (
                    <span className={overdue ? 'rems-days is-overdue' : 'rems-days'}>
                      {overdue && <span aria-hidden="true">⚠ </span>}
                      {daysLeftText(item.daysLeft)} <span className="rems-days__date">(due by {dueDate(item.dueByMs, zone)})</span>
                    </span>
                  )}
                  {item.status === 'draft' && (
                    <span className="rems-queue__missing">
                      {item.missing.length === 0
                        ? 'Every field filled — ready to sign'
                        : `Missing: ${remsFieldIds
                            .filter((id) => item.missing.includes(id))
                            .map((id) => remsFieldLabels[id].toLowerCase())
                            .join(', ')}`}
                    </span>
                  )}
                  <span className="rems-queue__open" aria-hidden="true">
                    Open ›
                  </span>
                </Link>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
