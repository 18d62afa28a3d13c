/**
 * The session record beyond vitals: its entries' schemas, the record derived from them, and the checks a new entry
 * must pass. Pure.
 */
export * from './record-events';
export * from './session-record';
export * from './record-rules';
export * from './rems-form';
export * from './due-next';
