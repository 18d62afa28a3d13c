import { type AlertEngineState, alertEngineStateSchema, type AlertInput, createAlertEngineState, type Reading, type SessionSummary } from '@chairside/shared';
import type { Logger } from '../logger';
import type { Store } from '../store/store';

export interface EngineLoaderDeps {
  store: Pick<Store, 'alerts' | 'sessions' | 'readings'>;
  logger: Logger;
}

/**
 * A session's engine as stored (or a fresh one if none or an invalid one is stored) and what it has
 * not evaluated yet: the catch-up after a takeover, a failed save or a crashed engine thread, and a
 * session this node hears of first.
 */
export async function loadEngine(deps: EngineLoaderDeps, session: SessionSummary): Promise<{ state: AlertEngineState; unseen: AlertInput[] }> {
  const stored = await deps.store.alerts.loadAlertEngine(session.id);
  const parsed = stored === null ? null : alertEngineStateSchema.safeParse(stored);
  if (parsed && !parsed.success) {
    deps.logger.error('stored alert state is not valid; starting a fresh one', { sessionId: session.id });
  }
  const readings = await deps.store.readings.listSessionReadings(session.id);
  const state = parsed?.success ? parsed.data : createAlertEngineState({ idPrefix: session.id });
  return { state, unseen: await unseenReadings(deps, session.id, state, readings) };
}

/**
 * The readings of a session its engine has not evaluated: those committed after its last
 * evaluated one, and readings attached to the session later whose evaluation was not saved.
 */
async function unseenReadings(deps: EngineLoaderDeps, sessionId: string, state: AlertEngineState, readings: readonly Reading[]): Promise<AlertInput[]> {
  const { lastReadingSeq, attachedSeqs } = state.tracking;
  const lastSeq = lastReadingSeq ?? Number.NEGATIVE_INFINITY;
  const attachedIds = new Set<string>();
  if (readings.some((r) => r.seq <= lastSeq)) {
    for (const event of await deps.store.sessions.listSessionEvents(sessionId)) {
      const ids = event.type === 'readings-attached' ? (event.payload as { readingIds?: unknown }).readingIds : undefined;
      if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') attachedIds.add(id);
    }
  }
  const evaluated = new Set(attachedSeqs);
  return readings.flatMap((reading): AlertInput[] => {
    if (reading.seq > lastSeq) return [{ kind: 'reading', reading }];
    if (attachedIds.has(reading.id) && !evaluated.has(reading.seq)) return [{ kind: 'reading', reading, attached: true }];
    return [];
  });
}
