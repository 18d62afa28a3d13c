/**
 * The moment a reading is ordered by. Readings are judged in the order they were measured, but no
 * stamp may jump the queue: a reading stamped ahead of the server's clock (a device clock that runs
 * fast, or a wrong stamp sent on purpose) keeps its stamp and is ordered as if measured when it
 * arrived (docs/clinical-defaults.md, "Late data").
 */
export function readingOrderAtMs(reading: { measuredAt: string; receivedAt: string }): number {
  const measuredAtMs = Date.parse(reading.measuredAt);
  const receivedAtMs = Date.parse(reading.receivedAt);
  if (!Number.isFinite(receivedAtMs)) return measuredAtMs;
  return Math.min(measuredAtMs, receivedAtMs);
}

/** How far ahead of the server's clock a stamp may be before the reading is flagged "device clock ahead". */
export const deviceClockAheadToleranceMs = 1_000;
