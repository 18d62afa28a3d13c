import { defaultRecordSettings, type ProtocolKind } from '@chairside/shared';
import { api } from './test-server';

const kindOf: Record<string, ProtocolKind> = { 'iv-ketamine': 'iv-infusion', esketamine: 'nasal-spray' };

/**
 * What a nurse records at check-in so that only the vitals decide the start and the discharge (docs/clinical-defaults.md
 * "The session record beyond vitals"): every readiness hard stop of the built-in protocol answered yes, and the escort.
 */
export async function recordArrival(url: string, sessionId: string, cookie: string, protocolId: 'iv-ketamine' | 'esketamine'): Promise<void> {
  const kind = kindOf[protocolId] ?? 'iv-infusion';
  const answers = Object.fromEntries(defaultRecordSettings[kind].readiness.filter((i) => i.hardStop === true).map((i) => [i.id, true]));
  const path = `/api/v1/sessions/${sessionId}/events`;
  const answered = await api(url, 'POST', path, cookie, { type: 'readiness-answered', answers });
  if (answered.status !== 201) throw new Error(`readiness: ${answered.status} ${JSON.stringify(answered.body)}`);
  const escort = await api(url, 'POST', path, cookie, { type: 'escort-recorded', name: 'Sam Lee', phone: '555 0100' });
  if (escort.status !== 201) throw new Error(`escort: ${escort.status} ${JSON.stringify(escort.body)}`);
}
