import {
  type Protocol,
  type RecordEntry,
  type SessionRecord,
  type SessionState,
  cumulativeInfusedMg,
  deriveSessionRecord,
  dosingStartMs,
  recordSettingsOf,
} from '@chairside/shared';
import type { SeriesPoint } from './downsample';

/*
 * What a session chart draws of the session record beyond vitals (docs/clinical-defaults.md "The session record
 * beyond vitals"): the infusion's rate as steps with its pauses and milligrams, the esketamine devices, other doses,
 * PRN interventions and adverse events as markers on the time axis, and the MOAA/S and CADSS-6 scores with their due
 * times. Pure: record, state and the axis' instants in; used by the chair page's trend and the review report's chart.
 */

const msPerMin = 60_000;
const msPerHour = 60 * msPerMin;

/** The record a summary carries, else the one derived from its events (a detail built without it); null without either. */
export function sessionRecordOf(session: {
  protocol: Pick<Protocol, 'kind' | 'record'>;
  state: SessionState;
  record?: SessionRecord | undefined;
  events?: readonly { seq: number; type: string; at: string; username: string; payload: unknown }[];
}): SessionRecord | null {
  if (session.record !== undefined) return session.record;
  if (session.events === undefined) return null;
  const entries: RecordEntry[] = session.events.map((e) => ({ seq: e.seq, type: e.type, atMs: Date.parse(e.at), username: e.username, payload: e.payload }));
  return deriveSessionRecord({ protocol: session.protocol, state: session.state, entries });
}

export type RateSegmentKind = 'running' | 'paused' | 'complete';

/** A stretch of the infusion at one rate: running, paused, or stopped because the set dose is in. */
export interface RateSegment {
  kind: RateSegmentKind;
  fromMs: number;
  toMs: number;
  /** The pump's rate; 0 while paused or complete. */
  rateMlPerH: number;
  /** The same as mg/kg/h for the set-up's concentration and weight (0 while paused or complete). */
  mgPerKgPerH: number;
  /** The reason given for the rate change that began it (null for the set-up's rate, a pause, the end). */
  reason: string | null;
  /** Milligrams infused by its end. */
  mgAtEnd: number;
}

/** mg/kg/h of a pump rate, to 2 decimals. */
export function mgPerKgPerHour(rateMlPerH: number, infusion: Pick<NonNullable<SessionRecord['infusion']>, 'concentrationMgPerMl' | 'weightKg'>): number {
  return Math.round(((rateMlPerH * infusion.concentrationMgPerMl) / infusion.weightKg) * 100) / 100;
}

/**
 * The infusion from the start of treatment to its end (or `nowMs`), cut at every rate change and pause edge, stopped
 * when the set total is in (the pump stops at the programmed dose), clipped to [fromMs, toMs]; adjacent stretches of
 * one kind and rate are one. Empty without an infusion set-up or before the start.
 */
