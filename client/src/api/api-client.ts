import {
  type AuthStatus,
  type ChairSummary,
  type ChairTrend,
  type CheckIn,
  type CreatePatient,
  type DischargeGateResult,
  type LoginRequest,
  type Patient,
  type Protocol,
  type PublicUser,
  type Reading,
  type ReadingInput,
  type SessionDetail,
  type RecordEventInput,
  type SessionEventInput,
  type SessionSummary,
  authStatusSchema,
  chairSummarySchema,
  chairTrendSchema,
  dischargeGateResultSchema,
  patientSchema,
  protocolSchema,
  publicUserSchema,
  readingSchema,
  sessionDetailSchema,
  sessionSummarySchema,
} from '@chairside/shared';
import { type Alert, type AlertListItem, type AudioPauseMessage, alertListSchema, alertSchema, audioPauseMessageSchema } from '@chairside/shared';
import { type CreateChair, type CreateDevice, type CreateUser, type Device, type DeviceToken, type Hl7UnmappedMessage, type UpdateUser, type UserListItem, deviceSchema, userListItemSchema } from '@chairside/shared';
import { z } from 'zod';
import { type AuditEntry, type CreatedDeviceToken, auditEntryListSchema, createdDeviceTokenSchema, deviceListSchema, deviceTokenListSchema, unmappedMessageListSchema, userListSchema } from '@chairside/shared';
import { type AuditQuery, auditQueryString } from './audit-query';
import { type PatientHistoryItem, type SessionAddendum, type SessionListPage, type SessionReport, type SessionSignature, patientHistorySchema, sessionAddendumSchema, sessionListPageSchema, sessionReportSchema, sessionSignatureSchema } from '@chairside/shared';
import { type SessionListQuery, sessionListQueryString } from './review-queries';
import { type RemsFormSign, type RemsFormStatus, type RemsFormSubmitted, type RemsFormView, type RemsQueueItem, remsFormViewSchema, remsQueueItemSchema } from '@chairside/shared';
import { ApiError, apiErrorFromBody } from './api-error';

