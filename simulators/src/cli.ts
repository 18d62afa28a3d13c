#!/usr/bin/env tsx
/**
 * Entry point of the simulator: the only file that reads argv and env, picks the real clock and
 * the global fetch, and handles signals. Logs name chairs and counts, never patient values.
 */
import { randomInt } from 'node:crypto';
import { cliUsage, parseCliOptions } from './cli-options';
import type { Logger } from './device';
import { startSimulation, type SimulationStats } from './simulation';

const summaryIntervalMs = 30_000;

const parsed = parseCliOptions(process.argv.slice(2), process.env);
if (parsed.kind === 'help') {
  console.log(cliUsage);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(`chairside-sim: ${parsed.message}\n\n${cliUsage}`);
  process.exit(2);
}

const { url, token, chairs, speed } = parsed.options;
const seed = parsed.options.seed ?? randomInt(0, 0xffffffff);
const chairIds = Array.from({ length: chairs }, (_, i) => `chair-${i + 1}`);

const stamp = (): string => new Date().toISOString();
const logger: Logger = {
  info: (message) => console.log(`${stamp()} ${message}`),
  warn: (message) => console.warn(`${stamp()} warning: ${message}`),
  error: (message) => console.error(`${stamp()} error: ${message}`),
};

function summary(stats: SimulationStats): string {
  return (
    `${stats.chairs} chairs: ${stats.sent} readings sent, ${stats.pending} waiting, ` +
    `${stats.failedPosts} failed POSTs, ${stats.rejected} refused, ${stats.dropped} dropped`
  );
}

const simulation = startSimulation({
  baseUrl: url,
  token,
  chairIds,
  speed,
  seed,
  clock: { now: () => Date.now() },
  fetch: (input, init) => fetch(input, init),
  logger,
});
logger.info(`chairside-sim: ${chairs} chairs (${chairIds[0]}…) → ${url}, speed ×${speed}, seed ${seed}; Ctrl-C stops`);

const summaryTimer = setInterval(() => logger.info(summary(simulation.stats())), summaryIntervalMs);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    logger.warn(`${signal} again: exiting without waiting`);
    process.exit(130);
  }
  stopping = true;
  clearInterval(summaryTimer);
  logger.info(`${signal}: stopping, sending what is left…`);
  await simulation.stop();
  logger.info(`stopped. ${summary(simulation.stats())}`);
  process.exit(0);
}
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
