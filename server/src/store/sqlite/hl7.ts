import type { NewHl7Unmapped } from '../records';
import { Hl7Sql } from '../sql/hl7';
import { type SqliteRunner, sqliteDialect } from './runner';

export class SqliteHl7 extends Hl7Sql {
  constructor(private readonly sqlite: SqliteRunner) {
    super(sqlite, sqliteDialect);
  }

  async saveHl7Unmapped(m: NewHl7Unmapped, keep: number): Promise<void> {
    const { db } = this.sqlite;
    db.transaction(() => {
      const { lastInsertRowid } = this.sqlite.prepare(this.insertUnmappedSql).run(...this.unmappedParams(m));
      this.sqlite.prepare('DELETE FROM hl7_unmapped_messages WHERE id <= ?').run(Number(lastInsertRowid) - keep);
    })();
  }

  /** The column is NOCASE: `=` folds ASCII case. */
  async deleteHl7Device(deviceId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM hl7_devices WHERE device_id = ?', [deviceId])) === 1;
  }
}
