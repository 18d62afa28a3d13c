import type {
  AccountsRepository,
  AlertsRepository,
  AssignmentsRepository,
  DeliveriesRepository,
  AuditRepository,
  CatalogRepository,
  Hl7OutboxRepository,
  Hl7Repository,
  PushRepository,
  ReadingsRepository,
  SessionsRepository,
} from './repositories';

export * from './records';
export type * from './repositories';

/**
 * Everything Chairside keeps, as one repository per domain. Two implementations, SQLite and
 * PostgreSQL: row schemas and mappers are written once (rows.ts) and so is every query both dialects
 * spell alike (sql/); each dialect keeps only what differs (sqlite/, postgres/). A service is given
 * the repositories it uses, not the whole store.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  readonly accounts: AccountsRepository;
  readonly catalog: CatalogRepository;
  readonly sessions: SessionsRepository;
  readonly readings: ReadingsRepository;
  readonly alerts: AlertsRepository;
  readonly audit: AuditRepository;
  readonly hl7: Hl7Repository;
  readonly hl7Outbox: Hl7OutboxRepository;
  readonly assignments: AssignmentsRepository;
  readonly deliveries: DeliveriesRepository;
  readonly push: PushRepository;
}
