import { type RecordEventInput, type SessionSummary, dosingStartMs, recordSettingsOf } from '@chairside/shared';

/*
 * What the demo's simulated nurse writes into the session record (docs/clinical-defaults.md "The session record beyond
 * vitals"), as a nurse following the protocol would: an IV infusion set up before the start, esketamine devices as
 * their rest ends with the box's lot, MOAA/S and CADSS-6 at the protocol's times (sedation peaking at 30–45 min after
 * dosing and resolved by 1–1.5 h), an eyes-on check each time one is due (sometimes a little late), and for some
 * patients nausea treated with ondansetron and reassessed. Pure and deterministic: the session, the moment, the
 * patient's plan and the demo speed in, at most one entry out.
 */

const msPerMin = 60_000;

/** One simulated patient's course, fixed at check-in from the chair and visit numbers. */
export interface DemoRecordPlan {
  weightKg: number;
  /** Esketamine: 56 mg (2 devices) or 84 mg (3). */
  devices: 2 | 3;
  lot: string;
  /** Sedated (MOAA/S below 5 around the peak): about a third of patients. */
  sedated: boolean;
  /** Peak CADSS-6 total. */
  peakCadss: number;
  /** Minutes after dosing (simulated) at which nausea is treated, or null. */
  nauseaAtMin: number | null;
  /** How late each eyes-on check is recorded, simulated minutes, in turn. */
  roundingLateMin: readonly number[];
}

/** A deterministic plan for visit `cycleIndex` of chair number `chairNumber`. */
export function demoRecordPlan(chairNumber: number, cycleIndex: number): DemoRecordPlan {
  const k = chairNumber * 7 + cycleIndex * 3;
  return {
    weightKg: 58 + ((k * 13) % 40),
    devices: k % 3 === 0 ? 2 : 3,
    lot: `DEMO${String(2400 + ((chairNumber * 31 + cycleIndex) % 500)).padStart(4, '0')}`,
    sedated: k % 3 === 1,
    peakCadss: 4 + (k % 7),
    nauseaAtMin: (chairNumber + cycleIndex) % 4 === 1 ? 20 : null,
    roundingLateMin: [0, 2, 0, 1, 0, 3, 0, 0].map((m, i) => (i + k) % 8 === 5 ? 0 : m),
  };
}

/** MOAA/S at `simMin` after dosing: 5, or 4–3 around the peak for a sedated patient. */
export function demoMoaaS(plan: Pick<DemoRecordPlan, 'sedated'>, simMin: number | null): number {
  if (simMin === null || !plan.sedated) return 5;
  if (simMin >= 25 && simMin < 50) return 3;
  if (simMin >= 15 && simMin < 70) return 4;
  return 5;
}

/** CADSS-6 items at `simMin` after dosing: rising to the plan's peak at 30–45 min, back to 0 by 75 min. */
export function demoCadssItems(plan: Pick<DemoRecordPlan, 'peakCadss'>, simMin: number | null): number[] {
  if (simMin === null || simMin < 5 || simMin >= 75) return [0, 0, 0, 0, 0, 0];
  const share = simMin < 30 ? (simMin - 5) / 25 : simMin <= 45 ? 1 : (75 - simMin) / 30;
  let total = Math.round(plan.peakCadss * share);
  const items = [0, 0, 0, 0, 0, 0];
  // Spread over the items, the first ones (unreality, slowed time) first, at most 4 each.
  for (let i = 0; total > 0; i = (i + 1) % 6) {
    if ((items[i] ?? 0) < 4) {
      items[i] = (items[i] ?? 0) + 1;
      total -= 1;
    }
  }
  return items;
}

export interface DemoRecordInput {
  session: SessionSummary;
  nowMs: number;
  plan: DemoRecordPlan;
  /** Protocol minutes per real minute: the demo protocol's times are the clinic's divided by it. */
  speed: number;
}

