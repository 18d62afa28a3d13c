import { openReassessments, recordSettingsOf } from '@chairside/shared';
import { type FormEvent, useId, useState } from 'react';
import { formatClock } from '../../lib/vital-format';
import { ChoiceButtons, EntryField, RefusalAlert, SaveBar, WhenField } from './EntryParts';
import type { EntryFormProps } from './entry-props';
import { numberFrom, savedWhen } from './record-entry';
import { adverseKindLabels, roundingStatusLabels, routeLabels } from './record-display';
import { useRecordEntry } from './use-record-entry';

function BackButton({ onBack }: { onBack: (() => void) | undefined }) {
  if (onBack === undefined) return null;
  return (
    <button type="button" className="button button--secondary" onClick={onBack}>
      Back
    </button>
  );
}

const otherStatuses = ['asleep-rousable', 'distressed', 'other'] as const;

/** The eyes-on check: one tap for "patient OK"; another status with a note when it is not. */
export function RoundingForm({ session, nowMs, onSaved, onBack }: EntryFormProps) {
  const [status, setStatus] = useState<(typeof otherStatuses)[number] | null>(null);
  const [note, setNote] = useState('');
  const [when, setWhen] = useState('');
  const entry = useRecordEntry(session, nowMs);

  const save = async (chosen: string, withNote: string) => {
    const body = { type: 'rounding-check' as const, status: chosen, ...(withNote.trim() === '' ? {} : { note: withNote }) };
    if (await entry.save(body, when)) onSaved(`Eyes-on check (${roundingStatusLabels[chosen] ?? chosen}) recorded at ${savedWhen(when, nowMs)}`);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (status === null) {
      entry.setErrors({ status: 'Choose what you saw, or tap “Checked — patient OK”.' });
      return;
    }
    if (status !== 'asleep-rousable' && note.trim() === '') {
      entry.setErrors({ note: 'Write what you saw.' });
      return;
    }
    void save(status, note);
  };

  return (
    <form className="record-form" noValidate aria-label="Eyes-on check" onSubmit={onSubmit} aria-busy={entry.saving}>
      <button type="button" className="button button--primary record-big" disabled={entry.saving} onClick={() => void save('comfortable', note)}>
        <span aria-hidden="true">✓ </span>Checked — patient OK
      </button>
      <ChoiceButtons
        label="Or another status"
        name="status"
        options={otherStatuses.map((s) => ({ value: s, label: roundingStatusLabels[s] ?? s }))}
        value={status}
        onChange={(value) => {
          setStatus(value);
          entry.reset();
        }}
        errors={entry.errors}
      />
      <EntryField label="Note" name="note" value={note} onChange={setNote} errors={entry.errors} />
      <WhenField value={when} onChange={setWhen} errors={entry.errors} />
      <RefusalAlert refusal={entry.refusal} />
      <SaveBar saving={entry.saving} label="Save check">
        <BackButton onBack={onBack} />
      </SaveBar>
    </form>
  );
}

const prnRoutes = ['iv', 'odt', 'oral', 'im', 'sublingual', 'subcutaneous', 'intranasal'] as const;

