import { type SessionSummary, dueAt, nextDeviceAt, openReassessments } from '@chairside/shared';
import { type ComponentType, useId, useState } from 'react';
import { useServerNow } from '../../hooks/use-alarms';
import { useAppStore } from '../../store/store-context';
import { AdverseEventForm, HandoffForm, PrnForm, ReassessForm, RoundingForm } from './CareForms';
import { DeviceForm } from './DeviceForm';
import type { EntryFormProps } from './entry-props';
import { InfusionSetForm, RateChangeForm } from './InfusionForms';
import { ScoreForm } from './ScoreForm';
import { countdownText } from './record-entry';
import { dueNextLongText } from './record-display';

export type EntryKind = 'score' | 'rounding' | 'device' | 'prn' | 'reassess' | 'adverse' | 'infusion' | 'rate' | 'handoff';

interface EntryChoice {
  kind: EntryKind;
  label: string;
  /** A second line: what is due, the rest left. */
  detail?: string;
  form: ComponentType<EntryFormProps>;
}

/** The entries that make sense for this session now, the frequent ones first. */
export function entryChoices(session: SessionSummary, nowMs: number): EntryChoice[] {
  const { phase } = session.state;
  const record = session.record;
  const started = session.state.treatmentStartedAtMs !== null;
  const choices: Omit<EntryChoice, 'form'>[] = [];
  const due = record === undefined ? [] : dueAt(record.due, nowMs);
  const dueOf = (kind: string) => due.find((d) => d.item.kind === kind);
  const scoreDue = dueOf('score');
  choices.push({ kind: 'score', label: 'Scores (MOAA/S, CADSS-6)', ...(scoreDue === undefined ? {} : { detail: dueNextLongText(scoreDue) }) });
  if (started) {
    const rounding = dueOf('rounding');
    choices.push({ kind: 'rounding', label: 'Eyes-on check', ...(rounding === undefined ? {} : { detail: dueNextLongText(rounding) }) });
  }
  const next = record === undefined ? null : nextDeviceAt(record, nowMs);
  if (session.protocol.kind === 'nasal-spray' && started && next !== null && (phase === 'treatment' || phase === 'observation')) {
    choices.push({ kind: 'device', label: `Device ${next.device} given`, detail: next.restLeftMs > 0 ? `Rest: ${countdownText(next.restLeftMs)} left` : next.notBeforeMs === null ? 'First device' : 'Rest over' });
  }
  if (session.protocol.kind === 'iv-infusion') {
    if (record?.infusion === null || record?.infusion === undefined) {
      if (phase === 'baseline' || phase === 'treatment') choices.push({ kind: 'infusion', label: 'Infusion set-up', detail: 'Weight, mg/kg, concentration, rate' });
    } else if (phase === 'treatment') {
      choices.push({ kind: 'rate', label: 'Rate change' });
    }
  }
  choices.push({ kind: 'prn', label: 'PRN given' });
  const open = record === undefined ? [] : openReassessments(record);
  if (open[0] !== undefined) {
    const reassess = dueOf('reassessment');
    choices.push({ kind: 'reassess', label: 'PRN reassessed', detail: reassess === undefined ? `${open[0].drug}` : dueNextLongText(reassess) });
  }
  choices.push({ kind: 'adverse', label: 'Adverse event' });
  if (phase === 'observation' || phase === 'discharged') choices.push({ kind: 'handoff', label: 'Escort hand-off', detail: record?.handoff === null || record === undefined ? 'At discharge' : `Recorded: ${record.handoff.collectedBy}` });
  return choices.map((c) => ({ ...c, form: forms[c.kind] }));
}

const forms: Record<EntryKind, ComponentType<EntryFormProps>> = {
  score: ScoreForm,
  rounding: RoundingForm,
  device: DeviceForm,
  prn: PrnForm,
  reassess: ReassessForm,
  adverse: AdverseEventForm,
  infusion: InfusionSetForm,
  rate: RateChangeForm,
  handoff: HandoffForm,
};

/**
 * The session record's quick entries: a column of big buttons, the frequent ones first, each opening its form in
 * place; once saved, a line says so and the list is back. Used in the tile's "Record" sheet and on the chair page.
 */
export function QuickEntries({ session, initial = null }: { session: SessionSummary; initial?: EntryKind | null }) {
  const nowMs = useServerNow(1000);
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const [chosen, setChosen] = useState<EntryKind | null>(initial);
  const [saved, setSaved] = useState<string | null>(null);
  const headingId = useId();
  const choices = entryChoices(session, nowMs);
  const choice = choices.find((c) => c.kind === chosen) ?? null;

  if (role !== 'nurse' && role !== 'clinician') return <p className="muted">Record entries are made by nurses and clinicians.</p>;

  return (
    <div className="record-entries">
      <p role="status" className="record-saved">
        {saved !== null && (
          <>
            <span aria-hidden="true">✓ </span>
            {saved}
          </>
        )}
      </p>
      {choice === null ? (
        <ul className="record-menu" aria-label="Record an entry">
          {choices.map((c) => (
            <li key={c.kind}>
              <button
                type="button"
                className="record-menu__item"
                onClick={() => {
                  setChosen(c.kind);
                  setSaved(null);
                }}
              >
                <span className="record-menu__label">{c.label}</span>
                {c.detail !== undefined && <span className="record-menu__detail">{c.detail}</span>}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <section className="record-entry" aria-labelledby={headingId}>
          <h3 id={headingId} className="record-entry__title">
            {choice.label}
          </h3>
          <choice.form
            key={choice.kind}
            session={session}
            nowMs={nowMs}
            role={role}
            onSaved={(text) => {
              setSaved(text);
              setChosen(null);
            }}
            onBack={() => setChosen(null)}
          />
        </section>
      )}
    </div>
  );
}
