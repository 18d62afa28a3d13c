import { type PublicUser, type SessionReport, esketamineProtocol } from '@chairside/shared';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { at, nurse, reportFixture } from '../review/review-fixtures';
import { SessionReportPage } from '../review/SessionReportPage';
import { createAppStore } from '../../store/app-store';
import { fakeApi, fakeServices, renderWithApp } from '../../test-utils';

/* The session report leads to the REMS form of an esketamine session, and only of one. */

function renderReport(user: PublicUser, report: SessionReport) {
  const store = createAppStore();
  store.getState().loggedIn(user);
  return renderWithApp(
    <Routes>
      <Route path="/sessions/:sessionId" element={<SessionReportPage />} />
    </Routes>,
    { store, route: '/sessions/session-1', services: fakeServices({ api: fakeApi({ sessionReport: () => Promise.resolve(report) }), clock: { now: () => at(200) } }) },
  );
}

describe('the report’s link to the REMS form', { timeout: 20_000 }, () => {
  it('is there for an esketamine session', async () => {
    const report = reportFixture();
    const esketamine = { ...report, input: { ...report.input, session: { ...report.input.session, protocol: esketamineProtocol } } };
    renderReport(nurse, esketamine);
    expect(await screen.findByRole('link', { name: 'REMS monitoring form' })).toHaveAttribute('href', `/rems/${report.input.session.id}`);
  });

  it('is not there for an IV session', async () => {
    renderReport(nurse, reportFixture());
    expect(await screen.findByRole('link', { name: 'Download PDF (A4)' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'REMS monitoring form' })).not.toBeInTheDocument();
  });
});
