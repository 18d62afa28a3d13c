import { type FormEvent, useCallback, useState } from 'react';
import { useServices } from '../../app-services';
import { ApiError } from '../../api/api-error';
import { PageTitle } from '../../components/PageTitle';
import { LoadState } from './LoadState';
import { useLoad } from '../../hooks/use-load';

/** What each scenario does to the simulated patient or monitor, for the presenter. */
const kindLabels: Record<string, string> = {
  surge: 'Hypertensive surge now',
  tachycardia: 'Tachycardia',
  desaturation: 'Desaturation',
  'sensor-off': 'SpO₂ sensor off',
  'cuff-artefact': 'Cuff artefact (implausible BP)',
  'skip-bp': 'Miss the next BP',
  disconnect: 'Monitor disconnects',
  override: 'Override vitals',
  'motion-artefact': 'Motion artefact',
  'discharge-with-override': 'Discharge with a clinician’s override (gate not met)',
};

/** Demo mode only: a presenter starts a scenario on a simulated chair ("surge now"). */
export function DemoSection() {
  const { api } = useServices();
  const control = useLoad(useCallback(() => api.demoControl(), [api]));
  const [chairId, setChairId] = useState('');
  const [kind, setKind] = useState('surge');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chair = chairId || control.value?.chairIds[0] || '';
    try {
      await api.triggerDemoScenario(chair, kind);
      setMessage({ ok: true, text: `${kindLabels[kind] ?? kind} started on ${chair}.` });
    } catch (error) {
      setMessage({ ok: false, text: error instanceof ApiError ? error.message : 'The scenario could not be started.' });
    }
  };

  return (
    <section className="admin-section" aria-labelledby="admin-demo-heading">
      <PageTitle title="Demo — Admin" />
      <h2 id="admin-demo-heading" className="admin-section__title">
        Demo
      </h2>
      <LoadState load={control} what="the demo control" />
      {control.value !== null &&
        (!control.value.enabled ? (
          <p className="muted">Demo mode is off: there are no simulated chairs to control.</p>
        ) : (
          <form className="admin-form" aria-label="Start a demo scenario" onSubmit={(e) => void submit(e)}>
            <p className="muted admin-section__lead">Start a scenario on a simulated chair to show how Chairside responds. Only simulated patients are affected.</p>
            <label className="field">
              <span className="field__label">Simulated chair</span>
              <select className="field__input" value={chairId || control.value.chairIds[0]} onChange={(e) => setChairId(e.target.value)}>
                {control.value.chairIds.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field__label">Scenario</span>
              <select className="field__input" value={kind} onChange={(e) => setKind(e.target.value)}>
                {control.value.kinds.map((k) => (
                  <option key={k} value={k}>
                    {kindLabels[k] ?? k}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button button--primary">
              Start scenario
            </button>
            {message && (
              <p role="status" className={message.ok ? 'admin-notice' : 'admin-notice admin-notice--error'}>
                {message.text}
              </p>
            )}
          </form>
        ))}
    </section>
  );
}
