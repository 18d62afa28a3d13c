import { describe, expect, it } from 'vitest';
import { carriageReturn, endBlock, type FramerEvent, frameMllp, MllpFramer, startBlock } from './mllp-framer';

const framer = (maxMessageBytes = 1024): MllpFramer => new MllpFramer({ maxMessageBytes });
const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const messages = (events: FramerEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'message' ? [e.payload.toString('latin1')] : []));

describe('MllpFramer', () => {
  it('frames and unframes a message', () => {
    const frame = frameMllp('MSH|^~\\&|A\r');
    expect([...frame.subarray(0, 1)]).toEqual([startBlock]);
    expect([...frame.subarray(-2)]).toEqual([endBlock, carriageReturn]);
    expect(messages(framer().push(frame))).toEqual(['MSH|^~\\&|A\r']);
  });

  it('reassembles a message split at every possible point', () => {
    const frame = frameMllp('MSH|1\rPID|2\r');
    for (let cut = 0; cut <= frame.length; cut += 1) {
      const f = framer();
      const got = [...f.push(frame.subarray(0, cut)), ...f.push(frame.subarray(cut))];
      expect(messages(got), `cut at ${cut}`).toEqual(['MSH|1\rPID|2\r']);
      expect(got.filter((e) => e.type !== 'message'), `cut at ${cut}`).toEqual([]);
    }
  });

  it('reassembles a message sent one byte at a time', () => {
    const f = framer();
    const frame = frameMllp('MSH|byte by byte\r');
    const got = [...frame].flatMap((b) => f.push(Buffer.from([b])));
    expect(messages(got)).toEqual(['MSH|byte by byte\r']);
    expect(f.partial).toBe(false);
  });

  it('splits several messages merged into one chunk, in order', () => {
    const chunk = Buffer.concat([frameMllp('one'), frameMllp('two'), frameMllp('three')]);
    expect(messages(framer().push(chunk))).toEqual(['one', 'two', 'three']);
  });

  it('handles a chunk that ends one message and starts the next', () => {
    const f = framer();
    const all = Buffer.concat([frameMllp('first'), frameMllp('second')]);
    const first = f.push(all.subarray(0, 10));
    const second = f.push(all.subarray(10));
    expect(messages(first)).toEqual(['first']);
    expect(f.partial).toBe(false);
    expect(messages(second)).toEqual(['second']);
  });

  it('skips and reports garbage before a start block, between frames and after the last', () => {
    const got = framer().push(bytes('GET / HTTP/1.1\r\n', frameMllp('ok').toString('latin1'), 'noise', frameMllp('ok2').toString('latin1'), '\n'));
    expect(messages(got)).toEqual(['ok', 'ok2']);
    expect(got.filter((e) => e.type === 'garbage')).toEqual([{ type: 'garbage', bytes: 16 + 5 + 1 }]);
  });

  it('drops a frame abandoned by a new start block and keeps the new one', () => {
    const got = framer().push(bytes([startBlock], 'MSH|half a mess', [startBlock], 'MSH|whole', [endBlock, carriageReturn]));
    expect(got).toEqual([
      { type: 'truncated', bytes: 15 },
      { type: 'message', payload: Buffer.from('MSH|whole') },
    ]);
  });

  it('ends a frame at an end block without CR, and takes a CR arriving in the next chunk as part of the trailer', () => {
    const f = framer();
    expect(messages(f.push(bytes([startBlock], 'a', [endBlock])))).toEqual(['a']);
    const next = f.push(bytes([carriageReturn, startBlock], 'b', [endBlock, startBlock], 'c', [endBlock, carriageReturn]));
    expect(next).toEqual([
      { type: 'message', payload: Buffer.from('b') },
      { type: 'message', payload: Buffer.from('c') },
    ]);
  });

  it('passes an empty frame on (the handler answers it AR)', () => {
    expect(framer().push(bytes([startBlock, endBlock, carriageReturn]))).toEqual([{ type: 'message', payload: Buffer.alloc(0) }]);
  });

  it('drops an oversize frame, stops, and takes nothing more', () => {
    const f = framer(100);
    const got = [...f.push(bytes([startBlock], 'x'.repeat(60))), ...f.push(bytes('y'.repeat(60)))];
    expect(got).toEqual([{ type: 'oversize', bytes: 120 }]);
    expect(f.stopped).toBe(true);
    expect(f.push(frameMllp('fine'))).toEqual([]);
  });

  it('accepts a frame of exactly the maximum size', () => {
    expect(messages(framer(100).push(frameMllp('z'.repeat(100))))).toEqual(['z'.repeat(100)]);
    expect(framer(100).push(frameMllp('z'.repeat(101)))).toEqual([{ type: 'oversize', bytes: 101 }]);
  });

  it('copies what it keeps: a reused socket buffer does not corrupt a partial message', () => {
    const f = framer();
    const shared = Buffer.from(bytes([startBlock], 'abc'));
    f.push(shared);
    shared.fill(0x41);
    expect(messages(f.push(bytes('def', [endBlock, carriageReturn])))).toEqual(['abcdef']);
  });

  it('holds nothing between frames: garbage only ever costs its count', () => {
    const f = framer(10);
    for (let i = 0; i < 100; i += 1) expect(f.push(Buffer.alloc(1000, 0x41))).toEqual([{ type: 'garbage', bytes: 1000 }]);
    expect(messages(f.push(frameMllp('ok')))).toEqual(['ok']);
  });
});
