import type { Router } from 'express';
import type { AlertEvent, AlertListItem } from '@chairside/shared';
import { socketRooms } from '@chairside/shared';
import type { AuditService } from '../audit/audit.service';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ChairsideServer } from '../realtime/socket-server';
import type { Store } from '../store/store';
import type { ReachChannel } from './alarm-reach';
import { AssignmentsService } from './assignments.service';
import { ReachDispatcher } from './dispatcher';
import type { EscalationDelays } from './escalation';
import { reachRoutes } from './routes';

export interface ReachDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  io: ChairsideServer;
  audit: AuditService;
  /** The channels an alarm's moments go to; app.ts fills it (Web Push, HL7 alerts out). */
  channels: ReachChannel[];
  delays?: EscalationDelays | undefined;
  /** The alert engine, bound once it is built. */
  alerts: () => { leading: boolean; openAlerts(): AlertListItem[] };
}

export interface Reach {
  assignments: AssignmentsService;
  dispatcher: ReachDispatcher;
  /** The registered channels, read at every moment: a channel pushed here hears from then on. */
  channels: ReachChannel[];
  /** `/api/v1/assignments`, `/api/v1/escalations`, mounted at `/api/v1`. */
  routes: Router;
  onAlertEvents(chairId: string, sessionId: string, events: readonly AlertEvent[]): void;
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** Alarm reach, wired: assignments and their routes, and the dispatcher that escalates (docs/architecture.md "Alarm reach"). */
export function createReach(deps: ReachDeps): Reach {
  const { store, clock, logger, io } = deps;
  const assignments = new AssignmentsService(store, clock);
  const dispatcher = new ReachDispatcher({
    store,
    clock,
    logger,
    channels: deps.channels,
    delays: deps.delays,
    leading: () => deps.alerts().leading,
    openAlerts: () => deps.alerts().openAlerts(),
    onStep: (step) => io.to(socketRooms.dashboards).emit('alert:reached', step),
  });
  const changed = () => {
    assignments
      .list()
      .then((list) => io.to(socketRooms.dashboards).emit('assignments:changed', list))
      .catch((error: unknown) => logger.error('could not tell the screens of an assignment', { error: String(error) }));
  };
  return {
    assignments,
    dispatcher,
    channels: deps.channels,
    routes: reachRoutes(assignments, store, deps.audit, changed),
    onAlertEvents: (chairId, sessionId, events) => dispatcher.onAlertEvents(chairId, sessionId, events),
    tick: () => dispatcher.tick(),
    close: () => dispatcher.close(),
  };
}
