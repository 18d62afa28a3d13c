/**
 * Shared pieces of the fuzz tests (tests/integration/fuzz-*.int.test.ts): malformed-input
 * arbitraries for fast-check and the checks every answer must pass (never a 5xx, errors as
 * `{error:{code,message}}`, no stack trace or file path sent to a client).
 *
 * Runs are seeded (each property's seed is FUZZ_SEED, default 20261122, plus a hash of its name), so
 * a run is repeatable; a failure prints fast-check's report with the property's seed and path.
 * `FUZZ_SEED=<n>` explores other inputs, `FUZZ_SCALE=10` runs ten times as many, and
 * `FUZZ_SHRINK=1` shrinks a failing server-side case (off by default: each step is a request).
 * Ids (random UUIDs) and times (now) in the inputs are not seeded; nothing asserted depends on them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';

export const fuzzSeed = Number(process.env.FUZZ_SEED ?? 20261122);

/** Runs an async property with the suite's seed; `numRuns` is scaled by FUZZ_SCALE (default 1). */
export async function fuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number, check: (value: T) => Promise<void>): Promise<number> {
  const scale = Number(process.env.FUZZ_SCALE ?? 1);
  const runs = Math.max(1, Math.round(numRuns * scale));
  let ran = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      ran += 1;
      await check(value);
    }),
    { seed: fuzzSeed + hash(name), numRuns: runs, endOnFailure: process.env.FUZZ_SHRINK !== '1' },
  );
  return ran;
}

/** Same, for synchronous properties. */
export function fuzzSync<T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number, check: (value: T) => void): number {
  const scale = Number(process.env.FUZZ_SCALE ?? 1);
  const runs = Math.max(1, Math.round(numRuns * scale));
  let ran = 0;
  fc.assert(
    fc.property(arbitrary, (value) => {
      ran += 1;
      check(value);
    }),
    { seed: fuzzSeed + hash(name), numRuns: runs },
  );
  return ran;
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return Math.abs(h) % 1_000_000;
}

/**
 * A data folder for a fuzzed server: in memory (/dev/shm) where there is one, since thousands of
 * fsyncs would otherwise dominate the run; the SQLite file and its settings are the real ones.
 */
export function fuzzDataDir(): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'chairside-fuzz-'));
}

// ---------------------------------------------------------------------------------------------
// Values

/** Numbers at the edges of what JSON and the schemas take. */
export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, -999, -99.9, 8388607, 2 ** 31, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Strings that mean something to a parser somewhere. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '-0',
    '0x10',
    'null',
    'true',
    'undefined',
    '__proto__',
    'constructor',
    'prototype',
    '..',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '%ZZ',
    '%',
    '\\',
    "'; DROP TABLE readings; --",
    '<script>alert(1)</script>',
    '{{7*7}}',
    '${7*7}',
    '\u202e\u200b\ufeff',
    '\ud800',
    '👩‍⚕️💉',
    'ｃｈａｉｒ－１',
    'chair-1\n',
    '2026-02-30T25:61:61+99:99',
    '2026-11-22T10:00:00',
    '2026-11-22T10:00:00+14:00',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

/** A string too long for any field (up to ~200 kB, under the 1 MB body limit). */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('x', 'é', '€', '👩‍⚕️', '\\"', '%'), fc.integer({ min: 5_000, max: 60_000 }))
  .map(([c, n]) => c.repeat(n));

/**
 * JSON text of values nested `depth` levels (arrays or objects), as a string so it can go past the
 * stack: a recursive walk overflows at about 10 000 levels.
 */
export const deepJson: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.integer({ min: 100, max: 2_000 }), fc.integer({ min: 12_000, max: 30_000 })), fc.constantFrom('array', 'object', 'mixed'))
  .map(([depth, kind]) => {
    if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth);
    if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    return '{"a":['.repeat(depth) + '1' + ']}'.repeat(depth);
  });

/** A value of any JSON shape, with a bias toward the tricky ones. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: nastyString },
  { weight: 2, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
);

/** Every field name the API's schemas know, and some that mean something to JavaScript. */
export const knownFields = [
  'id',
  'chairId',
  'sessionId',
  'patientId',
  'protocolId',
  'measuredAt',
  'systolic',
  'diastolic',
  'mean',
  'heartRate',
  'spo2',
  'respRate',
  'source',
  'username',
  'password',
  'role',
  'displayName',
  'disabled',
  'label',
  'deviceId',
  'name',
  'hl7Bed',
  'position',
  'mrn',
  'riskFlags',
  'type',
  'reason',
  'note',
  'text',
  'items',
  'limits',
  'override',
  'readingIds',
  'identityConfirmed',
  'afterSeq',
  'limit',
  'alertId',
  'kind',
  'version',
  'timeline',
  'bpIntervals',
  'observationMinMinutes',
  'checklist',
  'format',
  'from',
  'to',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
] as const;

