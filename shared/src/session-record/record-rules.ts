import type { Role } from '../schemas/common';
import { type Protocol, recordSettingsOf } from '../session/protocol';
import type { SessionState } from '../session/session-state';
import type { RecordEventInput } from './record-events';
import { type RecordEntry, type SessionRecord, entriesInForce, infusionPlan } from './session-record';

/*
 * Whether a new record entry may be stored (docs/clinical-defaults.md "The session record beyond vitals"). Pure: the
 * caller passes the session's entries, its derived record, its state and the time. A refusal names the field.
 */

const msPerMin = 60_000;

/** A stamp up to this far ahead of the server's clock is taken as now (as for readings). */
export const recordClockToleranceMs = 5 * msPerMin;

export type RecordRefusal = { ok: false; code: 'invalid' | 'conflict' | 'forbidden'; field: string; reason: string };
/** Accepted: the moment it happened, as the server stores it (`occurredAtMs`). */
export type RecordCheck = { ok: true; occurredAtMs: number } | RecordRefusal;

export interface RecordCheckContext {
  protocol: Pick<Protocol, 'kind' | 'record'>;
  state: SessionState;
  entries: readonly RecordEntry[];
  record: SessionRecord;
  role: Role;
  nowMs: number;
}

const refuse = (code: RecordRefusal['code'], field: string, reason: string): RecordRefusal => ({ ok: false, code, field, reason });

function momentOf(input: RecordEventInput, ctx: RecordCheckContext, corrected: RecordEntry | undefined): RecordCheck {
  const { state, nowMs } = ctx;
  let atMs = nowMs;
  if (input.at !== undefined) {
    atMs = Date.parse(input.at);
    if (atMs > nowMs + recordClockToleranceMs) return refuse('invalid', 'at', 'the moment is in the future');
    atMs = Math.min(atMs, nowMs);
  } else if (corrected !== undefined) {
    // A correction without its own moment keeps the corrected entry's.
    const p = corrected.payload as { occurredAtMs?: unknown };
    atMs = typeof p.occurredAtMs === 'number' ? p.occurredAtMs : corrected.atMs;
  }
  if (atMs < state.checkedInAtMs) return refuse('invalid', 'at', 'the moment is before the patient was checked in');
  const endedAt = state.dischargedAtMs;
  if (endedAt !== null && atMs > endedAt && input.type !== 'escort-handoff') {
    return refuse('conflict', 'at', 'the patient has been discharged: give the moment it happened (at) before the discharge');
  }
  return { ok: true, occurredAtMs: atMs };
}

