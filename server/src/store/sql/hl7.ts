import type { Hl7Repository } from '../repositories';
import type { Hl7DeviceRecord, Hl7UnmappedRecord, NewHl7Unmapped } from '../records';
import { toHl7Device, toHl7Unmapped } from '../rows';
import type { Dialect, SqlRunner } from './runner';

/**
 * HL7 devices and unmapped messages. Device ids compare case-insensitively (ASCII): SQLite's column
 * is NOCASE, PostgreSQL's is folded with lower() under the "C" collation, which SQLite's lower() matches.
 */
export abstract class Hl7Sql implements Hl7Repository {
  constructor(
    protected readonly db: SqlRunner,
    protected readonly dialect: Dialect,
  ) {}

  /** Keeps an unmapped HL7 message, and only the newest `keep` of them (one transaction). */
  abstract saveHl7Unmapped(message: NewHl7Unmapped, keep: number): Promise<void>;
  abstract deleteHl7Device(deviceId: string): Promise<boolean>;

  protected readonly insertUnmappedSql = `INSERT INTO hl7_unmapped_messages (received_at, sending_device, bed, control_id, reason, raw, raw_truncated)
    VALUES (?, ?, ?, ?, ?, ?, ?)`;

  protected unmappedParams(m: NewHl7Unmapped): unknown[] {
    return [m.receivedAt, m.sendingDevice, m.bed, m.controlId, m.reason, m.raw, this.dialect.flag(m.rawTruncated)];
  }

  async createHl7Device(d: Hl7DeviceRecord): Promise<boolean> {
    const inserted = await this.db.run(
      'INSERT INTO hl7_devices (device_id, chair_id, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [d.deviceId, d.chairId, d.createdAt, d.createdBy],
    );
    return inserted === 1;
  }

  listHl7Devices(): Promise<Hl7DeviceRecord[]> {
    return this.db.all('SELECT * FROM hl7_devices ORDER BY chair_id, lower(device_id)', [], toHl7Device);
  }

  listHl7Unmapped(limit: number): Promise<Hl7UnmappedRecord[]> {
    return this.db.all('SELECT * FROM hl7_unmapped_messages ORDER BY id DESC LIMIT ?', [limit], toHl7Unmapped);
  }
}