/** A PRN given: drug, dose, route, indication; its reassessment due in the protocol's minutes unless changed. */
export function PrnForm({ session, nowMs, onSaved, onBack }: EntryFormProps) {
  const listId = useId();
  const defaultMin = recordSettingsOf(session.protocol).prnReassessMin;
  const [drug, setDrug] = useState('');
  const [dose, setDose] = useState('');
  const [route, setRoute] = useState<(typeof prnRoutes)[number] | null>(null);
  const [indication, setIndication] = useState('');
  const [reassessIn, setReassessIn] = useState(String(defaultMin));
  const [when, setWhen] = useState('');
  const entry = useRecordEntry(session, nowMs);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = {
      type: 'prn-given' as const,
      drug,
      doseMg: numberFrom(dose),
      route: route ?? undefined,
      indication,
      reassessInMin: numberFrom(reassessIn),
    };
    if (await entry.save(body, when)) onSaved(`PRN ${drug.trim()} recorded at ${savedWhen(when, nowMs)}: reassess in ${reassessIn.trim() || defaultMin} min`);
  };

  const errors = { ...entry.errors };
  if (errors.route !== undefined && route === null) errors.route = 'Choose the route.';

  return (
    <form className="record-form" noValidate aria-label="PRN given" onSubmit={(event) => void onSubmit(event)} aria-busy={entry.saving}>
      <datalist id={`${listId}-drugs`}>
        <option value="ondansetron" />
        <option value="midazolam" />
        <option value="lorazepam" />
        <option value="labetalol" />
        <option value="clonidine" />
      </datalist>
      <datalist id={`${listId}-indications`}>
        <option value="nausea" />
        <option value="vomiting" />
        <option value="emergence reaction" />
        <option value="anxiety" />
        <option value="BP surge" />
      </datalist>
      <div className="record-grid">
        <EntryField label="Drug" name="drug" value={drug} onChange={setDrug} errors={errors} list={`${listId}-drugs`} />
        <EntryField label="Dose" unit="mg" name="doseMg" value={dose} onChange={setDose} errors={errors} numeric />
      </div>
      <ChoiceButtons label="Route" name="route" options={prnRoutes.map((r) => ({ value: r, label: routeLabels[r] ?? r }))} value={route} onChange={setRoute} errors={errors} />
      <div className="record-grid">
        <EntryField label="Indication" name="indication" value={indication} onChange={setIndication} errors={errors} list={`${listId}-indications`} />
        <EntryField label="Reassess in" unit="min" name="reassessInMin" value={reassessIn} onChange={setReassessIn} errors={errors} numeric />
      </div>
      <WhenField value={when} onChange={setWhen} errors={errors} />
      <RefusalAlert refusal={entry.refusal} />
      <SaveBar saving={entry.saving} label="PRN given">
        <BackButton onBack={onBack} />
      </SaveBar>
    </form>
  );
}

const responses = ['Settled', 'Improved', 'No change', 'Worse'] as const;

/** A PRN reassessed: which PRN (the one due first is chosen), and how the patient responded. Closes its timer. */
export function ReassessForm({ session, nowMs, onSaved, onBack }: EntryFormProps) {
  const open = session.record === undefined ? [] : openReassessments(session.record);
  const [prnSeq, setPrnSeq] = useState<string | null>(open[0] === undefined ? null : String(open[0].seq));
  const [response, setResponse] = useState('');
  const [when, setWhen] = useState('');
  const entry = useRecordEntry(session, nowMs);
  if (open.length === 0) return <p className="muted">No PRN waits for its reassessment.</p>;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const prn = open.find((p) => String(p.seq) === prnSeq);
    const body = { type: 'prn-reassessed' as const, prnSeq: prn?.seq, response };
    if (await entry.save(body, when)) onSaved(`${prn?.drug ?? 'PRN'} reassessed at ${savedWhen(when, nowMs)}`);
  };

  return (
    <form className="record-form" noValidate aria-label="PRN reassessed" onSubmit={(event) => void onSubmit(event)} aria-busy={entry.saving}>
      <ChoiceButtons
        label="Which PRN"
        name="prnSeq"
        options={open.map((p) => ({ value: String(p.seq), label: `${p.drug} ${p.doseMg} mg at ${formatClock(p.atMs)} (${p.indication})` }))}
        value={prnSeq}
        onChange={setPrnSeq}
        errors={entry.errors}
      />
      <div className="record-quick" role="group" aria-label="Quick responses">
        {responses.map((r) => (
          <button key={r} type="button" className="button button--secondary" aria-pressed={response === r} onClick={() => setResponse(r)}>
            {r}
          </button>
        ))}
      </div>
      <EntryField label="Response" name="response" value={response} onChange={setResponse} errors={entry.errors} />
      <WhenField value={when} onChange={setWhen} errors={entry.errors} />
      <RefusalAlert refusal={entry.refusal} />
      <SaveBar saving={entry.saving} label="Save reassessment">
        <BackButton onBack={onBack} />
      </SaveBar>
    </form>
  );
}