export function rateSegments(record: Pick<SessionRecord, 'infusion'>, state: SessionState, nowMs: number, fromMs: number, toMs: number): RateSegment[] {
  const { infusion } = record;
  const start = state.treatmentStartedAtMs;
  if (infusion === null || start === null) return [];
  const end = Math.min(nowMs, state.treatmentEndedAtMs ?? nowMs);
  if (end <= start) return [];
  const changes = [...infusion.rateChanges].sort((a, b) => a.atMs - b.atMs);
  const cuts = new Set<number>([start, end]);
  for (const c of changes) if (c.atMs > start && c.atMs < end) cuts.add(c.atMs);
  for (const p of state.pauses) for (const t of [p.fromMs, p.toMs]) if (t !== null && t > start && t < end) cuts.add(t);
  const times = [...cuts].sort((a, b) => a - b);

  const raw: Omit<RateSegment, 'mgAtEnd'>[] = [];
  let mg = 0;
  const push = (seg: Omit<RateSegment, 'mgAtEnd'>) => {
    const last = raw.at(-1);
    if (last !== undefined && last.kind === seg.kind && last.rateMlPerH === seg.rateMlPerH && last.toMs === seg.fromMs && seg.reason === null) last.toMs = seg.toMs;
    else raw.push(seg);
  };
  for (let i = 0; i + 1 < times.length; i += 1) {
    const from = times[i] as number;
    const to = times[i + 1] as number;
    const paused = state.pauses.some((p) => p.fromMs <= from && (p.toMs === null || p.toMs >= to));
    if (mg >= infusion.totalMg) {
      push({ kind: 'complete', fromMs: from, toMs: to, rateMlPerH: 0, mgPerKgPerH: 0, reason: null });
      continue;
    }
    if (paused) {
      push({ kind: 'paused', fromMs: from, toMs: to, rateMlPerH: 0, mgPerKgPerH: 0, reason: null });
      continue;
    }
    const change = changes.filter((c) => c.atMs <= from).at(-1);
    const rate = change?.rateMlPerH ?? infusion.rateMlPerH;
    const mgPerMs = (rate * infusion.concentrationMgPerMl) / msPerHour;
    const reason = change !== undefined && change.atMs === from ? change.reason : null;
    const running = { kind: 'running' as const, rateMlPerH: rate, mgPerKgPerH: mgPerKgPerHour(rate, infusion), reason };
    const doneAt = from + (infusion.totalMg - mg) / mgPerMs;
    if (doneAt < to) {
      push({ ...running, fromMs: from, toMs: doneAt });
      push({ kind: 'complete', fromMs: doneAt, toMs: to, rateMlPerH: 0, mgPerKgPerH: 0, reason: null });
      mg = infusion.totalMg;
    } else {
      push({ ...running, fromMs: from, toMs: to });
      mg += mgPerMs * (to - from);
    }
  }
  return raw
    .map((seg) => ({ ...seg, fromMs: Math.max(seg.fromMs, fromMs), toMs: Math.min(seg.toMs, toMs) }))
    .filter((seg) => seg.toMs > seg.fromMs)
    .map((seg) => ({ ...seg, mgAtEnd: cumulativeInfusedMg(record, state, seg.toMs) }));
}

/** The rate as a step line (mL/h): each segment's rate from its start, the last held to its end; gaps where the axis skips. */
export function rateSteps(segments: readonly RateSegment[]): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const seg of segments) {
    const previous = points.at(-1);
    if (previous !== undefined && previous.t < seg.fromMs) points.push({ t: previous.t, v: null });
    points.push({ t: seg.fromMs, v: seg.rateMlPerH });
    points.push({ t: seg.toMs, v: seg.rateMlPerH });
  }
  return points;
}

/** The infusion at a moment: the rate running then (0 paused or complete), and the milligrams in by then. */
export function infusionAt(record: Pick<SessionRecord, 'infusion'>, state: SessionState, atMs: number): { rateMlPerH: number; mgPerKgPerH: number; mg: number; totalMg: number; kind: RateSegmentKind | 'not started' } | null {
  const { infusion } = record;
  if (infusion === null) return null;
  const mg = cumulativeInfusedMg(record, state, atMs);
  const start = state.treatmentStartedAtMs;
  if (start === null || atMs < start) return { rateMlPerH: 0, mgPerKgPerH: 0, mg, totalMg: infusion.totalMg, kind: 'not started' };
  const segs = rateSegments(record, state, atMs + 1, start, atMs + 1);
  const seg = segs.at(-1);
  if (seg === undefined) return { rateMlPerH: 0, mgPerKgPerH: 0, mg, totalMg: infusion.totalMg, kind: 'complete' };
  return { rateMlPerH: seg.rateMlPerH, mgPerKgPerH: seg.mgPerKgPerH, mg, totalMg: infusion.totalMg, kind: seg.kind };
}

export type RecordMarkerKind = 'device' | 'dose' | 'prn' | 'adverse-event';

