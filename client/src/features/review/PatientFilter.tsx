import type { Patient } from '@chairside/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { useLoad } from '../../hooks/use-load';

const searchDelayMs = 250;
const shownPatients = 8;

export function patientLine(patient: Pick<Patient, 'displayName' | 'mrn'>): string {
  return patient.mrn === null ? patient.displayName : `${patient.displayName} · MRN ${patient.mrn}`;
}

type Search = { query: string; status: 'loaded'; patients: Patient[] } | { query: string; status: 'failed'; error: string };

/** Patients matching `query` (name or MRN), asked for a moment after the typing stops. */
function usePatientSearch(query: string): { patients: Patient[]; status: 'idle' | 'loading' | 'loaded' | 'failed'; error: string | null } {
  const { api } = useServices();
  const [search, setSearch] = useState<Search | null>(null);
  useEffect(() => {
    if (query === '') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      api.listPatients({ search: query, limit: shownPatients }).then(
        (patients) => {
          if (!cancelled) setSearch({ query, status: 'loaded', patients });
        },
        (error: unknown) => {
          if (!cancelled) setSearch({ query, status: 'failed', error: errorMessage(error) });
        },
      );
    }, searchDelayMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, query]);
  if (query === '') return { patients: [], status: 'idle', error: null };
  if (search === null || search.query !== query) return { patients: search?.status === 'loaded' ? search.patients : [], status: 'loading', error: null };
  return search.status === 'loaded' ? { patients: search.patients, status: 'loaded', error: null } : { patients: [], status: 'failed', error: search.error };
}

/** The chosen patient's name and MRN; the list rows' name meanwhile (or when the patient cannot be read). */
function useChosenPatient(patientId: string, knownName: string | null): string {
  const { api } = useServices();
  const load = useCallback(() => api.getPatient(patientId).then(patientLine), [api, patientId]);
  const result = useLoad(load);
  return result.answer ?? knownName ?? (result.status === 'failed' ? `Patient ${patientId}` : 'Loading…');
}

function ChosenPatient({ patientId, knownName, onClear }: { patientId: string; knownName: string | null; onClear: () => void }) {
  const name = useChosenPatient(patientId, knownName);
  return (
    <div className="field review-filters__patient">
      <span className="field__label">Patient</span>
      <p className="review-filters__chosen">
        <span>{name}</span>
        <button type="button" className="button button--quiet button--small" onClick={onClear}>
          Clear patient
        </button>
      </p>
    </div>
  );
}

interface PatientFilterProps {
  patientId: string | null;
  /** The patient's name when the list's rows already carry it. */
  knownName: string | null;
  onChange: (patientId: string | null) => void;
}

/** Narrows the list to one patient: search by name or MRN, pick from the matches. */
export function PatientFilter({ patientId, knownName, onChange }: PatientFilterProps) {
  const [text, setText] = useState('');
  const query = text.trim();
  const search = usePatientSearch(query);
  const id = useId();

  if (patientId !== null) {
    return (
      <ChosenPatient
        patientId={patientId}
        knownName={knownName}
        onClear={() => {
          setText('');
          onChange(null);
        }}
      />
    );
  }

  return (
    <div className="field review-filters__patient">
      <label htmlFor={`${id}-search`} className="field__label">
        Patient
      </label>
      <input
        id={`${id}-search`}
        className="field__input"
        type="search"
        value={text}
        placeholder="Name or MRN"
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
      />
      {query !== '' && (
        <div className="review-filters__matches">
          {search.status === 'failed' && <p role="alert">Could not search patients: {search.error}</p>}
          {search.status === 'loaded' && search.patients.length === 0 && <p className="muted">No patient matches “{query}”.</p>}
          {search.patients.length > 0 && (
            <ul aria-label="Matching patients" className="review-filters__match-list">
              {search.patients.map((patient) => (
                <li key={patient.id}>
                  <button type="button" className="button button--secondary button--small" onClick={() => onChange(patient.id)}>
                    {patientLine(patient)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
