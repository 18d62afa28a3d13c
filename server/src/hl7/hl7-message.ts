/**
 * HL7 v2 message syntax: segments, fields, repetitions, components, subcomponents and escapes.
 * Knows nothing about message types; `oru-r01.ts` gives the fields their meaning.
 *
 * Strict where a mistake would change meaning (the MSH header, the delimiters, segment ids) and
 * tolerant where real senders differ harmlessly (CR, LF or CRLF between segments, unknown escapes).
 */

export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export const standardDelimiters: Hl7Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** A field's value: repetitions → components → subcomponents, each unescaped. */
export type Hl7Field = string[][][];

export interface Hl7Segment {
  /** Three characters, e.g. `MSH`, `OBX`, `ZXY`. */
  id: string;
  /**
   * Fields by their HL7 number: `fields[1]` is the first field after the segment id. For MSH,
   * `fields[1]` is the field separator and `fields[2]` the encoding characters, as the standard counts.
   */
  fields: Hl7Field[];
  /** The same fields as sent (still escaped), by the same numbers. */
  rawFields: string[];
}

export interface Hl7Message {
  delimiters: Hl7Delimiters;
  /** The first segment is always MSH. */
  segments: Hl7Segment[];
}

export type Hl7ParseErrorCode =
  | 'empty'
  | 'no-msh'
  | 'bad-delimiters'
  | 'bad-segment-id'
  | 'second-msh';

export interface Hl7ParseError {
  code: Hl7ParseErrorCode;
  message: string;
  /** 1-based number of the offending segment, when there is one. */
  segment?: number;
}

export type Hl7ParseResult =
  | { ok: true; message: Hl7Message }
  | {
      ok: false;
      error: Hl7ParseError;
      /** The MSH, when it could be read before the error (so an ACK can echo its control id). */
      header: Hl7Segment | null;
      delimiters: Hl7Delimiters | null;
    };

const segmentIdPattern = /^[A-Z][A-Z0-9]{2}$/;

/** Splits a message into segments: CR is the standard terminator, LF and CRLF are tolerated. */
function splitSegments(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
}

function isBadDelimiter(c: string): boolean {
  return /[A-Za-z0-9\s]/.test(c) || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;
}

/** Reads the field separator (MSH-1) and encoding characters (MSH-2). */
function readDelimiters(msh: string): Hl7Delimiters | Hl7ParseError {
  const field = msh.charAt(3);
  if (field === '' || isBadDelimiter(field)) {
    return { code: 'bad-delimiters', message: 'MSH-1 (field separator) is missing or not a punctuation character', segment: 1 };
  }
  const end = msh.indexOf(field, 4);
  const encoding = end === -1 ? msh.slice(4) : msh.slice(4, end);
  // Four characters (component, repetition, escape, subcomponent); v2.7+ may add a fifth (truncation).
  if (encoding.length < 4 || encoding.length > 5) {
    return {
      code: 'bad-delimiters',
      message: `MSH-2 (encoding characters) must be 4 characters such as "^~\\&", got "${encoding.slice(0, 10)}"`,
      segment: 1,
    };
  }
  const all = [field, ...encoding];
  if (new Set(all).size !== all.length || all.some(isBadDelimiter)) {
    return {
      code: 'bad-delimiters',
      message: 'MSH-1 and MSH-2 must be distinct punctuation characters',
      segment: 1,
    };
  }
  const [component = '', repetition = '', escape = '', subcomponent = ''] = encoding;
  return { field, component, repetition, escape, subcomponent };
}

const hexPattern = /^(?:[0-9A-Fa-f]{2})+$/;

/**
 * Replaces HL7 escape sequences: `\F\ \S\ \T\ \R\ \E\` become the delimiters, `\Xhh…\` the bytes
 * (UTF-8, else Latin-1), `\.br\` a line break, `\H\ \N\` (highlighting) nothing. Anything else,
 * including an unterminated escape, is kept as sent.
 */
export function unescapeHl7(text: string, d: Hl7Delimiters): string {
  if (!text.includes(d.escape)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf(d.escape, i);
    if (start === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, start);
    const end = text.indexOf(d.escape, start + 1);
    if (end === -1) {
      out += text.slice(start);
      break;
    }
    const body = text.slice(start + 1, end);
    const replaced = escapeBody(body, d);
    if (replaced === null) {
      // Not an escape we know: keep the first escape character and look again after it.
      out += d.escape;
      i = start + 1;
      continue;
    }
    out += replaced;
    i = end + 1;
  }
  return out;
}

function escapeBody(body: string, d: Hl7Delimiters): string | null {
  switch (body) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'H':
    case 'N':
      return '';
    case '.br':
      return '\n';
    default:
      break;
  }
  if (body.startsWith('X') && hexPattern.test(body.slice(1))) {
    const bytes = Buffer.from(body.slice(1), 'hex');
    return decodeText(bytes);
  }
  return null;
}

