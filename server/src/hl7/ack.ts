/**
 * ACK^R01 replies (original acknowledgement mode). MSA-1: AA accepted (stored), AE application
 * error (the content is wrong; resending it unchanged will not help), AR rejected (not a message
 * we take, or we could not store it now).
 */
import { escapeHl7, type Hl7Delimiters, type Hl7Segment, standardDelimiters } from './hl7-message';
import { formatHl7Time } from './hl7-time';

export type AckCode = 'AA' | 'AE' | 'AR';

/** Our name in MSH-3 of a reply when the message named no receiving application. */
export const chairsideApplication = 'CHAIRSIDE';

/** MSA-3 is a short text: longer reasons are cut. */
const maxTextLength = 200;
const maxEchoLength = 199;

export interface AckInput {
  code: AckCode;
  /** Why, for AE and AR (MSA-3). */
  text?: string;
  /** The MSH of the message answered, with its delimiters; null when there was none to read. */
  request: { header: Hl7Segment; delimiters: Hl7Delimiters } | null;
  /** MSH-10 of the reply itself. */
  controlId: string;
  nowMs: number;
}

/** The reply as text: segments ending in CR, ready for MLLP framing. */
export function buildAck(input: AckInput): string {
  const d = input.request?.delimiters ?? standardDelimiters;
  // Fields of the request are echoed only when they have a sane length.
  const raw = (n: number): string => {
    const value = input.request?.header.rawFields[n] ?? '';
    return value.length <= maxEchoLength ? value : '';
  };
  // Sender and receiver swap; the fields are copied as sent, so they stay in the sender's escaping.
  const version = /^2\.\d+/.exec(raw(12).split(d.component)[0] ?? '')?.[0] ?? '2.6';
  const event = (raw(9).split(d.component)[1] ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 3);
  const processingId = /^[PDT]$/.test(raw(11)) ? raw(11) : 'P';
  const msh = [
    'MSH',
    `${d.component}${d.repetition}${d.escape}${d.subcomponent}`,
    raw(5) !== '' ? raw(5) : chairsideApplication,
    raw(6),
    raw(3),
    raw(4),
    formatHl7Time(input.nowMs),
    '',
    event !== '' ? `ACK${d.component}${event}${d.component}ACK` : 'ACK',
    escapeHl7(input.controlId, d),
    processingId,
    version,
  ].join(d.field);
  const text = input.text === undefined ? '' : escapeHl7(input.text.slice(0, maxTextLength), d);
  const msa = ['MSA', input.code, raw(10), ...(text === '' ? [] : [text])].join(d.field);
  return `${msh}\r${msa}\r`;
}
