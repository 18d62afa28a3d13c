import {
  type ChairSummary,
  type Reading,
  type SessionPhase,
  computeBaseline,
  emptyLatestVitals,
  initialSessionState,
  ivKetamineProtocol,
} from '@chairside/shared';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import type { ApiClient } from './api/api-client';
import { type AppServices, ServicesContext } from './app-services';
import { fixedClock } from './clock';
import { createFakeAlarmAudio } from './features/alarms/fake-alarm-audio';
import { createDirectOutbox } from './features/manual-entry/direct-outbox';
import type { AppStore } from './store/app-store';
import { createAppStore } from './store/app-store';
import { StoreContext } from './store/store-context';

export const testNow = Date.parse('2026-11-22T10:00:00Z');

/** An ISO instant `secondsAgo` before testNow. */
export function isoAgo(secondsAgo: number): string {
  return new Date(testNow - secondsAgo * 1000).toISOString();
}

export function makeReading(fields: Partial<Reading> & { seq: number }): Reading {
  const measuredAt = fields.measuredAt ?? isoAgo(0);
  return {
    id: `00000000-0000-4000-8000-${String(fields.seq).padStart(12, '0')}`,
    chairId: 'chair-1',
    sessionId: null,
    measuredAt,
    // Arrived as it was measured, unless a test says otherwise (a reading is ordered by the earlier of the two).
    receivedAt: measuredAt,
    source: 'device',
    systolic: null,
    diastolic: null,
    mean: null,
    heartRate: null,
    spo2: null,
    respRate: null,
    rejected: [],
    flags: [],
    enteredBy: null,
    ...fields,
  };
}

export function makeChair(fields: Partial<ChairSummary> & { id: string }): ChairSummary {
  return {
    name: fields.id,
    hl7Bed: null,
    position: 0,
    latest: emptyLatestVitals,
    session: null,
    ...fields,
  };
}

type ChairSession = NonNullable<ChairSummary['session']>;

export function makeSession(fields: { displayName: string; phase: SessionPhase; checkedInAtMs?: number; chairId?: string }): ChairSession {
  return {
    id: 'session-1',
    chairId: fields.chairId ?? 'chair-1',
    patient: { id: 'patient-1', displayName: fields.displayName, mrn: null, riskFlags: [] },
    protocol: ivKetamineProtocol,
    state: { ...initialSessionState(fields.checkedInAtMs ?? testNow - 30 * 60 * 1000), phase: fields.phase },
    baseline: computeBaseline(ivKetamineProtocol, []),
    bpTimesMs: [],
    checkedInBy: 'nurse',
    revision: 1,
  };
}

function notExpected(name: string) {
  return () => Promise.reject(new Error(`${name} was not expected in this test`));
}

export function fakeApi(overrides: Partial<ApiClient> = {}): ApiClient {
  return {
    getSession: notExpected('getSession'),
    login: notExpected('login'),
    logout: notExpected('logout'),
    listChairs: notExpected('listChairs'),
    chairReadings: notExpected('chairReadings'),
    chairTrend: notExpected('chairTrend'),
    postReading: notExpected('postReading'),
    listPatients: notExpected('listPatients'),
    createPatient: notExpected('createPatient'),
    listProtocols: notExpected('listProtocols'),
    checkIn: notExpected('checkIn'),
    postSessionEvent: notExpected('postSessionEvent'),
    sessionDetail: notExpected('sessionDetail'),
    sessionGate: notExpected('sessionGate'),
    attachReadings: notExpected('attachReadings'),
    listOpenAlerts: notExpected('listOpenAlerts'),
    acknowledgeAlert: notExpected('acknowledgeAlert'),
    pauseChairAudio: notExpected('pauseChairAudio'),
    sessionAlerts: notExpected('sessionAlerts'),
    listUsers: notExpected('listUsers'),
    createUser: notExpected('createUser'),
    updateUser: notExpected('updateUser'),
    listDeviceTokens: notExpected('listDeviceTokens'),
    createDeviceToken: notExpected('createDeviceToken'),
    revokeDeviceToken: notExpected('revokeDeviceToken'),
    demoControl: notExpected('demoControl'),
    triggerDemoScenario: notExpected('triggerDemoScenario'),
    createChair: notExpected('createChair'),
    listDevices: notExpected('listDevices'),
    registerDevice: notExpected('registerDevice'),
    removeDevice: notExpected('removeDevice'),
    listUnmappedHl7: notExpected('listUnmappedHl7'),
    listAudit: notExpected('listAudit'),
    auditCsvUrl: (query) => `/api/v1/audit?format=csv&test=${JSON.stringify(query)}`,
    listReviewSessions: notExpected('listReviewSessions'),
    sessionReport: notExpected('sessionReport'),
    signSession: notExpected('signSession'),
    addSessionAddendum: notExpected('addSessionAddendum'),
    patientHistory: notExpected('patientHistory'),
    getPatient: notExpected('getPatient'),
    remsForm: notExpected('remsForm'),
    signRemsForm: notExpected('signRemsForm'),
    recordRemsSubmission: notExpected('recordRemsSubmission'),
    remsQueue: notExpected('remsQueue'),
    ...overrides,
  };
}

export function fakeServices(overrides: Partial<AppServices> = {}): AppServices {
  return {
    api: fakeApi(),
    live: { start: () => undefined, stop: () => undefined, reloadChairs: () => Promise.resolve() },
    clock: fixedClock(testNow),
    newId: () => '6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b',
    alerts: {
      start: () => undefined,
      stop: () => undefined,
      reloadAlerts: () => Promise.resolve(),
      acknowledge: notExpected('acknowledge'),
      pauseAudio: notExpected('pauseAudio'),
    },
    screenAlarms: { start: () => undefined, stop: () => undefined },
    alarmAudio: createFakeAlarmAudio(),
    // Straight to the (overridden) api: tests about going offline pass a real outbox (features/offline).
    outbox: createDirectOutbox((reading) => (overrides.api ?? fakeApi()).postReading(reading)),
    ...overrides,
  };
}

/** Renders `ui` with its own store, services and router, as the app would. */
export function renderWithApp(
  ui: ReactElement,
  { store = createAppStore(), services = fakeServices(), route = '/' }: { store?: AppStore; services?: AppServices; route?: string } = {},
): RenderResult & { store: AppStore; services: AppServices } {
  const result = render(
    <StoreContext value={store}>
      <ServicesContext value={services}>
        <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
      </ServicesContext>
    </StoreContext>,
  );
  return { ...result, store, services };
}
