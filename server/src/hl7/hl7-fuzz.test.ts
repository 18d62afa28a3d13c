/**
 * Seeded fuzzing: random bytes and mutated valid messages through the framer, the parser, the ORU
 * reader and the handler. Whatever arrives, nothing throws, every message gets a well-formed ACK
 * (AA, AE or AR) echoing its control id, and only valid readings reach ingest. A failing case prints
 * its seed and index, so it can be replayed.
 */
import { describe, expect, it } from 'vitest';
import { readingInputSchema } from '@chairside/shared';
import { silentLogger } from '../logger';
import { Hl7Handler } from './hl7-handler';
import { parseHl7, segmentsOf, valueOf } from './hl7-message';
import { frameMllp, MllpFramer } from './mllp-framer';
import { readOruR01 } from './oru-r01';
import { geStyle, hl7, kPaStyle, loincStyle, mindrayStyle, oddDelimiters, pcd01Published, philipsStyle, twoPatients } from './test-fixtures';

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seed = 20261122;
const bases = [pcd01Published, philipsStyle, geStyle, mindrayStyle, kPaStyle, oddDelimiters, loincStyle, twoPatients].map((m) => hl7(m));
const interesting = ['|', '^', '~', '\\', '&', '\r', '\n', '\x0b', '\x1c', '\x00', 'MSH', 'OBX|', '-999', '8388607', '+0500', '9'.repeat(30), 'é', '\\F\\', '\\X', '.'];

function mutate(text: string, random: () => number): string {
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  let out = text;
  const steps = 1 + int(4);
  for (let s = 0; s < steps; s += 1) {
    const at = int(out.length + 1);
    switch (int(9)) {
      case 0: // flip a character
        out = out.slice(0, at) + String.fromCharCode(int(256)) + out.slice(at + 1);
        break;
      case 1: // delete a range
        out = out.slice(0, at) + out.slice(at + 1 + int(20));
        break;
      case 2: // insert something with meaning to HL7
        out = out.slice(0, at) + pick(interesting) + out.slice(at);
        break;
      case 3: // truncate
        out = out.slice(0, at);
        break;
      case 4: {
        // duplicate or drop a segment
        const segments = out.split('\r');
        const i = int(segments.length);
        if (random() < 0.5) segments.splice(i, 0, segments[i] ?? '');
        else segments.splice(i, 1);
        out = segments.join('\r');
        break;
      }
      case 5: {
        // replace a field with random digits or text
        const segments = out.split('\r');
        const i = int(segments.length);
        const fields = (segments[i] ?? '').split('|');
        fields[int(fields.length)] = random() < 0.5 ? String(int(10 ** (1 + int(15)))) : pick(interesting).repeat(1 + int(5));
        segments[i] = fields.join('|');
        out = segments.join('\r');
        break;
      }
      case 6: // swap two segments
      {
        const segments = out.split('\r');
        const i = int(segments.length);
        const j = int(segments.length);
        [segments[i], segments[j]] = [segments[j] ?? '', segments[i] ?? ''];
        out = segments.join('\r');
        break;
      }
      case 7: // change the encoding characters
        out = out.replace(/^MSH(.{5})/s, () => `MSH${Array.from({ length: 5 }, () => pick(['|', '^', '~', '\\', '&', '#', 'A', ' ', '!'])).join('')}`);
        break;
      default: // a number becomes another
        out = out.replace(/\d+(\.\d+)?/, () => (random() < 0.5 ? `-${int(1000)}` : String(random() * 10 ** int(10))));
        break;
    }
  }
  return out;
}

function randomBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) bytes[i] = random() < 0.1 ? [0x0b, 0x1c, 0x0d, 0x7c, 0x5e][Math.floor(random() * 5)] ?? 0 : Math.floor(random() * 256);
  return bytes;
}

function checkAck(ack: string, controlId: string, where: string): void {
  const parsed = parseHl7(ack);
  expect(parsed.ok, `${where}: the ACK is HL7`).toBe(true);
  if (!parsed.ok) return;
  expect(parsed.message.segments.map((s) => s.id), where).toEqual(['MSH', 'MSA']);
  const msa = segmentsOf(parsed.message, 'MSA')[0];
  expect(['AA', 'AE', 'AR'], where).toContain(valueOf(msa, 1));
  if (controlId.length > 0 && controlId.length <= 199 && !controlId.includes(parsed.message.delimiters.escape)) {
    expect(valueOf(msa, 2).trim(), where).toBe(controlId);
  }
}

