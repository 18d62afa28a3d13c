import {
  type DueItem,
  type DueNext,
  type RecordEntry,
  type RecordEventInput,
  type SessionEventView,
  type SessionRecord,
  cadssTotal,
  entriesInForce,
  infusionPlan,
} from '@chairside/shared';
import { formatMinutesLeft } from '../../lib/vital-format';

/** MOAA/S levels in words (docs/clinical-defaults.md "The session record beyond vitals"). */
export const moaaSLevels: readonly { value: number; text: string }[] = [
  { value: 5, text: 'Responds readily to name in normal tone' },
  { value: 4, text: 'Lethargic response to name in normal tone' },
  { value: 3, text: 'Responds only after name is called loudly' },
  { value: 2, text: 'Responds only after mild prodding or shaking' },
  { value: 1, text: 'Responds only after painful stimulus' },
  { value: 0, text: 'No response to painful stimulus' },
];

export const cadssAnchors = ['Not at all', 'Slightly', 'Moderately', 'Considerably', 'Extremely'] as const;

export const roundingStatusLabels: Record<string, string> = {
  comfortable: 'Comfortable',
  'asleep-rousable': 'Asleep, rousable',
  distressed: 'Distressed',
  other: 'Other (see note)',
};

export const adverseKindLabels: Record<string, string> = {
  nausea: 'Nausea',
  vomiting: 'Vomiting',
  'emergence-reaction': 'Emergence reaction',
  headache: 'Headache',
  dizziness: 'Dizziness',
  other: 'Other',
};

export const routeLabels: Record<string, string> = {
  iv: 'IV',
  im: 'IM',
  intranasal: 'Intranasal',
  oral: 'Oral',
  odt: 'ODT',
  sublingual: 'Sublingual',
  subcutaneous: 'SC',
};

/** What a due item is, in the fewest words the tile can carry. */
function shortWhat(item: DueItem): string {
  if (item.kind === 'rounding') return 'Eyes-on';
  if (item.kind === 'reassessment') return 'Reassess PRN';
  return 'Scores';
}

/**
 * What is due next on a tile, beside the BP clock, short enough for a compact tile's
 * line: "Eyes-on 2 min late", "Scores in 3 min", "Reassess PRN now", "Scores pre-dose".
 * The pre-dose scores are due before the start, with no clock.
 */
export function dueNextText(next: DueNext): string {
  const what = shortWhat(next.item);
  if (next.item.id === 'score:pre-dose') return 'Scores pre-dose';
  if (next.status === 'upcoming') return `${what} in ${formatMinutesLeft(next.dueInMs)}`;
  if (next.status === 'due') return `${what} now`;
  return `${what} ${formatMinutesLeft(-next.dueInMs - 59_999)} late`;
}

/** The full sentence (screen readers, the entry sheet): the item's own label and when. */
export function dueNextLongText(next: DueNext): string {
  if (next.item.id === 'score:pre-dose') return `${next.item.label}: due before the start`;
  if (next.status === 'upcoming') return `${next.item.label}: due in ${formatMinutesLeft(next.dueInMs)}`;
  if (next.status === 'due') return `${next.item.label}: due now`;
  return `${next.item.label}: overdue by ${formatMinutesLeft(-next.dueInMs - 59_999)}`;
}

/** One line of the record so far: when, who, what. */
export interface RecordLine {
  seq: number;
  atMs: number;
  who: string;
  what: string;
  /** The entry corrects earlier ones. */
  corrected: boolean;
}

const mg = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(1)} mg`;

/** One entry in words. */
export function entryText(entry: RecordEventInput): string {
  switch (entry.type) {
    case 'readiness-answered': {
      const n = Object.keys(entry.answers).length;
      return `Readiness: ${n} answer${n === 1 ? '' : 's'}`;
    }
    case 'escort-recorded':
      return `Escort: ${entry.name} (${entry.phone})`;
    case 'infusion-set': {
      const plan = infusionPlan(entry);
      return `Infusion set up: ${entry.drug} ${entry.doseMgPerKg} mg/kg × ${entry.weightKg} kg = ${mg(plan.totalMg)}, ${entry.concentrationMgPerMl} mg/mL at ${entry.rateMlPerH} mL/h (${plan.plannedMin} min)`;
    }
    case 'infusion-rate-changed':
      return `Rate changed to ${entry.rateMlPerH} mL/h: ${entry.reason}`;
    case 'dose-given': {
      const device = entry.device === undefined ? '' : `Device ${entry.device}: `;
      const lot = entry.lot === undefined ? '' : `, lot ${entry.lot}`;
      const override = entry.override === undefined ? '' : ` (rest overridden: ${entry.override.reason})`;
      return `${device}${entry.drug} ${mg(entry.doseMg)} ${routeLabels[entry.route] ?? entry.route}${lot}${override}`;
    }
    case 'prn-given':
      return `PRN ${entry.drug} ${mg(entry.doseMg)} ${routeLabels[entry.route] ?? entry.route} for ${entry.indication}`;
    case 'prn-reassessed':
      return `PRN reassessed: ${entry.response}`;
    case 'score-recorded':
      return entry.scale === 'moaa-s' ? `MOAA/S ${entry.value}` : `CADSS-6 ${cadssTotal(entry.items)}/24 (items ${entry.items.join(' ')})`;
    case 'rounding-check':
      return `Eyes-on check: ${roundingStatusLabels[entry.status] ?? entry.status}`;
    case 'adverse-event':
      return `Adverse event: ${adverseKindLabels[entry.kind] ?? entry.kind}, ${entry.severity}${entry.serious ? ', serious' : ''}`;
    case 'escort-handoff':
      return `Collected by ${entry.collectedBy}`;
  }
}

/** The record's entries in force (corrections replace what they correct), in the order they happened. */
export function recordLines(events: readonly SessionEventView[]): RecordLine[] {
  const entries: RecordEntry[] = events.map((e) => ({ seq: e.seq, type: e.type, atMs: Date.parse(e.at), username: e.username, payload: e.payload }));
  const lines: RecordLine[] = [];
  for (const list of entriesInForce(entries).values()) {
    for (const item of list) {
      const note = item.entry.note === undefined ? '' : ` · ${item.entry.note}`;
      lines.push({ seq: item.seq, atMs: item.atMs, who: item.username, what: `${entryText(item.entry)}${note}`, corrected: item.corrects.length > 0 });
    }
  }
  return lines.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
}

/** The infusion set-up in one line: "Ketamine 0.5 mg/kg × 70 kg = 35 mg, 10 mg/mL at 5.3 mL/h (40 min)". */
export function infusionText(inf: NonNullable<SessionRecord['infusion']>): string {
  return `${inf.drug} ${inf.doseMgPerKg} mg/kg × ${inf.weightKg} kg = ${mg(inf.totalMg)}, ${inf.concentrationMgPerMl} mg/mL at ${inf.rateMlPerH} mL/h (${inf.plannedMin} min)`;
}
