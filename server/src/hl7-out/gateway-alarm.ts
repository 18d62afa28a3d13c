import { hl7GatewayAlarmDelayMs, type StationAlarm } from '@chairside/shared';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Hl7SenderStatus } from './hl7-sender';

/** `10:42` in the clinic's time zone. */
export function clockTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

/**
 * The station's alarm for the paging gateway, or null: the server sends, and the gateway has had no
 * connection or left a message without AA for at least 60 s.
 */
export function gatewayAlarmOf(status: Hl7SenderStatus, nowMs: number, timeZone: string): StationAlarm | null {
  const since = status.troubleSinceMs;
  if (!status.sending || since === null || nowMs - since < hl7GatewayAlarmDelayMs) return null;
  return {
    id: 'hl7-gateway-unreachable',
    active: true,
    category: 'technical',
    priority: 'medium',
    problem: `Paging gateway unreachable since ${clockTime(since, timeZone)} — alarms are not reaching phones/pagers`,
    sinceMs: since,
  };
}

/**
 * Follows the sender's status and raises or ends the station's alarm (like the store's health,
 * ingest/store-health.ts): `publish` gets each change; `current` is what a screen that connects now is told.
 */
export class GatewayAlarm {
  private alarm: StationAlarm | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeZone: string,
    private readonly publish: (alarm: StationAlarm) => void,
  ) {}

  current(): StationAlarm | null {
    return this.alarm;
  }

  update(status: Hl7SenderStatus): void {
    const next = gatewayAlarmOf(status, this.clock.now(), this.timeZone);
    const previous = this.alarm;
    if (next?.sinceMs === previous?.sinceMs && (next === null) === (previous === null)) return;
    this.alarm = next;
    if (next) {
      this.logger.error('HL7 alerts out: the paging gateway is unreachable; alarms are not reaching phones and pagers', {
        sinceMs: next.sinceMs,
        lastError: status.lastError,
      });
      this.publish(next);
    } else if (previous) {
      this.logger.info('HL7 alerts out: the paging gateway answers again; the station alarm ended');
      this.publish({ ...previous, active: false });
    }
  }
}
