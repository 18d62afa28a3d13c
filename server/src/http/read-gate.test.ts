import { describe, expect, it } from 'vitest';
import { AppError } from './app-error';
import { ReadGate } from './read-gate';

describe('ReadGate', () => {
  it('runs at most maxRunning reads at once, the rest in arrival order', async () => {
    const gate = new ReadGate(2, 10);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const read = (n: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(n);
      running -= 1;
      return n;
    };
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => gate.run(read(n))));
    expect(results).toEqual([1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
    expect(order.slice(2)).toEqual([3, 4, 5, 6]);
    expect(gate.load).toEqual({ running: 0, queued: 0 });
  });

  it('answers "busy" at once when the queue is full, and frees its place after a failed read', async () => {
    const gate = new ReadGate(1, 1);
    let release = (): void => undefined;
    let started = (): void => undefined;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const first = gate.run(
      () =>
        new Promise<string>((resolve) => {
          release = () => resolve('first');
          started();
        }),
    );
    const second = gate.run(() => Promise.reject(new Error('disk')));
    await expect(gate.run(() => 'third')).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'unavailable');
    await firstStarted;
    release();
    await expect(first).resolves.toBe('first');
    await expect(second).rejects.toThrow('disk');
    await expect(gate.run(() => 'fourth')).resolves.toBe('fourth');
    expect(gate.load).toEqual({ running: 0, queued: 0 });
  });
});
