#!/usr/bin/env tsx
/**
 * Entry point of the simulator: the only file that reads argv and env, picks the real clock and
 * the global fetch, and handles signals. Logs name chairs and counts, never patient values.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bedFromTemplate, cliUsage, parseCliOptions } from './cli-options';
import type { DeviceTransport, Logger } from './device';
import { defaultDeviceIdFor } from './mllp-transport';
import { parseScenarioJson, type Scenario } from './scenario';
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

const { url, token, chairs, speed, profiles, scenarioPath, mllp, hl7Bed } = parsed.options;
const seed = parsed.options.seed ?? randomInt(0, 0xffffffff);
const chairIds = Array.from({ length: chairs }, (_, i) => `chair-${i + 1}`);

let scenario: Scenario | undefined;
if (scenarioPath !== undefined) {
  let text: string;
  try {
    text = readFileSync(scenarioPath, 'utf8');
  } catch (error) {
    console.error(`chairside-sim: cannot read the scenario ${scenarioPath}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  const result = parseScenarioJson(text, scenarioPath);
  if (!result.ok) {
    console.error(`chairside-sim: invalid scenario: ${result.message}`);
    process.exit(2);
  }
  scenario = result.scenario;
}

const stamp = (): string => new Date().toISOString();
const logger: Logger = {
  info: (message) => console.log(`${stamp()} ${message}`),
  warn: (message) => console.warn(`${stamp()} warning: ${message}`),
  error: (message) => console.error(`${stamp()} error: ${message}`),
};

function summary(stats: SimulationStats): string {
  return (
    `${stats.chairs} chairs: ${stats.sent} readings sent, ${stats.pending} waiting, ` +
    `${stats.failedPosts} failed ${mllp === undefined ? 'POSTs' : 'HL7 messages'}, ${stats.rejected} refused, ${stats.dropped} dropped`
  );
}

const bedOf = (chairId: string): string => bedFromTemplate(hl7Bed ?? '', chairId, chairIds.indexOf(chairId) + 1);
const transport: DeviceTransport =
  mllp === undefined ? { kind: 'http' } : { kind: 'mllp', host: mllp.host, port: mllp.port, bedFor: bedOf };
const target = mllp === undefined ? url : `mllp://${mllp.host.includes(':') ? `[${mllp.host}]` : mllp.host}:${mllp.port} (HL7 v2)`;

const simulation = startSimulation({
  transport,
  baseUrl: url,
  token,
  chairIds,
  speed,
  seed,
  clock: { now: () => Date.now() },
  fetch: (input, init) => fetch(input, init),
  logger,
  ...(profiles === undefined ? {} : { chairProfiles: profiles }),
  ...(scenario === undefined ? {} : { scenario }),
  onEvent: (event) => {
    // Scripted events are worth a line; the monitor's own small episodes are not.
    if (event.source !== 'monitor') logger.info(`${event.chairId}: ${event.kind} (${event.source}) from ${event.at}${event.until ? ` to ${event.until}` : ''}`);
  },
});
logger.info(`chairside-sim: ${chairs} chairs (${chairIds[0]}…) → ${target}, speed ×${speed}, seed ${seed}; Ctrl-C stops`);
if (mllp !== undefined) {
  const first = chairIds[0] ?? 'chair-1';
  logger.info(
    `HL7: ${first} sends PV1-3 ${bedOf(first)} and monitor id ${defaultDeviceIdFor(first)}: ` +
      `give the chair that hl7Bed (or its last parts), or register the monitor id (POST /api/v1/devices)`,
  );
}
logger.info(`patients: ${chairIds.map((id) => `${id} ${simulation.profiles[id] ?? 'custom'}`).join(', ')}`);
if (scenario !== undefined) logger.info(`scenario "${scenario.name}": ${scenario.events.length} event(s)`);

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
