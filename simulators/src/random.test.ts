import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, forkRandom, gaussian, truncatedGaussian } from './random';

const draw = (seed: number, n: number): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random());
};

describe('seeded randomness', () => {
  it('replays the same sequence for the same seed', () => {
    expect(draw(42, 1000)).toEqual(draw(42, 1000));
  });

  it('gives different sequences for different seeds', () => {
    const a = draw(42, 100);
    const b = draw(43, 100);
    expect(a.filter((x, i) => x === b[i]).length).toBeLessThan(3);
  });

  it('draws uniformly in [0, 1)', () => {
    const values = draw(7, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
    const deciles = Array.from({ length: 10 }, (_, d) => values.filter((x) => Math.floor(x * 10) === d).length);
    for (const count of deciles) expect(count).toBeGreaterThan(1_800);
  });

  it('derives independent, stable streams from labels', () => {
    expect(deriveSeed(42, 'chair', 'chair-1')).toBe(deriveSeed(42, 'chair', 'chair-1'));
    expect(deriveSeed(42, 'chair', 'chair-1')).not.toBe(deriveSeed(42, 'chair', 'chair-2'));
    expect(deriveSeed(42, 'chair', 'chair-1')).not.toBe(deriveSeed(43, 'chair', 'chair-1'));
    expect(deriveSeed(1, 'a', 'bc')).not.toBe(deriveSeed(1, 'ab', 'c'));
    const a = forkRandom(42, 'x');
    const b = forkRandom(42, 'x');
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('draws gaussians with the asked mean and spread', () => {
    const random = createRandom(1);
    const values = Array.from({ length: 20_000 }, () => gaussian(random, 10, 2));
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
  });

  it('keeps truncated gaussians within their limits', () => {
    const random = createRandom(3);
    const values = Array.from({ length: 5_000 }, () => truncatedGaussian(random, 128, 10, 110, 150));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(110);
    expect(Math.max(...values)).toBeLessThanOrEqual(150);
  });
});
