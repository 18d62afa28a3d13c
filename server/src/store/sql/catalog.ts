import type { Chair, Patient } from '@chairside/shared';
import type { CatalogRepository } from '../repositories';
import type { ProtocolRecord } from '../records';
import { toChair, toPatient, toProtocol } from '../rows';
import type { Dialect, SqlRunner } from './runner';

/** Chairs, patients and protocols: the same SQL in both dialects. */
export class CatalogSql implements CatalogRepository {
  constructor(
    private readonly db: SqlRunner,
    private readonly dialect: Dialect,
  ) {}

  listChairs(): Promise<Chair[]> {
    return this.db.all('SELECT * FROM chairs ORDER BY position, name', [], toChair);
  }

  findChair(id: string): Promise<Chair | null> {
    return this.db.one('SELECT * FROM chairs WHERE id = ?', [id], toChair);
  }

  async createChair(chair: Chair, createdAt: number): Promise<boolean> {
    const inserted = await this.db.run(
      'INSERT INTO chairs (id, name, hl7_bed, position, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [chair.id, chair.name, chair.hl7Bed, chair.position, createdAt],
    );
    return inserted === 1;
  }

  async createPatient(patient: Patient): Promise<boolean> {
    const inserted = await this.db.run(
      'INSERT INTO patients (id, display_name, mrn, risk_flags, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [patient.id, patient.displayName, patient.mrn, JSON.stringify(patient.riskFlags), Date.parse(patient.createdAt)],
    );
    return inserted === 1;
  }

  findPatient(id: string): Promise<Patient | null> {
    return this.db.one('SELECT * FROM patients WHERE id = ?', [id], toPatient);
  }

  listPatients(search: string, limit: number): Promise<Patient[]> {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = this.dialect.likeNoCase;
    return this.db.all(
      `SELECT * FROM patients WHERE display_name ${like} ? ESCAPE '\\' OR mrn ${like} ? ESCAPE '\\'
       ORDER BY created_at DESC LIMIT ?`,
      [pattern, pattern, limit],
      toPatient,
    );
  }

  async saveProtocol(p: ProtocolRecord): Promise<boolean> {
    const inserted = await this.db.run(
      'INSERT INTO protocols (id, version, definition, created_at, created_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [p.id, p.version, JSON.stringify(p.definition), p.createdAt, p.createdBy],
    );
    return inserted === 1;
  }

  listProtocols(): Promise<ProtocolRecord[]> {
    return this.db.all(
      `SELECT p.* FROM protocols p
       JOIN (SELECT id, MAX(version) AS version FROM protocols GROUP BY id) newest USING (id, version)
       ORDER BY p.id`,
      [],
      toProtocol,
    );
  }

  findProtocol(id: string, version?: number): Promise<ProtocolRecord | null> {
    return version === undefined
      ? this.db.one('SELECT * FROM protocols WHERE id = ? ORDER BY version DESC LIMIT 1', [id], toProtocol)
      : this.db.one('SELECT * FROM protocols WHERE id = ? AND version = ?', [id, version], toProtocol);
  }
}
