export { createApp, type AppOptions, type Chairside } from './app';
export { loadConfig, type Config } from './config';
export { systemClock, type Clock } from './clock';
export { silentLogger, consoleLogger, type Logger } from './logger';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite-store';
export { openStore, sqliteFileName } from './store/open-store';
export type { Store } from './store/store';
export { bootstrapAdmin, setUpDemo } from './demo/demo-setup';
