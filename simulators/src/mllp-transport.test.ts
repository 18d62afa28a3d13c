import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadingInput } from '@chairside/shared';
import { createDevice, type Logger } from './device';
import { createMllpClient, createMllpSender, frameMllp, MllpFrameReader, parseAck, type MllpClient, type MllpTransport } from './mllp-transport';
import { quietMonitorBehaviour } from './monitor';
import { empiricalPatientFactory } from './patient-model';
import { defaultNibpIntervalsSec, defaultSessionSchedule } from './session-cycle';
import { createSimulation } from './simulation';
import { startFakeHl7Receiver, type FakeHl7Receiver } from './testing/fake-hl7-receiver';
import { createManualClock } from './testing/fake-ingest';

const t0 = Date.parse('2026-11-22T08:00:00.000Z');
const min = 60_000;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(): Promise<FakeHl7Receiver> {
  const r = await startFakeHl7Receiver();
  cleanups.push(() => r.close());
  return r;
}

function client(port: number, ackTimeoutMs = 5_000): MllpClient {
  const c = createMllpClient({ host: '127.0.0.1', port, ackTimeoutMs });
  cleanups.push(() => c.close());
  return c;
}

const message = (controlId: string): string =>
  `MSH|^~\\&|CHAIRSIDE-SIM^SIM-chair-1^L||CHAIRSIDE|CHAIRSIDE|20261122080000+0000||ORU^R01^ORU_R01|${controlId}|P|2.6\r` +
  'PV1||O|SIM^^chair-1\r' +
  'OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.3.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||20261122080000+0000\r';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('MLLP framing and ACKs', () => {
  it('frames a message as 0x0B … 0x1C 0x0D', () => {
    expect([...frameMllp('MSH|x\r')]).toEqual([0x0b, ...Buffer.from('MSH|x\r'), 0x1c, 0x0d]);
  });

  it('reads frames out of a stream cut anyhow, skipping bytes outside frames and frames started over', () => {
    const reader = new MllpFrameReader(1000);
    const bytes = Buffer.concat([Buffer.from('noise'), frameMllp('one'), Buffer.from([0x0b]), Buffer.from('lost'), frameMllp('two')]);
    const frames: string[] = [];
    for (let i = 0; i < bytes.length; i += 3) frames.push(...reader.push(bytes.subarray(i, i + 3)).frames);
    expect(frames).toEqual(['one', 'two']);
    expect(new MllpFrameReader(4).push(frameMllp('too long'))).toEqual({ frames: [], overflow: true });
  });

  it('reads MSA-1, MSA-2 and MSA-3 of an ACK, with the delimiters its MSH declares', () => {
    expect(parseAck('MSH|^~\\&|CHAIRSIDE||SIM||20261122080000+0000||ACK^R01^ACK|CS1|P|2.6\rMSA|AA|MSG-1\r')).toEqual({
      code: 'AA',
      controlId: 'MSG-1',
      text: '',
    });
    expect(parseAck('MSH#$~\\&#CHAIRSIDE\rMSA#AE#MSG-2#no chair for bed SIM\\S\\\\S\\chair-9 \\F\\ x\r')).toEqual({
      code: 'AE',
      controlId: 'MSG-2',
      text: 'no chair for bed SIM$$chair-9 # x',
    });
    expect(parseAck('MSH|^~\\&|X\nMSA|ar|M3|busy\n')?.code).toBe('AR');
    expect(parseAck('MSH|^~\\&|X\rMSA|CA|M3\r')).toBeNull();
    expect(parseAck('PID|||x\r')).toBeNull();
    expect(parseAck('MSH|^~\\&|X\r')).toBeNull();
  });
});

