import type { Reading, ReadingInput } from '@chairside/shared';
import type { Outbox } from './outbox';

/** An outbox that keeps nothing: every reading goes straight to `post` (tests that are not about going offline). */
export function createDirectOutbox(post: (reading: ReadingInput) => Promise<Reading>): Outbox {
  return {
    start: () => undefined,
    stop: () => undefined,
    submit: async (reading) => ({ kind: 'stored', reading: await post(reading) }),
    flush: () => Promise.resolve(),
    discard: () => Promise.resolve(),
  };
}
