import type { SessionAction, SessionEventInput } from '@chairside/shared';
import { z } from 'zod';
import { ApiError, errorMessage } from '../../api/api-error';
import type { GateItem } from './GateItemList';

/** What a nurse typed into an action's dialog. */
export interface ActionInput {
  /** A pause's, a cancellation's or an override's reason. */
  reason?: string;
  /** A note's text. */
  text?: string;
  /** An optional remark kept with a phase change. */
  note?: string;
}

/** The button's words: the shared engine says "Discharge with override", the clinic says it as it happens. */
export function actionLabel(action: Pick<SessionAction, 'id' | 'label'>): string {
  return action.id === 'discharge-with-override' ? 'Override and discharge' : action.label;
}

const trimmed = (value: string | undefined): string | undefined => {
  const text = value?.trim();
  return text === undefined || text === '' ? undefined : text;
};

/**
 * The event an action posts. Checklist and limit changes have their own forms (the discharge panel
 * and the alarm limits dialog) and are not built here.
 */
export function eventForAction(action: Pick<SessionAction, 'id'>, input: ActionInput = {}): SessionEventInput {
  const note = trimmed(input.note);
  const withNote = note === undefined ? {} : { note };
  switch (action.id) {
    case 'start-treatment':
      return { type: 'treatment-started', ...withNote };
    case 'start-treatment-with-override':
      return { type: 'treatment-started', override: { reason: input.reason?.trim() ?? '' }, ...withNote };
    case 'record-monitor-removed':
      return { type: 'monitor-removed', ...withNote };
    case 'pause-treatment': {
      const reason = trimmed(input.reason);
      return { type: 'treatment-paused', ...(reason === undefined ? {} : { reason }), ...withNote };
    }
    case 'resume-treatment':
      return { type: 'treatment-resumed', ...withNote };
    case 'end-treatment':
      return { type: 'treatment-ended', ...withNote };
    case 'discharge':
      return { type: 'discharged', ...withNote };
    case 'discharge-with-override':
      return { type: 'discharged', override: { reason: input.reason?.trim() ?? '' }, ...withNote };
    case 'cancel':
      return { type: 'cancelled', reason: input.reason?.trim() ?? '', ...withNote };
    case 'add-note':
      return { type: 'note', text: input.text?.trim() ?? '' };
    case 'update-checklist':
    case 'change-limits':
      throw new Error(`${action.id} has its own form`);
  }
}

/** A refusal as the server put it, with the gate's failing items (discharge or start) when it sent them. */
export interface Refusal {
  message: string;
  failingItems: GateItem[];
}

const refusalDetailsSchema = z.object({
  failingItems: z.array(z.object({ id: z.string(), ok: z.boolean(), label: z.string(), detail: z.string() })),
});

export function refusalOf(error: unknown): Refusal {
  if (!(error instanceof ApiError)) return { message: errorMessage(error), failingItems: [] };
  if (error.code === 'network') return { message: 'The server cannot be reached. Check the connection and try again.', failingItems: [] };
  const details = refusalDetailsSchema.safeParse(error.rawDetails);
  const fields = error.details.map((d) => d.message);
  const message = fields.length > 0 && error.status === 400 ? `${error.message} (${fields.join('; ')})` : error.message;
  return { message, failingItems: details.success ? details.data.failingItems : [] };
}