describe('createMllpClient', () => {
  it('sends a message and resolves with its ACK; one connection carries message after message', async () => {
    const r = await receiver();
    const c = client(r.port);
    expect(await c.send(message('M1'), 'M1')).toEqual({ kind: 'ack', ack: { code: 'AA', controlId: 'M1', text: '' } });
    expect(await c.send(message('M2'), 'M2')).toMatchObject({ kind: 'ack', ack: { code: 'AA', controlId: 'M2' } });
    expect(r.connections).toBe(1);
    expect(c.connected).toBe(true);
    expect(r.messages.map((m) => m.parsed.controlId)).toEqual(['M1', 'M2']);
  });

  it('keeps one message in flight: the next is written only after the ACK of the one before', async () => {
    const r = await receiver();
    const c = client(r.port);
    const seenWhenAcked: number[] = [];
    const sends = ['A', 'B', 'C'].map((id) => c.send(message(id), id).then(() => seenWhenAcked.push(r.messages.length)));
    await Promise.all(sends);
    expect(seenWhenAcked).toEqual([1, 2, 3]);
  });

  it('passes AE and AR on with their reasons', async () => {
    const r = await receiver();
    r.failNext('AE', 'AR');
    const c = client(r.port);
    expect(await c.send(message('M1'), 'M1')).toEqual({
      kind: 'ack',
      ack: { code: 'AE', controlId: 'M1', text: 'no chair mapped for bed SIM^^chair-9' },
    });
    expect(await c.send(message('M2'), 'M2')).toEqual({
      kind: 'ack',
      ack: { code: 'AR', controlId: 'M2', text: 'could not store the message now^ resend it later' },
    });
  });

  it('fails a send whose ACK does not come in time, drops that connection and reconnects for the next', async () => {
    const r = await receiver();
    r.failNext('no-ack');
    const c = client(r.port, 400);
    expect(await c.send(message('M1'), 'M1')).toEqual({ kind: 'failed', reason: 'no ACK within 400 ms' });
    expect(await c.send(message('M1'), 'M1')).toMatchObject({ kind: 'ack', ack: { code: 'AA' } });
    expect(r.connections).toBe(2);
    expect(r.messages.map((m) => [m.parsed.controlId, m.connection])).toEqual([
      ['M1', 1],
      ['M1', 2],
    ]);
  });

  it('fails a send when the receiver closes the connection, and reconnects for the next', async () => {
    const r = await receiver();
    r.failNext('close');
    const c = client(r.port);
    expect(await c.send(message('M1'), 'M1')).toEqual({ kind: 'failed', reason: 'the connection closed before the ACK' });
    expect(await c.send(message('M1'), 'M1')).toMatchObject({ kind: 'ack', ack: { code: 'AA' } });
    expect(r.connections).toBe(2);
  });

  it('fails fast when nothing listens', async () => {
    const c = client(await closedPort());
    const result = await c.send(message('M1'), 'M1');
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' ? result.reason : '').toMatch(/cannot connect to mllp:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it('refuses an ACK for another message: the connection is out of step and is replaced', async () => {
    const server = net.createServer((socket) => {
      socket.on('data', () => socket.write(frameMllp('MSH|^~\\&|X\rMSA|AA|OTHER\r')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    const c = client(typeof address === 'object' && address ? address.port : 0);
    expect(await c.send(message('M1'), 'M1')).toEqual({ kind: 'failed', reason: 'the ACK names message OTHER, not M1' });
    expect(c.connected).toBe(false);
  });

  it('stops waiting when aborted, and sends nothing once closed', async () => {
    const r = await receiver();
    r.failNext('no-ack');
    const c = client(r.port, 10_000);
    const abort = new AbortController();
    const pending = c.send(message('M1'), 'M1', abort.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort();
    expect(await pending).toEqual({ kind: 'failed', reason: 'aborted' });
    c.close();
    expect(await c.send(message('M2'), 'M2')).toEqual({ kind: 'failed', reason: 'the MLLP client is closed' });
  });
});

describe('createMllpSender', () => {
  const reading = (measuredAt: string, values: Partial<ReadingInput> = { heartRate: 80 }): ReadingInput => ({
    id: crypto.randomUUID(),
    chairId: 'chair-1',
    measuredAt,
    source: 'simulator',
    ...values,
  });

  it('makes one message per batch, at most maxReadingsPerMessage readings, never two of one time', () => {
    const clock = createManualClock(t0);
    const sender = createMllpSender({
      transport: { kind: 'mllp', host: '127.0.0.1', port: 1, maxReadingsPerMessage: 2 },
      chairId: 'chair-1',
      clock,
      ackTimeoutMs: 100,
      maxBatch: 1000,
      newControlId: () => 'CTRL',
    });
    cleanups.push(() => sender.close());
    const a = reading('2026-11-22T08:00:01.000Z');
    const b = reading('2026-11-22T08:00:01.000Z', { systolic: 120, diastolic: 80, mean: 93 });
    const c = reading('2026-11-22T08:00:02.000Z');
    expect(sender.batch([a, b, c]).readings).toEqual([a]);
    expect(sender.batch([b, c, a]).readings).toEqual([b, c]);
    expect(sender.batch([c]).body).toContain('|CTRL|P|2.6|');
  });
});

describe('a device sending over MLLP', () => {
  const quietLogger = (): Logger & { lines: string[] } => {
    const lines: string[] = [];
    return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
  };

  /** A device on the receiver; `ackTimeoutMs` short only where a test waits for it to pass. */
  function mllpDevice(r: FakeHl7Receiver, overrides: Partial<MllpTransport> = {}, ackTimeoutMs = 5_000) {
    const clock = createManualClock(t0);
    const logger = quietLogger();
    const device = createDevice({
      chairId: 'chair-1',
      transport: { kind: 'mllp', host: '127.0.0.1', port: r.port, ...overrides },
      clock,
      speed: 10,
      seed: 7,
      startMs: t0,
      startChairSec: 0,
      schedule: defaultSessionSchedule,
      nibpIntervalsSec: defaultNibpIntervalsSec,
      vitalsIntervalMs: 5_000,
      patientFactory: empiricalPatientFactory,
      monitor: quietMonitorBehaviour,
      logger,
      tuning: { requestTimeoutMs: ackTimeoutMs },
    });
    cleanups.push(() => device.close(0));
    const runUntil = async (untilMs: number, stepMs = 1_000): Promise<void> => {
      for (let t = clock.now(); t <= untilMs; t += stepMs) {
        clock.set(t);
        device.collect(t);
        await device.flush();
      }
    };
    return { clock, device, logger, runUntil };
  }

  it('delivers every reading once, on its bed, as the ACKs come', async () => {
    const r = await receiver();
    const { device, runUntil } = mllpDevice(r);
    await runUntil(t0 + 2 * min);
    const stats = device.stats();
    expect(stats.generated).toBeGreaterThan(20);
    expect(stats).toMatchObject({ sent: stats.generated, pending: 0, failedPosts: 0, rejected: 0 });
    expect(r.stored.size).toBe(stats.generated);
    expect(r.duplicates).toBe(0);
    expect(new Set([...r.stored.values()].map((s) => s.bed))).toEqual(new Set(['SIM^^chair-1']));
    expect(new Set(r.messages.map((m) => m.parsed.sendingApplication))).toEqual(new Set(['CHAIRSIDE-SIM^SIM-chair-1^L']));
    expect(r.connections).toBe(1);
    // Control ids are unique.
    expect(new Set(r.messages.map((m) => m.parsed.controlId)).size).toBe(r.messages.length);
  });

  it('sends the bed and device id it is given', async () => {
    const r = await receiver();
    const { runUntil } = mllpDevice(r, { bedFor: (id) => `KETA^102^${id}`, deviceIdFor: () => '0011AABBCCDDEEFF' });
    await runUntil(t0 + 10_000);
    expect(r.messages[0]?.parsed.bed).toBe('KETA^102^chair-1');
    expect(r.messages[0]?.parsed.sendingApplication).toBe('CHAIRSIDE-SIM^0011AABBCCDDEEFF^L');
  });

  it('resends the very same message after AR, a lost ACK, a timeout or a closed connection; the receiver stores it once', async () => {
    const r = await receiver();
    r.failNext('AR', 'store-then-close', 'no-ack', 'close');
    const { device, runUntil } = mllpDevice(r, {}, 1_000);
    await runUntil(t0 + 60_000);
    const [first, ...rest] = r.messages;
    expect(rest.slice(0, 4).map((m) => m.raw)).toEqual([first?.raw, first?.raw, first?.raw, first?.raw]);
    expect(r.messages.map((m) => m.answer).slice(0, 5)).toEqual(['AR', 'store-then-close', 'no-ack', 'close', 'AA']);
    const stats = device.stats();
    expect(stats.failedPosts).toBe(4);
    expect(stats.sent).toBe(stats.generated);
    expect(r.stored.size).toBe(stats.generated);
    expect(r.duplicates).toBe(1); // the resend of the message whose ACK was lost
  });

  it('does not resend a message answered AE: counted as refused, logged once per streak', async () => {
    const r = await receiver();
    r.rule = () => 'AE';
    const { device, logger, runUntil } = mllpDevice(r);
    await runUntil(t0 + 60_000);
    const stats = device.stats();
    expect(stats.rejected).toBe(stats.generated);
    expect(stats).toMatchObject({ sent: 0, pending: 0, failedPosts: 0 });
    expect(new Set(r.messages.map((m) => m.parsed.controlId)).size).toBe(r.messages.length);
    const errors = logger.lines.filter((l) => l.startsWith('error'));
    expect(errors[0]).toMatch(/chair-1: the server refused 1 reading\(s\) \(HL7 AE: no chair mapped for bed SIM\^\^chair-9\); not retried/);
    expect(errors.length).toBeLessThan(4);
  });

  it('keeps measuring while the receiver is down, then catches up: every reading once, several per message', async () => {
    const r = await receiver();
    const { device, runUntil } = mllpDevice(r);
    await runUntil(t0 + 10_000);
    expect(device.stats().sent).toBe(device.stats().generated);
    await r.close();
    await runUntil(t0 + 90_000);
    const stalled = device.stats();
    expect(stalled.pending).toBeGreaterThan(10);
    expect(stalled.failedPosts).toBeGreaterThan(2);
    expect(stalled.failedPosts).toBeLessThan(15); // backing off, not hammering

    const back = await startFakeHl7Receiver({ port: r.port });
    cleanups.push(() => back.close());
    await runUntil(t0 + 200_000);
    const after = device.stats();
    expect(after).toMatchObject({ pending: 0, sent: after.generated, rejected: 0, dropped: 0 });
    expect(r.stored.size + back.stored.size).toBe(after.generated);
    expect(back.duplicates).toBe(0);
    expect(Math.max(...back.messages.map((m) => m.parsed.readings.length))).toBeGreaterThan(1);
    // Readings keep their measuring times (oldest first), not the time they were sent.
    const times = [...back.stored.values()].map((s) => s.measuredAtMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeLessThan(t0 + 90_000);
  });
});

describe('a simulation over MLLP', () => {
  it('runs every chair on its own connection with its own bed; http options are not needed', async () => {
    const r = await receiver();
    const clock = createManualClock(t0);
    const simulation = createSimulation({
      transport: { kind: 'mllp', host: '127.0.0.1', port: r.port },
      chairIds: ['chair-1', 'chair-2', 'chair-3'],
      speed: 10,
      seed: 3,
      clock,
      monitor: quietMonitorBehaviour,
    });
    cleanups.push(() => simulation.stop());
    for (let t = t0; t <= t0 + 30_000; t += 1_000) {
      clock.set(t);
      await simulation.tick(t);
    }
    const stats = simulation.stats();
    expect(stats.sent).toBe(stats.generated);
    expect(r.connections).toBe(3);
    expect(new Set([...r.stored.values()].map((s) => s.bed))).toEqual(new Set(['SIM^^chair-1', 'SIM^^chair-2', 'SIM^^chair-3']));
    await simulation.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.openConnections).toBe(0);
  });

  it('drops its connection while the monitor network is down, reconnects after, and catches up', async () => {
    const r = await receiver();
    const clock = createManualClock(t0);
    const simulation = createSimulation({
      transport: { kind: 'mllp', host: '127.0.0.1', port: r.port },
      chairIds: ['chair-1'],
      speed: 10,
      seed: 3,
      clock,
      monitor: quietMonitorBehaviour,
    });
    cleanups.push(() => simulation.stop());
    const run = async (untilMs: number): Promise<void> => {
      for (let t = clock.now(); t <= untilMs; t += 1_000) {
        clock.set(t);
        await simulation.tick(t);
      }
    };
    await run(t0 + 10_000);
    expect(r.openConnections).toBe(1);
    simulation.trigger('chair-1', 'disconnect', { durationSec: 300, minRealSec: 30 });
    await run(t0 + 30_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.openConnections).toBe(0);
    expect(simulation.stats().pending).toBeGreaterThan(3);
    await run(t0 + 60_000);
    const stats = simulation.stats();
    expect(stats).toMatchObject({ pending: 0, sent: stats.generated, failedPosts: 0 });
    expect(r.connections).toBe(2);
    expect(r.stored.size).toBe(stats.generated);
    expect(r.duplicates).toBe(0);
  });

  it('refuses chairs that would send the same bed, and http runs without their options', () => {
    const clock = createManualClock(t0);
    const base = { chairIds: ['chair-1', 'chair-2'], speed: 1, seed: 1, clock };
    expect(() => createSimulation({ ...base, transport: { kind: 'mllp', host: '127.0.0.1', port: 2575, bedFor: () => 'BED' } })).toThrow(
      /chair-1 and chair-2 have the same HL7 bed "BED"/,
    );
    expect(() => createSimulation({ ...base, transport: { kind: 'mllp', host: '', port: 2575 } })).toThrow(/transport\.host is required/);
    expect(() => createSimulation({ ...base, transport: { kind: 'mllp', host: 'x', port: 70_000 } })).toThrow(/TCP port/);
    expect(() => createSimulation(base)).toThrow(/baseUrl is required[\s\S]*token is required[\s\S]*fetch is required/);
  });
});