/** JSON text of an object with known field names and values of the wrong type; keys may repeat. */
export function fieldMix(fields: readonly string[] = knownFields, value: fc.Arbitrary<unknown> = anyValue): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), fc.oneof({ weight: 12, arbitrary: value.map((v) => jsonText(v)) }, { weight: 1, arbitrary: hugeString.map((s) => JSON.stringify(s)) }, { weight: 1, arbitrary: deepJson })), { maxLength: 12 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
}

/** JSON.stringify, but a value JSON cannot carry becomes null. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations of valid inputs: they get past the first checks and reach the deeper ones.

const deepMarker = '\u0000deep-json\u0000';

type Mutation =
  | { kind: 'replace'; path: number[]; value: unknown }
  | { kind: 'huge'; path: number[]; value: string }
  | { kind: 'deep'; path: number[]; value: string }
  | { kind: 'delete'; path: number[] }
  | { kind: 'add'; path: number[]; key: string; value: unknown }
  | { kind: 'wrap'; path: number[] };

function mutation(large: boolean): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), path: fc.array(fc.nat(), { maxLength: 4 }), value: anyValue }) },
    { weight: large ? 1 : 0, arbitrary: fc.record({ kind: fc.constant('huge' as const), path: fc.array(fc.nat(), { maxLength: 4 }), value: hugeString }) },
    { weight: large ? 1 : 0, arbitrary: fc.record({ kind: fc.constant('deep' as const), path: fc.array(fc.nat(), { maxLength: 4 }), value: deepJson }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.array(fc.nat(), { maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), path: fc.array(fc.nat(), { maxLength: 3 }), key: fc.constantFrom(...knownFields), value: anyValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), path: fc.array(fc.nat(), { maxLength: 4 }) }) },
  );
}

function setOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function applyMutation(root: unknown, m: Mutation): { root: unknown; deep: string | null } {
  const value = m.kind === 'replace' || m.kind === 'add' ? m.value : m.kind === 'huge' ? m.value : m.kind === 'deep' ? deepMarker : undefined;
  // Walk down while the path and the containers last; the mutation applies to the last key reached.
  let parent: Record<string, unknown> | unknown[] | null = null;
  let key: string | number | null = null;
  let node = root;
  for (const step of m.path) {
    if (node === null || typeof node !== 'object') break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node as Record<string, unknown>;
    key = keys[step % keys.length] ?? null;
    node = key === null ? undefined : (parent as Record<string, unknown>)[key];
  }
  const deep = m.kind === 'deep' ? m.value : null;
  if (m.kind === 'add') {
    const target = node !== null && typeof node === 'object' && !Array.isArray(node) ? node : parent && !Array.isArray(parent) ? parent : null;
    if (target) setOwn(target, m.key, value);
    return { root, deep };
  }
  if (parent === null || key === null) {
    if (m.kind === 'delete') return { root: undefined, deep };
    if (m.kind === 'wrap') return { root: [root], deep };
    return { root: value, deep };
  }
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  } else setOwn(parent, key, m.kind === 'wrap' ? [node] : value);
  return { root, deep };
}

/**
 * JSON text of `base` after one to three mutations (a field replaced, removed, added or wrapped;
 * with `large`, also made huge or nested past any stack).
 */
export function mutationsOf(base: unknown, { large = true }: { large?: boolean } = {}): fc.Arbitrary<string> {
  return fc.array(mutation(large), { minLength: 1, maxLength: 3 }).map((mutations) => {
    let root: unknown = structuredClone(base);
    let deep: string | null = null;
    for (const m of mutations) {
      const out = applyMutation(root, m);
      root = out.root;
      deep = out.deep ?? deep;
    }
    const text = jsonText(root);
    return deep === null ? text : text.replace(JSON.stringify(deepMarker), deep);
  });
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface FuzzBody {
  contentType: string | null;
  contentEncoding?: string;
  body: string | Uint8Array | null;
  what: string;
}

const otherContentTypes = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=utf-7',
  'application/json; charset=nonsense',
  'application/merge-patch+json',
  'application/fhir+json',
  'application/json, text/plain',
  'application/jsonx',
  ';;;',
  'application/json; boundary=--',
];

