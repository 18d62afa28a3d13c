import { type EscalationStep, escalationStepSchema } from '@chairside/shared';
import { z } from 'zod';
import type { DeliveriesRepository } from '../repositories';
import type { AlertDeliveryRecord, NewAlertDelivery } from '../records';
import { toAlertDelivery } from '../rows';
import type { SqlRunner } from './runner';

/** The alert events' type of an escalation step; the engine's own events are `alert-…`. */
export const escalationEventType = 'escalated-to';

const toEscalation = (row: unknown): EscalationStep =>
  escalationStepSchema.parse(JSON.parse(z.object({ payload: z.string() }).parse(row).payload));

/** Delivery attempts (alert_deliveries) and escalation steps (alert_events): the same SQL in both dialects. */
export class DeliveriesSql implements DeliveriesRepository {
  constructor(private readonly db: SqlRunner) {}

  async appendDelivery(d: NewAlertDelivery): Promise<void> {
    await this.db.run(
      `INSERT INTO alert_deliveries (alert_id, session_id, channel, target, step, status, detail, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [d.alertId, d.sessionId, d.channel, d.target, d.step, d.status, d.detail, d.at],
    );
  }

  listAlertDeliveries(alertId: string): Promise<AlertDeliveryRecord[]> {
    return this.db.all('SELECT * FROM alert_deliveries WHERE alert_id = ? ORDER BY seq', [alertId], toAlertDelivery);
  }

  listSessionDeliveries(sessionId: string): Promise<AlertDeliveryRecord[]> {
    return this.db.all('SELECT * FROM alert_deliveries WHERE session_id = ? ORDER BY seq', [sessionId], toAlertDelivery);
  }

  async appendEscalation(step: EscalationStep): Promise<void> {
    await this.db.run('INSERT INTO alert_events (alert_id, session_id, type, at, payload) VALUES (?, ?, ?, ?, ?)', [
      step.alertId,
      step.sessionId,
      escalationEventType,
      step.atMs,
      JSON.stringify(escalationStepSchema.parse(step)),
    ]);
  }

  listEscalations(filter: { sessionId: string } | { alertId: string }): Promise<EscalationStep[]> {
    const [column, value] = 'sessionId' in filter ? ['session_id', filter.sessionId] : ['alert_id', filter.alertId];
    return this.db.all(`SELECT payload FROM alert_events WHERE ${column} = ? AND type = ? ORDER BY seq`, [value, escalationEventType], toEscalation);
  }
}
