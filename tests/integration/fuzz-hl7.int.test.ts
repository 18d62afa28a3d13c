/**
 * Fuzzing the HL7 v2 (MLLP) listener over real TCP (issue 7), beyond the seeded unit fuzz of the
 * parser (server/src/hl7/hl7-fuzz.test.ts): random bytes, mutated ORU^R01 messages in MLLP frames,
 * streams cut into chunks at random points, oversize frames. Every frame gets an ACK (AA, AE or AR)
 * or the connection is closed; the listener keeps serving, and a valid message afterwards is
 * answered AA and stored.
 */
import fs from 'node:fs';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '@chairside/shared';
import { api, startTestServer, type TestServer } from '../helpers/test-server';
import { fuzz, fuzzDataDir } from '../helpers/fuzz';

const maxMessageBytes = 128 * 1024;
let server: TestServer;
let admin = '';
const counts = { connections: 0, frames: 0, bytes: 0, acks: new Map<string, number>(), dropped: 0 };

beforeAll(async () => {
  server = await startTestServer({ dataDir: fuzzDataDir(), hl7: { timeZone: 'Europe/Berlin', limits: { maxMessageBytes } } });
  admin = await server.login('admin');
  expect((await api(server.url, 'POST', '/api/v1/chairs', admin, { name: 'Bed 102-1', id: 'chair-3', hl7Bed: 'KETA^102^1' })).status).toBe(201);
  expect((await api(server.url, 'POST', '/api/v1/chairs', admin, { name: 'Bed 4', id: 'chair-4', hl7Bed: 'BED04' })).status).toBe(201);
});

afterAll(async () => {
  const acks = [...counts.acks.entries()].map(([code, n]) => `${code}×${n}`).join(' ');
  console.info(`fuzz-hl7: ${counts.connections} connections, ${counts.frames} frames, ${Math.round(counts.bytes / 1024)} KiB; ACKs ${acks}; ${counts.dropped} connections closed by the server before answering all`);
  await server.close();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
});

// --- messages ------------------------------------------------------------------------------------

/** HL7 DTM with offset, e.g. 20261122101500+0100. */
function hl7Time(ms: number, offsetMinutes = 0): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local.slice(0, 4)}${local.slice(5, 7)}${local.slice(8, 10)}${local.slice(11, 13)}${local.slice(14, 16)}${local.slice(17, 19)}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** A PCD-01 ORU^R01 as a Philips-style central station sends it (MDC codes and units, OBX-14 times). */
function philips(controlId: string, ms: number, values = { hr: 72, spo2: 97, rr: 14, sys: 128, dia: 82, mean: 97 }): string {
  const t = hl7Time(ms, 60);
  return [
    `MSH|^~\\&|MONITOR^00095CFFFE7A2B1C^EUI-64|PIIC|CHAIRSIDE||${t}||ORU^R01^ORU_R01|${controlId}|P|2.6|||AL|NE||UNICODE UTF-8`,
    'PID|||MRN12345^^^HOSP^MR||Patient^Test||19800101|F',
    'PV1||I|KETA^102^1',
    `OBR|1|${controlId}^PIIC|${controlId}^PIIC|182777000^monitoring of patient^SNOMED-CT|||${t}`,
    'OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||||||00095CFFFE7A2B1C^EUI-64',
    `OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|${values.hr}|264864^MDC_DIM_BEAT_PER_MIN^MDC|50-120||||R|||${t}`,
    `OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1.2.1|${values.spo2}|262688^MDC_DIM_PERCENT^MDC|90-100||||R|||${t}`,
    `OBX|4|NM|151562^MDC_RESP_RATE^MDC|1.1.3.1|${values.rr}|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R|||${t}`,
    `OBX|5|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.4.1|${values.sys}|266016^MDC_DIM_MMHG^MDC|||||R|||${t}`,
    `OBX|6|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.4.2|${values.dia}|266016^MDC_DIM_MMHG^MDC|||||R|||${t}`,
    `OBX|7|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.4.3|${values.mean}|266016^MDC_DIM_MMHG^MDC|||||R|||${t}`,
  ].join('\r') + '\r';
}

