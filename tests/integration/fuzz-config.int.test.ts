/**
 * Fuzzing the environment boundary (issue 7): `loadConfig` with arbitrary environment maps returns
 * a valid Config or throws a ConfigError with a readable message naming the variable, never any
 * other exception. (In-process, no server: it is here so `fuzz-*.int.test.ts` runs every boundary.)
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@chairside/server';
import { edgeNumber, fuzzSync, nastyString } from '../helpers/fuzz';

const variables = ['PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'DEMO_CHAIRS', 'DEMO_SPEED', 'HL7_PORT', 'ADMIN_PASSWORD', 'INGEST_TOKEN', 'CLINIC_TIMEZONE', 'SESSION_IDLE_MINUTES', 'SIM_SEED'] as const;
const numeric = ['PORT', 'DEMO_CHAIRS', 'DEMO_SPEED', 'HL7_PORT', 'SESSION_IDLE_MINUTES', 'SIM_SEED'] as const;

const value: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: edgeNumber.map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -10, max: 70_000 }).map(String) },
  { weight: 3, arbitrary: nastyString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\t',
      ' 3000 ',
      '0x50',
      '1e3',
      '08',
      '3000abc',
      '65535',
      '65536',
      '-1',
      '1.5',
      'Europe/Berlin',
      'europe/berlin',
      'UTC',
      'Etc/GMT+14',
      'Mars/Olympus_Mons',
      'America/Argentina/ComodRivadavia',
      '+05:30',
      'postgres://user:pw@localhost:5432/db',
      'postgres://',
      'correct horse battery',
      'short',
      'x'.repeat(16),
      'x'.repeat(100_000),
      '0.0.0.0',
      '::',
      './data',
      '/nonexistent/\u0000/dir',
    ),
  },
);

const env = fc
  .array(fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...variables) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'PATH', 'port', 'Port') }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), fc.option(value, { nil: undefined })), { maxLength: 14 })
  .map((entries) => {
    const out: NodeJS.ProcessEnv = {};
    for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });

describe('loadConfig under fuzz', () => {
  it('returns a valid Config or throws a readable ConfigError for any environment', () => {
    const options = fc.record({ demoDefault: fc.constantFrom(0, 6), defaultTimeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Not/AZone', '') });
    let configs = 0;
    let errors = 0;
    const runs = fuzzSync('env', fc.tuple(env, options), 2000, ([e, o]) => {
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig(e, o);
      } catch (error) {
        errors += 1;
        expect(error, `not a ConfigError: ${String(error)}`).toBeInstanceOf(Error);
        expect((error as Error).constructor.name, String(error)).toBe('ConfigError');
        const message = (error as Error).message;
        expect(message).toMatch(/^Invalid configuration:\n {2}\S/);
        // Every line names the variable (or the object itself) and says what is wrong, briefly.
        for (const line of message.split('\n').slice(1)) {
          expect(line, message).toMatch(new RegExp(`^ {2}(${variables.join('|')})?: \\S`));
          expect(line.length, 'a message line the size of the input').toBeLessThan(300);
        }
        return;
      }
      configs += 1;
      expect(Number.isInteger(config.port) && config.port >= 0 && config.port <= 65_535).toBe(true);
      expect(Number.isInteger(config.hl7Port) && config.hl7Port >= 0 && config.hl7Port <= 65_535).toBe(true);
      expect(Number.isInteger(config.demoChairs) && config.demoChairs >= 0 && config.demoChairs <= 200).toBe(true);
      expect(config.demoSpeed > 0 && config.demoSpeed <= 1000).toBe(true);
      expect(Number.isInteger(config.sessionIdleMs) && config.sessionIdleMs >= 60_000).toBe(true);
      expect(config.demoSeed === undefined || Number.isSafeInteger(config.demoSeed)).toBe(true);
      expect(path.isAbsolute(config.dataDir)).toBe(true);
      expect(config.host.trim().length).toBeGreaterThan(0);
      expect(config.adminPassword === undefined || config.adminPassword.length >= 8).toBe(true);
      expect(config.ingestToken === undefined || config.ingestToken.length >= 16).toBe(true);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: config.clinicTimeZone })).not.toThrow();
    });
    console.info(`fuzz-config: ${runs} environments, ${configs} valid, ${errors} refused with a ConfigError`);
    expect(configs).toBeGreaterThan(50);
    expect(errors).toBeGreaterThan(50);
  });

  it('treats a blank variable as unset (its default), never as 0 (regression: HL7_PORT= turned HL7 off, PORT= listened on a random port)', () => {
    const defaults = loadConfig({}, { demoDefault: 6, defaultTimeZone: 'UTC' });
    fuzzSync('blank env', fc.tuple(fc.subarray([...variables], { minLength: 1 }), fc.constantFrom('', ' ', '\t', '  \n')), 200, ([names, blank]) => {
      const config = loadConfig(Object.fromEntries(names.map((n) => [n, blank])), { demoDefault: 6, defaultTimeZone: 'UTC' });
      expect(config).toEqual(defaults);
    });
    expect(defaults).toMatchObject({ port: 3000, hl7Port: 2575, demoChairs: 6, demoSpeed: 1 });
    for (const name of numeric) expect(() => loadConfig({ [name]: 'abc' }, { demoDefault: 0, defaultTimeZone: 'UTC' }), name).toThrow(new RegExp(name));
  });
});
