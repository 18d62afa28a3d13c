import { infusionPlan, recordSettingsOf } from '@chairside/shared';
import { type FormEvent, useState } from 'react';
import { EntryField, RefusalAlert, SaveBar, WhenField } from './EntryParts';
import type { EntryFormProps } from './entry-props';
import { numberFrom, savedWhen } from './record-entry';
import { infusionText } from './record-display';
import { useRecordEntry } from './use-record-entry';

function BackButton({ onBack }: { onBack: (() => void) | undefined }) {
  if (onBack === undefined) return null;
  return (
    <button type="button" className="button button--secondary" onClick={onBack}>
      Back
    </button>
  );
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * The IV infusion set-up: weight × mg/kg gives the total mg; with the concentration and the pump rate, the planned
 * minutes. Both are shown as the nurse types, and "Rate for N min" fills the rate that gives the planned time.
 */
export function InfusionSetForm({ session, nowMs, onSaved, onBack }: EntryFormProps) {
  const limits = recordSettingsOf(session.protocol).infusion;
  const current = session.record?.infusion ?? null;
  const [weight, setWeight] = useState(current === null ? '' : String(current.weightKg));
  const [perKg, setPerKg] = useState(current === null ? '0.5' : String(current.doseMgPerKg));
  const [concentration, setConcentration] = useState(current === null ? '' : String(current.concentrationMgPerMl));
  const [rate, setRate] = useState(current === null ? '' : String(current.rateMlPerH));
  const [when, setWhen] = useState('');
  const entry = useRecordEntry(session, nowMs);
  const plannedMin = session.protocol.treatment.plannedMin;
  const values = { weightKg: numberFrom(weight), doseMgPerKg: numberFrom(perKg), concentrationMgPerMl: numberFrom(concentration), rateMlPerH: numberFrom(rate) };
  const totalMg = values.weightKg !== undefined && values.doseMgPerKg !== undefined ? round1(values.weightKg * values.doseMgPerKg) : null;
  const plan =
    values.weightKg !== undefined && values.doseMgPerKg !== undefined && values.concentrationMgPerMl !== undefined && values.rateMlPerH !== undefined && values.rateMlPerH > 0 && values.concentrationMgPerMl > 0
      ? infusionPlan({ weightKg: values.weightKg, doseMgPerKg: values.doseMgPerKg, concentrationMgPerMl: values.concentrationMgPerMl, rateMlPerH: values.rateMlPerH })
      : null;
  const rateForPlanned = totalMg !== null && values.concentrationMgPerMl !== undefined && values.concentrationMgPerMl > 0 ? round1((totalMg / values.concentrationMgPerMl / plannedMin) * 60) : null;

  if (limits === null) return <p className="muted">This protocol gives no IV infusion.</p>;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The protocol's limits are checked here too, so the field is named before anything is sent.
    if (values.weightKg !== undefined && (values.weightKg < limits.minWeightKg || values.weightKg > limits.maxWeightKg)) {
      entry.setErrors({ weightKg: `The weight must be ${limits.minWeightKg}–${limits.maxWeightKg} kg.` });
      return;
    }
    if (values.doseMgPerKg !== undefined && values.doseMgPerKg > limits.maxMgPerKg) {
      entry.setErrors({ doseMgPerKg: `The dose must be at most ${limits.maxMgPerKg} mg/kg.` });
      return;
    }
    if (plan !== null && plan.plannedMin < limits.minInfusionMin) {
      entry.setErrors({ rateMlPerH: `This rate gives the dose in ${plan.plannedMin} min: at least ${limits.minInfusionMin} min.` });
      return;
    }
    const body = { type: 'infusion-set' as const, drug: 'ketamine', ...values, ...(current === null ? {} : { corrects: current.seq }) };
    if (await entry.save(body, when)) onSaved(`Infusion set up at ${savedWhen(when, nowMs)}: ${totalMg ?? ''} mg over ${plan?.plannedMin ?? ''} min`);
  };

  return (
    <form className="record-form" noValidate aria-label="Infusion set-up" onSubmit={(event) => void onSubmit(event)} aria-busy={entry.saving}>
      {current !== null && <p className="muted">Set up: {infusionText(current)}. Saving corrects it.</p>}
      <div className="record-grid">
        <EntryField label="Weight today" unit="kg" name="weightKg" value={weight} onChange={setWeight} errors={entry.errors} numeric />
        <EntryField label="Dose" unit="mg/kg" name="doseMgPerKg" value={perKg} onChange={setPerKg} errors={entry.errors} numeric />
        <EntryField label="Concentration" unit="mg/mL" name="concentrationMgPerMl" value={concentration} onChange={setConcentration} errors={entry.errors} numeric />
        <EntryField label="Pump rate" unit="mL/h" name="rateMlPerH" value={rate} onChange={setRate} errors={entry.errors} numeric />
      </div>
      <dl className="record-derived" aria-live="polite">
        <div>
          <dt>Total dose</dt>
          <dd>{totalMg === null ? '—' : `${totalMg} mg`}</dd>
        </div>
        <div>
          <dt>Planned time</dt>
          <dd>{plan === null ? '—' : `${plan.plannedMin} min`}</dd>
        </div>
      </dl>
      {rateForPlanned !== null && (
        <button type="button" className="button button--secondary" onClick={() => setRate(String(rateForPlanned))}>
          Rate for {plannedMin} min: {rateForPlanned} mL/h
        </button>
      )}
      <WhenField value={when} onChange={setWhen} errors={entry.errors} />
      <RefusalAlert refusal={entry.refusal} />
      <SaveBar saving={entry.saving} label={current === null ? 'Save set-up' : 'Correct set-up'}>
        <BackButton onBack={onBack} />
      </SaveBar>
    </form>
  );
}

/** A pump rate change with its reason; shows the time the new rate gives the whole dose in. */
export function RateChangeForm({ session, nowMs, onSaved, onBack }: EntryFormProps) {
  const current = session.record?.infusion ?? null;
  const [rate, setRate] = useState('');
  const [reason, setReason] = useState('');
  const [when, setWhen] = useState('');
  const entry = useRecordEntry(session, nowMs);
  if (current === null) return <p className="muted">Set up the infusion first.</p>;
  const lastRate = current.rateChanges.at(-1)?.rateMlPerH ?? current.rateMlPerH;
  const newRate = numberFrom(rate);
  const minutes = newRate !== undefined && newRate > 0 ? infusionPlan({ ...current, rateMlPerH: newRate }).plannedMin : null;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await entry.save({ type: 'infusion-rate-changed', rateMlPerH: newRate, reason }, when)) onSaved(`Rate ${newRate ?? ''} mL/h recorded at ${savedWhen(when, nowMs)}`);
  };
  return (
    <form className="record-form" noValidate aria-label="Rate change" onSubmit={(event) => void onSubmit(event)} aria-busy={entry.saving}>
      <p className="muted">
        Now {lastRate} mL/h · {infusionText(current)}
      </p>
      <div className="record-grid">
        <EntryField label="New rate" unit="mL/h" name="rateMlPerH" value={rate} onChange={setRate} errors={entry.errors} numeric />
        <EntryField label="Reason" name="reason" value={reason} onChange={setReason} errors={entry.errors} />
      </div>
      {minutes !== null && <p className="record-note">At this rate the whole dose takes {minutes} min.</p>}
      <WhenField value={when} onChange={setWhen} errors={entry.errors} />
      <RefusalAlert refusal={entry.refusal} />
      <SaveBar saving={entry.saving} label="Save rate change">
        <BackButton onBack={onBack} />
      </SaveBar>
    </form>
  );
}