/** A GE-style gateway message: v2.4, plain-text units, bed only, OBR-7 time without offset (clinic time). */
function geStyle(controlId: string, ms: number): string {
  const local = new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace(/\D/g, '');
  return [
    `MSH|^~\\&|CARESCAPE|GEHC|CHAIRSIDE|KETA|${local}||ORU^R01|${controlId}|P|2.4`,
    'PID|||123456||Doe^Jane',
    'PV1||O|^^BED04',
    `OBR|1||||||${local}`,
    'OBX|1|NM|0002-4182^HR^MDIL^147842^MDC_ECG_HEART_RATE^MDC||68|bpm|||||F',
    'OBX|2|NM|0002-4bb8^SPO2^MDIL^150456^MDC_PULS_OXIM_SAT_O2^MDC||99|%|||||F',
    'OBX|3|NM|0002-4a05^NBP-S^MDIL^150021^MDC_PRESS_BLD_NONINV_SYS^MDC||135|mmHg|||||F',
    'OBX|4|NM|0002-4a06^NBP-D^MDIL^150022^^MDC||85|mmHg|||||F',
    'OBX|5|NM|0002-4a07^NBP-M^MDIL^150023^^MDC||101|mmHg|||||F',
  ].join('\r') + '\r';
}

const interesting = ['|', '^', '~', '\\', '&', '\r', '\n', '\x00', 'MSH', 'OBX|', 'MSA|', '-999', '8388607', '+0500', '9'.repeat(30), 'é', '\\F\\', '\\X', '.', 'ORU^R01', 'ACK', '20261122', '\uffff', '\ud83d\ude00'];

/** One edit to a message: the kinds of damage the unit fuzz uses, chosen by fast-check. */
const edit = fc.record({ op: fc.nat({ max: 9 }), at: fc.nat(), n: fc.nat({ max: 40 }), pick: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 12 }) });

function applyEdit(message: string, e: { op: number; at: number; n: number; pick: number; text: string }): string {
  const at = e.at % (message.length + 1);
  const segments = message.split('\r');
  const si = e.pick % segments.length;
  switch (e.op) {
    case 0:
      return message.slice(0, at) + e.text + message.slice(at + 1);
    case 1:
      return message.slice(0, at) + message.slice(at + 1 + e.n);
    case 2:
      return message.slice(0, at) + (interesting[e.pick % interesting.length] ?? '') + message.slice(at);
    case 3:
      return message.slice(0, at);
    case 4:
      segments.splice(si, 0, segments[si] ?? '');
      return segments.join('\r');
    case 5:
      segments.splice(si, 1);
      return segments.join('\r');
    case 6: {
      const fields = (segments[si] ?? '').split('|');
      fields[e.n % Math.max(1, fields.length)] = e.text;
      segments[si] = fields.join('|');
      return segments.join('\r');
    }
    case 7: {
      const j = e.n % segments.length;
      [segments[si], segments[j]] = [segments[j] ?? '', segments[si] ?? ''];
      return segments.join('\r');
    }
    case 8:
      return message.replace(/^MSH(.{5})/s, () => `MSH${(e.text + '|^~\\&#').slice(0, 5)}`);
    default:
      return message.replace(/\d+(\.\d+)?/g, (m, _f, offset: number) => (offset >= at ? `${e.n % 2 === 0 ? '-' : ''}${e.pick % 100_000}` : m));
  }
}

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const frame = (payload: Buffer): Buffer => Buffer.concat([Buffer.from([VT]), payload, Buffer.from([FS, CR])]);
/** Frame bytes must not contain the block characters, or the frame ends (or restarts) early. */
const clean = (text: string): Buffer => Buffer.from(Buffer.from(text, 'utf8').filter((b) => b !== VT && b !== FS));