/** The next entry the simulated nurse writes now, or null when nothing is due. */
export function nextDemoEntry({ session, nowMs, plan, speed }: DemoRecordInput): RecordEventInput | null {
  const { record, state, protocol } = session;
  if (record === undefined) return null;
  const settings = recordSettingsOf(protocol);
  const { phase } = state;
  if (phase === 'discharged' || phase === 'cancelled') return null;
  const dosingAt = dosingStartMs(record, state);
  const simMin = dosingAt === null || phase === 'baseline' ? null : ((nowMs - dosingAt) / msPerMin) * speed;

  // IV: the infusion is set up before the start, its rate giving the planned time.
  if (protocol.kind === 'iv-infusion' && record.infusion === null && (phase === 'baseline' || phase === 'treatment') && settings.infusion !== null) {
    const doseMgPerKg = Math.min(0.5, settings.infusion.maxMgPerKg);
    const totalMg = plan.weightKg * doseMgPerKg;
    const minutes = Math.max(protocol.treatment.plannedMin, settings.infusion.minInfusionMin);
    // 1 mg/mL as usual; a demo run so fast that the pump would exceed 2000 mL/h uses 10 mg/mL.
    const concentrationMgPerMl = (totalMg / minutes) * 60 > 1500 ? 10 : 1;
    // Rounded down to 0.1 mL/h, so that the whole dose takes at least the planned time.
    const rateMlPerH = Math.max(0.1, Math.floor(((totalMg / concentrationMgPerMl / minutes) * 60) * 10) / 10);
    return { type: 'infusion-set', drug: 'ketamine', weightKg: plan.weightKg, doseMgPerKg, concentrationMgPerMl, rateMlPerH };
  }

  // Esketamine: each device as soon as the rest after the previous one is over.
  const given = record.doses.filter((d) => d.device !== null).length;
  if (record.nextDevice !== null && given < plan.devices && (phase === 'treatment' || phase === 'observation') && (record.nextDevice.notBeforeMs === null || nowMs >= record.nextDevice.notBeforeMs)) {
    return { type: 'dose-given', drug: 'esketamine', doseMg: settings.devices?.mgPerDevice ?? 28, route: 'intranasal', device: record.nextDevice.device, lot: plan.lot };
  }

  // Scores when their time has come: MOAA/S, then CADSS-6.
  const scoreDue = record.due.find((d) => d.kind === 'score' && d.dueAtMs <= nowMs);
  if (scoreDue !== undefined) {
    const since = scoreDue.id === 'score:pre-dose' ? -Infinity : scoreDue.dueAtMs - settings.scores.earlyToleranceMin * msPerMin;
    const hasMoaa = record.scores.some((s) => s.scale === 'moaa-s' && s.atMs >= since);
    if (!hasMoaa) return { type: 'score-recorded', scale: 'moaa-s', value: demoMoaaS(plan, simMin) };
    return { type: 'score-recorded', scale: 'cadss-6', items: demoCadssItems(plan, simMin) };
  }

  // In observation, once the effects should have worn off (80 min after dosing), a nurse scores again rather than wait
  // for the next 30-minute score: resolution is what the patient waits for.
  if (phase === 'observation' && dosingAt !== null && !record.sedation.resolved) {
    const checkAt = dosingAt + (80 * msPerMin) / speed;
    if (nowMs >= checkAt) {
      if (!record.scores.some((s) => s.scale === 'moaa-s' && s.atMs >= checkAt)) return { type: 'score-recorded', scale: 'moaa-s', value: demoMoaaS(plan, simMin) };
      if (!record.scores.some((s) => s.scale === 'cadss-6' && s.atMs >= checkAt)) return { type: 'score-recorded', scale: 'cadss-6', items: demoCadssItems(plan, simMin) };
    }
  }

  // Eyes-on checks: at their time, some a little late.
  const rounding = record.due.find((d) => d.kind === 'rounding');
  if (rounding !== undefined) {
    const late = plan.roundingLateMin[record.roundingChecks.length % plan.roundingLateMin.length] ?? 0;
    if (nowMs >= rounding.dueAtMs + (late * msPerMin) / speed) {
      return { type: 'rounding-check', status: simMin !== null && demoMoaaS(plan, simMin) < 5 ? 'asleep-rousable' : 'comfortable' };
    }
  }

  // Nausea: the PRN and the side effect it treats; its reassessment when due.
  if (plan.nauseaAtMin !== null && simMin !== null && simMin >= plan.nauseaAtMin && phase !== 'baseline') {
    if (record.prns.length === 0) {
      return { type: 'prn-given', drug: 'ondansetron', doseMg: 4, route: 'odt', indication: 'nausea' };
    }
    if (record.adverseEvents.length === 0) return { type: 'adverse-event', kind: 'nausea', severity: 'mild', serious: false };
  }
  const open = record.prns.find((p) => p.reassessment === null && nowMs >= p.reassessDueAtMs);
  if (open !== undefined) return { type: 'prn-reassessed', prnSeq: open.seq, response: 'Nausea settled, no vomiting' };
  return null;
}
