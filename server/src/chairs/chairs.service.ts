import {
  type Chair,
  type ChairSummary,
  type ChairTrend,
  type CreateChair,
  emptyLatestVitals,
  foldLatestVitals,
  type LatestVitals,
  type Reading,
  type SessionSummary,
} from '@chairside/shared';
import type { Clock } from '../clock';
import type { Store, TrendCursor } from '../store/store';
import { chairTrend } from './chair-trend';
import { conflict, notFound } from '../http/app-error';

/**
 * Chairs and their newest vitals. The newest values are read from the store once per chair and then
 * kept current by folding every committed reading into them.
 */
export class ChairsService {
  private latest = new Map<string, LatestVitals>();
  private loaded: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<Store, 'catalog' | 'readings'>,
    private readonly clock: Clock,
    private readonly activeSession: (chairId: string) => SessionSummary | null,
  ) {}

  /** A page of a chair's readings with `fromMs <= measuredAt < toMs`, oldest first, after `after` when given. */
  readingsPage(chairId: string, fromMs: number, toMs: number, limit: number, after?: TrendCursor): Promise<Reading[]> {
    return this.store.readings.listChairReadings(chairId, fromMs, toMs, limit, after);
  }

  /** A chair's readings at display resolution (each vital's lowest and highest value per bucket). */
  trend(chairId: string, fromMs: number, toMs: number, bucketMs: number): Promise<ChairTrend> {
    return chairTrend(this.store.readings, chairId, fromMs, toMs, bucketMs);
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      for (const chair of await this.store.catalog.listChairs()) {
        const readings = await this.store.readings.newestReadingsPerVital(chair.id);
        const current = this.latest.get(chair.id) ?? emptyLatestVitals;
        this.latest.set(chair.id, readings.reduce(foldLatestVitals, current));
      }
    })();
    return this.loaded;
  }

  /** Folds committed readings into the chairs' newest values. */
  applyReadings(readings: readonly Reading[]): void {
    for (const reading of readings) {
      const current = this.latest.get(reading.chairId) ?? emptyLatestVitals;
      this.latest.set(reading.chairId, foldLatestVitals(current, reading));
    }
  }

  async list(): Promise<ChairSummary[]> {
    await this.load();
    const chairs = await this.store.catalog.listChairs();
    return chairs.map((chair) => this.summary(chair));
  }

  private summary(chair: Chair): ChairSummary {
    return { ...chair, latest: this.latest.get(chair.id) ?? emptyLatestVitals, session: this.activeSession(chair.id) };
  }

  async get(id: string): Promise<Chair> {
    const chair = await this.store.catalog.findChair(id);
    if (!chair) throw notFound(`No chair with id "${id}".`);
    return chair;
  }

  async create(input: CreateChair): Promise<ChairSummary> {
    const existing = await this.store.catalog.listChairs();
    const chair: Chair = {
      id: input.id ?? nextChairId(existing),
      name: input.name,
      hl7Bed: input.hl7Bed ?? null,
      position: input.position ?? existing.reduce((max, c) => Math.max(max, c.position + 1), 0),
    };
    if (!(await this.store.catalog.createChair(chair, this.clock.now()))) {
      throw conflict(`A chair with id "${chair.id}" or HL7 bed "${chair.hl7Bed}" exists already.`);
    }
    return this.summary(chair);
  }

  /** Creates the chair unless one with its id exists (demo set-up). */
  async ensure(chair: Chair): Promise<void> {
    await this.store.catalog.createChair(chair, this.clock.now());
  }
}

/**
 * A session as an admin may see it: the patient's name and MRN removed (admins manage chairs, users
 * and devices, and are refused the patient routes; the chair grid must not show them patients either).
 */
export function withoutPatientIdentity(session: SessionSummary): SessionSummary {
  return { ...session, patient: { ...session.patient, displayName: '', mrn: null } };
}

/** A chair as an admin may see it (`withoutPatientIdentity`). */
export function chairForAdmin(chair: ChairSummary): ChairSummary {
  return chair.session === null ? chair : { ...chair, session: withoutPatientIdentity(chair.session) };
}

function nextChairId(chairs: readonly Chair[]): string {
  const ids = new Set(chairs.map((c) => c.id));
  let n = chairs.length + 1;
  while (ids.has(`chair-${n}`)) n += 1;
  return `chair-${n}`;
}
