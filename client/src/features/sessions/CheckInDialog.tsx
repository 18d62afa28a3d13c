import { type Patient, type Protocol, type ReadinessAnswer, type SessionSummary, recordSettingsOf } from '@chairside/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { Modal } from '../../components/Modal';
import { useAppStore } from '../../store/store-context';
import { type EscortDraft, EscortFields, checkEscort } from './EscortForm';
import { NewPatientForm } from './NewPatientForm';
import { ReadinessRow } from './ReadinessRow';
import { RiskFlagChips } from './RiskFlagChips';
import { refusalOf } from './session-events';

interface CheckInDialogProps {
  chairId: string;
  chairName: string;
  onClose: () => void;
}

type Loaded<T> = { key: string; status: 'loaded'; value: T } | { key: string; status: 'failed'; error: string };

const searchDelayMs = 250;
const shownPatients = 20;

/** Patients matching the search, asked for a moment after the typing stops. */
function usePatientSearch(search: string, attempt: number): { list: Patient[]; status: 'loading' | 'loaded' | 'failed'; error: string | null } {
  const { api } = useServices();
  const [state, setState] = useState<Loaded<Patient[]> | null>(null);
  const key = `${search.trim()}#${attempt}`;
  useEffect(() => {
    let cancelled = false;
    const query = key.slice(0, key.lastIndexOf('#'));
    const timer = setTimeout(
      () => {
        api.listPatients({ search: query, limit: shownPatients }).then(
          (value) => {
            if (!cancelled) setState({ key, status: 'loaded', value });
          },
          (error: unknown) => {
            if (!cancelled) setState({ key, status: 'failed', error: errorMessage(error) });
          },
        );
      },
      query === '' ? 0 : searchDelayMs,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, key]);
  // While a new search runs, the last answer stays on screen (no flicker while typing).
  const list = state?.status === 'loaded' ? state.value : [];
  if (state === null || state.key !== key) return { list, status: 'loading', error: null };
  return { list, status: state.status, error: state.status === 'failed' ? state.error : null };
}

/** The clinic's usual protocol: listed first and chosen unless the nurse picks another. */
export const defaultProtocolId = 'iv-ketamine';

/** The default first, then the others in the server's order (the server lists them by id, so esketamine came first). */
export function orderProtocols(list: readonly Protocol[]): Protocol[] {
  return [...list.filter((p) => p.id === defaultProtocolId), ...list.filter((p) => p.id !== defaultProtocolId)];
}

function useProtocols(attempt: number): { list: Protocol[]; status: 'loading' | 'loaded' | 'failed'; error: string | null } {
  const { api } = useServices();
  const [state, setState] = useState<Loaded<Protocol[]> | null>(null);
  const key = String(attempt);
  useEffect(() => {
    let cancelled = false;
    api.listProtocols().then(
      (value) => {
        if (!cancelled) setState({ key, status: 'loaded', value });
      },
      (error: unknown) => {
        if (!cancelled) setState({ key, status: 'failed', error: errorMessage(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, key]);
  if (state === null || state.key !== key) return { list: [], status: 'loading', error: null };
  return state.status === 'loaded' ? { list: orderProtocols(state.value), status: 'loaded', error: null } : { list: [], status: 'failed', error: state.error };
}

function protocolSummary(protocol: Protocol): string {
  const { treatment, observation, labels } = protocol;
  const from = observation.from === 'treatment-start' ? labels.treatmentStartMoment : labels.treatmentEndMoment;
  return `${labels.treatmentPhase} planned ${treatment.plannedMin} min, BP every ${treatment.bpIntervalMin} min; observation at least ${observation.minimumMin} min from ${from}.`;
}

function patientLine(patient: Patient): string {
  return patient.mrn === null ? patient.displayName : `${patient.displayName} · MRN ${patient.mrn}`;
}

/**
 * Checks a patient into a free chair: pick or add the patient, pick the protocol, then confirm the
 * patient's identity at the chair before anything is recorded.
 */
export function CheckInDialog({ chairId, chairName, onClose }: CheckInDialogProps) {
  const { api } = useServices();
  const sessionUpdated = useAppStore((s) => s.sessionUpdated);
  const [step, setStep] = useState<'choose' | 'confirm'>('choose');
  const [search, setSearch] = useState('');
  const [patientAttempt, setPatientAttempt] = useState(0);
  const [protocolAttempt, setProtocolAttempt] = useState(0);
  const [patient, setPatient] = useState<Patient | null>(null);
  const [creating, setCreating] = useState(false);
  const [chosenProtocolId, setChosenProtocolId] = useState<string | null>(null);
  const [chooseError, setChooseError] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [answers, setAnswers] = useState<Record<string, ReadinessAnswer>>({});
  const [escort, setEscort] = useState<EscortDraft>({ name: '', phone: '' });
  const [checkedIn, setCheckedIn] = useState(false);
  const [escortError, setEscortError] = useState<{ field: 'name' | 'phone'; message: string } | null>(null);
  const patients = usePatientSearch(search, patientAttempt);
  const protocols = useProtocols(protocolAttempt);
  const id = useId();

  const protocol = protocols.list.find((p) => p.id === chosenProtocolId) ?? protocols.list[0] ?? null;
  const readiness = protocol === null ? [] : recordSettingsOf(protocol).readiness;
  const shown = patient !== null && !patients.list.some((p) => p.id === patient.id) ? [patient, ...patients.list] : patients.list;

  const onContinue = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (patient === null) {
      setChooseError(creating ? 'Add the new patient first, or pick a patient from the list.' : 'Pick a patient, or add a new one.');
      return;
    }
    if (protocol === null) {
      setChooseError('Pick a protocol.');
      return;
    }
    setChooseError(null);
    setConfirmed(false);
    setConfirmError(null);
    setSubmitError(null);
    setStep('confirm');
  };

  const onCheckIn = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (checkedIn) {
      onClose();
      return;
    }
    if (saving || patient === null || protocol === null) return;
    if (!confirmed) {
      setConfirmError('Confirm the patient’s identity at the chair (name and date of birth, or wristband) before check-in.');
      return;
    }
    const escortChecked = checkEscort(escort);
    if (!escortChecked.ok) {
      setEscortError(escortChecked);
      return;
    }
    setConfirmError(null);
    setEscortError(null);
    setSubmitError(null);
    setSaving(true);
    let summary: SessionSummary;
    try {
      summary = await api.checkIn({ patientId: patient.id, chairId, protocolId: protocol.id, identityConfirmed: true });
    } catch (error) {
      setSaving(false);
      setSubmitError(`Not checked in: ${refusalOf(error).message}`);
      return;
    }
    // What was answered before dosing, then the escort, each with the nurse's name and the time. The
    // chair's session is shown once they are saved (or failed): the start gate sent back counts them.
    const given = Object.fromEntries(readiness.filter((item) => answers[item.id] !== undefined).map((item) => [item.id, answers[item.id] as ReadinessAnswer]));
    try {
      if (Object.keys(given).length > 0) summary = await api.postSessionEvent(summary.id, { type: 'readiness-answered', answers: given });
      if (escortChecked.value !== null) summary = await api.postSessionEvent(summary.id, { type: 'escort-recorded', ...escortChecked.value });
    } catch (error) {
      sessionUpdated(summary);
      setSaving(false);
      setCheckedIn(true);
      setSubmitError(`Checked in, but not saved: ${refusalOf(error).message}. Answer it on the chair page.`);
      return;
    }
    sessionUpdated(summary);
    onClose();
  };

  const title = `Check in — ${chairName}`;

  if (step === 'confirm' && patient !== null && protocol !== null) {
    const checkId = `${id}-confirm`;
    return (
      // Keyed per step: the confirmation opens as a fresh dialog, its checkbox focused.
      <Modal key="confirm" title={title} onClose={onClose}>
        <form className="check-in" noValidate onSubmit={(event) => void onCheckIn(event)} aria-busy={saving}>
          <p className="check-in__step">Step 2 of 2: confirm identity</p>
          <div className="check-in__identity">
            <p className="check-in__identity-line">
              Confirm identity: <strong>{patient.displayName}</strong>, {patient.mrn === null ? 'no MRN recorded,' : `MRN ${patient.mrn}`} at{' '}
              <strong>{chairName}</strong>
            </p>
            <RiskFlagChips flags={patient.riskFlags} />
            <p className="muted">
              Protocol: {protocol.name} (version {protocol.version}). {protocolSummary(protocol)}
            </p>
          </div>
          <div className={`field${confirmError === null ? '' : ' has-error'}`}>
            <label className="check check--large" htmlFor={checkId}>
              <input
                id={checkId}
                type="checkbox"
                checked={confirmed}
                onChange={(event) => {
                  setConfirmed(event.target.checked);
                  setConfirmError(null);
                }}
                aria-invalid={confirmError !== null}
                aria-describedby={confirmError === null ? undefined : `${checkId}-error`}
                data-autofocus=""
              />
              I have confirmed the patient's identity
            </label>
            {confirmError !== null && (
              <p id={`${checkId}-error`} className="field__error">
                {confirmError}
              </p>
            )}
          </div>
          {readiness.length > 0 && (
            <fieldset className="check-in__section">
              <legend className="check-in__legend">Readiness before dosing (optional here)</legend>
              <p className="field__hint">Answer what you know now; the rest can be answered at the chair. Hard stops hold the start until answered yes.</p>
              <ul className="readiness__items" aria-label="Readiness checklist">
                {readiness.map((item) => {
                  const answer = answers[item.id] ?? null;
                  return (
                    <ReadinessRow
                      key={`${protocol.id}:${item.id}`}
                      item={{ id: item.id, label: item.label, kind: item.kind, hardStop: item.hardStop === true, answer }}
                      meta={null}
                      onAnswer={(value) =>
                        // A second tap on the chosen answer takes it back (nothing is saved before check-in).
                        setAnswers((current) =>
                          current[item.id] === value ? Object.fromEntries(Object.entries(current).filter(([id]) => id !== item.id)) : { ...current, [item.id]: value },
                        )
                      }
                    />
                  );
                })}
              </ul>
            </fieldset>
          )}
          <fieldset className="check-in__section">
            <legend className="check-in__legend">Escort (optional here)</legend>
            <p className="field__hint">Who takes the patient home: the discharge criteria wait for a name and phone.</p>
            <EscortFields
              draft={escort}
              onChange={(next) => {
                setEscort(next);
                setEscortError(null);
              }}
              error={escortError}
            />
          </fieldset>
          <div role="alert" className="entry-form__alert">
            {submitError}
          </div>
          <div className="entry-form__actions">
            {!checkedIn && (
              <button type="button" className="button button--secondary" onClick={() => setStep('choose')} disabled={saving}>
                Back
              </button>
            )}
            <button type="submit" className="button button--primary" disabled={saving}>
              {checkedIn ? 'Close' : 'Check in'}
            </button>
          </div>
          <p className="entry-form__status" role="status">
            {saving ? 'Checking in…' : ''}
          </p>
        </form>
      </Modal>
    );
  }

  const searchId = `${id}-patient`;
  const protocolId = `${id}-protocol`;
  return (
    <Modal key="choose" title={title} onClose={onClose}>
      <form className="check-in" noValidate onSubmit={onContinue}>
        <p className="check-in__step">Step 1 of 2: patient and protocol</p>
        <div className="field">
          <label htmlFor={searchId} className="field__label">
            Patient
          </label>
          <input
            id={searchId}
            className="field__input"
            type="search"
            autoComplete="off"
            placeholder="Search by name or MRN"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            aria-describedby={`${searchId}-status`}
            data-autofocus=""
          />
          <p id={`${searchId}-status`} className="field__hint" role="status">
            {patients.status === 'loading'
              ? 'Searching…'
              : patients.status === 'failed'
                ? ''
                : shown.length === 0
                  ? search.trim() === ''
                    ? 'No patients yet: add a new patient.'
                    : `No patient matches “${search.trim()}”.`
                  : `${patients.list.length} ${patients.list.length === 1 ? 'patient' : 'patients'} found`}
          </p>
        </div>
        {patients.status === 'failed' && (
          <div role="alert" className="notice notice--error">
            <span>Could not load the patients: {patients.error}</span>
            <button type="button" className="button button--secondary" onClick={() => setPatientAttempt((n) => n + 1)}>
              Retry
            </button>
          </div>
        )}
        {shown.length > 0 && (
          <div className="patient-list" role="radiogroup" aria-label="Matching patients">
            {shown.map((p) => (
              <label key={p.id} className={`patient-option${patient?.id === p.id ? ' is-selected' : ''}`}>
                <input
                  type="radio"
                  name={`${id}-patient-choice`}
                  checked={patient?.id === p.id}
                  onChange={() => {
                    setPatient(p);
                    setChooseError(null);
                  }}
                />
                <span className="patient-option__name">{patientLine(p)}</span>
                <RiskFlagChips flags={p.riskFlags} />
              </label>
            ))}
          </div>
        )}
        {creating ? (
          <NewPatientForm
            createPatient={api.createPatient}
            onCreated={(created) => {
              setPatient(created);
              setCreating(false);
              setChooseError(null);
              setPatientAttempt((n) => n + 1);
            }}
            onCancel={() => setCreating(false)}
          />
        ) : (
          <button type="button" className="button button--quiet check-in__new" onClick={() => setCreating(true)}>
            New patient
          </button>
        )}

        <div className="field">
          <label htmlFor={protocolId} className="field__label">
            Protocol
          </label>
          <select
            id={protocolId}
            className="field__input"
            value={protocol?.id ?? ''}
            onChange={(event) => setChosenProtocolId(event.target.value)}
            disabled={protocols.list.length === 0}
            aria-describedby={`${protocolId}-summary`}
          >
            {protocols.list.length === 0 && <option value="">{protocols.status === 'loading' ? 'Loading protocols…' : 'No protocols'}</option>}
            {protocols.list.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <p id={`${protocolId}-summary`} className="field__hint">
            {protocol === null ? '' : protocolSummary(protocol)}
          </p>
        </div>
        {protocols.status === 'failed' && (
          <div role="alert" className="notice notice--error">
            <span>Could not load the protocols: {protocols.error}</span>
            <button type="button" className="button button--secondary" onClick={() => setProtocolAttempt((n) => n + 1)}>
              Retry
            </button>
          </div>
        )}

        <div role="alert" className="entry-form__alert">
          {chooseError}
        </div>
        <div className="entry-form__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary">
            Continue
          </button>
        </div>
      </form>
    </Modal>
  );
}