type Part =
  | { kind: 'valid'; style: 'philips' | 'ge'; controlId: string }
  | { kind: 'mutated'; style: 'philips' | 'ge'; edits: { op: number; at: number; n: number; pick: number; text: string }[] }
  | { kind: 'noise'; bytes: Uint8Array }
  | { kind: 'random-frame'; bytes: Uint8Array }
  | { kind: 'raw'; bytes: Uint8Array }
  | { kind: 'huge'; size: number };

const part: fc.Arbitrary<Part> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('valid' as const), style: fc.constantFrom('philips' as const, 'ge' as const), controlId: fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('mutated' as const), style: fc.constantFrom('philips' as const, 'ge' as const), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('noise' as const), bytes: fc.uint8Array({ maxLength: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random-frame' as const), bytes: fc.uint8Array({ maxLength: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), bytes: fc.uint8Array({ maxLength: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: maxMessageBytes + 1, max: maxMessageBytes * 3 }) }) },
);

interface Built {
  bytes: Buffer;
  /** Frames the listener must answer, in order: the control id of a valid message, or null. */
  frames: (string | null)[];
  /** The stream may close the connection early (oversize frame, bytes that break framing). */
  mayDrop: boolean;
}

let controlSeq = 0;

function build(parts: Part[]): Built {
  const out: Buffer[] = [];
  const frames: (string | null)[] = [];
  let mayDrop = false;
  for (const p of parts) {
    const now = Date.now() - 60_000;
    switch (p.kind) {
      case 'valid': {
        // Unique control ids: a resent id with other values is refused (AE), by design.
        const id = `${p.controlId}-${(controlSeq += 1)}`;
        out.push(frame(clean(p.style === 'philips' ? philips(id, now) : geStyle(id, now))));
        frames.push(id);
        break;
      }
      case 'mutated': {
        const base = p.style === 'philips' ? philips(`M-${(controlSeq += 1)}`, now) : geStyle(`G-${(controlSeq += 1)}`, now);
        out.push(frame(clean(p.edits.reduce(applyEdit, base))));
        frames.push(null);
        break;
      }
      case 'noise':
        // Outside frames; a leading CR right after a frame is swallowed as the frame's trailer.
        out.push(Buffer.from(p.bytes.filter((b) => b !== VT)));
        break;
      case 'random-frame':
        out.push(frame(Buffer.from(p.bytes.filter((b) => b !== VT && b !== FS))));
        frames.push(null);
        break;
      case 'raw':
        out.push(Buffer.from(p.bytes));
        if (p.bytes.includes(VT) || p.bytes.includes(FS)) mayDrop = true;
        break;
      case 'huge':
        out.push(frame(Buffer.alloc(p.size, 0x41)));
        mayDrop = true;
        break;
    }
  }
  return { bytes: Buffer.concat(out), frames, mayDrop };
}

/** Sends `bytes` cut at `cuts` (fractions), half-closes, and collects every ACK until the server closes. */
async function exchange(bytes: Buffer, cuts: number[]): Promise<{ acks: string[]; closedBy: 'end' | 'reset' | 'timeout' }> {
  if (server.hl7Port === null) throw new Error('no HL7 listener');
  const socket = net.connect(server.hl7Port, '127.0.0.1');
  counts.connections += 1;
  counts.bytes += bytes.length;
  const received: Buffer[] = [];
  let reset = false;
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => {
    reset = true;
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const at of [...points, bytes.length]) {
    if (at <= from) continue;
    if (socket.destroyed) break;
    socket.write(bytes.subarray(from, at));
    from = at;
    await new Promise((r) => setImmediate(r));
  }
  if (!socket.destroyed) socket.end();
  const timedOut = await Promise.race([closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 10_000))]);
  if (timedOut) socket.destroy();
  const all = Buffer.concat(received);
  const acks: string[] = [];
  for (let at = all.indexOf(VT); at !== -1; at = all.indexOf(VT, at + 1)) {
    const end = all.indexOf(FS, at);
    if (end === -1) break;
    acks.push(all.subarray(at + 1, end).toString('utf8'));
    at = end;
  }
  return { acks, closedBy: timedOut ? 'timeout' : reset ? 'reset' : 'end' };
}