export interface ApiClient {
  getSession(): Promise<AuthStatus>;
  login(request: LoginRequest): Promise<PublicUser>;
  logout(): Promise<void>;
  listChairs(): Promise<ChairSummary[]>;
  /** The chair's timeline from `from` on (and before `to`, if given), oldest first. */
  chairReadings(chairId: string, query: { from: string; to?: string }): Promise<Reading[]>;
  /** The chair's trend from `from` on (and before `to`, if given) at `bucketMs` resolution: per slice, each vital's lowest and highest. */
  chairTrend(chairId: string, query: { from: string; to?: string; bucketMs: number }): Promise<ChairTrend>;
  postReading(reading: ReadingInput): Promise<Reading>;
  // Sessions (features/sessions): patients, protocols, check-in, phase events, timeline, gate.
  listPatients(query: { search: string; limit?: number }): Promise<Patient[]>;
  createPatient(patient: CreatePatient): Promise<Patient>;
  listProtocols(): Promise<Protocol[]>;
  checkIn(request: CheckIn): Promise<SessionSummary>;
  /** A phase event, or an entry of the session record beyond vitals (readiness, escort, …) on the same endpoint. */
  postSessionEvent(sessionId: string, event: SessionEventInput | RecordEventInput): Promise<SessionSummary>;
  sessionDetail(sessionId: string): Promise<SessionDetail>;
  sessionGate(sessionId: string): Promise<DischargeGateResult>;
  /** Attaches readings of the session's chair that belong to no session; resolves with them as stored now. */
  attachReadings(sessionId: string, readingIds: string[]): Promise<Reading[]>;
  // Alarms (features/alarms): nurse and clinician only; an admin is answered 403.
  /** Open alerts (active or acknowledged) of every active session. */
  listOpenAlerts(): Promise<AlertListItem[]>;
  acknowledgeAlert(alertId: string, note?: string): Promise<Alert>;
  pauseChairAudio(chairId: string): Promise<AudioPauseMessage>;
  /** Every alert of a session, cleared ones included, with their acknowledgements. */
  sessionAlerts(sessionId: string): Promise<Alert[]>;
  // Admin (features/admin): admin only.
  listUsers(): Promise<UserListItem[]>;
  createUser(user: CreateUser): Promise<PublicUser>;
  /** Disabling, a new password or a new role ends the user's sessions. */
  updateUser(userId: string, update: UpdateUser): Promise<UserListItem>;
  listDeviceTokens(): Promise<DeviceToken[]>;
  /** The answer carries the token itself, this once. */
  createDeviceToken(label: string): Promise<CreatedDeviceToken>;
  revokeDeviceToken(tokenId: string): Promise<void>;
  /** Demo mode's presenter control (admin): what can be started on which simulated chair. */
  demoControl(): Promise<DemoControl>;
  triggerDemoScenario(chairId: string, kind: string): Promise<void>;
  createChair(chair: CreateChair): Promise<ChairSummary>;
  /** Bedside monitors bound to chairs for HL7. */
  listDevices(): Promise<Device[]>;
  registerDevice(device: CreateDevice): Promise<Device>;
  removeDevice(deviceId: string): Promise<void>;
  /** HL7 messages that mapped to no chair, newest first. */
  listUnmappedHl7(limit?: number): Promise<Hl7UnmappedMessage[]>;
  /** The audit trail, newest first. */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /** Where the browser downloads the filtered audit trail as CSV (same origin, with the session cookie). */
  auditCsvUrl(query: AuditQuery): string;
  // Review (features/review): nurse and clinician; only a clinician signs.
  /** A page of sessions, filtered, sorted and paged on the server (GET /api/v1/sessions). */
  listReviewSessions(query: SessionListQuery): Promise<SessionListPage>;
  /** Everything a session's report shows, with its statistics and the clinic's time zone (audited as a view). */
  sessionReport(sessionId: string): Promise<SessionReport>;
  /** Signs and locks a finished session as the logged-in clinician. */
  signSession(sessionId: string): Promise<SessionSignature>;
  /** A correction to a signed session, kept beside the record. */
  addSessionAddendum(sessionId: string, text: string): Promise<SessionAddendum>;
  /** Every session of a patient, oldest first, with statistics and treatment-relative BP curves. */
  patientHistory(patientId: string): Promise<PatientHistoryItem[]>;
  getPatient(patientId: string): Promise<Patient>;
  // REMS (features/rems): the esketamine REMS Patient Monitoring Form; nurse and clinician, only a clinician signs.
  /** The form of a session: the draft derived from the record, what is missing, and what was signed and submitted. */
  remsForm(sessionId: string): Promise<RemsFormView>;
  /** A clinician completes what the draft lacks, attests and signs. */
  signRemsForm(sessionId: string, sign: RemsFormSign): Promise<RemsFormView>;
  /** Records that the signed form was sent (how, when). */
  recordRemsSubmission(sessionId: string, submitted: RemsFormSubmitted): Promise<RemsFormView>;
  /** The forms in `status` of esketamine sessions of the last 30 days, the soonest due first. */
  remsQueue(status: RemsFormStatus): Promise<RemsQueueItem[]>;
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
const alertHistorySchema = z.array(alertSchema);
const patientListSchema = z.array(patientSchema);
const protocolListSchema = z.array(protocolSchema);
const demoControlSchema = z.object({ enabled: z.boolean(), kinds: z.array(z.string()), chairIds: z.array(z.string()) });
export type DemoControl = z.infer<typeof demoControlSchema>;
const remsQueueListSchema = z.array(remsQueueItemSchema);
const sessionPath = (sessionId: string) => `/api/v1/sessions/${encodeURIComponent(sessionId)}`;

/** Items of a long list validated per task (about 10 ms each). */
const listSliceSize = 2500;

/** Lets the page handle input and draw before the next slice. */
function pauseForPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The dashboard's HTTP API; every answer is validated before it is trusted to have a shape. */
export function createApiClient({ fetch: fetchFn, baseUrl = '', onUnauthorized }: ApiClientOptions): ApiClient {
  /** Sends a request and reads the JSON answer; an error status becomes an ApiError. */
  async function send(path: string, init: { method?: string; body?: unknown; authenticated?: boolean }): Promise<{ status: number; payload: unknown }> {
    const { method = 'GET', body, authenticated = true } = init;
    // The server answers 415 to a request that changes something without this header, body or not
    // (so a plain HTML form of another page cannot act as the logged-in user).
    const json = body !== undefined || method !== 'GET';
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        credentials: 'same-origin',
        headers: json ? { Accept: 'application/json', 'Content-Type': 'application/json' } : { Accept: 'application/json' },
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
    return { status: response.status, payload };
  }

  async function request<T>(
    path: string,
    schema: z.ZodType<T>,
    init: { method?: string; body?: unknown; authenticated?: boolean } = {},
  ): Promise<T> {
    const { status, payload } = await send(path, init);
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new ApiError(status, 'unexpected', `Unexpected answer from ${init.method ?? 'GET'} ${path}`);
    }
    return parsed.data;
  }