// Thousands of messages each: minutes of CPU on a loaded 2-core machine would still be a pass; a
// parser that hangs (catastrophic backtracking) is what the 60-s limit catches.
describe('fuzzing the HL7 path (seed %d)', { timeout: 60_000 }, () => {
  it('parser and ORU reader never throw on thousands of mutated messages', () => {
    const random = prng(seed);
    const started = Date.now();
    let parsedCount = 0;
    let readCount = 0;
    for (let i = 0; i < 5000; i += 1) {
      const base = bases[i % bases.length] ?? '';
      const text = mutate(base, random);
      const where = `seed ${seed} case ${i}`;
      let parsed: ReturnType<typeof parseHl7> | undefined;
      expect(() => (parsed = parseHl7(text)), where).not.toThrow();
      if (!parsed?.ok) continue;
      parsedCount += 1;
      const message = parsed.message;
      let read: ReturnType<typeof readOruR01> | undefined;
      expect(() => (read = readOruR01(message, { timeZone: 'Europe/Berlin' })), where).not.toThrow();
      if (!read?.ok) {
        expect(read?.reason.length, where).toBeGreaterThan(0);
        continue;
      }
      readCount += 1;
      for (const result of read.oru.results) {
        for (const reading of result.readings) {
          expect(Number.isFinite(reading.measuredAtMs), where).toBe(true);
          for (const value of Object.values(reading.values)) expect(Number.isFinite(value), where).toBe(true);
        }
      }
    }
    // The fuzzer exercised every stage, not only the first refusal.
    expect(parsedCount).toBeGreaterThan(1000);
    expect(readCount).toBeGreaterThan(200);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('the handler answers every mutated message or random byte string with a proper ACK; ingest sees only valid readings', async () => {
    const random = prng(seed + 1);
    const invalid: string[] = [];
    let ingested = 0;
    const handler = new Hl7Handler({
      ingest: {
        async ingest(inputs) {
          for (const input of inputs) if (!readingInputSchema.safeParse(input).success) invalid.push(JSON.stringify(input));
          ingested += inputs.length;
          return { readings: [], createdCount: inputs.length };
        },
      },
      devices: {
        mapMessage: async (oru) => (random() < 0.8 ? { ok: true, chairIds: oru.results.map(() => 'chair-1') } : { ok: false, reason: 'unmapped' }),
        async keepUnmapped() {},
      },
      clock: { now: () => Date.parse('2026-11-22T12:00:00Z') },
      logger: silentLogger,
      timeZone: 'UTC',
    });
    const codes = new Map<string, number>();
    for (let i = 0; i < 4000; i += 1) {
      const where = `seed ${seed + 1} case ${i}`;
      const payload = i % 4 === 3 ? randomBytes(random, Math.floor(random() * 400)) : Buffer.from(mutate(bases[i % bases.length] ?? '', random), 'latin1');
      const outcome = await handler.handle(payload);
      checkAck(outcome.ack, outcome.controlId, where);
      codes.set(outcome.code, (codes.get(outcome.code) ?? 0) + 1);
    }
    expect(invalid).toEqual([]);
    expect(ingested).toBeGreaterThan(100);
    expect([...codes.keys()].sort()).toEqual(['AA', 'AE', 'AR']);
  });

  it('the framer survives random chunking of framed, mutated and garbage streams, and returns intact frames intact', () => {
    const random = prng(seed + 2);
    for (let i = 0; i < 1000; i += 1) {
      const where = `seed ${seed + 2} case ${i}`;
      const texts = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, k) => mutate(bases[(i + k) % bases.length] ?? '', random).split('').filter((c) => c !== '\x0b' && c !== '\x1c').join(''));
      const parts: Buffer[] = [];
      for (const text of texts) {
        if (random() < 0.3) parts.push(Buffer.from(randomBytes(random, Math.floor(random() * 40)).filter((b) => b !== 0x0b)));
        parts.push(frameMllp(text));
      }
      const stream = Buffer.concat(parts);
      const framer = new MllpFramer({ maxMessageBytes: 64 * 1024 });
      const got: string[] = [];
      let at = 0;
      while (at < stream.length) {
        const size = 1 + Math.floor(random() * 200);
        for (const event of framer.push(stream.subarray(at, at + size))) if (event.type === 'message') got.push(event.payload.toString('utf8'));
        at += size;
      }
      expect(got, where).toEqual(texts.map((t) => Buffer.from(t, 'utf8').toString('utf8')));
      expect(framer.partial, where).toBe(false);
    }
  });
});
