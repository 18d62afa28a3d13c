import { describe, expect, it } from 'vitest';
import { csvField, csvHeaders, sessionReadingsCsv } from './csv-export';
import { makeReviewInput } from './test-fixtures';

/** A small RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('sessionReadingsCsv', () => {
  const input = makeReviewInput();
  const text = sessionReadingsCsv(input.session, { timeZone: 'Europe/Berlin' });
  const [header = [], ...rows] = parseCsv(text);
  const col = (name: string): number => header.indexOf(name);
  const rowBySeq = (seq: number): string[] => rows.find((r) => r[col('seq')] === String(seq)) ?? [];

  it('has a header with units and one row per reading, CRLF line ends', () => {
    expect(header).toEqual(csvHeaders);
    expect(header).toEqual(expect.arrayContaining(['systolic_mmHg', 'diastolic_mmHg', 'mean_mmHg', 'heart_rate_per_min', 'spo2_percent', 'resp_rate_per_min']));
    expect(rows).toHaveLength(input.session.readings.length);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('writes times as ISO 8601 with the clinic offset, in summer and winter', () => {
    expect(rowBySeq(101)[col('measured_at')]).toBe('2025-01-15T10:00:00+01:00');
    expect(rowBySeq(101)[col('received_at')]).toBe('2025-01-15T10:00:01.200+01:00');
    const summer = makeReviewInput();
    summer.session.readings = summer.session.readings.slice(0, 1).map((r) => ({ ...r, measuredAt: '2025-07-01T08:00:00.000Z' }));
    const [, first = []] = parseCsv(sessionReadingsCsv(summer.session, { timeZone: 'Europe/Berlin' }));
    expect(first[col('measured_at')]).toBe('2025-07-01T10:00:00+02:00');
    const [, ny = []] = parseCsv(sessionReadingsCsv(summer.session, { timeZone: 'America/New_York' }));
    expect(ny[col('measured_at')]).toBe('2025-07-01T04:00:00-04:00');
  });

  it('keeps rejected values with their reason, never in the vital columns', () => {
    const row = rowBySeq(109);
    expect(row[col('systolic_mmHg')]).toBe('');
    expect(row[col('diastolic_mmHg')]).toBe('105');
    expect(row[col('rejected')]).toBe('systolic=-999 (no-reading-marker)');
    expect(row[col('rejected_reason')]).toBe('systolic: the monitor sent -999 for "no reading"');
    expect(rowBySeq(111)[col('rejected')]).toBe('spo2=101 (out-of-range)');
  });

  it('writes session, sequence, source, who entered it, the phase and flags', () => {
    expect(rowBySeq(102)).toEqual(expect.arrayContaining(['session-42', '102', 'manual', 'nina', 'baseline', '128', '80', '96', '74']));
    expect(rowBySeq(108)[col('phase')]).toBe('treatment');
    expect(rowBySeq(114)[col('phase')]).toBe('observation');
    expect(rowBySeq(110)[col('flags')]).toBe('spo2-low-accuracy');
    expect(rowBySeq(101)[col('source')]).toBe('device');
    expect(rowBySeq(101)[col('entered_by')]).toBe('');
  });

  it('defuses a formula typed into a text field', () => {
    expect(rowBySeq(114)[col('entered_by')]).toBe(`'=HYPERLINK("x")`);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('can start with a byte order mark for Excel', () => {
    expect(sessionReadingsCsv(input.session, { timeZone: 'UTC', byteOrderMark: true }).startsWith('\uFEFFsession_id,')).toBe(true);
  });
});

describe('csvField', () => {
  it.each([
    // value                      field as written
    [null, ''],
    [120, '120'],
    [-999, '-999'],
    [97.5, '97.5'],
    ['-12.5', '-12.5'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+49 30 1234', "'+49 30 1234"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['=A1,B1', `"'=A1,B1"`],
  ] as const)('%j → %s', (value, written) => {
    expect(csvField(value)).toBe(written);
  });
});
