import {
  type AuthStatus,
  type ChairSummary,
  type LoginRequest,
  type PublicUser,
  type Reading,
  type ReadingInput,
  authStatusSchema,
  chairSummarySchema,
  publicUserSchema,
  readingSchema,
} from '@chairside/shared';
import { z } from 'zod';
import { ApiError, apiErrorFromBody } from './api-error';

export interface ApiClient {
  getSession(): Promise<AuthStatus>;
  login(request: LoginRequest): Promise<PublicUser>;
  logout(): Promise<void>;
  listChairs(): Promise<ChairSummary[]>;
  /** The chair's timeline from `from` on, oldest first. */
  chairReadings(chairId: string, query: { from: string }): Promise<Reading[]>;
  postReading(reading: ReadingInput): Promise<Reading>;
}

export interface ApiClientOptions {
  fetch: typeof fetch;
  /** Origin prefix; empty for the same origin. */
  baseUrl?: string;
  /** Called when a request that needs a login is answered 401 (the session ended). */
  onUnauthorized?: () => void;
}

const loginResponseSchema = z.object({ user: publicUserSchema });
const chairListSchema = z.array(chairSummarySchema);
const readingListSchema = z.array(readingSchema);

/** The dashboard's HTTP API; every answer is validated before it is trusted to have a shape. */
export function createApiClient({ fetch: fetchFn, baseUrl = '', onUnauthorized }: ApiClientOptions): ApiClient {
  async function request<T>(
    path: string,
    schema: z.ZodType<T>,
    init: { method?: string; body?: unknown; authenticated?: boolean } = {},
  ): Promise<T> {
    const { method = 'GET', body, authenticated = true } = init;
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach the Chairside server');
    }

    const payload = await readJson(response);
    if (!response.ok) {
      if (response.status === 401 && authenticated) onUnauthorized?.();
      throw apiErrorFromBody(response.status, payload);
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new ApiError(response.status, 'unexpected', `Unexpected answer from ${method} ${path}`);
    }
    return parsed.data;
  }

  return {
    getSession: () => request('/api/auth/session', authStatusSchema, { authenticated: false }),
    login: async (credentials) =>
      (await request('/api/auth/login', loginResponseSchema, { method: 'POST', body: credentials, authenticated: false })).user,
    logout: async () => {
      await request('/api/auth/logout', z.unknown(), { method: 'POST', authenticated: false });
    },
    listChairs: () => request('/api/v1/chairs', chairListSchema),
    chairReadings: (chairId, { from }) =>
      request(`/api/v1/chairs/${encodeURIComponent(chairId)}/readings?from=${encodeURIComponent(from)}`, readingListSchema),
    postReading: (reading) => request('/api/v1/readings', readingSchema, { method: 'POST', body: reading }),
  };
}

/** The body as JSON, or null when there is none (204) or it is not JSON. */
async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return null;
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return null;
  }
}
