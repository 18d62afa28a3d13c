import { describe, expect, it } from 'vitest';
import { defaultProtocols, protocolSchema } from '@chairside/shared';
import { demoProtocol } from './demo-conductor';

describe('demoProtocol', () => {
  it.each(defaultProtocols.flatMap((p) => [1, 2, 10, 30, 60, 100].map((speed) => [p.id, speed] as const)))(
    'scales %s at %d× into a valid protocol',
    (id, speed) => {
      const base = defaultProtocols.find((p) => p.id === id);
      if (!base) throw new Error(id);
      const scaled = demoProtocol(base, speed);
      expect(protocolSchema.safeParse(scaled).success).toBe(true);
      if (speed === 1) expect(scaled).toBe(base);
      else expect(scaled.observation.minimumMin).toBe(Math.max(1, Math.floor(base.observation.minimumMin / speed)));
    },
  );
});
