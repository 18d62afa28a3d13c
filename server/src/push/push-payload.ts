import type { PushMessage } from '@chairside/shared';
import type { ReachNotice } from '../reach/alarm-reach';

const priorityWord = { high: 'High alarm', medium: 'Alarm', low: 'Advisory' } as const;
const maxBodyLength = 160;

/**
 * What a push says about a moment of an alarm. It shows on a locked phone, so it names the chair,
 * the priority and the value against its rule ("Hypertensive crisis: SBP 204 ≥ 200"), never the
 * patient. Acknowledged and cleared alarms send `close`, so the notification goes on every device.
 */
export function pushMessageFor(notice: ReachNotice): PushMessage {
  const { alert } = notice;
  if (notice.moment === 'acknowledged' || notice.moment === 'cleared') {
    return { type: 'close', alertId: alert.id, reason: notice.moment };
  }
  const escalated = notice.moment === 'escalated-to' ? ' — not yet acknowledged' : '';
  const body = `${alert.label}: ${alert.message}${escalated}`;
  return {
    type: 'alarm',
    alertId: alert.id,
    chairId: notice.chairId,
    title: `${priorityWord[notice.priority]} — ${notice.chairName}`,
    body: body.length > maxBodyLength ? `${body.slice(0, maxBodyLength - 1)}…` : body,
    priority: notice.priority,
    url: `/chairs/${encodeURIComponent(notice.chairId)}`,
    atMs: notice.atMs,
  };
}

/**
 * The push service's Topic for an alert: a newer message with the same topic replaces one still
 * waiting for the device (RFC 8030 §5.4: at most 32 base64url characters).
 */
export function pushTopicFor(alertId: string): string {
  const safe = alertId.replace(/[^A-Za-z0-9_-]/g, '');
  if (safe.length <= 32) return safe;
  // Long ids keep their end (the rule and the count), with a short hash of the whole in front.
  let hash = 0;
  for (const char of alertId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return `${hash.toString(36)}-${safe.slice(-(31 - hash.toString(36).length))}`;
}
