import { describe, expect, it } from 'vitest';
import { csvField, csvHeaders, sessionReadingsCsv } from './csv-export';
import { makeEsketamineRecordInput, makeRecordReviewInput, makeReviewInput } from './test-fixtures';

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

describe('sessionReadingsCsv: the session record beyond vitals', () => {
  const input = makeRecordReviewInput();
  const text = sessionReadingsCsv(input.session, { timeZone: 'Europe/Berlin' });
  const [header = [], ...rows] = parseCsv(text);
  const col = (name: string): number => header.indexOf(name);
  const records = rows.filter((r) => r[col('record_type')] !== '');
  const bySeq = (seq: number): string[] => records.find((r) => r[col('record_seq')] === String(seq)) ?? [];
  const recordTypes = ['readiness-answered', 'escort-recorded', 'infusion-set', 'infusion-rate-changed', 'prn-given', 'prn-reassessed', 'score-recorded', 'rounding-check', 'adverse-event', 'escort-handoff'];

  it('keeps the reading columns as they were and adds the record columns at the end', () => {
    expect(header.slice(0, 17)).toEqual([
      'session_id', 'seq', 'reading_id', 'measured_at', 'received_at', 'phase', 'source', 'entered_by', 'systolic_mmHg', 'diastolic_mmHg',
      'mean_mmHg', 'heart_rate_per_min', 'spo2_percent', 'resp_rate_per_min', 'flags', 'rejected', 'rejected_reason',
    ]);
    expect(header.slice(17)).toEqual(['record_type', 'record_seq', 'record_entry', 'record_details', 'corrects_seq', 'corrected_by_seq']);
    for (const row of rows) expect(row).toHaveLength(header.length);
    expect(rows.filter((r) => r[col('record_type')] === '')).toHaveLength(input.session.readings.length);
  });

  it('writes one row per record entry, every type, in time order among the readings', () => {
    expect(records).toHaveLength(input.session.events.filter((e) => recordTypes.includes(e.type)).length);
    expect(new Set(records.map((r) => r[col('record_type')]))).toEqual(new Set(recordTypes));
    const times = rows.map((r) => Date.parse(r[col('measured_at')] ?? ''));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it.each([
    // type                    happened (clinic time)         who        entry                     details
    ['infusion-set', '2025-01-15T10:05:00+01:00', 'nina', 'Infusion set up', 'drug=Ketamine; weight_kg=70; dose_mg_per_kg=0.5; total_mg=35; concentration_mg_per_ml=1; rate_ml_per_h=52.5; planned_min=40'],
    ['infusion-rate-changed', '2025-01-15T10:30:00+01:00', 'dr.lee', 'Infusion rate changed', 'rate_ml_per_h=40; reason=BP 168/101: slowed'],
    ['prn-given', '2025-01-15T10:36:00+01:00', 'nina', 'PRN given', 'drug=Ondansetron; dose_mg=4; route=iv; indication=nausea; reassess_in_min=15'],
    ['adverse-event', '2025-01-15T10:35:00+01:00', 'nina', 'Adverse event', 'kind=nausea; severity=mild; serious=no; note=after the rate change'],
    ['escort-recorded', '2025-01-15T10:03:00+01:00', 'nina', 'Escort recorded', 'name=Sam B.; phone=+49 30 1234567'],
    ['escort-handoff', '2025-01-15T11:54:00+01:00', 'nina', 'Escort hand-off', 'collected_by=Sam B. (partner)'],
  ])('writes %s with when, who and its fields', (type, happened, who, entry, details) => {
    const row = records.find((r) => r[col('record_type')] === type) ?? [];
    expect(row[col('measured_at')]).toBe(happened);
    expect(row[col('entered_by')]).toBe(who);
    expect(row[col('record_entry')]).toBe(entry);
    expect(row[col('record_details')]).toBe(details);
    expect(row[col('systolic_mmHg')]).toBe('');
    expect(row[col('session_id')]).toBe('session-42');
  });

  it('writes a CADSS-6 with its items and total, readiness answers by item, the phase it happened in', () => {
    const cadss = records.find((r) => r[col('record_details')]?.startsWith('scale=CADSS-6; items=1 2 1 0 1 0')) ?? [];
    expect(cadss[col('record_details')]).toBe('scale=CADSS-6; items=1 2 1 0 1 0; total=5');
    expect(cadss[col('phase')]).toBe('treatment');
    const readiness = records.find((r) => r[col('record_type')] === 'readiness-answered') ?? [];
    expect(readiness[col('record_details')]).toContain('answer.weight-today=yes; answer.consent-on-file=yes');
    expect(readiness[col('phase')]).toBe('baseline');
  });

  it('keeps a corrected entry and marks both ends of the correction', () => {
    const correction = records.find((r) => r[col('corrects_seq')] !== '') ?? [];
    const corrected = bySeq(Number(correction[col('corrects_seq')]));
    expect(correction[col('record_details')]).toBe('scale=MOAA/S; value=3; note=first written as 4 by mistake');
    expect(corrected[col('record_details')]).toBe('scale=MOAA/S; value=4');
    expect(corrected[col('corrected_by_seq')]).toBe(correction[col('record_seq')]);
    // the correction keeps the moment of the entry it corrects, and says when it was written
    expect(correction[col('measured_at')]).toBe('2025-01-15T10:30:00+01:00');
    expect(correction[col('received_at')]).toBe('2025-01-15T10:33:00+01:00');
  });

  it('writes esketamine devices with their number and lot', () => {
    const esk = parseCsv(sessionReadingsCsv(makeEsketamineRecordInput().session, { timeZone: 'Europe/Berlin' })).filter((r) => r[col('record_type')] === 'dose-given');
    expect(esk.map((r) => r[col('record_details')])).toEqual([
      'drug=Esketamine; dose_mg=28; route=intranasal; device=1; lot=LOT-2411A',
      'drug=Esketamine; dose_mg=28; route=intranasal; device=2; lot=LOT-2411A',
      'drug=Esketamine; dose_mg=28; route=intranasal; device=3; lot=LOT-2411B',
    ]);
    expect(esk.map((r) => r[col('record_entry')])).toEqual(['Device 1 given', 'Device 2 given', 'Device 3 given']);
  });
});
