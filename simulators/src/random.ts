/**
 * Seeded randomness for the simulators. Every random choice of a run flows from one seed, so the
 * same seed replays the same patients, the same noise and the same retry jitter.
 */

/** A source of uniform numbers in [0, 1), like `Math.random` but seeded. */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit PRNG, good enough for simulation (not for cryptography). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A new 32-bit seed derived from a seed and labels (FNV-1a over the text, then an avalanche), so
 * independent streams — one per chair, per patient, per measurement — never share numbers and do
 * not depend on the order in which they are drawn.
 */
export function deriveSeed(seed: number, ...labels: readonly (string | number)[]): number {
  const text = [String(seed >>> 0), ...labels.map(String)].join('\u0000');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A generator for the stream named by `labels` under `seed`. */
export function forkRandom(seed: number, ...labels: readonly (string | number)[]): Random {
  return createRandom(deriveSeed(seed, ...labels));
}

export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** True with probability `p`. */
export function chance(random: Random, p: number): boolean {
  return random() < p;
}

/** A normally distributed number (Box–Muller). Uses two draws. */
export function gaussian(random: Random, mean = 0, sd = 1): number {
  const u1 = 1 - random(); // (0, 1]: log(0) is never taken
  const u2 = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A normal number limited to [min, max] (redrawn a few times, then clamped). */
export function truncatedGaussian(random: Random, mean: number, sd: number, min: number, max: number): number {
  for (let attempt = 0; attempt < 8; attempt++) {
    const value = gaussian(random, mean, sd);
    if (value >= min && value <= max) return value;
  }
  return clamp(mean, min, max);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
