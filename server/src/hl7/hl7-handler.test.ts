import { describe, expect, it } from 'vitest';
import type { Chair, ReadingInput } from '@chairside/shared';
import type { Actor } from '../auth/auth.service';
import { AppError, conflict, invalidInput } from '../http/app-error';
import type { IngestResult } from '../ingest/ingest.service';
import { silentLogger } from '../logger';
import { type DeviceBinding, mapToChair } from './chair-mapping';
import type { MessageMapping } from './devices.service';
import { Hl7Handler } from './hl7-handler';
import { parseHl7, segmentsOf, valueOf } from './hl7-message';
import type { OruR01 } from './oru-r01';
import { geStyle, hl7, mindrayStyle, pcd01At, pcd01Published, philipsStyle, twoPatients } from './test-fixtures';

const nowMs = Date.parse('2026-11-22T10:20:00Z');
const chairs: Chair[] = [
  { id: 'chair-1', name: 'Chair 1', hl7Bed: 'KETA^102^1', position: 1 },
  { id: 'chair-2', name: 'Chair 2', hl7Bed: 'BED04', position: 2 },
  { id: 'chair-3', name: 'Chair 3', hl7Bed: '101^1', position: 3 },
  { id: 'chair-4', name: 'Chair 4', hl7Bed: '101^2', position: 4 },
];

interface Harness {
  handler: Hl7Handler;
  calls: { inputs: readonly ReadingInput[]; actor: Actor }[];
  unmapped: { raw: string; sendingDevice: string; bed: string | null; controlId: string; reason: string }[];
}

function harness(
  options: {
    devices?: DeviceBinding[];
    ingest?: (inputs: readonly ReadingInput[]) => Promise<IngestResult>;
    mapMessage?: (oru: OruR01) => Promise<MessageMapping>;
    timeZone?: string;
  } = {},
): Harness {
  const calls: Harness['calls'] = [];
  const unmapped: Harness['unmapped'] = [];
  const stored = new Set<string>();
  const handler = new Hl7Handler({
    ingest: {
      async ingest(inputs, actor) {
        calls.push({ inputs, actor });
        if (options.ingest) return options.ingest(inputs);
        const created = inputs.filter((i) => !stored.has(i.id));
        for (const i of inputs) stored.add(i.id);
        return { readings: [], createdCount: created.length };
      },
    },
    devices: {
      mapMessage:
        options.mapMessage ??
        (async (oru) => {
          const ids: string[] = [];
          for (const r of oru.results) {
            const m = mapToChair({ location: r.location, deviceIds: [...oru.senderIds, ...r.equipmentIds] }, chairs, options.devices ?? []);
            if (!m.ok) return m;
            ids.push(m.chairId);
          }
          return { ok: true, chairIds: ids };
        }),
      async keepUnmapped(message) {
        unmapped.push(message);
      },
    },
    clock: { now: () => nowMs },
    logger: silentLogger,
    timeZone: options.timeZone ?? 'UTC',
  });
  return { handler, calls, unmapped };
}

const send = (h: Harness, segments: readonly string[], separator = '\r') => h.handler.handle(Buffer.from(hl7(segments, separator)));

function msa(ack: string): [string, string, string] {
  const parsed = parseHl7(ack);
  if (!parsed.ok) throw new Error('ACK is not HL7');
  const segment = segmentsOf(parsed.message, 'MSA')[0];
  return [valueOf(segment, 1), valueOf(segment, 2), valueOf(segment, 3)];
}