  /**
   * A long list (hours of readings), every item validated, a slice at a time with a pause for the
   * page in between: checking tens of thousands in one go would freeze the screen.
   */
  async function requestList<T>(path: string, itemSchema: z.ZodType<T>): Promise<T[]> {
    const { status, payload } = await send(path, {});
    const unexpected = () => new ApiError(status, 'unexpected', `Unexpected answer from GET ${path}`);
    if (!Array.isArray(payload)) throw unexpected();
    const items: T[] = [];
    for (let i = 0; i < payload.length; i += 1) {
      // Also before the first slice: parsing the answer was a task of its own.
      if (i % listSliceSize === 0 && payload.length > listSliceSize) await pauseForPage();
      const parsed = itemSchema.safeParse(payload[i]);
      if (!parsed.success) throw unexpected();
      items.push(parsed.data);
    }
    return items;
  }

  return {
    getSession: () => request('/api/auth/session', authStatusSchema, { authenticated: false }),
    login: async (credentials) =>
      (await request('/api/auth/login', loginResponseSchema, { method: 'POST', body: credentials, authenticated: false })).user,
    logout: async () => {
      await request('/api/auth/logout', z.unknown(), { method: 'POST', authenticated: false });
    },
    listChairs: () => request('/api/v1/chairs', chairListSchema),
    chairReadings: (chairId, { from, to }) =>
      requestList(
        `/api/v1/chairs/${encodeURIComponent(chairId)}/readings?from=${encodeURIComponent(from)}${to === undefined ? '' : `&to=${encodeURIComponent(to)}`}`,
        readingSchema,
      ),
    chairTrend: (chairId, { from, to, bucketMs }) =>
      request(
        `/api/v1/chairs/${encodeURIComponent(chairId)}/trend?from=${encodeURIComponent(from)}${to === undefined ? '' : `&to=${encodeURIComponent(to)}`}&bucketMs=${bucketMs}`,
        chairTrendSchema,
      ),
    postReading: (reading) => request('/api/v1/readings', readingSchema, { method: 'POST', body: reading }),
    listPatients: ({ search, limit = 50 }) =>
      request(`/api/v1/patients?search=${encodeURIComponent(search)}&limit=${limit}`, patientListSchema),
    createPatient: (patient) => request('/api/v1/patients', patientSchema, { method: 'POST', body: patient }),
    listProtocols: () => request('/api/v1/protocols', protocolListSchema),
    checkIn: (checkIn) => request('/api/v1/sessions', sessionSummarySchema, { method: 'POST', body: checkIn }),
    postSessionEvent: (sessionId, event) =>
      request(`${sessionPath(sessionId)}/events`, sessionSummarySchema, { method: 'POST', body: event }),
    sessionDetail: (sessionId) => request(sessionPath(sessionId), sessionDetailSchema),
    sessionGate: (sessionId) => request(`${sessionPath(sessionId)}/gate`, dischargeGateResultSchema),
    attachReadings: (sessionId, readingIds) =>
      request(`${sessionPath(sessionId)}/readings`, readingListSchema, { method: 'POST', body: { readingIds } }),
    listOpenAlerts: () => request('/api/v1/alerts', alertListSchema),
    acknowledgeAlert: (alertId, note) =>
      request(`/api/v1/alerts/${encodeURIComponent(alertId)}/acknowledge`, alertSchema, { method: 'POST', body: note === undefined ? {} : { note } }),
    pauseChairAudio: (chairId) =>
      request(`/api/v1/chairs/${encodeURIComponent(chairId)}/audio-pause`, audioPauseMessageSchema, { method: 'POST', body: {} }),
    sessionAlerts: (sessionId) => request(`/api/v1/sessions/${encodeURIComponent(sessionId)}/alerts`, alertHistorySchema),
    listUsers: () => request('/api/v1/users', userListSchema),
    createUser: (user) => request('/api/v1/users', publicUserSchema, { method: 'POST', body: user }),
    updateUser: (userId, update) => request(`/api/v1/users/${encodeURIComponent(userId)}`, userListItemSchema, { method: 'PATCH', body: update }),
    listDeviceTokens: () => request('/api/v1/device-tokens', deviceTokenListSchema),
    createDeviceToken: (label) => request('/api/v1/device-tokens', createdDeviceTokenSchema, { method: 'POST', body: { label } }),
    demoControl: () => request('/api/v1/demo', demoControlSchema),
    triggerDemoScenario: async (chairId, kind) => {
      await request('/api/v1/demo/trigger', z.unknown(), { method: 'POST', body: { chairId, kind } });
    },
    revokeDeviceToken: async (tokenId) => {
      await request(`/api/v1/device-tokens/${encodeURIComponent(tokenId)}`, z.unknown(), { method: 'DELETE' });
    },
    createChair: (chair) => request('/api/v1/chairs', chairSummarySchema, { method: 'POST', body: chair }),
    listDevices: () => request('/api/v1/devices', deviceListSchema),
    registerDevice: (device) => request('/api/v1/devices', deviceSchema, { method: 'POST', body: device }),
    removeDevice: async (deviceId) => {
      await request(`/api/v1/devices/${encodeURIComponent(deviceId)}`, z.unknown(), { method: 'DELETE' });
    },
    listUnmappedHl7: (limit = 100) => request(`/api/v1/hl7/unmapped?limit=${limit}`, unmappedMessageListSchema),
    listAudit: (query) => request(`/api/v1/audit?${auditQueryString(query)}`, auditEntryListSchema),
    auditCsvUrl: (query) => `${baseUrl}/api/v1/audit?${auditQueryString(query, 'csv')}`,
    listReviewSessions: (query) => request(`/api/v1/sessions?${sessionListQueryString(query)}`, sessionListPageSchema),
    sessionReport: (sessionId) => request(`${sessionPath(sessionId)}/report`, sessionReportSchema),
    signSession: (sessionId) => request(`${sessionPath(sessionId)}/sign`, sessionSignatureSchema, { method: 'POST', body: {} }),
    addSessionAddendum: (sessionId, text) => request(`${sessionPath(sessionId)}/addenda`, sessionAddendumSchema, { method: 'POST', body: { text } }),
    patientHistory: (patientId) => request(`/api/v1/patients/${encodeURIComponent(patientId)}/history`, patientHistorySchema),
    getPatient: (patientId) => request(`/api/v1/patients/${encodeURIComponent(patientId)}`, patientSchema),
    remsForm: (sessionId) => request(`${sessionPath(sessionId)}/rems-form`, remsFormViewSchema),
    signRemsForm: (sessionId, sign) => request(`${sessionPath(sessionId)}/rems-form`, remsFormViewSchema, { method: 'POST', body: sign }),
    recordRemsSubmission: (sessionId, submitted) => request(`${sessionPath(sessionId)}/rems-form/submitted`, remsFormViewSchema, { method: 'POST', body: submitted }),
    remsQueue: (status) => request(`/api/v1/rems-forms?status=${encodeURIComponent(status)}`, remsQueueListSchema),
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