/** One entry on the time axis: a device or dose (circle), a PRN (triangle), an adverse event (square). */
export interface RecordMarker {
  id: string;
  kind: RecordMarkerKind;
  /** What its shape shows: the device's number, "D" for another dose, "P1"…, "A1"… in time order per kind. */
  code: string;
  atMs: number;
  /** "Device 2", "PRN P1", "Adverse event A1". */
  name: string;
  /** What it was: "esketamine 28 mg intranasal, lot AB12". */
  text: string;
  /** A PRN's reassessment, when recorded. */
  reassessment: { atMs: number; response: string } | null;
  /** 0, 1, 2: how far down it sits, so markers close in time do not hide each other. */
  row: number;
}

/** Markers closer than this share of the axis are staggered (a marker's width on a phone). */
const crowdedShare = 1 / 16;
const markerRows = 3;

function mgText(mg: number): string {
  return `${Math.round(mg * 10) / 10} mg`;
}

/** Doses (esketamine devices by number), PRNs and adverse events within [fromMs, toMs], oldest first, staggered when close. */
export function recordMarkers(record: Pick<SessionRecord, 'doses' | 'prns' | 'adverseEvents'>, fromMs: number, toMs: number): RecordMarker[] {
  const markers: Omit<RecordMarker, 'row'>[] = [];
  for (const d of record.doses) {
    const lot = d.lot === null ? 'lot not recorded' : `lot ${d.lot}`;
    const override = d.overrideReason === null ? '' : `; given inside the rest with a clinician’s override: ${d.overrideReason}`;
    markers.push({
      id: `dose-${d.seq}`,
      kind: d.device === null ? 'dose' : 'device',
      code: d.device === null ? 'D' : String(d.device),
      atMs: d.atMs,
      name: d.device === null ? 'Dose' : `Device ${d.device}`,
      text: `${d.drug} ${mgText(d.doseMg)} ${d.route}, ${lot}${override}`,
      reassessment: null,
    });
  }
  record.prns.forEach((p, i) => {
    markers.push({
      id: `prn-${p.seq}`,
      kind: 'prn',
      code: `P${i + 1}`,
      atMs: p.atMs,
      name: `PRN P${i + 1}`,
      text: `${p.drug} ${mgText(p.doseMg)} ${p.route} for ${p.indication}`,
      reassessment: p.reassessment === null ? null : { atMs: p.reassessment.atMs, response: p.reassessment.response },
    });
  });
  record.adverseEvents.forEach((a, i) => {
    const note = a.note === null ? '' : ` — ${a.note}`;
    markers.push({
      id: `ae-${a.seq}`,
      kind: 'adverse-event',
      code: `A${i + 1}`,
      atMs: a.atMs,
      name: `Adverse event A${i + 1}`,
      text: `${a.kind.replace('-', ' ')}, ${a.severity}${a.serious ? ', serious' : ''}${note}`,
      reassessment: null,
    });
  });
  const crowdedMs = (toMs - fromMs) * crowdedShare;
  let previous: RecordMarker | undefined;
  return markers
    .filter((m) => m.atMs >= fromMs && m.atMs <= toMs)
    .sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : 1))
    .map((m) => {
      const row = previous !== undefined && m.atMs - previous.atMs < crowdedMs ? (previous.row + 1) % markerRows : 0;
      const marker = { ...m, row };
      previous = marker;
      return marker;
    });
}

/** The scores as points: MOAA/S values and CADSS-6 totals, oldest first. */
export function scoreSeries(record: Pick<SessionRecord, 'scores'>): { moaaS: SeriesPoint[]; cadss: SeriesPoint[] } {
  const sorted = [...record.scores].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  return {
    moaaS: sorted.filter((s) => s.scale === 'moaa-s').map((s) => ({ t: s.atMs, v: s.value })),
    cadss: sorted.filter((s) => s.scale === 'cadss-6').map((s) => ({ t: s.atMs, v: s.value })),
  };
}

/** A time the protocol asks for MOAA/S and CADSS-6, and whether both were scored for it. */
export interface ScoreDueMark {
  id: string;
  atMs: number;
  /** "~20 min", "end of treatment", "until resolved". */
  label: string;
  met: boolean;
}

/**
 * The score times after dosing starts (esketamine: from the first device) within [fromMs, toMs]: each protocol time
 * point, the end of treatment, and the next observation score while one is due. Met when both scales were scored from
 * the early tolerance before it (the server's rule for what is due).
 */