describe('Hl7Handler', () => {
  it('stores a mapped message through ingest as device readings and answers AA', async () => {
    const h = harness();
    const outcome = await send(h, philipsStyle);
    expect(msa(outcome.ack)).toEqual(['AA', 'PH000123', '']);
    expect(outcome).toMatchObject({ code: 'AA', controlId: 'PH000123', created: 2 });
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]?.actor).toEqual({ kind: 'device', deviceLabel: 'hl7:MONITOR^00095CFFFE7A2B1C^EUI-64' });
    expect(h.calls[0]?.inputs.map(({ id: _id, ...rest }) => rest)).toEqual([
      { chairId: 'chair-1', measuredAt: '2026-11-22T09:14:00.000Z', systolic: 128, diastolic: 82, mean: 97, source: 'device' },
      { chairId: 'chair-1', measuredAt: '2026-11-22T09:14:55.000Z', heartRate: 72, spo2: 97, respRate: 14, source: 'device' },
    ]);
  });

  it('answers only after ingest has resolved (committed)', async () => {
    let release: (r: IngestResult) => void = () => {};
    const h = harness({ ingest: () => new Promise((resolve) => (release = resolve)) });
    let answered = false;
    const pending = send(h, philipsStyle).then((o) => {
      answered = true;
      return o;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(h.calls).toHaveLength(1);
    expect(answered).toBe(false);
    release({ readings: [], createdCount: 2 });
    expect((await pending).code).toBe('AA');
  });

  it('gives a resent message the same reading ids, so ingest stores it once; both answered AA', async () => {
    const h = harness();
    const first = await send(h, philipsStyle);
    const again = await send(h, philipsStyle);
    expect([first.code, again.code]).toEqual(['AA', 'AA']);
    expect([first.created, again.created]).toEqual([2, 0]);
    expect(h.calls[1]?.inputs.map((i) => i.id)).toEqual(h.calls[0]?.inputs.map((i) => i.id));
  });

  it('reads times without an offset in the clinic time zone', async () => {
    const h = harness({ timeZone: 'America/New_York' });
    expect((await send(h, geStyle, '\n')).code).toBe('AA');
    expect(h.calls[0]?.inputs[0]).toMatchObject({ chairId: 'chair-2', measuredAt: '2026-11-22T14:14:55.000Z', heartRate: 68 });
  });

  it('passes "no reading" markers on to ingest rather than dropping them', async () => {
    const h = harness({ devices: [{ deviceId: 'MINDRAY_GW', chairId: 'chair-1' }] });
    // PV1-3 ICU^^7 names no chair; the gateway is registered.
    expect((await send(h, mindrayStyle)).code).toBe('AA');
    expect(h.calls[0]?.inputs[0]).toMatchObject({ chairId: 'chair-1', heartRate: -999, spo2: -99.9, systolic: 118 });
  });

  it('maps each patient of a multi-patient message to its own chair, in one ingest call', async () => {
    const h = harness();
    expect((await send(h, twoPatients)).code).toBe('AA');
    expect(h.calls[0]?.inputs.map((i) => [i.chairId, i.heartRate])).toEqual([
      ['chair-3', 70],
      ['chair-4', 90],
    ]);
  });

  it('keeps a message that maps to no chair and answers AE naming the bed and device', async () => {
    const h = harness();
    const outcome = await send(h, pcd01At('20261122101500+0000'));
    const reason = 'no chair mapped for bed (none) / device AcmeInc^ACDE48234567ABCD^EUI-64';
    expect(msa(outcome.ack)).toEqual(['AE', 'MSGID1234', reason]);
    expect(h.calls).toHaveLength(0);
    expect(h.unmapped).toEqual([
      { raw: hl7(pcd01At('20261122101500+0000')), sendingDevice: 'AcmeInc^ACDE48234567ABCD^EUI-64', bed: null, controlId: 'MSGID1234', reason },
    ]);
  });

  it('keeps the bed of an unmapped message', async () => {
    const h = harness();
    await send(h, mindrayStyle);
    expect(h.unmapped[0]).toMatchObject({ bed: 'ICU^^7', sendingDevice: 'Mindray Gateway^MINDRAY_GW^L', controlId: 'MR-5521' });
  });

  it("answers AE with ingest's reason when ingest refuses (e.g. a sender clock in the future)", async () => {
    const h = harness({
      devices: [{ deviceId: 'ACDE48234567ABCD', chairId: 'chair-1' }],
      ingest: async () => {
        throw invalidInput('Some readings are not valid; nothing was stored.', [
          { path: [0, 'measuredAt'], message: 'is more than 5 minutes in the future; check the sending clock' },
        ]);
      },
    });
    const outcome = await send(h, pcd01At('20261122111500+0000'));
    expect(msa(outcome.ack)).toEqual(['AE', 'MSGID1234', 'measuredAt: is more than 5 minutes in the future; check the sending clock']);
  });

  it('answers AE when the control id was used before for different values', async () => {
    const h = harness({
      devices: [{ deviceId: 'ACDE48234567ABCD', chairId: 'chair-1' }],
      ingest: async () => {
        throw conflict('These reading ids are already stored with different values; nothing was stored.', { ids: ['x'] });
      },
    });
    const [code, , text] = msa((await send(h, pcd01At('20261122101500+0000'))).ack);
    expect(code).toBe('AE');
    expect(text).toContain('MSH-10 MSGID1234 was received before with different values');
  });

  it.each([
    ['the store failing', new Error('SQLITE_FULL: database or disk is full')],
    ['the server shutting down', new Error('the reading store is shutting down')],
    ['the store being unavailable', new AppError('unavailable', 'Readings cannot be saved right now.')],
  ])('answers AR (resend later) on %s', async (_name, error) => {
    const h = harness({
      devices: [{ deviceId: 'ACDE48234567ABCD', chairId: 'chair-1' }],
      ingest: async () => {
        throw error;
      },
    });
    expect(msa((await send(h, pcd01At('20261122101500+0000'))).ack)).toEqual([
      'AR',
      'MSGID1234',
      'could not store the message now; resend it later',
    ]);
  });

  it('answers AR when mapping itself fails (the store unreachable)', async () => {
    const h = harness({
      mapMessage: async () => {
        throw new Error('SQLITE_BUSY');
      },
    });
    expect(msa((await send(h, philipsStyle)).ack)[0]).toBe('AR');
  });

  it.each([
    ['garbage', Buffer.from('hello world'), ['AR', '', 'the message does not start with an MSH segment']],
    ['an empty frame', Buffer.alloc(0), ['AR', '', 'the message is empty']],
    ['binary noise', Buffer.from([0xff, 0xfe, 0x00, 0x0b, 0x1c]), ['AR', '', 'the message does not start with an MSH segment']],
    [
      'a broken segment after a good MSH',
      Buffer.from(hl7(['MSH|^~\\&|A||||20261122101500||ORU^R01|K-1|P|2.6', '???'])),
      ['AR', 'K-1', 'segment 2 does not start with a segment id such as "OBX|"'],
    ],
    ['an ADT message', Buffer.from(hl7(['MSH|^~\\&|A||||20261122101500||ADT^A01|K-2|P|2.5', 'PID|||1'])), ['AR', 'K-2', 'message type ADT^A01 is not supported; send ORU^R01']],
  ])('answers %s', async (_name, payload, expected) => {
    const h = harness();
    expect(msa((await h.handler.handle(payload)).ack)).toEqual(expected);
    expect(h.calls).toHaveLength(0);
  });

  it('answers content errors AE and stores nothing', async () => {
    const h = harness();
    const bad = philipsStyle.map((l) => l.replace('|128|266016^MDC_DIM_MMHG^MDC|', '|128|cm[H2O]^cmH2O^UCUM|'));
    const [code, id, text] = msa((await send(h, bad)).ack);
    expect([code, id]).toEqual(['AE', 'PH000123']);
    expect(text).toContain('OBX 6 (NIBP systolic): unit');
    expect(h.calls).toHaveLength(0);
    expect(h.unmapped).toHaveLength(0);
  });

  it('reads a Latin-1 message (names with accents) as well as UTF-8', async () => {
    const h = harness();
    const latin1 = Buffer.from(hl7(pcd01Published.map((l) => l.replace('Doe^John', 'Müller^José'))), 'latin1');
    const outcome = await h.handler.handle(latin1);
    expect(outcome.code).toBe('AE'); // unmapped: PCD-01 has no PV1 and no registered device
    expect(h.unmapped[0]?.raw).toContain('Müller^José');
  });

  it('gives every reply its own control id', async () => {
    const h = harness();
    const ids = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const parsed = parseHl7((await h.handler.handle(Buffer.from('junk'))).ack);
      if (parsed.ok) ids.add(valueOf(parsed.message.segments[0], 10));
    }
    expect(ids.size).toBe(50);
  });
});
