/** The time source; the entry point picks the real clock, tests pass a fixed one. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export function fixedClock(epochMs: number): Clock {
  return { now: () => epochMs };
}
