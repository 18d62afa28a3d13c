import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { Logger } from '../logger';

/**
 * Socket.IO's PostgreSQL adapter on a small pool of its own (it holds one connection for LISTEN).
 * Its table, `socket_io_attachments`, is created by the store's first migration, so servers starting
 * together do not race to create it.
 */
export function postgresAdapter(connectionString: string, logger: Logger): { adapter: ReturnType<typeof createAdapter>; close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: 4, application_name: 'chairside socket.io' });
  // A dropped idle connection: pg replaces it; the adapter reconnects its LISTEN connection itself.
  pool.on('error', (error) => logger.warn('socket.io adapter connection dropped', { error: error.message }));
  const adapter = createAdapter(pool, {
    errorHandler: (error) => logger.warn('socket.io adapter error', { error: error.message }),
  });
  return {
    adapter,
    close: () => pool.end(),
  };
}
