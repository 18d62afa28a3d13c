import { z } from 'zod';
import { alertCategorySchema, alertPrioritySchema } from './rules';

/**
 * A technical alarm of the whole station rather than of a chair: something the nurses rely on that
 * the server itself cannot do (docs/hl7-alerts.md "When the gateway is down"). Like a store that
 * cannot save, nobody acknowledges it: it goes when its cause does.
 */
export const stationAlarmIdSchema = z.enum(['hl7-gateway-unreachable']);
export type StationAlarmId = z.infer<typeof stationAlarmIdSchema>;

export const stationAlarmSchema = z.object({
  id: stationAlarmIdSchema,
  /** False: it ended (sent once, so every screen drops it). */
  active: z.boolean(),
  category: alertCategorySchema,
  priority: alertPrioritySchema,
  /** In plain words, with since when: "Paging gateway unreachable since 10:42 — alarms are not reaching phones/pagers". */
  problem: z.string(),
  /** When the cause began (server clock). */
  sinceMs: z.number(),
});
export type StationAlarm = z.infer<typeof stationAlarmSchema>;

/** A paging gateway that has not answered this long is an alarm at the station. */
export const hl7GatewayAlarmDelayMs = 60_000;
