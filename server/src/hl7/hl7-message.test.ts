import { describe, expect, it } from 'vitest';
import {
  componentsOf,
  escapeHl7,
  type Hl7Message,
  parseHl7,
  segmentsOf,
  standardDelimiters,
  textOf,
  unescapeHl7,
  valueOf,
} from './hl7-message';
import { geStyle, hl7, oddDelimiters, pcd01Published, philipsStyle } from './test-fixtures';

function parsed(text: string): Hl7Message {
  const result = parseHl7(text);
  if (!result.ok) throw new Error(`expected a message, got ${result.error.code}: ${result.error.message}`);
  return result.message;
}

describe('parseHl7: structure', () => {
  it('reads the published PCD-01 message: MSH counted as the standard counts, fields, components', () => {
    const m = parsed(hl7(pcd01Published));
    expect(m.segments.map((s) => s.id)).toEqual(['MSH', 'PID', 'OBR', 'OBX', 'OBX', 'OBX', 'OBX', 'OBX']);
    const msh = m.segments[0];
    expect(valueOf(msh, 1)).toBe('|');
    expect(valueOf(msh, 2)).toBe('^~\\&');
    expect(componentsOf(msh, 3)).toEqual(['AcmeInc', 'ACDE48234567ABCD', 'EUI-64']);
    expect(valueOf(msh, 7)).toBe('20090713090030+0500');
    expect(valueOf(msh, 9, 2)).toBe('R01');
    expect(valueOf(msh, 10)).toBe('MSGID1234');
    expect(valueOf(msh, 12)).toBe('2.6');
    const obx3 = segmentsOf(m, 'OBX')[2];
    expect(valueOf(obx3, 3, 1)).toBe('150021');
    expect(valueOf(obx3, 4)).toBe('1.0.1.1');
    expect(valueOf(obx3, 5)).toBe('120');
    expect(valueOf(obx3, 99)).toBe('');
    expect(textOf(segmentsOf(m, 'PID')[0], 5)).toBe('Doe^John^Joseph^^^^L^A');
  });

  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('splits segments on %s', (_name, separator) => {
    const m = parsed(hl7(philipsStyle, separator));
    expect(m.segments).toHaveLength(philipsStyle.length);
    expect(valueOf(segmentsOf(m, 'OBX')[7], 5)).toBe('97');
  });

  it('tolerates blank lines and a leading line break, but nothing else before MSH', () => {
    expect(parsed(`\r\n${hl7(geStyle, '\r\n\r\n')}`).segments).toHaveLength(geStyle.length);
    const bad = parseHl7(`xMSH${hl7(geStyle).slice(3)}`);
    expect(bad).toMatchObject({ ok: false, error: { code: 'no-msh' } });
  });

  it('reads repetitions and subcomponents', () => {
    const m = parsed(hl7(['MSH|^~\\&|A||||20260101000000||ORU^R01|1|P|2.6', 'PID|||one~two^x&y&z']));
    const pid = segmentsOf(m, 'PID')[0];
    expect(valueOf(pid, 3, 1, 1, 1)).toBe('one');
    expect(valueOf(pid, 3, 1, 1, 2)).toBe('two');
    expect(valueOf(pid, 3, 2, 2, 2)).toBe('y');
    expect(pid?.fields[3]).toEqual([[['one']], [['two'], ['x', 'y', 'z']]]);
  });

  it('uses the delimiters the sender declares in MSH-1 and MSH-2', () => {
    const m = parsed(hl7(oddDelimiters));
    expect(m.delimiters).toEqual({ field: '!', component: '$', repetition: '*', escape: '?', subcomponent: '%' });
    expect(componentsOf(m.segments[0], 3)).toEqual(['ODD', 'DEV-9']);
    const pv1 = segmentsOf(m, 'PV1')[0];
    expect(componentsOf(pv1, 3)).toEqual(['WARD$A', '3', '2']);
    expect(textOf(pv1, 3)).toBe('WARD$A^3^2');
    expect(valueOf(segmentsOf(m, 'NTE')[0], 3)).toBe('a note with an escaped field separator ! and a literal ');
  });
});

