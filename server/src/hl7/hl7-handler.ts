/**
 * One HL7 message in, one ACK out. The checks, in order, and their answers:
 *
 * 1. HL7 syntax (MSH, delimiters, segment ids) ............................ AR
 * 2. message type ORU^R01, control id (MSH-10), version 2.x ................ AR
 * 3. content: values, units, times, at least one usable vital ............ AE
 * 4. chair mapping (PV1-3 / registered device) ... AE, and the message is kept for admins
 * 5. ingest: the same validation, plausibility and dedup as HTTP readings .. AE on refusal
 * 6. stored (committed) ..................................................... AA
 *
 * A failure of our own (the store unreachable, shutting down) is AR: the sender may resend.
 */
import { type ReadingInput, readingInputSchema } from '@chairside/shared';
import type { Actor } from '../auth/auth.service';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import type { IngestService } from '../ingest/ingest.service';
import type { Logger } from '../logger';
import { type AckCode, buildAck } from './ack';
import type { Hl7DevicesService } from './devices.service';
import { decodeText, type Hl7Delimiters, type Hl7Segment, parseHl7 } from './hl7-message';
import { hl7ReadingId, type OruR01, readOruR01 } from './oru-r01';

export interface Hl7HandlerDeps {
  ingest: Pick<IngestService, 'ingest'>;
  devices: Pick<Hl7DevicesService, 'mapMessage' | 'keepUnmapped'>;
  clock: Clock;
  logger: Logger;
  /** Time zone of HL7 times sent without a UTC offset (CLINIC_TIMEZONE). */
  timeZone: string;
}

export interface Hl7Outcome {
  code: AckCode;
  /** MSA-3: why, for AE and AR. */
  reason?: string;
  /** The ACK message, unframed. */
  ack: string;
  /** MSH-10 of the message answered ('' when it could not be read). */
  controlId: string;
  /** Readings newly stored (0 for a resent message). */
  created: number;
}

type Request = { header: Hl7Segment; delimiters: Hl7Delimiters } | null;

function describeIngestError(error: AppError, controlId: string): string {
  if (error.code === 'conflict') {
    return `MSH-10 ${controlId} was received before with different values; send new results with a new control id`;
  }
  const details = Array.isArray(error.details) ? (error.details as { path?: unknown[]; message?: string }[]) : [];
  const first = details[0];
  if (!first) return error.message;
  const field = [...(first.path ?? [])].reverse().find((p) => typeof p === 'string');
  return `${typeof field === 'string' ? `${field}: ` : ''}${first.message ?? error.message}`;
}

export class Hl7Handler {
  private replies = 0;

  constructor(private readonly deps: Hl7HandlerDeps) {}

  /** Never throws: every message, even garbage, gets an ACK. */
  async handle(payload: Buffer): Promise<Hl7Outcome> {
    let request: Request = null;
    let controlId = '';
    try {
      const text = decodeText(payload);
      const parsed = parseHl7(text);
      if (!parsed.ok) {
        request = parsed.header && parsed.delimiters ? { header: parsed.header, delimiters: parsed.delimiters } : null;
        return this.reply('AR', request, parsed.error.message, controlIdOf(request));
      }
      const [header] = parsed.message.segments;
      if (!header) return this.reply('AR', null, 'the message is empty', '');
      request = { header, delimiters: parsed.message.delimiters };
      controlId = controlIdOf(request);
      const read = readOruR01(parsed.message, { timeZone: this.deps.timeZone });
      if (!read.ok) return this.reply(read.ack, request, read.reason, controlId);
      const { oru } = read;

      const mapping = await this.deps.devices.mapMessage(oru);
      if (!mapping.ok) {
        await this.deps.devices.keepUnmapped({
          raw: text,
          sendingDevice: oru.header.sendingApplication,
          bed: oru.results.map((r) => r.location?.text).find((t) => t !== undefined) ?? null,
          controlId,
          reason: mapping.reason,
        });
        return this.reply('AE', request, mapping.reason, controlId);
      }

      const inputs = this.readingsOf(oru, mapping.chairIds);
      if ('error' in inputs) return this.reply('AE', request, inputs.error, controlId);
      const actor: Actor = { kind: 'device', deviceLabel: `hl7:${oru.header.sendingApplication || 'unknown'}` };
      try {
        const { createdCount } = await this.deps.ingest.ingest(inputs.readings, actor);
        return this.reply('AA', request, undefined, controlId, createdCount);
      } catch (error) {
        if (error instanceof AppError && (error.code === 'invalid_input' || error.code === 'conflict' || error.code === 'not_found')) {
          return this.reply('AE', request, describeIngestError(error, controlId), controlId);
        }
        throw error;
      }
    } catch (error) {
      this.deps.logger.error('hl7: could not process a message', { controlId, error: error instanceof Error ? error.message : String(error) });
      return this.reply('AR', request, 'could not store the message now; resend it later', controlId);
    }
  }

  private readingsOf(oru: OruR01, chairIds: string[]): { readings: ReadingInput[] } | { error: string } {
    const readings: ReadingInput[] = [];
    for (const [index, result] of oru.results.entries()) {
      const chairId = chairIds[index];
      if (chairId === undefined) return { error: 'no chair for a patient result' };
      for (const reading of result.readings) {
        const input = readingInputSchema.safeParse({
          id: hl7ReadingId(oru.header, index, reading.measuredAtMs),
          chairId,
          measuredAt: new Date(reading.measuredAtMs).toISOString(),
          ...reading.values,
          source: 'device',
        });
        if (!input.success) {
          const issue = input.error.issues[0];
          return { error: `${issue?.path.join('.') ?? 'reading'}: ${issue?.message ?? 'not valid'}` };
        }
        readings.push(input.data);
      }
    }
    return { readings };
  }

  private reply(code: AckCode, request: Request, reason: string | undefined, controlId: string, created = 0): Hl7Outcome {
    this.replies += 1;
    const nowMs = this.deps.clock.now();
    const ackControlId = `CS${nowMs.toString(36).toUpperCase()}${this.replies.toString(36).toUpperCase()}`;
    const ack = buildAck({ code, text: reason, request, controlId: ackControlId, nowMs });
    if (code !== 'AA') this.deps.logger.warn(`hl7: answered ${code}`, { controlId, reason });
    return { code, ...(reason === undefined ? {} : { reason }), ack, controlId, created };
  }
}

function controlIdOf(request: Request): string {
  if (!request) return '';
  return (request.header.fields[10]?.[0]?.[0]?.[0] ?? '').trim();
}
