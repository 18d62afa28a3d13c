import { socketRooms } from '@chairside/shared';
import type { Clock } from '../clock';
import { GatewayAlarm } from '../hl7-out/gateway-alarm';
import { Hl7AlertChannel } from '../hl7-out/hl7-alert-channel';
import { type Hl7AlertsOutHealth, hl7AlertsOutHealth } from '../hl7-out/hl7-alerts-out-health';
import { Hl7Sender, type Hl7SenderTimings } from '../hl7-out/hl7-sender';
import type { Hl7Target } from '../hl7-out/hl7-target';
import type { Logger } from '../logger';
import type { ReachChannel } from '../reach/alarm-reach';
import type { ChairsideServer } from '../realtime/socket-server';
import type { Store } from '../store/store';

/** HL7 alerts out (AppOptions.hl7AlertsOut; HL7_ALERT_TARGET). */
export interface Hl7AlertsOutOptions {
  target: Hl7Target;
  /** Tests shorten the waits; production keeps the defaults (ACK 10 s, backoff 1 s → 30 s). */
  timings?: Partial<Hl7SenderTimings>;
}

export interface Hl7AlertsOut {
  /** The reach channel: every alert's moments go to the outbox. */
  channel: Hl7AlertChannel;
  sender: Hl7Sender;
  alarm: GatewayAlarm;
  health(): Promise<Hl7AlertsOutHealth>;
  close(): Promise<void>;
}

/**
 * Alerts to a paging gateway as ORU^R40 over MLLP (docs/hl7-alerts.md): the channel that queues
 * them, the sender that delivers them (only on the server running the alert engine), and the
 * station's technical alarm when the gateway stops answering, sent to every dashboard as
 * `station:alarm` (and to one that connects while it lasts).
 */
export function startHl7AlertsOut(deps: {
  store: Pick<Store, 'hl7Outbox' | 'deliveries'>;
  clock: Clock;
  logger: Logger;
  io: ChairsideServer;
  timeZone: string;
  /** True while this server runs the alert engine. */
  leading: () => boolean;
  /** Unset: no gateway, nothing is started. */
  options: Hl7AlertsOutOptions | undefined;
  /** The reach channels: ours joins them. */
  channels: ReachChannel[];
}): Hl7AlertsOut | null {
  const { store, clock, logger, io, options } = deps;
  if (!options) return null;
  const alarm = new GatewayAlarm(clock, logger, deps.timeZone, (message) => io.to(socketRooms.dashboards).emit('station:alarm', message));
  io.on('connection', (socket) => {
    const now = alarm.current();
    if (now) socket.emit('station:alarm', now);
  });
  const sender = new Hl7Sender({
    target: options.target,
    store,
    clock,
    logger,
    leading: deps.leading,
    onStatus: (status) => alarm.update(status),
    ...(options.timings ? { timings: options.timings } : {}),
  });
  const channel = new Hl7AlertChannel({ store, clock, logger, target: sender.target, wake: () => sender.wake() });
  deps.channels.push(channel);
  sender.start();
  logger.info('HL7 alerts out: alerts go to the paging gateway as ORU^R40', { target: sender.target });
  return {
    channel,
    sender,
    alarm,
    health: async () => hl7AlertsOutHealth(sender.target, sender.current(), await store.hl7Outbox.hl7OutboxSummary(), clock.now()),
    close: async () => {
      await channel.close();
      await sender.close();
    },
  };
}
