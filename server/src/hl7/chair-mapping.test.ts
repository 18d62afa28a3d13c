import { describe, expect, it } from 'vitest';
import type { Chair } from '@chairside/shared';
import { type DeviceBinding, mapToChair } from './chair-mapping';
import type { BedLocation } from './oru-r01';

const chair = (id: string, hl7Bed: string | null): Chair => ({ id, name: id, hl7Bed, position: 0 });
const bed = (text: string): BedLocation => {
  const [pointOfCare = '', room = '', b = ''] = text.split('^');
  return { pointOfCare, room, bed: b, text };
};

const chairs = [
  chair('full', 'KETA^102^1'),
  chair('room-bed', '103^1'),
  chair('bed-only', 'BED04'),
  chair('lower', 'keta^104^ 2 '),
  chair('none', null),
];
const devices: DeviceBinding[] = [
  { deviceId: 'ACDE48234567ABCD', chairId: 'full' },
  { deviceId: 'Mindray Gateway^MINDRAY_GW^L', chairId: 'bed-only' },
  { deviceId: '0123456789abcdef', chairId: 'room-bed' },
];

describe('mapToChair: beds (PV1-3)', () => {
  it.each([
    ['the full point of care^room^bed', 'KETA^102^1', 'full'],
    ['room^bed against any point of care', 'OTHER^103^1', 'room-bed'],
    ['room^bed with no point of care', '^103^1', 'room-bed'],
    ['the bed alone', '^^BED04', 'bed-only'],
    ['a single-part PV1-3 as the bed', 'BED04', 'bed-only'],
    ['case and spaces', 'KETA^104^2', 'lower'],
    ['a bed alone against a point of care and room', 'ICU^9^BED04', 'bed-only'],
  ])('matches %s', (_name, pv1, expected) => {
    expect(mapToChair({ location: bed(pv1), deviceIds: [] }, chairs, [])).toEqual({ ok: true, chairId: expected });
  });

  it.each([
    ['another room', 'KETA^105^1'],
    ['the right bed in the wrong room', 'KETA^102^2'],
    ['a point of care alone that is no bed', 'KETA^^'],
    ['the room where the bed is expected', 'KETA^102'],
  ])('does not match %s', (_name, pv1) => {
    const result = mapToChair({ location: bed(pv1), deviceIds: ['X'] }, chairs, []);
    expect(result).toEqual({ ok: false, reason: `no chair mapped for bed ${pv1} / device X` });
  });

  it('prefers the most specific match', () => {
    const more = [...chairs, chair('any-1', '1')];
    expect(mapToChair({ location: bed('KETA^102^1'), deviceIds: [] }, more, [])).toEqual({ ok: true, chairId: 'full' });
    expect(mapToChair({ location: bed('ICU^7^1'), deviceIds: [] }, more, [])).toEqual({ ok: true, chairId: 'any-1' });
  });

  it('maps nothing when two chairs match equally', () => {
    const twins = [chair('a', 'BED1'), chair('b', 'bed1')];
    const result = mapToChair({ location: bed('BED1'), deviceIds: [] }, twins, []);
    expect(result).toEqual({ ok: false, reason: 'bed BED1 matches several chairs (a, b); make their HL7 beds distinct' });
  });
});

describe('mapToChair: registered devices (MSH-3 / OBX-18)', () => {
  it.each([
    ['an MSH-3 universal id', ['AcmeInc^ACDE48234567ABCD^EUI-64', 'AcmeInc', 'ACDE48234567ABCD'], 'full'],
    ['a whole MSH-3 as sent', ['Mindray Gateway^MINDRAY_GW^L', 'Mindray Gateway', 'MINDRAY_GW'], 'bed-only'],
    ['an OBX-18 entity id, case-insensitively', ['SOMEAPP', '0123456789ABCDEF^EUI-64', '0123456789ABCDEF'], 'room-bed'],
  ])('maps by %s', (_name, deviceIds, expected) => {
    expect(mapToChair({ location: null, deviceIds }, chairs, devices)).toEqual({ ok: true, chairId: expected });
  });

  it('a device and a bed that agree map', () => {
    expect(mapToChair({ location: bed('KETA^102^1'), deviceIds: ['ACDE48234567ABCD'] }, chairs, devices)).toEqual({ ok: true, chairId: 'full' });
  });

  it('a device and a bed that disagree map nothing, naming both', () => {
    const result = mapToChair({ location: bed('^^BED04'), deviceIds: ['AcmeInc', 'ACDE48234567ABCD'] }, chairs, devices);
    expect(result).toEqual({ ok: false, reason: 'conflicting chairs: bed ^^BED04 is bed-only, device ACDE48234567ABCD is full' });
  });

  it('says what was sent when nothing matches', () => {
    expect(mapToChair({ location: null, deviceIds: ['NEWMON^123'] }, chairs, devices)).toEqual({
      ok: false,
      reason: 'no chair mapped for bed (none) / device NEWMON^123',
    });
  });
});