export function scoreDueMarks(
  protocol: Pick<Protocol, 'kind' | 'record'>,
  state: SessionState,
  record: Pick<SessionRecord, 'firstDeviceAtMs' | 'scores' | 'due'>,
  fromMs: number,
  toMs: number,
): ScoreDueMark[] {
  const settings = recordSettingsOf(protocol);
  const dosingAt = dosingStartMs(record, state);
  const toleranceMs = settings.scores.earlyToleranceMin * msPerMin;
  const scored = (atMs: number, scale: 'moaa-s' | 'cadss-6') => record.scores.some((s) => s.scale === scale && s.atMs >= atMs - toleranceMs);
  const met = (atMs: number) => scored(atMs, 'moaa-s') && scored(atMs, 'cadss-6');
  const marks: ScoreDueMark[] = [];
  if (dosingAt !== null) {
    for (const m of settings.scores.atMinFromDosing) {
      const atMs = dosingAt + m * msPerMin;
      marks.push({ id: `score:${m}-min`, atMs, label: `~${m} min`, met: met(atMs) });
    }
  }
  if (state.treatmentEndedAtMs !== null) marks.push({ id: 'score:end', atMs: state.treatmentEndedAtMs, label: 'end of treatment', met: met(state.treatmentEndedAtMs) });
  const observation = record.due.find((d) => d.id === 'score:observation');
  if (observation !== undefined) marks.push({ id: observation.id, atMs: observation.dueAtMs, label: 'until resolved', met: false });
  return marks.filter((m) => m.atMs >= fromMs && m.atMs <= toMs).sort((a, b) => a.atMs - b.atMs);
}

/** Whether a session chart has anything of the record to draw: a dose band, markers, or scores. */
export function recordChartParts(record: SessionRecord | null, state: SessionState): { dose: boolean; scores: boolean } {
  if (record === null) return { dose: false, scores: false };
  const dose = record.infusion !== null || record.doses.length > 0 || record.prns.length > 0 || record.adverseEvents.length > 0;
  const scores = record.scores.length > 0 || (dose && state.treatmentStartedAtMs !== null);
  return { dose, scores };
}

/** "40 mL/h (0.53 mg/kg/h)". */
export function rateText(seg: { kind: RateSegmentKind | 'not started'; rateMlPerH: number; mgPerKgPerH: number }): string {
  if (seg.kind === 'not started') return 'not started';
  if (seg.kind === 'paused') return 'paused';
  if (seg.kind === 'complete') return 'stopped, set dose in';
  return `${seg.rateMlPerH} mL/h (${seg.mgPerKgPerH} mg/kg/h)`;
}

export { mgText as milligramText };

/** Everything a session chart draws of the record over one axis, derived once per record, state and axis. */
export interface RecordChartView {
  parts: { dose: boolean; scores: boolean };
  infusion: SessionRecord['infusion'];
  segments: RateSegment[];
  steps: SeriesPoint[];
  /** The highest rate drawn (the set-up's rate at least), for the rate axis. */
  maxRateMlPerH: number;
  markers: RecordMarker[];
  moaaS: SeriesPoint[];
  cadss: SeriesPoint[];
  due: ScoreDueMark[];
}

/** The record over [fromMs, toMs] as of `nowMs` (the session's end, or now while it runs). */
export function recordChartView(
  protocol: Pick<Protocol, 'kind' | 'record'>,
  state: SessionState,
  record: SessionRecord,
  nowMs: number,
  fromMs: number,
  toMs: number,
): RecordChartView {
  const segments = rateSegments(record, state, nowMs, fromMs, toMs);
  const { moaaS, cadss } = scoreSeries(record);
  return {
    parts: recordChartParts(record, state),
    infusion: record.infusion,
    segments,
    steps: rateSteps(segments),
    maxRateMlPerH: Math.max(record.infusion?.rateMlPerH ?? 0, ...record.infusion?.rateChanges.map((c) => c.rateMlPerH) ?? []),
    markers: recordMarkers(record, fromMs, toMs),
    moaaS,
    cadss,
    due: scoreDueMarks(protocol, state, record, fromMs, toMs),
  };
}

