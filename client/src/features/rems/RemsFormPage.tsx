import { type RemsFieldId, type RemsFormView, formatClinicDateTime } from '@chairside/shared';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/api-error';
import { remsFormPdfHref } from '../../api/review-queries';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { useLoad } from '../../hooks/use-load';
import { parseDateTimeLocal, toDateTimeLocalValue, toIsoWithOffset } from '../../lib/local-time';
import { useAppStore } from '../../store/store-context';
import { type RemsInput, checkRemsSign, remsChangedEvent, daysLeftText, deviceTimeZone, dueDate, emptyInput, remsFieldViews, remsInputKinds, remsMedications } from './rems-fields';
import '../../styles/rems.css';

/*
 * The esketamine REMS Patient Monitoring Form of one session (/rems/:sessionId): every field with its value and
 * where it came from, the missing ones marked; a clinician completes them, attests and signs; then the clinic
 * records how and when it was submitted. A signed form is read-only. A nurse sees the draft and may record the
 * submission, but only a clinician signs (the server refuses anyone else).
 */

export const remsOfficialNotice =
  'This is Chairside’s record of the form, drafted from the session log. The official REMS Patient Monitoring Form is filed through the Spravato REMS portal within 7 days of the session.';

const dayMs = 86_400_000;

function YesNo({ name, value, onChange, describedBy }: { name: string; value: boolean | null; onChange: (v: boolean) => void; describedBy?: string }) {
  return (
    <div className="rems-yesno" role="radiogroup" aria-labelledby={`${name}-label`} aria-describedby={describedBy}>
      {([true, false] as const).map((answer) => (
        <label key={String(answer)} className={`rems-yesno__option${value === answer ? ' is-checked' : ''}`}>
          <input type="radio" name={name} checked={value === answer} onChange={() => onChange(answer)} />
          {answer ? 'Yes' : 'No'}
        </label>
      ))}
    </div>
  );
}

function FieldInput({ id, fieldId, input, error, onChange }: { id: string; fieldId: RemsFieldId; input: RemsInput; error: string | undefined; onChange: (v: RemsInput) => void }) {
  const kind = remsInputKinds[fieldId];
  const described = error === undefined ? undefined : `${id}-error`;
  switch (kind) {
    case 'yesno':
      return <YesNo name={id} value={typeof input === 'boolean' ? input : null} onChange={onChange} describedBy={described} />;
    case 'bp': {
      const bp = typeof input === 'object' && input !== null && 'systolic' in input ? (input as { systolic: string; diastolic: string }) : { systolic: '', diastolic: '' };
      return (
        <div className="rems-bp" role="group" aria-labelledby={`${id}-label`} aria-describedby={described}>
          <input
            className="field__input field__input--number"
            inputMode="numeric"
            aria-label="Systolic"
            placeholder="SYS"
            value={bp.systolic}
            aria-invalid={error !== undefined}
            onChange={(e) => onChange({ ...bp, systolic: e.target.value })}
          />
          <span aria-hidden="true" className="rems-bp__slash">
            /
          </span>
          <input
            className="field__input field__input--number"
            inputMode="numeric"
            aria-label="Diastolic"
            placeholder="DIA"
            value={bp.diastolic}
            aria-invalid={error !== undefined}
            onChange={(e) => onChange({ ...bp, diastolic: e.target.value })}
          />
          <span className="field__unit">mmHg</span>
        </div>
      );
    }
    case 'medications': {
      const answers = typeof input === 'object' && input !== null && !('systolic' in input) ? (input as Record<string, boolean | null>) : {};
      return (
        <div className="rems-meds" role="group" aria-labelledby={`${id}-label`} aria-describedby={described}>
          {remsMedications.map((m) => (
            <div key={m.id} className="rems-meds__row">
              <span id={`${id}-${m.id}-label`} className="rems-meds__name">
                {m.label}
              </span>
              <YesNo name={`${id}-${m.id}`} value={answers[m.id] ?? null} onChange={(v) => onChange({ ...answers, [m.id]: v })} />
            </div>
          ))}
        </div>
      );
    }
    default:
      return (
        <span className="field__control">
          <input
            id={`${id}-input`}
            className={kind === 'minutes' ? 'field__input field__input--number' : 'field__input'}
            type={kind === 'date' ? 'date' : 'text'}
            inputMode={kind === 'minutes' ? 'numeric' : undefined}
            aria-labelledby={`${id}-label`}
            aria-describedby={described}
            aria-invalid={error !== undefined}
            maxLength={500}
            value={typeof input === 'string' ? input : ''}
            onChange={(e) => onChange(e.target.value)}
          />
          {kind === 'minutes' && <span className="field__unit">min</span>}
        </span>
      );
  }
}