/** Escapes text so that it can stand in a field: the inverse of `unescapeHl7` for the delimiters. */
export function escapeHl7(text: string, d: Hl7Delimiters = standardDelimiters): string {
  let out = '';
  for (const c of text) {
    if (c === d.escape) out += `${d.escape}E${d.escape}`;
    else if (c === d.field) out += `${d.escape}F${d.escape}`;
    else if (c === d.component) out += `${d.escape}S${d.escape}`;
    else if (c === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (c === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (c === '\r' || c === '\n' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) out += ' ';
    else out += c;
  }
  return out;
}

/** Bytes as text: UTF-8 when they are valid UTF-8 (ASCII is), else Latin-1 (HL7 8859/1). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

function parseField(raw: string, d: Hl7Delimiters): Hl7Field {
  return raw
    .split(d.repetition)
    .map((rep) => rep.split(d.component).map((comp) => comp.split(d.subcomponent).map((sub) => unescapeHl7(sub, d))));
}

function parseSegment(line: string, d: Hl7Delimiters): Hl7Segment {
  const parts = line.split(d.field);
  const id = parts[0] ?? '';
  const rawFields = ['', ...parts.slice(1)];
  return { id, rawFields, fields: rawFields.map((raw) => parseField(raw, d)) };
}

function parseHeader(line: string, d: Hl7Delimiters): Hl7Segment {
  // MSH-1 is the field separator itself and MSH-2 the encoding characters: neither is split.
  const afterSeparator = line.slice(4);
  const parts = afterSeparator.split(d.field);
  const encoding = parts[0] ?? '';
  const rawFields = ['', d.field, encoding, ...parts.slice(1)];
  const fields: Hl7Field[] = rawFields.map((raw, n) => (n <= 2 ? [[[raw]]] : parseField(raw, d)));
  return { id: 'MSH', rawFields, fields };
}

/** Parses one message (the text inside one MLLP frame). Never throws. */
export function parseHl7(text: string): Hl7ParseResult {
  const lines = splitSegments(text);
  const first = lines[0];
  if (first === undefined) {
    return { ok: false, error: { code: 'empty', message: 'the message is empty' }, header: null, delimiters: null };
  }
  const mshAt = first.indexOf('MSH');
  if (mshAt === -1 || first.slice(0, mshAt).trim() !== '') {
    return {
      ok: false,
      error: { code: 'no-msh', message: 'the message does not start with an MSH segment' },
      header: null,
      delimiters: null,
    };
  }
  const mshLine = first.slice(mshAt);
  const delimiters = readDelimiters(mshLine);
  if ('code' in delimiters) return { ok: false, error: delimiters, header: null, delimiters: null };
  const header = parseHeader(mshLine, delimiters);
  const segments: Hl7Segment[] = [header];
  for (const [index, line] of lines.slice(1).entries()) {
    const number = index + 2;
    const id = line.slice(0, 3);
    if (!segmentIdPattern.test(id) || (line.length > 3 && line.charAt(3) !== delimiters.field)) {
      return {
        ok: false,
        error: {
          code: 'bad-segment-id',
          message: `segment ${number} does not start with a segment id such as "OBX${delimiters.field}"`,
          segment: number,
        },
        header,
        delimiters,
      };
    }
    if (id === 'MSH') {
      return {
        ok: false,
        error: { code: 'second-msh', message: `segment ${number} is a second MSH: send one message per frame`, segment: number },
        header,
        delimiters,
      };
    }
    segments.push(parseSegment(line, delimiters));
  }
  return { ok: true, message: { delimiters, segments } };
}

/**
 * One value of a segment, unescaped: field `field` (HL7 numbering), 1-based `component`,
 * `subcomponent` and `repetition`. Empty when absent.
 */
export function valueOf(
  segment: Hl7Segment | undefined,
  field: number,
  component = 1,
  subcomponent = 1,
  repetition = 1,
): string {
  return segment?.fields[field]?.[repetition - 1]?.[component - 1]?.[subcomponent - 1] ?? '';
}

/** The components of a field's first repetition (each its first subcomponent), unescaped. */
export function componentsOf(segment: Hl7Segment | undefined, field: number, repetition = 1): string[] {
  return (segment?.fields[field]?.[repetition - 1] ?? []).map((subs) => subs[0] ?? '');
}

/**
 * A field as readable text with the standard delimiters, whatever the sender used: components joined
 * by `^`, subcomponents by `&`, repetitions by `~`, trailing empty parts dropped (`KETA^102^1`).
 */
export function textOf(segment: Hl7Segment | undefined, field: number): string {
  const value = segment?.fields[field];
  if (!value) return '';
  const trimEnd = (parts: string[]): string[] => {
    const out = [...parts];
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  };
  return trimEnd(value.map((rep) => trimEnd(rep.map((comp) => trimEnd(comp).join('&'))).join('^'))).join('~');
}

/** The segments with the given id, in order. */
export function segmentsOf(message: Hl7Message, id: string): Hl7Segment[] {
  return message.segments.filter((s) => s.id === id);
}