/**
 * The dose in one line, as of `atMs`: "ketamine 60 mL/h (0.75 mg/kg/h) now · 20 of 40 mg in", "paused · 10 of 40 mg
 * in", "esketamine 3 devices · 84 mg"; null with nothing given or set up.
 */
export function doseSummary(record: Pick<SessionRecord, 'infusion' | 'doses' | 'totalDoseMg'>, state: SessionState, atMs: number): string | null {
  const parts: string[] = [];
  const now = infusionAt(record, state, atMs);
  if (record.infusion !== null && now !== null) {
    const ended = state.treatmentEndedAtMs !== null && state.treatmentEndedAtMs <= atMs;
    const setRate = rateText({ kind: 'running', rateMlPerH: record.infusion.rateMlPerH, mgPerKgPerH: mgPerKgPerHour(record.infusion.rateMlPerH, record.infusion) });
    if (now.kind === 'not started') parts.push(`${record.infusion.drug} set up at ${setRate} for ${mgText(now.totalMg)}, not started`);
    else if (ended) parts.push(`${record.infusion.drug} ${mgText(now.mg)} of ${mgText(now.totalMg)} given`);
    else parts.push(`${record.infusion.drug} ${now.kind === 'running' ? `${rateText(now)} now` : rateText(now)} · ${Math.round(now.mg * 10) / 10} of ${mgText(now.totalMg)} in`);
  }
  const devices = record.doses.filter((d) => d.device !== null);
  if (devices.length > 0) parts.push(`${devices[0]?.drug ?? ''} ${devices.length} device${devices.length === 1 ? '' : 's'} · ${mgText(devices.reduce((sum, d) => sum + d.doseMg, 0))}`);
  const others = record.doses.filter((d) => d.device === null);
  if (others.length > 0) parts.push(`${others.length} other dose${others.length === 1 ? '' : 's'} · ${mgText(others.reduce((sum, d) => sum + d.doseMg, 0))}`);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** The rate's stretches in words, for a reader who cannot see the steps: "10:17 60 mL/h (0.75 mg/kg/h) · 10:27 30 mL/h (…), BP surge · 10:37 paused". */
export function rateStepsText(segments: readonly RateSegment[], time: (ms: number) => string): string {
  return segments
    .map((s) => `${time(s.fromMs)} ${rateText(s)}${s.reason === null ? '' : `, ${s.reason}`} (${Math.round(s.mgAtEnd * 10) / 10} mg by ${time(s.toMs)})`)
    .join(' · ');
}

/** The scores in words: "MOAA/S 5 at 10:05, 3 at 10:27 · CADSS-6 0 at 10:05, 4 at 10:27 · due ~20 min 10:30 done, ~40 min 10:50". */
export function scoresText(view: Pick<RecordChartView, 'moaaS' | 'cadss' | 'due'>, time: (ms: number) => string): string {
  const list = (points: readonly SeriesPoint[]) => points.map((p) => `${p.v ?? ''} at ${time(p.t)}`).join(', ');
  const parts: string[] = [];
  parts.push(view.moaaS.length === 0 ? 'MOAA/S none yet' : `MOAA/S ${list(view.moaaS)}`);
  parts.push(view.cadss.length === 0 ? 'CADSS-6 none yet' : `CADSS-6 ${list(view.cadss)}`);
  if (view.due.length > 0) parts.push(`due ${view.due.map((d) => `${d.label} ${time(d.atMs)}${d.met ? ' done' : ''}`).join(', ')}`);
  return parts.join(' · ');
}

/** The CADSS-6 axis' top: a multiple of 4 at least 2 above the highest total, at least 8, at most 24. */
export function cadssAxisTop(cadss: readonly SeriesPoint[]): number {
  const highest = Math.max(0, ...cadss.map((p) => p.v ?? 0));
  return Math.min(24, Math.max(8, Math.ceil((highest + 2) / 4) * 4));
}
