import { describe, expect, it } from 'vitest';
import { bedFromTemplate, cliUsage, parseCliOptions } from './cli-options';

describe('simulator CLI options', () => {
  it('reads flags', () => {
    const result = parseCliOptions(
      ['--url', 'http://127.0.0.1:3000/', '--token', 'TOKEN', '--chairs', '6', '--speed', '10', '--seed', '42'],
      {},
    );
    expect(result).toEqual({
      kind: 'run',
      options: { url: 'http://127.0.0.1:3000', token: 'TOKEN', chairs: 6, speed: 10, seed: 42 },
    });
  });

  it('falls back to environment variables, then to defaults', () => {
    expect(parseCliOptions([], { INGEST_TOKEN: 'env-token', DEMO_SPEED: '2.5', SIM_SEED: '7' })).toEqual({
      kind: 'run',
      options: { url: 'http://127.0.0.1:3000', token: 'env-token', chairs: 6, speed: 2.5, seed: 7 },
    });
    expect(
      parseCliOptions(['--chairs', '3'], { INGEST_TOKEN: 'x', CHAIRSIDE_URL: 'https://clinic.example', DEMO_CHAIRS: '9' }),
    ).toMatchObject({ kind: 'run', options: { url: 'https://clinic.example', chairs: 3, seed: undefined } });
  });

  it.each([
    [['--chairs', '2'], {}, /token is required/],
    [['--token', 't', '--chairs', 'six'], {}, /chairs must be a number/],
    [['--token', 't', '--chairs', '0'], {}, /chairs must be at least 1/],
    [['--token', 't', '--chairs', '2.5'], {}, /whole number/],
    [['--token', 't', '--speed', '0'], {}, /speed must be above 0/],
    [['--token', 't', '--url', 'localhost:3000'], {}, /http:\/\/ or https:\/\//],
    [['--token', 't'], { SIM_SEED: '-3' }, /seed must be ≥ 0/],
    [['--token', 't', '--chair', '2'], {}, /Unknown option '--chair'/],
    [['--token', 't', 'extra'], {}, /positional/],
  ] as const)('refuses %j %j with a clear message', (argv, env, message) => {
    const result = parseCliOptions(argv, env);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' ? result.message : '').toMatch(message);
  });

  it('reads patient profiles and a scenario file, from flags or the environment', () => {
    expect(parseCliOptions(['--token', 't', '--profiles', 'typical, hypertensive-surger', '--scenario', 'simulators/scenarios/tachycardia.json'], {})).toMatchObject({
      kind: 'run',
      options: { profiles: ['typical', 'hypertensive-surger'], scenarioPath: 'simulators/scenarios/tachycardia.json' },
    });
    expect(parseCliOptions([], { INGEST_TOKEN: 't', SIM_PROFILES: 'esketamine', SIM_SCENARIO: 'x.json' })).toMatchObject({
      kind: 'run',
      options: { profiles: ['esketamine'], scenarioPath: 'x.json' },
    });
    expect(parseCliOptions(['--token', 't'], {})).toMatchObject({ kind: 'run', options: { profiles: undefined, scenarioPath: undefined } });
  });

  it.each([
    [['--token', 't', '--profiles', 'typical,sleepy'], /unknown profile "sleepy": use typical, non-responder/],
    [['--token', 't', '--profiles', ','], /give at least one profile/],
    [['--token', 't', '--scenario'], /argument missing|--scenario/],
  ] as const)('refuses %j with a clear message', (argv, message) => {
    const result = parseCliOptions(argv, {});
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' ? result.message : '').toMatch(message);
  });

  it('sends HL7 over MLLP with --mllp or SIM_MLLP: no token needed, beds from a template', () => {
    expect(parseCliOptions(['--mllp', '127.0.0.1:2575', '--chairs', '2'], {})).toEqual({
      kind: 'run',
      options: {
        url: 'http://127.0.0.1:3000',
        token: undefined,
        chairs: 2,
        speed: 1,
        seed: undefined,
        profiles: undefined,
        scenarioPath: undefined,
        mllp: { host: '127.0.0.1', port: 2575 },
        hl7Bed: 'SIM^^{chair}',
      },
    });
    expect(parseCliOptions(['--hl7-bed', 'KETA^1^{n}'], { SIM_MLLP: 'monitors.clinic.lan:2575' })).toMatchObject({
      kind: 'run',
      options: { mllp: { host: 'monitors.clinic.lan', port: 2575 }, hl7Bed: 'KETA^1^{n}' },
    });
    expect(parseCliOptions(['--mllp', '[::1]:2575'], {})).toMatchObject({ options: { mllp: { host: '::1', port: 2575 } } });
    expect(parseCliOptions(['--mllp', '2575'], {})).toMatchObject({ options: { mllp: { host: '127.0.0.1', port: 2575 } } });
    // Without --mllp, the bed template from the environment is not used.
    expect(parseCliOptions(['--token', 't'], { SIM_HL7_BED: 'X^{n}' })).toMatchObject({ options: { mllp: undefined, hl7Bed: undefined } });
    expect(bedFromTemplate('KETA^{n}^{chair}', 'chair-3', 3)).toBe('KETA^3^chair-3');
  });

  it.each([
    [['--mllp', 'localhost'], /mllp must be HOST:PORT/],
    [['--mllp', 'localhost:0'], /port of 1–65535/],
    [['--mllp', 'localhost:70000'], /port of 1–65535/],
    [['--mllp', 'h:1', '--hl7-bed', 'KETA^1^1'], /must contain \{chair\} or \{n\}/],
    [['--mllp', 'h:1', '--hl7-bed', 'A|B^{n}'], /no \| ~/],
    [['--token', 't', '--hl7-bed', 'A^{n}'], /--hl7-bed applies to --mllp only/],
  ] as const)('refuses %j with a clear message', (argv, message) => {
    const result = parseCliOptions(argv, {});
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' ? result.message : '').toMatch(message);
  });

  it('lists the profiles in its help', () => {
    expect(cliUsage).toContain('hypertensive-surger');
    expect(cliUsage).toContain('--scenario FILE');
    expect(cliUsage).toContain('--mllp HOST:PORT');
  });

  it('answers --help', () => {
    expect(parseCliOptions(['-h'], {})).toEqual({ kind: 'help' });
  });
});
