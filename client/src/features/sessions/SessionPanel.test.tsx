import { type SessionDetail, type SessionEventView, type SessionSummary, esketamineProtocol } from '@chairside/shared';
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, makeChair, makeReading, renderWithApp } from '../../test-utils';
import { SessionPanel } from './SessionPanel';
import { at, isoAt, sessionFixture } from './session-fixtures';

function event(seq: number, minutes: number, fields: Partial<SessionEventView> & Pick<SessionEventView, 'type'>): SessionEventView {
  return { seq, at: isoAt(minutes), username: 'nurse', role: 'nurse', fromPhase: 'treatment', toPhase: 'treatment', payload: {}, ...fields };
}

function setup(session: SessionSummary, detailOf: (s: SessionSummary) => Partial<SessionDetail>, minutes = 30) {
  const store = createAppStore();
  store.getState().loggedIn({ id: 'u1', username: 'nurse', displayName: 'Nurse', role: 'nurse' });
  store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session })]);
  const sessionDetail = vi.fn((id: string) => {
    const current = store.getState().chairs['chair-1']?.session ?? store.getState().endedSessions['chair-1'] ?? session;
    return Promise.resolve({ ...current, id, events: [], readings: [], ...detailOf(current) });
  });
  renderWithApp(<SessionPanel chairId="chair-1" chairName="Chair 1" />, {
    store,
    services: fakeServices({ api: fakeApi({ sessionDetail }), clock: { now: () => at(minutes) } }),
  });
  return { store, sessionDetail };
}

const treatment = sessionFixture({ state: { phase: 'treatment', treatmentStartedAtMs: at(10), pauses: [{ fromMs: at(20), toMs: at(22), reason: 'nausea' }] }, bpAt: [0, 6, 15, 25] });

const events: SessionEventView[] = [
  event(1, 0, { type: 'checked-in', fromPhase: null, toPhase: 'baseline', payload: { protocolId: 'iv-ketamine', protocolVersion: 1 } }),
  event(2, 10, { type: 'treatment-started', fromPhase: 'baseline', toPhase: 'treatment', payload: { type: 'treatment-started' } }),
  event(3, 20, { type: 'treatment-paused', username: 'dr.lee', role: 'clinician', payload: { type: 'treatment-paused', reason: 'nausea', note: 'rested 2 min' } }),
  event(4, 24, { type: 'limits-changed', username: 'dr.lee', role: 'clinician', payload: { type: 'limits-changed', limits: { 'bp-crisis': { systolicMmHg: 190 } }, reason: 'known hypertension' } }),
];

describe('session panel on the chair page', () => {
  it('shows the timeline: who did what, when, from which phase, with reasons and notes', async () => {
    setup(treatment, () => ({ events }));
    const timeline = await screen.findByRole('list', { name: 'Session events' });
    const items = within(timeline).getAllByRole('listitem');
    expect(items).toHaveLength(4);
    expect(items[0]).toHaveTextContent('Checked in');
    expect(items[1]).toHaveTextContent('Start infusion');
    expect(items[1]).toHaveTextContent('by nurse (nurse) · Baseline → Infusion');
    expect(items[2]).toHaveTextContent('Pause infusion');
    expect(items[2]).toHaveTextContent('by dr.lee (clinician) · during Infusion');
    expect(items[2]).toHaveTextContent('Reason: nausea');
    expect(items[2]).toHaveTextContent('Note: rested 2 min');
    expect(items[3]).toHaveTextContent('Alert limits changed');
    expect(items[3]).toHaveTextContent('bp-crisis: systolicMmHg 190');
  });

  it('shows the clocks and actions of the running session', async () => {
    setup(treatment, () => ({ events }));
    await screen.findByRole('list', { name: 'Session events' });
    expect(screen.getByRole('heading', { name: 'Session · Infusion' })).toBeInTheDocument();
    expect(screen.getByText(/18 min of 40 min · 22 min left · paused 2 min in all \(not counted\)/)).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Session actions' })).getByRole('button', { name: 'End infusion' })).toBeEnabled();
  });

  it('reads the log again on every session update, and keeps an ended session on screen', async () => {
    const { store, sessionDetail } = setup(treatment, () => ({ events }));
    await screen.findByRole('list', { name: 'Session events' });
    expect(sessionDetail).toHaveBeenCalledTimes(1);

    act(() => store.getState().sessionUpdated({ ...treatment, revision: 2, bpTimesMs: [...treatment.bpTimesMs, at(29)] }));
    await vi.waitFor(() => expect(sessionDetail).toHaveBeenCalledTimes(2));

    const cancelled = { ...treatment, revision: 3, state: { ...treatment.state, phase: 'discharged' as const, treatmentEndedAtMs: at(50), dischargedAtMs: at(115) } };
    act(() => store.getState().sessionUpdated(cancelled));
    expect(store.getState().chairs['chair-1']?.session).toBeNull();
    expect(await screen.findByText(/^Session ended: discharged at/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check in patient to Chair 1' })).toBeInTheDocument();
    await vi.waitFor(() => expect(sessionDetail).toHaveBeenCalledTimes(3));
  });

  it('answers the esketamine REMS monitoring form from the log', async () => {
    const reading = (seq: number, minutes: number, systolic: number, diastolic: number) =>
      makeReading({ seq, sessionId: 'session-1', measuredAt: isoAt(minutes), systolic, diastolic });
    const discharged = sessionFixture({
      protocol: esketamineProtocol,
      state: { phase: 'discharged', treatmentStartedAtMs: at(10), treatmentEndedAtMs: at(20), observationStartedAtMs: at(20), gateFirstHeldAtMs: at(131), dischargedAtMs: at(135) },
      bpAt: [5, 51, 128],
    });
    const store = createAppStore();
    store.getState().loggedIn({ id: 'u1', username: 'nurse', displayName: 'Nurse', role: 'nurse' });
    store.getState().chairsLoaded([makeChair({ id: 'chair-1', name: 'Chair 1', session: { ...discharged, revision: 0, state: { ...discharged.state, phase: 'observation', dischargedAtMs: null } } })]);
    store.getState().sessionUpdated(discharged);
    const sessionDetail = vi.fn(() => Promise.resolve({ ...discharged, events: [], readings: [reading(1, 5, 128, 80), reading(2, 51, 150, 92), reading(3, 128, 132, 82)] }));
    renderWithApp(<SessionPanel chairId="chair-1" chairName="Chair 1" />, { store, services: fakeServices({ api: fakeApi({ sessionDetail }), clock: { now: () => at(140) } }) });

    const form = await screen.findByRole('region', { name: 'REMS monitoring form' });
    await vi.waitFor(() => expect(within(form).getByText('BP before dosing').nextSibling).toHaveTextContent(/^128\/80 mmHg at .+ \(5 min before dosing start\)$/));
    expect(within(form).getByText('BP at 40 min').nextSibling).toHaveTextContent(/^150\/92 mmHg at .+ \(41 min after dosing start\)$/);
    expect(within(form).getByText('BP before discharge').nextSibling).toHaveTextContent(/^132\/82 mmHg at .+ \(118 min after dosing start\)$/);
    expect(within(form).getByText('Total monitoring').nextSibling).toHaveTextContent('125 min from dosing start to discharge');
    expect(within(form).getByText('Discharge criteria met at').nextSibling).toHaveTextContent(/\(121 min after dosing start\)$/);
  });
});
