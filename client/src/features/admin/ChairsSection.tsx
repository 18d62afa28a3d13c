import { createChairSchema } from '@chairside/shared';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { ActionMessage, type Message, TextField } from './AdminField';
import { LoadState } from './LoadState';
import { type FormErrors, errorsFromFailure, errorsFromZod } from './admin-errors';
import { useLoad } from '../../hooks/use-load';

const fields = ['name', 'hl7Bed'] as const;
type Field = (typeof fields)[number];

/** The clinic's chairs, and a new one (its HL7 bed maps a bedside monitor's messages to it). */
export function ChairsSection() {
  const { api, live } = useServices();
  const chairs = useLoad(useCallback(() => api.listChairs(), [api]));
  const [draft, setDraft] = useState({ name: '', hl7Bed: '' });
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const headingId = useId();

  const change = (field: Field) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined, form: undefined }));
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    if (draft.name.trim() === '') {
      setErrors({ name: 'Enter a name' });
      return;
    }
    const parsed = createChairSchema.safeParse({ name: draft.name, ...(draft.hl7Bed.trim() === '' ? {} : { hl7Bed: draft.hl7Bed }) });
    if (!parsed.success) {
      setErrors(errorsFromZod(parsed.error, fields));
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const chair = await api.createChair(parsed.data);
      setDraft({ name: '', hl7Bed: '' });
      setMessage({ kind: 'success', text: `${chair.name} added${chair.hl7Bed === null ? '' : ` (HL7 bed ${chair.hl7Bed})`}.` });
      chairs.reload();
      // The chair grid reads the list again, so the new chair shows there too.
      void live.reloadChairs();
    } catch (error) {
      setErrors(errorsFromFailure(error, fields, 'Chair not added'));
    } finally {
      setSaving(false);
    }
  };

  const list = [...(chairs.value ?? [])].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  return (
    <section className="admin-section" aria-labelledby="admin-chairs-heading">
      <PageTitle title="Chairs — Admin" />
      <h2 id="admin-chairs-heading" className="admin-section__title">
        Chairs
      </h2>
      <ActionMessage message={message} />
      <LoadState load={chairs} what="the chairs" />
      {chairs.value !== null &&
        (list.length === 0 ? (
          <p className="muted">No chairs yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table">
              <caption className="visually-hidden">Chairs</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Chair id</th>
                  <th scope="col">HL7 bed</th>
                </tr>
              </thead>
              <tbody>
                {list.map((chair) => (
                  <tr key={chair.id}>
                    <th scope="row" className="admin-table__key">
                      {chair.name}
                    </th>
                    <td>
                      <code>{chair.id}</code>
                    </td>
                    <td>{chair.hl7Bed === null ? <span className="muted">None</span> : <code>{chair.hl7Bed}</code>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}

      <form className="admin-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-labelledby={headingId} aria-busy={saving}>
        <h3 id={headingId} className="admin-form__title">
          New chair
        </h3>
        <div className="admin-form__grid">
          <TextField label="Name" name="name" value={draft.name} onChange={change('name')} error={errors.name} hint="As the nurses call it, e.g. “Chair 7”" />
          <TextField
            label="HL7 bed"
            name="hl7Bed"
            value={draft.hl7Bed}
            onChange={change('hl7Bed')}
            error={errors.hl7Bed}
            hint="Optional: the bed as its monitor sends it in PV1-3, e.g. KETA^102^7 or 7"
          />
        </div>
        <div role="alert" className="entry-form__alert">
          {errors.form}
        </div>
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            Add chair
          </button>
        </div>
      </form>
    </section>
  );
}