/** Checks a new record entry against the session; on success gives the moment to store. */
export function checkRecordEvent(input: RecordEventInput, ctx: RecordCheckContext): RecordCheck {
  const { state, record, protocol, role, entries } = ctx;
  const settings = recordSettingsOf(protocol);
  if (role === 'admin') return refuse('forbidden', 'type', 'admins do not run sessions: log in as a nurse or clinician');
  if (state.phase === 'cancelled') return refuse('conflict', 'type', 'the session was cancelled');

  let corrected: RecordEntry | undefined;
  if (input.corrects !== undefined) {
    corrected = entries.find((e) => e.seq === input.corrects);
    if (corrected === undefined) return refuse('conflict', 'corrects', `no entry ${input.corrects} in this session`);
    if (corrected.type !== input.type) return refuse('conflict', 'corrects', `entry ${input.corrects} is a ${corrected.type}, not a ${input.type}`);
  }
  const moment = momentOf(input, ctx, corrected);
  if (!moment.ok) return moment;
  const atMs = moment.occurredAtMs;
  const started = state.treatmentStartedAtMs !== null;

  switch (input.type) {
    case 'readiness-answered': {
      const items = new Map(settings.readiness.map((i) => [i.id, i]));
      for (const [id, answer] of Object.entries(input.answers)) {
        const item = items.get(id);
        if (item === undefined) return refuse('invalid', `answers.${id}`, 'not on this protocol’s readiness list');
        if (item.kind === 'yesno' && typeof answer !== 'boolean') return refuse('invalid', `answers.${id}`, 'answer yes or no (true or false)');
        if (item.kind === 'text' && typeof answer !== 'string') return refuse('invalid', `answers.${id}`, 'answer with a text');
      }
      return moment;
    }
    case 'escort-recorded':
    case 'score-recorded':
    case 'rounding-check':
    case 'adverse-event':
    case 'prn-given':
      return moment;
    case 'escort-handoff':
      if (state.phase !== 'observation' && state.phase !== 'discharged') {
        return refuse('conflict', 'type', 'the escort collects the patient at discharge: treatment has not ended');
      }
      return moment;
    case 'infusion-set': {
      const limits = settings.infusion;
      if (limits === null) return refuse('conflict', 'type', 'this protocol gives no IV infusion');
      if (record.infusion !== null && input.corrects === undefined) {
        return refuse('conflict', 'corrects', `the infusion is already set up (entry ${record.infusion.seq}): correct it (corrects)`);
      }
      if (state.phase !== 'baseline' && state.phase !== 'treatment' && input.corrects === undefined) {
        return refuse('conflict', 'type', 'the infusion has ended');
      }
      if (input.weightKg < limits.minWeightKg || input.weightKg > limits.maxWeightKg) {
        return refuse('invalid', 'weightKg', `the weight must be ${limits.minWeightKg}–${limits.maxWeightKg} kg`);
      }
      if (input.doseMgPerKg > limits.maxMgPerKg) return refuse('invalid', 'doseMgPerKg', `the dose must be at most ${limits.maxMgPerKg} mg/kg`);
      const { plannedMin } = infusionPlan(input);
      if (plannedMin < limits.minInfusionMin) {
        return refuse('invalid', 'rateMlPerH', `this rate gives the dose in ${plannedMin} min: at least ${limits.minInfusionMin} min`);
      }
      return moment;
    }
    case 'infusion-rate-changed': {
      const limits = settings.infusion;
      if (limits === null) return refuse('conflict', 'type', 'this protocol gives no IV infusion');
      if (record.infusion === null) return refuse('conflict', 'type', 'set up the infusion first (infusion-set)');
      if (!started) return refuse('conflict', 'type', 'the infusion has not started');
      if (state.phase !== 'treatment' && input.corrects === undefined) return refuse('conflict', 'type', 'the infusion has ended');
      const { plannedMin } = infusionPlan({ ...record.infusion, rateMlPerH: input.rateMlPerH });
      if (plannedMin < limits.minInfusionMin) {
        return refuse('invalid', 'rateMlPerH', `this rate gives the dose in ${plannedMin} min: at least ${limits.minInfusionMin} min`);
      }
      return moment;
    }
    case 'dose-given': {
      if (!started) return refuse('conflict', 'type', 'treatment has not started: record its start first');
      if (input.override !== undefined && role !== 'clinician') return refuse('forbidden', 'override', 'only a clinician can override the rest between devices');
      const devices = settings.devices;
      if (input.device === undefined) {
        if (devices !== null && input.route === 'intranasal') return refuse('invalid', 'device', 'give the device number (1, 2, 3)');
        return moment;
      }
      if (devices === null) return refuse('invalid', 'device', 'this protocol gives no nasal-spray devices');
      if (input.route !== 'intranasal') return refuse('invalid', 'route', 'a device is given intranasal');
      if (input.device > devices.maxDevices) return refuse('invalid', 'device', `at most ${devices.maxDevices} devices`);
      if (input.doseMg !== devices.mgPerDevice) return refuse('invalid', 'doseMg', `a device gives ${devices.mgPerDevice} mg`);
      if (corrected !== undefined) {
        const was = (corrected.payload as { device?: unknown }).device;
        if (was !== input.device) return refuse('conflict', 'device', `entry ${corrected.seq} recorded device ${String(was)}`);
        return moment;
      }
      const given = record.doses.filter((d) => d.device !== null);
      if (given.some((d) => d.device === input.device)) return refuse('conflict', 'device', `device ${input.device} is already recorded`);
      if (input.device !== given.length + 1) return refuse('conflict', 'device', `the next device is device ${given.length + 1}`);
      const previous = given.at(-1);
      if (previous !== undefined) {
        if (atMs < previous.atMs) return refuse('conflict', 'at', `device ${input.device} cannot come before device ${previous.device}`);
        const restMs = devices.restMin * msPerMin;
        if (atMs - previous.atMs < restMs && input.override === undefined) {
          const waitedSec = Math.floor((atMs - previous.atMs) / 1000);
          return refuse(
            'conflict',
            'device',
            `device ${input.device} comes ${Math.floor(waitedSec / 60)} min ${waitedSec % 60} s after device ${previous.device}: rest ${devices.restMin} min, or a clinician overrides`,
          );
        }
      }
      return moment;
    }
    case 'prn-reassessed': {
      const prn = record.prns.find((p) => p.seq === input.prnSeq || entriesCorrecting(entries, p.seq).includes(input.prnSeq));
      if (prn === undefined) return refuse('conflict', 'prnSeq', `no PRN entry ${input.prnSeq} in this session`);
      if (prn.reassessment !== null && input.corrects === undefined) {
        return refuse('conflict', 'prnSeq', `already reassessed (entry ${prn.reassessment.seq}): correct it (corrects)`);
      }
      if (atMs < prn.atMs) return refuse('invalid', 'at', 'the reassessment is before the PRN was given');
      return moment;
    }
  }
}

/** The sequence numbers an entry in force stands for: its own and those it corrected. */
function entriesCorrecting(entries: readonly RecordEntry[], seq: number): number[] {
  for (const list of entriesInForce(entries).values()) {
    const found = list.find((i) => i.seq === seq);
    if (found) return [found.seq, ...found.corrects];
  }
  return [seq];
}
