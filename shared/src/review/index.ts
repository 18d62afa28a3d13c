/**
 * Clinician review and export: summary statistics of a session, its timeline as phase spans and
 * labelled events, and times in the clinic's time zone. Pure: time is an argument.
 */
export * from './review-input';
export * from './clinic-time';
export * from './phase-timeline';
export * from './event-labels';
export * from './session-stats';
export * from './export-query';
export * from './review-api';
export * from './record-report';
export * from './escalation-text';
