import type { PublicUser } from '@chairside/shared';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, renderWithApp } from '../../test-utils';
import { SessionReportPage } from './SessionReportPage';
import { forgetClinicTimeZone } from './clinic-zone';
import type { ApiClient } from '../../api/api-client';
import {
  alertAt,
  at,
  bpReading,
  clinician,
  dischargedState,
  nurse,
  reportFixture,
  sessionEvent,
  signatureByDrLee,
} from './review-fixtures';
import type { SessionReport } from '@chairside/shared';

afterEach(() => forgetClinicTimeZone());

function renderReport(user: PublicUser, api: Partial<ApiClient>) {
  const store = createAppStore();
  store.getState().loggedIn(user);
  return renderWithApp(
    <Routes>
      <Route path="/sessions/:sessionId" element={<SessionReportPage />} />
    </Routes>,
    { store, route: '/sessions/session-1', services: fakeServices({ api: fakeApi(api), clock: { now: () => at(200) } }) },
  );
}

// Rendering a few hundred rows takes seconds on a busy machine.
describe('session report', { timeout: 20_000 }, () => {
  it('summarises the peaks from the server’s statistics: value, time to peak and Δ from baseline', async () => {
    // The statistics differ from what the readings alone say, so the summary must read them.
    const report = reportFixture({
      stats: (s) => ({
        ...s,
        peaks: {
          ...s.peaks,
          systolic: { field: 'systolic', value: 172, atMs: at(35), readingId: 'r', readingSeq: 9, sinceTreatmentStartMs: 25 * 60_000, baseline: 130, deltaFromBaseline: 42 },
          diastolic: { field: 'diastolic', value: 101.5, atMs: at(40), readingId: 'r', readingSeq: 10, sinceTreatmentStartMs: 30 * 60_000, baseline: 82, deltaFromBaseline: 19.5 },
        },
        alerts: { ...s.alerts, total: 3, byPriority: { high: 1, medium: 2, low: 0 } },
        acknowledgement: { ...s.acknowledgement, acknowledged: 2, medianMs: 45_000, maxMs: 130_000 },
      }),
    });
    const sessionReport = vi.fn(() => Promise.resolve(report));
    renderReport(nurse, { sessionReport });

    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(sessionReport).toHaveBeenCalledWith('session-1');
    const peaks = within(summary).getByRole('table', { name: 'Peaks' });
    const sbp = within(peaks).getByRole('row', { name: /^SBP/ });
    expect(within(sbp).getAllByRole('cell').map((c) => c.textContent)).toEqual(['172 mmHg', '09:35', '25 min after infusion start', '130', '+42']);
    const dbp = within(peaks).getByRole('row', { name: /^DBP/ });
    expect(within(dbp).getAllByRole('cell').map((c) => c.textContent)).toEqual(['101.5 mmHg', '09:40', '30 min after infusion start', '82', '+19.5']);

    expect(within(summary).getByText('Alerts').nextSibling).toHaveTextContent('3 (High 1 · Medium 2 · Low 0)');
    expect(within(summary).getByText('Time to acknowledge').nextSibling).toHaveTextContent('Median 45 s · longest 2 min 10 s (2 of 3 acknowledged)');
    expect(within(summary).getByText('Patient').nextSibling).toHaveTextContent('J. Doe · MRN MRN-0042');
    expect(within(summary).getByRole('link', { name: 'Patient history' })).toHaveAttribute('href', '/patients/patient-1?session=session-1');
    expect(within(summary).getByText('Discharge criteria met at').nextSibling).toHaveTextContent('10:52 (1 h 02 min after infusion end)');
  });

  it('shows every section with its heading, the readings as stored, alerts with acknowledgements and the event log', async () => {
    const report = reportFixture({
      readings: [
        bpReading(1, 2, 128, 80),
        bpReading(2, 30, 150, 92, { source: 'manual', enteredBy: 'nina', respRate: null }),
        bpReading(3, 31, 152, 93, { systolic: null, rejected: [{ field: 'systolic', value: 310, reason: 'out-of-range', message: 'SBP 310 is outside the plausible range 40–300' }] }),
      ],
      alerts: [alertAt(1, 'medium', 31, { min: 32, by: 'nina', note: 'repeated cuff' })],
      events: [
        sessionEvent(1, 0, { type: 'checked-in', toPhase: 'baseline' }),
        sessionEvent(2, 10, { type: 'treatment-started', fromPhase: 'baseline', toPhase: 'treatment' }),
        sessionEvent(3, 115, { type: 'discharged', username: 'dr.lee', role: 'clinician', fromPhase: 'observation', toPhase: 'discharged', payload: { override: { reason: 'escort waiting' } } }),
      ],
    });
    renderReport(nurse, { sessionReport: () => Promise.resolve(report) });

    await screen.findByRole('region', { name: 'Summary' });
    const user = userEvent.setup();
    // What a reviewer reads first leads; the raw readings, the evidence, come last.
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual(['Summary', 'Alerts', 'Events', 'Chart', 'Signature', 'Readings']);

    // Closed until asked for.
    expect(screen.queryByRole('table', { name: 'Readings' })).not.toBeInTheDocument();
    const show = screen.getByRole('button', { name: 'Show readings (3)' });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    await user.click(show);
    expect(screen.getByRole('button', { name: 'Hide readings' })).toHaveAttribute('aria-expanded', 'true');

    const readings = screen.getByRole('table', { name: 'Readings' });
    const rows = within(readings).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('09:30:00');
    expect(rows[1]).toHaveTextContent('Manual');
    expect(rows[1]).toHaveTextContent('nina');
    expect(rows[2]).toHaveTextContent('Rejected: SBP 310 is outside the plausible range 40–300');

    const alerts = screen.getByRole('table', { name: 'Alerts' });
    expect(within(alerts).getAllByRole('row')[1]).toHaveTextContent('nina at 09:32:00 — “repeated cuff”');
    expect(within(alerts).getAllByRole('row')[1]).toHaveTextContent('1 min');

    const events = within(screen.getByRole('table', { name: 'Events' })).getAllByRole('row').slice(1);
    expect(events.map((row) => within(row).getAllByRole('cell')[1]?.textContent)).toEqual(['Checked in', 'Infusion started', 'Discharged with override']);
    expect(events[2]).toHaveTextContent('dr.lee (clinician)');
    expect(events[2]).toHaveTextContent('Override reason: escort waiting');

    const exportGroup = screen.getByRole('group', { name: 'Export' });
    expect(within(exportGroup).getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', '/api/v1/sessions/session-1/export?format=csv');
    expect(within(exportGroup).getByRole('link', { name: 'Download FHIR' })).toHaveAttribute('href', '/api/v1/sessions/session-1/export?format=fhir');
    expect(within(exportGroup).getByRole('link', { name: 'Download PDF (A4)' })).toHaveAttribute('href', '/api/v1/sessions/session-1/export?format=pdf&paper=a4');
    expect(within(exportGroup).getByRole('link', { name: 'Download PDF (Letter)' })).toHaveAttribute('href', '/api/v1/sessions/session-1/export?format=pdf&paper=letter');
    expect(within(exportGroup).getByRole('button', { name: 'Print' })).toBeInTheDocument();
    expect(screen.getByText(/secondary notification aid/)).toBeInTheDocument();
  });

  it('shows the readings a page of 100 at a time, and every one of them in a printout', async () => {
    const readings = Array.from({ length: 250 }, (_, i) => bpReading(i + 1, 1 + i * 0.2, 120 + (i % 40), 80));
    renderReport(nurse, { sessionReport: () => Promise.resolve(reportFixture({ readings })) });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Show readings (250)' }));

    const rowsShown = () => within(screen.getByRole('table', { name: 'Readings' })).getAllByRole('row').length - 1;
    expect(rowsShown()).toBe(100);
    expect(screen.getByText('Readings 1–100 of 250')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText('Readings 201–250 of 250')).toBeInTheDocument();
    expect(rowsShown()).toBe(50);
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Hide readings' }));
    expect(screen.queryByRole('table', { name: 'Readings' })).not.toBeInTheDocument();
    act(() => {
      window.dispatchEvent(new Event('beforeprint'));
    });
    expect(rowsShown()).toBe(250);
    act(() => {
      window.dispatchEvent(new Event('afterprint'));
    });
    expect(screen.queryByRole('table', { name: 'Readings' })).not.toBeInTheDocument();
  });

  it('offers "Sign session" to a clinician on a finished unsigned session; after signing it shows the signature and no sign button', async () => {
    let current: SessionReport = reportFixture();
    const sessionReport = vi.fn(() => Promise.resolve(current));
    const signSession = vi.fn(() => {
      current = reportFixture({ signature: signatureByDrLee });
      return Promise.resolve(signatureByDrLee);
    });
    renderReport(clinician, { sessionReport, signSession });
    const user = userEvent.setup();

    const section = await screen.findByRole('region', { name: 'Signature' });
    expect(screen.queryByRole('textbox', { name: 'Addendum' })).not.toBeInTheDocument();
    await user.click(within(section).getByRole('button', { name: 'Sign session' }));

    const dialog = screen.getByRole('dialog', { name: 'Sign session' });
    expect(dialog).toHaveTextContent('I have reviewed this session record (readings, alerts, acknowledgements and events) and sign it as complete.');
    await user.click(within(dialog).getByRole('button', { name: 'Sign and lock' }));

    expect(signSession).toHaveBeenCalledWith('session-1');
    expect(await within(section).findByText(/^Signed by/)).toHaveTextContent('Signed by Dr Lee (dr.lee) on 2026-11-22 12:00');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(within(section).queryByRole('button', { name: 'Sign session' })).not.toBeInTheDocument();
    // Corrections now go into addenda.
    expect(within(section).getByRole('textbox', { name: 'Addendum' })).toBeInTheDocument();
    await vi.waitFor(() => expect(sessionReport).toHaveBeenCalledTimes(2));
    expect(within(section).queryByRole('button', { name: 'Sign session' })).not.toBeInTheDocument();
  });

  it('says why signing was refused, and keeps the dialog open', async () => {
    const signSession = vi.fn(() => Promise.reject(new ApiError(409, 'conflict', 'This session is signed already.')));
    renderReport(clinician, { sessionReport: () => Promise.resolve(reportFixture()), signSession });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Sign session' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Sign and lock' }));
    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent('Not signed: This session is signed already.');
  });

  it('does not offer signing to a nurse, nor on a running session', async () => {
    const { unmount } = renderReport(nurse, { sessionReport: () => Promise.resolve(reportFixture()) });
    const forNurse = await screen.findByRole('region', { name: 'Signature' });
    expect(within(forNurse).queryByRole('button', { name: 'Sign session' })).not.toBeInTheDocument();
    expect(forNurse).toHaveTextContent('waiting for a clinician');
    unmount();

    const running = reportFixture({ state: { ...dischargedState, phase: 'observation', dischargedAtMs: null } });
    renderReport(clinician, { sessionReport: () => Promise.resolve(running) });
    const forRunning = await screen.findByRole('region', { name: 'Signature' });
    expect(within(forRunning).queryByRole('button', { name: 'Sign session' })).not.toBeInTheDocument();
    expect(forRunning).toHaveTextContent('still running (Observation)');
  });

  it('lists the addenda of a signed session and adds one', async () => {
    const first = { seq: 1, text: 'BP at 09:30 was taken on the left arm.', username: 'nina', displayName: 'Nina N.', at: at(190) };
    const added = { seq: 2, text: 'Escort confirmed by phone.', username: 'nina', displayName: 'Nina N.', at: at(200) };
    const addSessionAddendum = vi.fn(() => Promise.resolve(added));
    renderReport(nurse, {
      sessionReport: vi.fn().mockResolvedValueOnce(reportFixture({ signature: signatureByDrLee, addenda: [first] })).mockResolvedValue(reportFixture({ signature: signatureByDrLee, addenda: [first, added] })),
      addSessionAddendum,
    });
    const user = userEvent.setup();

    const section = await screen.findByRole('region', { name: 'Signature' });
    expect(within(section).getByText(/^Signed by/)).toHaveTextContent('Signed by Dr Lee (dr.lee) on 2026-11-22 12:00');
    const list = within(section).getByRole('list', { name: 'Addenda' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);

    await user.click(within(section).getByRole('button', { name: 'Add addendum' }));
    expect(addSessionAddendum).not.toHaveBeenCalled();
    expect(within(section).getByText('Write the correction or addition.')).toBeInTheDocument();

    await user.type(within(section).getByRole('textbox', { name: 'Addendum' }), 'Escort confirmed by phone.');
    await user.click(within(section).getByRole('button', { name: 'Add addendum' }));
    expect(addSessionAddendum).toHaveBeenCalledWith('session-1', 'Escort confirmed by phone.');
    await vi.waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    expect(within(list).getAllByRole('listitem')[1]).toHaveTextContent('Escort confirmed by phone.Nina N. (nina), 2026-11-22 12:20');
  });

  it('tells an admin that session records are for the care team, without reading one', () => {
    const sessionReport = vi.fn();
    renderReport({ id: 'u3', username: 'admin', displayName: 'Admin', role: 'admin' }, { sessionReport });
    expect(screen.getByText('Session records are for nurses and clinicians.')).toBeInTheDocument();
    expect(sessionReport).not.toHaveBeenCalled();
  });
});
