import type { Protocol } from '@chairside/shared';
import { useCallback } from 'react';
import { useServices } from '../../app-services';
import { PageTitle } from '../../components/PageTitle';
import { LoadState } from './LoadState';
import { useLoad } from '../../hooks/use-load';

function observationText(protocol: Protocol): string {
  const { observation, labels } = protocol;
  const from = observation.from === 'treatment-start' ? labels.treatmentStartMoment : labels.treatmentEndMoment;
  return `at least ${observation.minimumMin} min from ${from}`;
}

/** The protocols as stored, read-only; a new version is posted through the API. */
export function ProtocolsSection() {
  const { api } = useServices();
  const protocols = useLoad(useCallback(() => api.listProtocols(), [api]));
  const list = [...(protocols.value ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="admin-section" aria-labelledby="admin-protocols-heading">
      <PageTitle title="Protocols — Admin" />
      <h2 id="admin-protocols-heading" className="admin-section__title">
        Protocols
      </h2>
      <p className="muted admin-section__lead">
        Read-only here. A new protocol, or a new version of one, is posted to <code>POST /api/v1/protocols</code> (admin); a session keeps the version it started with.
      </p>
      <LoadState load={protocols} what="the protocols" />
      {protocols.value !== null &&
        (list.length === 0 ? (
          <p className="muted">No protocols.</p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table">
              <caption className="visually-hidden">Protocols</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Id</th>
                  <th scope="col">Version</th>
                  <th scope="col">Treatment</th>
                  <th scope="col">Observation</th>
                  <th scope="col">Discharge gate</th>
                </tr>
              </thead>
              <tbody>
                {list.map((protocol) => (
                  <tr key={protocol.id}>
                    <th scope="row" className="admin-table__key">
                      {protocol.name}
                    </th>
                    <td>
                      <code>{protocol.id}</code>
                    </td>
                    <td className="num">{protocol.version}</td>
                    <td>
                      {protocol.labels.treatmentPhase}: {protocol.treatment.plannedMin} min, BP every {protocol.treatment.bpIntervalMin} min
                    </td>
                    <td>{observationText(protocol)}</td>
                    <td>
                      BP within {protocol.dischargeGate.bpWithinPercentOfBaseline} % of baseline, SpO₂ above {protocol.dischargeGate.spo2AbovePercent} %,{' '}
                      {protocol.dischargeGate.checklist.length} checklist {protocol.dischargeGate.checklist.length === 1 ? 'item' : 'items'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
