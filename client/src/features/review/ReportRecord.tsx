import { type RecordReport, formatDuration, recordNumber, recordReport, roundingStatusLabels, scoreScaleLabels } from '@chairside/shared';
import { type ReactNode, useId, useMemo } from 'react';
import type { ReportView } from './report-view';
import { TableScroll } from './TableScroll';

/*
 * The session record beyond vitals on the report (docs/architecture.md "The session record"): what was given with the
 * cumulative mg, MOAA/S and CADSS-6, PRN interventions with their reassessment, adverse events, eyes-on checks,
 * readiness and escort — the sections of the PDF report, drawn from the same shared derivation. Wide tables scroll
 * inside their own box on a phone.
 */

function Subsection({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="review-subsection" aria-labelledby={headingId}>
      <h3 id={headingId} className="review-subsection__title">
        {title}
      </h3>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Time({ view, ms }: { view: ReportView; ms: number }) {
  return <time dateTime={view.iso(ms)}>{view.when(ms)}</time>;
}

function totalText(r: RecordReport): string {
  const weightKg = r.record.infusion?.weightKg ?? null;
  const devices = r.record.doses.filter((d) => d.device !== null).length;
  return (
    `${recordNumber(r.totalMg)} mg` +
    (weightKg === null ? '' : ` (${Math.round((r.totalMg / weightKg) * 100) / 100} mg/kg at ${recordNumber(weightKg)} kg)`) +
    (devices === 0 ? '' : `, ${devices} device${devices === 1 ? '' : 's'}`)
  );
}

function Administration({ view, r }: { view: ReportView; r: RecordReport }) {
  if (r.administration.length === 0) return <p className="muted">No dose or infusion recorded.</p>;
  return (
    <>
      <p>
        <strong>Total given: {totalText(r)}</strong>
        {r.record.firstDeviceAtMs !== null && (
          <>
            {' '}
            · first device <Time view={view} ms={r.record.firstDeviceAtMs} />
          </>
        )}
      </p>
      <TableScroll label="Administration">
        <table className="readings-table review-table" aria-label="Administration">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">What</th>
              <th scope="col">Drug</th>
              <th scope="col">Dose / rate</th>
              <th scope="col">Route</th>
              <th scope="col">Lot / device</th>
              <th scope="col">By</th>
              <th scope="col" className="num">
                Cumulative mg
              </th>
            </tr>
          </thead>
          <tbody>
            {r.administration.map((a) => (
              <tr key={a.key}>
                <td className="num">
                  <Time view={view} ms={a.atMs} />
                </td>
                <td>{a.what}</td>
                <td>{a.drug}</td>
                <td>
                  {a.dose ?? a.rate ?? '—'}
                  {a.dose !== null && a.rate !== null && <span className="note">{a.rate}</span>}
                  {a.note !== null && <span className="note">{a.note}</span>}
                </td>
                <td>{a.route}</td>
                <td>{a.lotDevice ?? '—'}</td>
                <td>{a.username || '—'}</td>
                <td className="num">{recordNumber(a.cumulativeMg)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

function Scores({ view, r }: { view: ReportView; r: RecordReport }) {
  const sed = r.record.sedation;
  return (
    <>
      <p>
        {sed.resolved && sed.resolvedAtMs !== null ? (
          <>
            <strong>Resolved</strong> at <Time view={view} ms={sed.resolvedAtMs} /> (MOAA/S 5, CADSS-6 at or below its pre-dose value)
          </>
        ) : (
          <strong>Not resolved</strong>
        )}
        {' · '}pre-dose CADSS-6 {sed.preDoseCadss ?? 'not taken'} · sedation {sed.sedationSeen ? 'seen' : 'not seen'} · dissociation{' '}
        {sed.dissociationSeen ? 'seen' : 'not seen'}
      </p>
      {r.scores.length === 0 ? (
        <p className="muted">No scores recorded.</p>
      ) : (
        <TableScroll label="Scores">
          <table className="readings-table review-table" aria-label="Scores">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col" className="num">
                  From dosing
                </th>
                <th scope="col">Scale</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">CADSS-6 items</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {r.scores.map((s) => (
                <tr key={s.seq}>
                  <td className="num">
                    <Time view={view} ms={s.atMs} />
                  </td>
                  <td className="num">{s.minFromDosing === null ? '—' : `${s.minFromDosing} min`}</td>
                  <td>
                    {scoreScaleLabels[s.scale]}
                    {s.corrected && <span className="note">corrected entry</span>}
                  </td>
                  <td className="num">{s.scale === 'moaa-s' ? `${s.value} of 5` : `${s.value} of 24`}</td>
                  <td>{s.items === null ? '—' : s.items.join(' ')}</td>
                  <td>{s.username}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function Interventions({ view, r }: { view: ReportView; r: RecordReport }) {
  if (r.interventions.length === 0) return <p className="muted">No PRN given.</p>;
  return (
    <TableScroll label="Interventions">
      <table className="readings-table review-table" aria-label="Interventions">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Drug and dose</th>
            <th scope="col">Indication</th>
            <th scope="col">By</th>
            <th scope="col">Reassessment and response</th>
          </tr>
        </thead>
        <tbody>
          {r.interventions.map((p) => (
            <tr key={p.seq}>
              <td className="num">
                <Time view={view} ms={p.atMs} />
              </td>
              <td>
                {p.drug} {recordNumber(p.doseMg)} mg {p.route}
              </td>
              <td>{p.indication}</td>
              <td>{p.username}</td>
              <td>
                {p.reassessment === null ? (
                  <>
                    <strong>Not reassessed</strong> (due <Time view={view} ms={p.reassessDueAtMs} />)
                  </>
                ) : (
                  <>
                    <Time view={view} ms={p.reassessment.atMs} /> by {p.reassessment.username}
                    {p.reassessment.late && ' (after its due time)'}: {p.reassessment.response}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function AdverseEvents({ view, r }: { view: ReportView; r: RecordReport }) {
  if (r.adverseEvents.length === 0) return <p className="muted">No adverse event recorded.</p>;
  return (
    <TableScroll label="Adverse events">
      <table className="readings-table review-table" aria-label="Adverse events">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Severity</th>
            <th scope="col">Serious</th>
            <th scope="col">By</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {r.adverseEvents.map((a) => (
            <tr key={a.seq}>
              <td className="num">
                <Time view={view} ms={a.atMs} />
              </td>
              <td>{a.kind}</td>
              <td>{a.severity}</td>
              <td>{a.serious ? <strong>Serious</strong> : 'No'}</td>
              <td>{a.username}</td>
              <td>{a.note ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Rounding({ view, r }: { view: ReportView; r: RecordReport }) {
  const ro = r.rounding;
  const unusual = ro.checks.filter((c) => c.status !== 'comfortable');
  return (
    <dl className="facts">
      <Fact label="Checks">
        {ro.count} (one expected every {ro.intervalMin} min)
      </Fact>
      <Fact label="Longest gap">
        {ro.longestGap === null ? (
          'Treatment not started'
        ) : (
          <>
            {formatDuration(ro.longestGap.ms)} (<Time view={view} ms={ro.longestGap.fromMs} />–<Time view={view} ms={ro.longestGap.toMs} />)
            {ro.overdueGaps > 0 && ` · ${ro.overdueGaps} gap${ro.overdueGaps === 1 ? '' : 's'} past the overdue margin`}
          </>
        )}
      </Fact>
      <Fact label="Statuses">{ro.byStatus.length === 0 ? 'None recorded' : ro.byStatus.map((b) => `${b.status} ${b.count}`).join(', ')}</Fact>
      {unusual.length > 0 && (
        <Fact label="Not comfortable">
          {unusual.map((c, i) => (
            <span key={c.seq}>
              {i > 0 && '; '}
              <Time view={view} ms={c.atMs} /> {roundingStatusLabels[c.status] ?? c.status} ({c.username})
            </span>
          ))}
        </Fact>
      )}
    </dl>
  );
}

function answerText(answer: boolean | string | null): string {
  if (answer === true) return 'Yes';
  if (answer === false) return 'No';
  return answer ?? 'Not answered';
}

function ReadinessAndEscort({ view, r }: { view: ReportView; r: RecordReport }) {
  return (
    <dl className="facts">
      {r.readiness.items.map((i) => (
        <Fact key={i.id} label={i.hardStop ? `${i.label} (hard stop)` : i.label}>
          {answerText(i.answer)}
          {i.answeredBy !== null && i.answeredAtMs !== null && (
            <span className="muted">
              {' '}
              — {i.answeredBy}, <Time view={view} ms={i.answeredAtMs} />
            </span>
          )}
        </Fact>
      ))}
      <Fact label="Escort">
        {r.escort === null ? (
          'Not recorded'
        ) : (
          <>
            {r.escort.name}, {r.escort.phone}
            <span className="muted">
              {' '}
              — recorded <Time view={view} ms={r.escort.atMs} /> by {r.escort.username}
            </span>
          </>
        )}
      </Fact>
      <Fact label="Hand-off">
        {r.handoff === null ? (
          'Not recorded'
        ) : (
          <>
            Collected by {r.handoff.collectedBy} at <Time view={view} ms={r.handoff.atMs} />
            <span className="muted"> — recorded by {r.handoff.username}</span>
          </>
        )}
      </Fact>
    </dl>
  );
}

/** The session record's sections; nothing for a session without record entries. */
export function ReportRecord({ view }: { view: ReportView }) {
  const headingId = useId();
  const r = useMemo(() => recordReport(view.session, view.stats.asOfMs), [view.session, view.stats.asOfMs]);
  if (!r.hasEntries) return null;
  return (
    <section className="panel review-section review-section--table" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Session record
      </h2>
      <Subsection title="Administration">
        <Administration view={view} r={r} />
      </Subsection>
      <Subsection title="Sedation and dissociation">
        <Scores view={view} r={r} />
      </Subsection>
      <Subsection title="Interventions (PRN)">
        <Interventions view={view} r={r} />
      </Subsection>
      <Subsection title="Adverse events">
        <AdverseEvents view={view} r={r} />
      </Subsection>
      <Subsection title="Eyes-on checks">
        <Rounding view={view} r={r} />
      </Subsection>
      <Subsection title="Readiness and escort">
        <ReadinessAndEscort view={view} r={r} />
      </Subsection>
    </section>
  );
}
