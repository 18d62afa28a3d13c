import type { Role, SessionSummary } from '@chairside/shared';

/** What every entry form gets: the session, the server's time now, who is entering, and where to say it was saved. */
export interface EntryFormProps {
  session: SessionSummary;
  nowMs: number;
  role: Role | null;
  /** Called with a short sentence ("Device 2 recorded at 10:35") once the entry is stored. */
  onSaved: (text: string) => void;
  /** Back to the list of entries (absent where the form stands alone). */
  onBack?: () => void;
}
