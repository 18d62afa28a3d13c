/**
 * The session timeline engine: protocols as data, the phase machine, baseline, clocks, the
 * discharge gate and the esketamine REMS form. Pure: time is an argument, state is passed in and
 * returned, and the server persists it.
 */
export * from './protocol';
export * from './session-state';
export * from './phase-machine';
export * from './baseline';
export * from './clocks';
export * from './discharge-gate';
export * from './start-gate';
export * from './esketamine-form';
export { type BpPoint, bpPointsOf, formatBp } from './bp-readings';
