export * from './rules';
export * from './limits';
export * from './alert';
export * from './messages';
export * from './engine';
export * from './audio';
export * from './station-alarm';
