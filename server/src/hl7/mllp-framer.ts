/**
 * MLLP framing: each message travels as 0x0B (start block) + message + 0x1C (end block) + 0x0D.
 * The framer turns a TCP byte stream, cut into chunks anyhow, back into messages. Pure: no sockets.
 *
 * - Bytes outside a frame (noise, a stray CR between frames, a client speaking another protocol)
 *   are skipped and reported.
 * - A start block inside a frame means the sender gave up on the frame: the partial message is
 *   dropped (it cannot be answered: its end never came) and the new frame starts.
 * - An end block not followed by CR still ends the frame (some senders omit the CR).
 * - A frame longer than `maxMessageBytes` is dropped and the framer stops: the caller closes the
 *   connection, because it cannot know where the sender's next frame starts.
 */

export const startBlock = 0x0b;
export const endBlock = 0x1c;
export const carriageReturn = 0x0d;

export type FramerEvent =
  | { type: 'message'; payload: Buffer }
  /** Bytes outside any frame were skipped. */
  | { type: 'garbage'; bytes: number }
  /** A frame was abandoned by a new start block before its end. */
  | { type: 'truncated'; bytes: number }
  /** A frame exceeded the size limit; the framer accepts nothing more. */
  | { type: 'oversize'; bytes: number };

export interface MllpFramerOptions {
  maxMessageBytes: number;
}

export class MllpFramer {
  private chunks: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  /** An end block was the last byte seen: a CR may follow in the next chunk. */
  private afterEnd = false;
  private failed = false;

  constructor(private readonly options: MllpFramerOptions) {}

  /** True while a frame has started and not yet ended. */
  get partial(): boolean {
    return this.inFrame;
  }

  /** True after an oversize frame: the stream cannot be resynchronised. */
  get stopped(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): FramerEvent[] {
    if (this.failed) return [];
    const events: FramerEvent[] = [];
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.afterEnd && data.length > 0) {
      this.afterEnd = false;
      if (data[0] === carriageReturn) data = data.subarray(1);
    }
    let garbage = 0;
    let i = 0;
    while (i < data.length) {
      if (!this.inFrame) {
        const start = data.indexOf(startBlock, i);
        if (start === -1) {
          garbage += data.length - i;
          break;
        }
        garbage += start - i;
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      const end = data.indexOf(endBlock, i);
      const restart = data.indexOf(startBlock, i);
      if (restart !== -1 && (end === -1 || restart < end)) {
        // The sender started over: what came before is not a message.
        this.append(data.subarray(i, restart));
        if (this.failed) return this.flushEvents(events, garbage, true);
        events.push({ type: 'truncated', bytes: this.size });
        this.reset();
        this.inFrame = true;
        i = restart + 1;
        continue;
      }
      if (end === -1) {
        this.append(data.subarray(i));
        if (this.failed) return this.flushEvents(events, garbage, true);
        break;
      }
      this.append(data.subarray(i, end));
      if (this.failed) return this.flushEvents(events, garbage, true);
      const [only] = this.chunks;
      const payload = this.chunks.length === 1 && only ? only : Buffer.concat(this.chunks, this.size);
      this.reset();
      events.push({ type: 'message', payload });
      i = end + 1;
      if (i === data.length) this.afterEnd = true;
      else if (data[i] === carriageReturn) i += 1;
    }
    return this.flushEvents(events, garbage, false);
  }

  private flushEvents(events: FramerEvent[], garbage: number, oversize: boolean): FramerEvent[] {
    if (garbage > 0) events.push({ type: 'garbage', bytes: garbage });
    if (oversize) events.push({ type: 'oversize', bytes: this.size });
    return events;
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    if (this.size + part.length > this.options.maxMessageBytes) {
      this.size += part.length;
      this.chunks = [];
      this.failed = true;
      this.inFrame = false;
      return;
    }
    // Copied: the socket may reuse its buffer.
    this.chunks.push(Buffer.from(part));
    this.size += part.length;
  }

  private reset(): void {
    this.chunks = [];
    this.size = 0;
    this.inFrame = false;
  }
}

/** A message framed for MLLP. */
export function frameMllp(message: string): Buffer {
  return Buffer.concat([Buffer.from([startBlock]), Buffer.from(message, 'utf8'), Buffer.from([endBlock, carriageReturn])]);
}
