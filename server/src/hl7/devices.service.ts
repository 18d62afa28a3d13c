import type { CreateDevice, Device, Hl7UnmappedMessage } from '@chairside/shared';
import type { Clock } from '../clock';
import { conflict, notFound } from '../http/app-error';
import type { Hl7DeviceRecord, Store } from '../store/store';
import { mapToChair } from './chair-mapping';
import type { OruR01 } from './oru-r01';

/** Unmapped messages kept: the newest this many. */
export const keptUnmappedMessages = 1000;
/** An unmapped message is kept up to this many characters. */
export const maxKeptRawChars = 64 * 1024;

export type MessageMapping =
  /** The chair of each patient result, by index. */
  | { ok: true; chairIds: string[] }
  | { ok: false; reason: string };

function toDevice(d: Hl7DeviceRecord): Device {
  return { deviceId: d.deviceId, chairId: d.chairId, createdAt: new Date(d.createdAt).toISOString(), createdBy: d.createdBy };
}

/**
 * Bedside monitors bound to chairs, the mapping of HL7 messages onto chairs (rules in
 * chair-mapping.ts), and the messages that mapped to none, kept for admins.
 */
export class Hl7DevicesService {
  constructor(
    private readonly store: Pick<Store, 'hl7' | 'catalog'>,
    private readonly clock: Clock,
  ) {}

  async register(input: CreateDevice, createdBy: string): Promise<Device> {
    if (!(await this.store.catalog.findChair(input.chairId))) throw notFound(`No chair with id "${input.chairId}".`);
    const record: Hl7DeviceRecord = { deviceId: input.deviceId, chairId: input.chairId, createdAt: this.clock.now(), createdBy };
    if (!(await this.store.hl7.createHl7Device(record))) {
      throw conflict(`The device "${input.deviceId}" is registered already; remove it first to move it to another chair.`);
    }
    return toDevice(record);
  }

  async list(): Promise<Device[]> {
    return (await this.store.hl7.listHl7Devices()).map(toDevice);
  }

  async remove(deviceId: string): Promise<void> {
    if (!(await this.store.hl7.deleteHl7Device(deviceId))) throw notFound(`No device "${deviceId}" is registered.`);
  }

  /** The chair of every patient result in the message, or why there is none. */
  async mapMessage(oru: OruR01): Promise<MessageMapping> {
    const [chairs, devices] = await Promise.all([this.store.catalog.listChairs(), this.store.hl7.listHl7Devices()]);
    const chairIds: string[] = [];
    const reasons: string[] = [];
    for (const result of oru.results) {
      const mapping = mapToChair({ location: result.location, deviceIds: [...oru.senderIds, ...result.equipmentIds] }, chairs, devices);
      if (mapping.ok) chairIds.push(mapping.chairId);
      else if (!reasons.includes(mapping.reason)) reasons.push(mapping.reason);
    }
    return reasons.length > 0 ? { ok: false, reason: reasons.join('; ') } : { ok: true, chairIds };
  }

  async keepUnmapped(message: { raw: string; sendingDevice: string; bed: string | null; controlId: string; reason: string }): Promise<void> {
    await this.store.hl7.saveHl7Unmapped(
      {
        receivedAt: this.clock.now(),
        sendingDevice: message.sendingDevice === '' ? null : message.sendingDevice,
        bed: message.bed,
        controlId: message.controlId === '' ? null : message.controlId,
        reason: message.reason,
        raw: message.raw.slice(0, maxKeptRawChars),
        rawTruncated: message.raw.length > maxKeptRawChars,
      },
      keptUnmappedMessages,
    );
  }

  async listUnmapped(limit: number): Promise<Hl7UnmappedMessage[]> {
    return (await this.store.hl7.listHl7Unmapped(limit)).map((m) => ({ ...m, receivedAt: new Date(m.receivedAt).toISOString() }));
  }
}
