import type { NewHl7Unmapped } from '../records';
import { Hl7Sql } from '../sql/hl7';
import { type PgPool, postgresDialect } from './runner';

export class PostgresHl7 extends Hl7Sql {
  constructor(private readonly pg: PgPool) {
    super(pg.db, postgresDialect);
  }

  async saveHl7Unmapped(m: NewHl7Unmapped, keep: number): Promise<void> {
    await this.pg.transaction(async (db) => {
      await db.run(this.insertUnmappedSql, this.unmappedParams(m));
      await db.run('DELETE FROM hl7_unmapped_messages WHERE id IN (SELECT id FROM hl7_unmapped_messages ORDER BY id DESC OFFSET $1)', [Math.max(0, keep)]);
    });
  }

  /** lower() under "C" folds ASCII only, as SQLite's NOCASE does; the parameter needs the collation spelled out. */
  async deleteHl7Device(deviceId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM hl7_devices WHERE lower(device_id) = lower($1::text COLLATE "C")', [deviceId])) === 1;
  }
}