/** Request bodies: JSON of every shape, malformed JSON, other content types and encodings. */
export const fuzzBody: fc.Arbitrary<FuzzBody> = fc.oneof(
  { weight: 4, arbitrary: anyValue.map((v) => ({ contentType: 'application/json', body: jsonText(v), what: 'json value' })) },
  { weight: 5, arbitrary: fieldMix().map((body) => ({ contentType: 'application/json', body, what: 'field mix' })) },
  { weight: 1, arbitrary: fc.array(fieldMix(), { maxLength: 5 }).map((items) => ({ contentType: 'application/json', body: `[${items.join(',')}]`, what: 'array of field mixes' })) },
  { weight: 1, arbitrary: deepJson.map((body) => ({ contentType: 'application/json', body, what: 'deep nesting' })) },
  { weight: 1, arbitrary: fc.json().map((j) => ({ contentType: 'application/json', body: j.slice(0, Math.max(0, j.length - 1)) + '\u0000', what: 'broken json' })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ contentType: 'application/json', body, what: 'text as json' })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((body) => ({ contentType: 'application/json', body, what: 'bytes as json' })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...otherContentTypes), fc.oneof(fieldMix(), fc.string({ maxLength: 100 }))).map(([contentType, body]) => ({ contentType, body, what: 'other content type' })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-bogus', 'gzip, gzip'), fc.uint8Array({ maxLength: 64 })).map(([contentEncoding, body]) => ({ contentType: 'application/json', contentEncoding, body, what: 'content encoding' })) },
  { weight: 1, arbitrary: fc.constant<FuzzBody>({ contentType: 'application/json', body: null, what: 'no body' }) },
  { weight: 1, arbitrary: fc.constant<FuzzBody>({ contentType: null, body: null, what: 'nothing at all' }) },
  { weight: 1, arbitrary: fc.constant<FuzzBody>({ contentType: 'application/json', body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }), what: 'over the body limit' }) },
);

/** Percent-encodes a string for a URL; a lone surrogate becomes U+FFFD (encodeURIComponent throws on it). */
export function encode(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

/** A path parameter: a real id, or something a router or a file system might read as more. */
export function pathParam(valid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 3, arbitrary: nastyString.map(encode) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('..', '.', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', 'a%00b', '%ZZ', '%', '%E0%A4%A', '%C0%AE', '%2F', ';', '*', 'chair-1;x', 'chair-1%20', '-', '_', 'a'.repeat(64), 'a'.repeat(65)),
    },
    { weight: 1, arbitrary: fc.integer({ min: 65, max: 12_000 }).map((n) => 'a'.repeat(n)) },
    { weight: 1, arbitrary: fc.uuid() },
  );
}

export const queryKeys = ['from', 'to', 'fromDate', 'toDate', 'limit', 'offset', 'patientId', 'chairId', 'sessionId', 'protocolId', 'hadAlerts', 'overrideUsed', 'signed', 'sort', 'order', 'format', 'paper', 'search', 'user', 'action', '__proto__', 'constructor', 'limit[]', 'from[$gt]', 'a[b][c]'] as const;

/** A query string: known keys with odd values, repeated keys, raw percent signs. */
export const queryString: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...queryKeys) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
      fc.oneof(
        nastyString.map(encode),
        edgeNumber.map(String),
        fc.constantFrom('%ZZ', '%', '%00', 'csv', 'fhir', 'pdf', 'json', 'a4', 'letter', '2026-11-22T10:00:00Z', '2026-11-22', '9999-12-31', '0000-01-01', '2026-02-30', 'true', 'false', 'asc', 'desc', 'chair', '-1', '1e9', '', '0'),
      ),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}`));

// ---------------------------------------------------------------------------------------------
// Checks

const stackFrame = /\n\s+at\s|\bat\s+\S+\s+\((?:file:|\/|[A-Za-z]:\\)|node:internal/;
const filePath = /\/work\/|node_modules|\/src\/[\w/-]+\.(?:ts|js)|\.(?:ts|js):\d+:\d+/;

/** Every string in a JSON value. */
function stringsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 50) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out, depth + 1);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringsOf(v, out.concat(k), depth + 1);
  return out;
}

/** Fails if the text or any string in it looks like a stack trace or a server file path. */
export function expectNoLeak(text: string, where: string): void {
  expect(text, `${where}: a stack frame in the answer`).not.toMatch(stackFrame);
  expect(text, `${where}: a file path in the answer`).not.toMatch(filePath);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  for (const s of stringsOf(parsed)) {
    expect(s, `${where}: a stack frame in the answer`).not.toMatch(stackFrame);
    expect(s, `${where}: a file path in the answer`).not.toMatch(filePath);
  }
  if (parsed && typeof parsed === 'object' && 'error' in parsed) {
    expect(Object.keys((parsed as { error: object }).error), `${where}: error body keys`).not.toContain('stack');
  }
}

/**
 * Checks one HTTP answer: below 500, no leak, and a 4xx is `{error:{code,message}}` — except
 * Node's own refusals before Express sees the request (431, 414, or a 400 on a malformed request
 * line), which carry no body.
 */
export function expectCleanAnswer(status: number, text: string, where: string): void {
  expect(status, `${where}: status ${status}, body ${text.slice(0, 300)}`).toBeLessThan(500);
  expectNoLeak(text, where);
  if (status >= 400) {
    if (text === '' && [400, 413, 414, 431].includes(status)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${where}: a ${status} answer that is not JSON: ${text.slice(0, 200)}`);
    }
    expect(parsed, `${where}: error body`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  }
}

/** Checks an error acknowledgement or answer object of the socket API. */
export function isErrorBody(value: unknown): value is { error: { code: string; message: string } } {
  if (!value || typeof value !== 'object' || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return !!error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}