/** MSA-1 and MSA-2 of an ACK (field separator from its MSH). */
function msa(ack: string): { code: string; controlId: string } {
  const segments = ack.split('\r');
  expect(segments[0]?.startsWith('MSH'), `an ACK starts with MSH: ${JSON.stringify(ack.slice(0, 200))}`).toBe(true);
  const separator = segments[0]?.[3] ?? '|';
  const line = segments.find((s) => s.startsWith('MSA')) ?? '';
  const [, code = '', controlId = ''] = line.split(separator);
  return { code, controlId };
}

async function validMessageIsStored(): Promise<void> {
  const ms = Date.now() - 30_000;
  const id = `FINAL-${(controlSeq += 1)}`;
  const timeline = async (): Promise<Reading[]> => (await api(server.url, 'GET', '/api/v1/chairs/chair-3/readings?limit=100000', admin)).body as Reading[];
  const before = new Set((await timeline()).map((r) => r.id));
  const { acks, closedBy } = await exchange(frame(Buffer.from(philips(id, ms, { hr: 77, spo2: 96, rr: 15, sys: 131, dia: 83, mean: 99 }), 'utf8')), []);
  expect(closedBy).toBe('end');
  expect(acks.map(msa)).toEqual([{ code: 'AA', controlId: id }]);
  const added = (await timeline()).filter((r) => !before.has(r.id));
  expect(added).toEqual([expect.objectContaining({ source: 'device', heartRate: 77, spo2: 96, respRate: 15, systolic: 131, diastolic: 83, mean: 99, measuredAt: new Date(Math.floor(ms / 1000) * 1000).toISOString() })]);
}

describe('fuzzing the HL7 listener over TCP', () => {
  it('answers every frame of random, mutated and split streams with an ACK, or closes the connection', async () => {
    const arb = fc.tuple(fc.array(part, { minLength: 1, maxLength: 6 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }));
    await fuzz('hl7 streams', arb, 250, async ([parts, cuts]) => {
      const built = build(parts);
      counts.frames += built.frames.length;
      const { acks, closedBy } = await exchange(built.bytes, cuts);
      const where = `parts ${JSON.stringify(parts.map((p) => p.kind))}, ${built.bytes.length} bytes, ${acks.length} ACKs, closed by ${closedBy}`;
      expect(closedBy, where).not.toBe('timeout');
      const answers = acks.map(msa);
      for (const a of answers) {
        expect(['AA', 'AE', 'AR'], `${where}: ${JSON.stringify(a)}`).toContain(a.code);
        counts.acks.set(a.code, (counts.acks.get(a.code) ?? 0) + 1);
      }
      expect(acks.length, where).toBeLessThanOrEqual(built.frames.length + (built.mayDrop ? parts.length : 0));
      if (built.mayDrop) {
        if (acks.length < built.frames.length) counts.dropped += 1;
        return;
      }
      // A clean stream: one ACK per frame, in order; the valid messages among them are stored (AA).
      expect(closedBy, where).toBe('end');
      expect(answers.length, where).toBe(built.frames.length);
      built.frames.forEach((controlId, i) => {
        if (controlId !== null) expect(answers[i], `${where}: frame ${i}`).toEqual({ code: 'AA', controlId });
      });
    });
    await validMessageIsStored();
  });

  it('serves many fuzzed connections at once and stays up', async () => {
    const arb = fc.array(fc.array(part, { minLength: 1, maxLength: 3 }), { minLength: 8, maxLength: 24 });
    await fuzz('hl7 concurrent', arb, 6, async (streams) => {
      const results = await Promise.all(streams.map((parts) => exchange(build(parts).bytes, [0.5])));
      for (const r of results) {
        expect(r.closedBy).not.toBe('timeout');
        for (const a of r.acks.map(msa)) expect(['AA', 'AE', 'AR']).toContain(a.code);
      }
    });
    await validMessageIsStored();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  });
});