const kinds = Object.keys(adverseKindLabels) as (keyof typeof adverseKindLabels)[];
const severities = ['mild', 'moderate', 'severe'] as const;

/** An adverse event: kind, severity, serious yes/no (a REMS field), and a note. */
export function AdverseEventForm({ session, nowMs, onSaved, onBack }: EntryFormProps) {
  const [kind, setKind] = useState<string | null>(null);
  const [severity, setSeverity] = useState<(typeof severities)[number] | null>(null);
  const [serious, setSerious] = useState<'yes' | 'no' | null>(null);
  const [note, setNote] = useState('');
  const [when, setWhen] = useState('');
  const entry = useRecordEntry(session, nowMs);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = {
      type: 'adverse-event' as const,
      kind: kind ?? undefined,
      severity: severity ?? undefined,
      serious: serious === null ? undefined : serious === 'yes',
      ...(note.trim() === '' ? {} : { note }),
    };
    if (await entry.save(body, when)) onSaved(`Adverse event (${adverseKindLabels[kind ?? ''] ?? kind}) recorded at ${savedWhen(when, nowMs)}`);
  };
  // The schema's words for a missing choice are for the API; here the nurse chooses.
  const errors = { ...entry.errors };
  if (errors.kind !== undefined && kind === null) errors.kind = 'Choose what happened.';
  if (errors.severity !== undefined && severity === null) errors.severity = 'Choose the severity.';
  if (errors.serious !== undefined && serious === null) errors.serious = 'Say whether it is serious.';

  return (
    <form className="record-form" noValidate aria-label="Adverse event" onSubmit={(event) => void onSubmit(event)} aria-busy={entry.saving}>
      <ChoiceButtons label="What" name="kind" options={kinds.map((k) => ({ value: k, label: adverseKindLabels[k] ?? k }))} value={kind} onChange={setKind} errors={errors} />
      <ChoiceButtons label="Severity" name="severity" options={severities.map((s) => ({ value: s, label: s[0]?.toUpperCase() + s.slice(1) }))} value={severity} onChange={setSeverity} errors={errors} />
      <ChoiceButtons
        label="Serious adverse event"
        name="serious"
        options={[
          { value: 'no', label: 'Not serious' },
          { value: 'yes', label: 'Serious' },
        ]}
        value={serious}
        onChange={setSerious}
        errors={errors}
      />
      <EntryField label="Note" name="note" value={note} onChange={setNote} errors={errors} />
      <WhenField value={when} onChange={setWhen} errors={errors} />
      <RefusalAlert refusal={entry.refusal} />
      <SaveBar saving={entry.saving} label="Record adverse event">
        <BackButton onBack={onBack} />
      </SaveBar>
    </form>
  );
}

/** Who collected the patient at discharge (the escort recorded at check-in, unless someone else came). */
export function HandoffForm({ session, nowMs, onSaved, onBack }: EntryFormProps) {
  const escort = session.record?.escort ?? null;
  const [collectedBy, setCollectedBy] = useState(escort?.name ?? '');
  const [when, setWhen] = useState('');
  const entry = useRecordEntry(session, nowMs);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await entry.save({ type: 'escort-handoff', collectedBy }, when)) onSaved(`Hand-off to ${collectedBy.trim()} recorded at ${savedWhen(when, nowMs)}`);
  };
  return (
    <form className="record-form" noValidate aria-label="Escort hand-off" onSubmit={(event) => void onSubmit(event)} aria-busy={entry.saving}>
      {escort !== null && (
        <p className="muted">
          Escort recorded: {escort.name} ({escort.phone}). No driving until the next day.
        </p>
      )}
      <EntryField label="Collected by" name="collectedBy" value={collectedBy} onChange={setCollectedBy} errors={entry.errors} />
      <WhenField value={when} onChange={setWhen} errors={entry.errors} />
      <RefusalAlert refusal={entry.refusal} />
      <SaveBar saving={entry.saving} label="Record hand-off">
        <BackButton onBack={onBack} />
      </SaveBar>
    </form>
  );
}
