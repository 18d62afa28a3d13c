import { createContext, useContext } from 'react';
import {
  type AssignChair,
  type AssignmentsList,
  type EscalationStep,
  assignmentsListSchema,
  escalationListSchema,
} from '@chairside/shared';
import type { z } from 'zod';
import { ApiError, apiErrorFromBody } from '../../api/api-error';

/** Alarm reach's HTTP API: who watches which chair, and whom a session's alarms reached. */
export interface AssignmentsApi {
  list(): Promise<AssignmentsList>;
  /** Takes or assigns a chair; answers the whole list as it is now. */
  assign(request: AssignChair): Promise<AssignmentsList>;
  release(chairId: string): Promise<void>;
  escalations(sessionId: string): Promise<EscalationStep[]>;
}

async function send<T>(path: string, schema: z.ZodType<T> | null, init: { method?: string; body?: unknown } = {}): Promise<T | null> {
  const method = init.method ?? 'GET';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      // The server answers 415 to a change without this header.
      headers: method === 'GET' ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the Chairside server');
  }
  const text = await response.text();
  let payload: unknown;
  try {
    payload = text === '' ? null : JSON.parse(text);
  } catch {
    payload = null;
  }
  if (!response.ok) throw apiErrorFromBody(response.status, payload);
  if (schema === null) return null;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ApiError(response.status, 'unexpected', `Unexpected answer from ${method} ${path}`);
  return parsed.data;
}

const must = <T,>(value: T | null): T => {
  if (value === null) throw new ApiError(0, 'unexpected', 'Empty answer');
  return value;
};

/** The server's, over same-origin fetches. */
export const httpAssignmentsApi: AssignmentsApi = {
  list: async () => must(await send('/api/v1/assignments', assignmentsListSchema)),
  assign: async (request) => must(await send('/api/v1/assignments', assignmentsListSchema, { method: 'PUT', body: request })),
  release: async (chairId) => {
    await send(`/api/v1/assignments/${encodeURIComponent(chairId)}`, null, { method: 'DELETE' });
  },
  escalations: async (sessionId) => must(await send(`/api/v1/escalations?sessionId=${encodeURIComponent(sessionId)}`, escalationListSchema)),
};

/** Tests give their own (an in-memory clinic); the app uses the server's. */
export const AssignmentsApiContext = createContext<AssignmentsApi>(httpAssignmentsApi);

export function useAssignmentsApi(): AssignmentsApi {
  return useContext(AssignmentsApiContext);
}
