import { describeTimeZone } from '@chairside/shared';
import { useCallback, useId, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { useAppStore } from '../../store/store-context';
import { ReportAlerts } from './ReportAlerts';
import { ReportEvents } from './ReportEvents';
import { ReportReadings } from './ReportReadings';
import { ReportRecord } from './ReportRecord';
import { ReportSummary } from './ReportSummary';
import { SessionChart } from './SessionChart';
import { ReviewNotForRole } from './SessionListPage';
import { SignatureSection } from './SignatureSection';
import { rememberClinicTimeZone } from './clinic-zone';
import { type ReportView, reportView } from './report-view';
import type { SessionAddendum, SessionSignature } from '@chairside/shared';
import { sessionExportHref } from '../../api/review-queries';
import { useLoad } from '../../hooks/use-load';
import '../../styles/review.css';
import '../../styles/print.css';

/** The wording of the PDF report's disclaimer (server/src/review/pdf-report.ts), kept on every printout. */
export const reportDisclaimer =
  'Chairside is a record-keeping and secondary notification aid. The bedside monitor and the clinician remain the primary alarm and monitoring; it does not replace clinical monitoring.';

function ExportLinks({ sessionId }: { sessionId: string }) {
  return (
    <div className="review-toolbar no-print" role="group" aria-label="Export">
      <a className="button button--secondary" href={sessionExportHref(sessionId, 'csv')} download>
        Download CSV
      </a>
      <a className="button button--secondary" href={sessionExportHref(sessionId, 'fhir')} download>
        Download FHIR
      </a>
      <a className="button button--secondary" href={sessionExportHref(sessionId, 'pdf', 'a4')} download>
        Download PDF (A4)
      </a>
      <a className="button button--secondary" href={sessionExportHref(sessionId, 'pdf', 'letter')} download>
        Download PDF (Letter)
      </a>
      <button type="button" className="button button--secondary" onClick={() => window.print()}>
        Print
      </button>
    </div>
  );
}

function ReportBody({ view, onSigned, onAddendum, onStale }: { view: ReportView; onSigned: (s: SessionSignature) => void; onAddendum: (a: SessionAddendum) => void; onStale: () => void }) {
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const { session } = view;
  return (
    <>
      <p className="review-report__identity">
        {session.patient.displayName}
        {session.patient.mrn !== null && <span className="muted"> · MRN {session.patient.mrn}</span>}
        <span className="muted">
          {' '}
          · {view.chairName} · {view.dateTime(session.state.checkedInAtMs)}
        </span>
      </p>
      <p className="muted review-report__zone">
        Times in {describeTimeZone(session.state.checkedInAtMs, view.timeZone)}, the clinic’s time zone.
        {view.signature !== null && ' Signed and locked.'}
      </p>
      <ExportLinks sessionId={session.id} />
      {session.protocol.kind === 'nasal-spray' && (
        <p className="no-print">
          <Link className="button button--secondary" to={`/rems/${encodeURIComponent(session.id)}`}>
            REMS monitoring form
          </Link>
        </p>
      )}
      {/* What a reviewer needs first leads; the raw readings, the evidence, come last and closed. */}
      <ReportSummary view={view} />
      <ReportRecord view={view} />
      <ReportAlerts view={view} />
      <ReportEvents view={view} />
      <SessionChart view={view} />
      <SignatureSection view={view} role={role} onSigned={onSigned} onAddendum={onAddendum} onStale={onStale} />
      <ReportReadings view={view} />
      <p className="review-disclaimer">{reportDisclaimer}</p>
    </>
  );
}

function SessionReport({ sessionId }: { sessionId: string }) {
  const { api } = useServices();
  const headingId = useId();
  const load = useCallback(
    () =>
      api.sessionReport(sessionId).then((report) => {
        rememberClinicTimeZone(report.timeZone);
        return report;
      }),
    [api, sessionId],
  );
  const result = useLoad(load);
  // What this screen added since the report was read: shown at once, while the report is read again.
  const [added, setAdded] = useState<{ signature: SessionSignature | null; addenda: SessionAddendum[] }>({ signature: null, addenda: [] });
  const report = result.value;
  const view = useMemo(() => (report === null ? null : reportView(report, added)), [report, added]);

  const onSigned = (signature: SessionSignature) => {
    setAdded((a) => ({ ...a, signature }));
    result.reload();
  };
  const onAddendum = (addendum: SessionAddendum) => {
    setAdded((a) => ({ ...a, addenda: [...a.addenda, addendum] }));
    result.reload();
  };

  const notFound = result.status === 'failed' && result.error !== null && report === null;

  return (
    <section className="page review-page review-report" aria-labelledby={headingId}>
      <PageTitle title="Session report" />
      <p className="no-print">
        <Link to="/sessions" className="button button--quiet back-button">
          <span aria-hidden="true">←</span> All sessions
        </Link>
      </p>
      <h1 id={headingId} className="page__title">
        Session report
      </h1>
      {result.status === 'failed' && (
        <div role="alert" className="notice notice--error">
          <span>Could not load the session report: {result.error}</span>
          <button type="button" className="button button--secondary" onClick={result.reload}>
            Retry
          </button>
        </div>
      )}
      {view === null ? (
        !notFound && (
          <p className="empty-state" role="status">
            Loading the session report…
          </p>
        )
      ) : (
        <ReportBody view={view} onSigned={onSigned} onAddendum={onAddendum} onStale={result.reload} />
      )}
    </section>
  );
}

/** One session in full for review, sign-off and export: `/sessions/:sessionId`. */
export function SessionReportPage() {
  const { sessionId = '' } = useParams();
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  if (role !== 'nurse' && role !== 'clinician') return <ReviewNotForRole />;
  return <SessionReport key={sessionId} sessionId={sessionId} />;
}
