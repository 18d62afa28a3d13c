import type { SessionDetail } from '@chairside/shared';
import type { SessionVersion } from '../store/store';

/** A session as its report shows it, and its readings as UTF-8 JSON (made once, when first asked for). */
export interface ReportSession {
  /** Frozen when kept: shared by every view of the session. */
  session: SessionDetail;
  readingsJson(): Buffer;
}

interface Entry {
  version: string;
  value: ReportSession;
}

/** A session read for one report, not kept. */
export function reportSessionOf(session: SessionDetail): ReportSession {
  let json: Buffer | null = null;
  return {
    session,
    readingsJson: () => (json ??= Buffer.from(JSON.stringify(session.readings), 'utf8')),
  };
}

/**
 * The finished sessions whose reports were viewed last, kept in memory so that viewing one again does
 * not read, convert and serialise all its readings again (a 3-hour session at 1 Hz: 10,800 readings,
 * 4 MB of JSON). An entry serves only the version of the session it was made from
 * (`Store.findSessionVersion`, read before the session itself and checked on every view): an event, an
 * attached or corrected reading or an edited patient, made by this server or another one sharing the
 * database, makes the next view read the session again. Running sessions are never kept. Alerts and
 * their escalation steps, signature, addenda and chair are not part of an entry: the report reads them
 * on every view.
 *
 * The least recently used sessions go first once the entries hold more than `maxReadings` readings.
 */
export class SessionReportCache {
  private readonly entries = new Map<string, Entry>();
  private readingCount = 0;

  constructor(readonly maxReadings: number) {}

  /** The session as kept for `version`, or null. */
  get(sessionId: string, version: SessionVersion): ReportSession | null {
    const entry = this.entries.get(sessionId);
    if (!entry) return null;
    if (entry.version !== versionKey(version)) {
      this.drop(sessionId, entry);
      return null;
    }
    // Most recently used last (a Map keeps insertion order).
    this.entries.delete(sessionId);
    this.entries.set(sessionId, entry);
    return entry.value;
  }

  /**
   * Keeps `session`, read after `version` was (so at least as new), when it is finished and fits.
   * Returns it ready to serve either way.
   */
  set(sessionId: string, version: SessionVersion, session: SessionDetail): ReportSession {
    if (version.active || session.readings.length > this.maxReadings) return reportSessionOf(session);
    Object.freeze(session.readings);
    Object.freeze(session.events);
    const value = reportSessionOf(Object.freeze(session));
    const previous = this.entries.get(sessionId);
    if (previous) this.drop(sessionId, previous);
    this.entries.set(sessionId, { version: versionKey(version), value });
    this.readingCount += session.readings.length;
    for (const [id, entry] of this.entries) {
      if (this.readingCount <= this.maxReadings) break;
      this.drop(id, entry);
    }
    return value;
  }

  /** Sessions kept, least recently used first. */
  get sessionIds(): string[] {
    return [...this.entries.keys()];
  }

  private drop(sessionId: string, entry: Entry): void {
    this.entries.delete(sessionId);
    this.readingCount -= entry.value.session.readings.length;
  }
}

function versionKey(v: SessionVersion): string {
  return JSON.stringify([v.revision, v.active, v.patient.displayName, v.patient.mrn, v.patient.riskFlags, v.eventCount, v.lastEventSeq, v.readingCount, v.lastReadingSeq]);
}