function SubmissionForm({ sessionId, onRecorded }: { sessionId: string; onRecorded: (form: RemsFormView) => void }) {
  const { api, clock } = useServices();
  const id = useId();
  const [via, setVia] = useState('REMS portal');
  const [other, setOther] = useState('');
  const [when, setWhen] = useState(() => toDateTimeLocalValue(clock.now()).slice(0, 16));
  const [errors, setErrors] = useState<{ via?: string; when?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const how = via === 'other' ? other.trim() : via;
    const atMs = parseDateTimeLocal(when);
    const found: { via?: string; when?: string } = {};
    if (how === '') found.via = 'say how it was submitted';
    if (atMs === null) found.when = 'give the date and time it was submitted';
    else if (atMs > clock.now() + 5 * 60_000) found.when = 'the moment is in the future';
    setErrors(found);
    if (found.via !== undefined || found.when !== undefined || atMs === null) return;
    setSaving(true);
    setFailure(null);
    try {
      onRecorded(await api.recordRemsSubmission(sessionId, { via: how, at: toIsoWithOffset(atMs) }));
    } catch (error) {
      setFailure(`Not recorded: ${errorMessage(error)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel rems-submit" aria-labelledby={`${id}-title`} noValidate onSubmit={(e) => void submit(e)} aria-busy={saving}>
      <h2 id={`${id}-title`} className="rems-section__title">
        Record submission
      </h2>
      <p className="muted">After filing the form through the REMS portal (or by fax), record how and when it was sent.</p>
      <div className="rems-submit__fields">
        <div className={`field${errors.via === undefined ? '' : ' has-error'}`}>
          <label htmlFor={`${id}-via`} className="field__label">
            Submitted via
          </label>
          <select id={`${id}-via`} className="field__input" value={via} onChange={(e) => setVia(e.target.value)}>
            <option value="REMS portal">REMS portal</option>
            <option value="fax">Fax</option>
            <option value="other">Other…</option>
          </select>
        </div>
        {via === 'other' && (
          <div className={`field${errors.via === undefined ? '' : ' has-error'}`}>
            <label htmlFor={`${id}-other`} className="field__label">
              How
            </label>
            <input id={`${id}-other`} className="field__input" maxLength={80} value={other} onChange={(e) => setOther(e.target.value)} aria-invalid={errors.via !== undefined} />
          </div>
        )}
        <div className={`field${errors.when === undefined ? '' : ' has-error'}`}>
          <label htmlFor={`${id}-when`} className="field__label">
            When
          </label>
          <input
            id={`${id}-when`}
            type="datetime-local"
            className="field__input"
            value={when}
            onChange={(e) => setWhen(e.target.value)}
            aria-invalid={errors.when !== undefined}
            aria-describedby={errors.when === undefined ? undefined : `${id}-when-error`}
          />
          {errors.when !== undefined && (
            <p id={`${id}-when-error`} className="field__error">
              {errors.when}
            </p>
          )}
        </div>
      </div>
      {errors.via !== undefined && <p className="field__error">{errors.via}</p>}
      <div role="alert" className="entry-form__alert">
        {failure}
      </div>
      <button type="submit" className="button button--primary" disabled={saving}>
        Record submission
      </button>
    </form>
  );
}

function RemsForm({ initial, onChanged }: { initial: RemsFormView; onChanged: () => void }) {
  const { api, clock } = useServices();
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const id = useId();
  const [form, setForm] = useState(initial);
  const [inputs, setInputs] = useState<Partial<Record<RemsFieldId, RemsInput>>>({});
  const [attest, setAttest] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<RemsFieldId | 'attest', string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const zone = deviceTimeZone();
  const patient = form.fields.patient?.value as { displayName?: string; mrn?: string | null } | null;
  const views = remsFieldViews(form, zone);
  const draft = form.status === 'draft';
  const canSign = draft && role === 'clinician';
  const daysLeft = Math.floor((form.dueByMs - clock.now()) / dayMs);

  const sign = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const check = checkRemsSign(form.missing, inputs, attest);
    if (!check.ok) {
      setErrors(check.errors);
      setFailure(`Not signed: ${Object.keys(check.errors).length === 1 && check.errors.attest !== undefined ? 'tick the attestation' : 'complete the fields marked below'}.`);
      return;
    }
    setErrors({});
    setFailure(null);
    setSaving(true);
    try {
      setForm(await api.signRemsForm(form.sessionId, check.body));
      onChanged();
    } catch (error) {
      const details = error instanceof ApiError ? error.details : [];
      const named: Partial<Record<RemsFieldId, string>> = {};
      for (const d of details) if (d.path[0] === 'fields' && typeof d.path[1] === 'string') named[d.path[1] as RemsFieldId] = d.message;
      setErrors(named);
      setFailure(`Not signed: ${errorMessage(error)}`);
    } finally {
      setSaving(false);
    }
  };

  const statusText =
    form.status === 'submitted'
      ? 'Signed and submitted'
      : form.status === 'signed'
        ? 'Signed — submission not yet recorded'
        : form.missing.length === 0
          ? 'Draft — every field filled, ready to sign'
          : `Draft — ${form.missing.length} field${form.missing.length === 1 ? '' : 's'} missing`;

  return (
    <>
      <p className="rems-form__identity">
        {patient?.displayName ?? form.sessionId}
        {typeof patient?.mrn === 'string' && <span className="muted"> · MRN {patient.mrn}</span>}
      </p>
      <p className="rems-form__status">
        <span className={`rems-status rems-status--${form.status}`}>{statusText}</span>{' '}
        {form.status !== 'submitted' && (
          <span className={daysLeft < 0 ? 'rems-days is-overdue' : 'rems-days'}>
            {daysLeft < 0 && <span aria-hidden="true">⚠ </span>}
            {daysLeftText(daysLeft)} (due by {dueDate(form.dueByMs, zone)})
          </span>
        )}
      </p>
      <p className="notice rems-notice">{remsOfficialNotice}</p>
      <div className="rems-toolbar" role="group" aria-label="Form actions">
        <a className="button button--secondary" href={remsFormPdfHref(form.sessionId)} download>
          Download PDF
        </a>
        <Link className="button button--secondary" to={`/sessions/${encodeURIComponent(form.sessionId)}`}>
          Session report
        </Link>
        <Link className="button button--quiet" to="/rems">
          All REMS forms
        </Link>
      </div>
      {draft && role !== 'clinician' && (
        <p className="notice rems-notice" role="note">
          Only a clinician can complete, attest and sign this form. You can read the draft here; the missing fields are marked.
        </p>
      )}

      <form className="rems-form" noValidate onSubmit={(e) => void sign(e)} aria-busy={saving} aria-label="REMS Patient Monitoring Form">
        <ol className="rems-fields">
          {views.map((field) => {
            const editable = canSign && form.missing.includes(field.id);
            const fieldId = `${id}-${field.id}`;
            const error = errors[field.id];
            return (
              <li key={field.id} className={`rems-field${field.missing ? ' is-missing' : ''}${error === undefined ? '' : ' has-error'}`} data-field={field.id}>
                <span id={`${fieldId}-label`} className="rems-field__label">
                  {field.label}
                </span>
                <div className="rems-field__value">
                  {editable ? (
                    <FieldInput
                      id={fieldId}
                      fieldId={field.id}
                      input={inputs[field.id] ?? emptyInput(field.id)}
                      error={error}
                      onChange={(value) => {
                        setInputs((all) => ({ ...all, [field.id]: value }));
                        setErrors(({ [field.id]: _dropped, ...rest }) => rest);
                      }}
                    />
                  ) : field.text === null ? (
                    <span className="rems-field__missing">Missing</span>
                  ) : (
                    field.text
                  )}
                  {error !== undefined && (
                    <p id={`${fieldId}-error`} className="field__error">
                      {error}
                    </p>
                  )}
                </div>
                <span className="rems-field__source">{editable ? `Missing — ${field.source}; to be entered by you` : field.missing ? `Missing — ${field.source}` : field.source}</span>
              </li>
            );
          })}
        </ol>

        {canSign && (
          <div className="panel rems-sign">
            <label className={`check check--large${errors.attest === undefined ? '' : ' has-error'}`}>
              <input type="checkbox" checked={attest} onChange={(e) => setAttest(e.target.checked)} aria-describedby={errors.attest === undefined ? undefined : `${id}-attest-error`} />I
              attest that this form is complete and correct to the best of my knowledge.
            </label>
            {errors.attest !== undefined && (
              <p id={`${id}-attest-error`} className="field__error">
                {errors.attest}
              </p>
            )}
            <div role="alert" className="entry-form__alert">
              {failure}
            </div>
            <button type="submit" className="button button--primary rems-sign__button" disabled={saving}>
              {saving ? 'Signing…' : 'Sign the form'}
            </button>
            <p className="muted">Once signed, the form can no longer change.</p>
          </div>
        )}
      </form>

      {form.signed !== null && (
        <section className="panel rems-signature" aria-label="Signature">
          <p className="rems-signature__line">
            Signed by {form.signed.by} on {formatClinicDateTime(form.signed.atMs, zone)}
          </p>
          <p className="muted">The clinician attested that the form is complete and correct. A signed form is read-only.</p>
        </section>
      )}
      {form.submitted !== null && (
        <section className="panel rems-signature" aria-label="Submission">
          <p className="rems-signature__line">
            Submitted via {form.submitted.via} on {formatClinicDateTime(form.submitted.atMs, zone)}
          </p>
          <p className="muted">
            Recorded by {form.submitted.by} on {formatClinicDateTime(form.submitted.recordedAtMs, zone)}.
          </p>
        </section>
      )}
      {form.status === 'signed' && (role === 'clinician' || role === 'nurse') && (
        <SubmissionForm
          sessionId={form.sessionId}
          onRecorded={(next) => {
            setForm(next);
            onChanged();
          }}
        />
      )}
    </>
  );
}

export function RemsFormPage() {
  const { sessionId = '' } = useParams();
  const { api } = useServices();
  const headingId = useId();
  const load = useCallback(() => api.remsForm(sessionId), [api, sessionId]);
  const result = useLoad(load);
  const form = result.answer;
  return (
    <section className="page rems-page" aria-labelledby={headingId}>
      <PageTitle title="REMS form" />
      <div className="page__bar">
        <h1 id={headingId} className="page__title">
          REMS Patient Monitoring Form
        </h1>
      </div>
      {result.status === 'loading' && <p className="empty-state">Loading the REMS form…</p>}
      {result.status === 'failed' && (
        <div role="alert" className="notice notice--error">
          <span>Could not load the REMS form: {result.error}</span>
          <button type="button" className="button button--secondary" onClick={result.reload}>
            Retry
          </button>
        </div>
      )}
      {/* Keyed by session: another form starts with nothing entered. */}
      {form !== null && <RemsForm key={form.sessionId} initial={form} onChanged={() => window.dispatchEvent(new Event(remsChangedEvent))} />}
    </section>
  );
}