describe('parseHl7: typed errors', () => {
  it.each([
    ['an empty message', '', 'empty'],
    ['only line breaks', '\r\n\r', 'empty'],
    ['no MSH', 'PID|||1\rOBX|1\r', 'no-msh'],
    ['MSH without separators', 'MSH', 'bad-delimiters'],
    ['a letter as field separator', 'MSHX^~\\&X', 'bad-delimiters'],
    ['too few encoding characters', 'MSH|^~|A', 'bad-delimiters'],
    ['too many encoding characters', 'MSH|^~\\&#!|A', 'bad-delimiters'],
    ['repeated encoding characters', 'MSH|^^\\&|A', 'bad-delimiters'],
    ['the field separator among the encoding characters', 'MSH|^~\\|', 'bad-delimiters'],
    ['a space as a delimiter', 'MSH|^~ &|A', 'bad-delimiters'],
  ])('refuses %s', (_name, text, code) => {
    const result = parseHl7(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(5);
    }
  });

  it('refuses a bad segment id and still returns the MSH, so the reply can echo the control id', () => {
    const result = parseHl7(hl7(['MSH|^~\\&|A||||20260101000000||ORU^R01|CTRL-7|P|2.6', 'PID|||1', 'obx|1|NM']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'bad-segment-id', segment: 3 });
    expect(valueOf(result.header ?? undefined, 10)).toBe('CTRL-7');
  });

  it('refuses a segment id glued to its data and a second MSH (one message per frame)', () => {
    expect(parseHl7(hl7(['MSH|^~\\&|A', 'OBXX|1']))).toMatchObject({ ok: false, error: { code: 'bad-segment-id' } });
    expect(parseHl7(hl7(['MSH|^~\\&|A', 'MSH|^~\\&|B']))).toMatchObject({ ok: false, error: { code: 'second-msh' } });
  });

  it('accepts a segment made of its id alone and Z-segments', () => {
    const m = parsed(hl7(['MSH|^~\\&|A', 'PV1', 'ZX1|custom']));
    expect(m.segments.map((s) => s.id)).toEqual(['MSH', 'PV1', 'ZX1']);
  });
});

describe('escapes', () => {
  const d = standardDelimiters;
  it.each([
    ['\\F\\', '|'],
    ['\\S\\', '^'],
    ['\\T\\', '&'],
    ['\\R\\', '~'],
    ['\\E\\', '\\'],
    ['a\\.br\\b', 'a\nb'],
    ['\\H\\bold\\N\\', 'bold'],
    ['\\X41424344\\', 'ABCD'],
    ['\\XC3A9\\', 'é'],
    ['\\XE9\\', 'é'],
    ['C:\\temp', 'C:\\temp'],
    ['\\Zcustom\\', '\\Zcustom\\'],
    ['\\X4\\', '\\X4\\'],
    ['unterminated \\F', 'unterminated \\F'],
    ['\\\\F\\', '\\|'],
  ])('unescapes %j as %j', (raw, text) => {
    expect(unescapeHl7(raw, d)).toBe(text);
  });

  it('escapes delimiters, strips line breaks, and round-trips', () => {
    const text = 'bed 1|2^3&4~5\\6\r7';
    const escaped = escapeHl7(text);
    expect(escaped).toBe('bed 1\\F\\2\\S\\3\\T\\4\\R\\5\\E\\6 7');
    expect(unescapeHl7(escaped, d)).toBe('bed 1|2^3&4~5\\6 7');
  });

  it('keeps escaped delimiters inside a value instead of splitting on them', () => {
    const m = parsed(hl7(['MSH|^~\\&|A', 'PV1||I|KETA\\S\\B^1\\T\\2^bed\\F\\3']));
    expect(componentsOf(segmentsOf(m, 'PV1')[0], 3)).toEqual(['KETA^B', '1&2', 'bed|3']);
  });
});
