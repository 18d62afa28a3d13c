import { randomUUID } from 'node:crypto';
import type { CreatePatient, Patient } from '@chairside/shared';
import type { Clock } from '../clock';
import { conflict, notFound } from '../http/app-error';
import type { Store } from '../store/store';

export class PatientsService {
  constructor(
    private readonly store: Pick<Store, 'catalog'>,
    private readonly clock: Clock,
  ) {}

  async create(input: CreatePatient): Promise<Patient> {
    const patient: Patient = {
      id: randomUUID(),
      displayName: input.displayName,
      mrn: input.mrn ?? null,
      riskFlags: [...new Set(input.riskFlags)],
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    if (!(await this.store.catalog.createPatient(patient))) {
      throw conflict(`A patient with MRN "${patient.mrn}" exists already.`);
    }
    return patient;
  }

  async get(id: string): Promise<Patient> {
    const patient = await this.store.catalog.findPatient(id);
    if (!patient) throw notFound(`No patient with id "${id}".`);
    return patient;
  }

  list(search: string, limit: number): Promise<Patient[]> {
    return this.store.catalog.listPatients(search, limit);
  }
}
