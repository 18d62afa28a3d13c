import type { DueItem } from '@chairside/shared';
import { mostUrgentDue } from '@chairside/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { atFromTime, checkEntry, countdownText, refusalFrom } from './record-entry';
import { dueNextLongText, dueNextText } from './record-display';

const now = new Date(2026, 10, 22, 10, 30, 0).getTime();

describe('atFromTime: a time of today in the tablet’s zone, empty for now, never ahead', () => {
  it.each<[string, string | undefined | 'error']>([
    ['', undefined],
    ['  ', undefined],
    ['10:15', new Date(2026, 10, 22, 10, 15).getTime().toString()],
    ['9:05', new Date(2026, 10, 22, 9, 5).getTime().toString()],
    ['10:31', new Date(2026, 10, 22, 10, 31).getTime().toString()],
    ['10:32', 'error'],
    ['24:00', 'error'],
    ['10.15', 'error'],
    ['ten', 'error'],
  ])('%j → %s', (value, expected) => {
    const result = atFromTime(value, now);
    if (expected === 'error') expect(result.ok).toBe(false);
    else if (expected === undefined) expect(result).toEqual({ ok: true, at: undefined });
    else expect(result.ok && result.at !== undefined ? String(Date.parse(result.at)) : null).toBe(expected);
  });
});

describe('countdownText', () => {
  it.each<[number, string]>([
    [300_000, '5:00'],
    [299_001, '5:00'],
    [299_000, '4:59'],
    [61_000, '1:01'],
    [1, '0:01'],
    [0, '0:00'],
    [-5_000, '0:00'],
  ])('%i ms → %s', (ms, text) => expect(countdownText(ms)).toBe(text));
});

describe('checkEntry: the shared schema’s issues by field, as sentences', () => {
  it('names each missing field of a PRN', () => {
    const result = checkEntry({ type: 'prn-given', drug: ' ', doseMg: undefined, indication: 'nausea' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toMatchObject({ drug: 'Give the drug.', doseMg: 'Give the dose in mg.' });
  });
  it('a CADSS-6 item out of range is named by its index', () => {
    const result = checkEntry({ type: 'score-recorded', scale: 'cadss-6', items: [0, 1, 5, 0, 0, 0] });
    expect(result.ok ? null : result.errors).toEqual({ 'items.2': 'Score each item 0–4.' });
  });
});

describe('refusalFrom: the server’s message and the field it names', () => {
  it.each<[string, unknown, { status: number; field: string | null }]>([
    ['400 with details', new ApiError(400, 'invalid_input', 'Invalid infusion-set: x.', [{ path: ['weightKg'], message: 'the weight must be 30–250 kg' }]), { status: 400, field: 'weightKg' }],
    ['409 with a field', new ApiError(409, 'conflict', 'Device 3 is already recorded.', [], { field: 'device' }), { status: 409, field: 'device' }],
    ['403', new ApiError(403, 'forbidden', 'Only a clinician can override.'), { status: 403, field: null }],
    ['network', new ApiError(0, 'network', 'fetch failed'), { status: 0, field: null }],
  ])('%s', (_name, error, expected) => {
    expect(refusalFrom(error)).toMatchObject(expected);
  });
  it('a 400 speaks in a sentence', () => {
    expect(refusalFrom(new ApiError(400, 'invalid_input', 'x', [{ path: ['weightKg'], message: 'the weight must be 30–250 kg' }])).message).toBe('The weight must be 30–250 kg.');
  });
});

const minute = 60_000;
const item = (kind: DueItem['kind'], id: string, label: string, inMin: number): DueItem => ({ kind, id, label, dueAtMs: now + inMin * minute });

describe('due next in words: short on the tile, whole in the sheet', () => {
  it.each<[DueItem, string, string]>([
    [item('score', 'score:20-min', 'MOAA/S and CADSS-6 at ~20 min', 3), 'Scores in 3 min', 'MOAA/S and CADSS-6 at ~20 min: due in 3 min'],
    [item('score', 'score:20-min', 'MOAA/S and CADSS-6 at ~20 min', 2.5), 'Scores in 3 min', 'MOAA/S and CADSS-6 at ~20 min: due in 3 min'],
    [item('rounding', 'rounding', 'Eyes-on check', 0), 'Eyes-on now', 'Eyes-on check: due now'],
    [item('rounding', 'rounding', 'Eyes-on check', -1), 'Eyes-on now', 'Eyes-on check: due now'],
    [item('rounding', 'rounding', 'Eyes-on check', -2), 'Eyes-on 2 min late', 'Eyes-on check: overdue by 2 min'],
    [item('rounding', 'rounding', 'Eyes-on check', -2.5), 'Eyes-on 2 min late', 'Eyes-on check: overdue by 2 min'],
    [item('reassessment', 'reassessment:7', 'Reassess after ondansetron (nausea)', -12), 'Reassess PRN 12 min late', 'Reassess after ondansetron (nausea): overdue by 12 min'],
    [item('score', 'score:pre-dose', 'MOAA/S and CADSS-6 before dosing', -30), 'Scores pre-dose', 'MOAA/S and CADSS-6 before dosing: due before the start'],
  ])('%j', (due, short, long) => {
    const next = mostUrgentDue([due], now);
    expect(next === null ? null : dueNextText(next)).toBe(short);
    expect(next === null ? null : dueNextLongText(next)).toBe(long);
  });
});
