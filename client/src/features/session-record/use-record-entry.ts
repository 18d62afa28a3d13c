import type { RecordEventType, SessionSummary } from '@chairside/shared';
import { useCallback, useState } from 'react';
import { useServices } from '../../app-services';
import { useAppStore } from '../../store/store-context';
import { type EntryRefusal, type FieldErrors, atFromTime, checkEntry, refusalFrom } from './record-entry';

export interface RecordEntryState {
  saving: boolean;
  /** Field errors found before sending (the shared schema) or named by the server. */
  errors: FieldErrors;
  refusal: EntryRefusal | null;
  /**
   * Checks the entry (with "happened at" from the time field) and posts it; true when stored. The answer updates
   * the tile at once.
   */
  save: (body: { type: RecordEventType } & Record<string, unknown>, when?: string) => Promise<boolean>;
  setErrors: (errors: FieldErrors) => void;
  reset: () => void;
}

/** Posts one record entry for `session`: checked with the shared schema first, the server's 400/409 kept by field. */
export function useRecordEntry(session: Pick<SessionSummary, 'id'>, nowMs: number): RecordEntryState {
  const { api } = useServices();
  const sessionUpdated = useAppStore((s) => s.sessionUpdated);
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refusal, setRefusal] = useState<EntryRefusal | null>(null);

  const save = useCallback<RecordEntryState['save']>(
    async (body, when = '') => {
      const moment = atFromTime(when, nowMs);
      const checked = checkEntry(moment.ok && moment.at !== undefined ? { ...body, at: moment.at } : body);
      const found: FieldErrors = checked.ok ? {} : { ...checked.errors };
      if (!moment.ok) found.at = moment.message;
      setRefusal(null);
      if (!checked.ok || !moment.ok) {
        setErrors(found);
        return false;
      }
      setErrors({});
      setSaving(true);
      try {
        sessionUpdated(await api.postSessionEvent(session.id, checked.value));
        return true;
      } catch (error) {
        const refused = refusalFrom(error);
        setRefusal(refused);
        if (refused.field !== null) setErrors({ [refused.field]: refused.message });
        return false;
      } finally {
        setSaving(false);
      }
    },
    [api, nowMs, session.id, sessionUpdated],
  );

  const reset = useCallback(() => {
    setErrors({});
    setRefusal(null);
  }, []);
  return { saving, errors, refusal, save, setErrors, reset };
}
