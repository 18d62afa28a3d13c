/**
 * The order vitest hands test files to its workers (vitest.config.ts, `sequence.sequencer`): the
 * files known to take longest start first, so that the two workers of a 2-core machine finish
 * together instead of one of them running a 20-second file alone at the end. Every other file keeps
 * vitest's own order (by the durations of the last run when it has them, otherwise larger files
 * first).
 *
 * A clean checkout has no durations from an earlier run, hence the list. It only orders files: a
 * file missing from it, or one that no longer exists, changes nothing but the order.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Slowest first, as measured in a full `npm test` on the 2-core machine (seconds on SQLite /
 * PostgreSQL). demo.int.test.ts (about 2.5 minutes of real time) is run by scripts/test.mjs on its
 * own, in the background; when vitest runs it with the rest it starts first.
 */
export const slowTestFiles: readonly string[] = [
  'tests/integration/demo.int.test.ts', // 168 / skipped
  'tests/integration/review.int.test.ts', // 15 / 22
  'tests/integration/ingest.int.test.ts', // 12 / 19
  'tests/integration/accounts.int.test.ts', // 13 / 19
  'tests/integration/store-lock.int.test.ts', // 16 / 16
  'tests/integration/hl7.int.test.ts', // 12 / 16
  'tests/integration/read-flood.int.test.ts', // 14 / skipped
  'tests/integration/fuzz-http.int.test.ts', // 8 / 14
  'tests/integration/login-throttle.int.test.ts', // 14 / 10
  'tests/integration/fuzz-ingest.int.test.ts', // 8 / 13
  'tests/integration/export-load.int.test.ts', // 11 / skipped
  'tests/integration/session-gates.int.test.ts', // 7 / 11
  'tests/integration/durability.int.test.ts', // 8 / 9
  'tests/integration/auth.int.test.ts', // 5 / 9
  'tests/integration/cluster.int.test.ts', // 9 on PostgreSQL
  'server/src/review/fhir-export.test.ts', // 8.5
  'tests/integration/device-socket.int.test.ts', // 6 / 8
  'server/src/auth/password.test.ts', // 6.5
  'client/src/features/review/SessionListPage.test.tsx', // 6
  'tests/integration/session-record.int.test.ts', // 4 / 7
  'tests/integration/sessions.int.test.ts', // 4 / 5
  'tests/integration/alerts.int.test.ts', // 3 / 5
  'server/src/review/export-pool.test.ts', // 4.7
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification): number => {
      const index = slowTestFiles.indexOf(path.relative(root, spec.moduleId).split(path.sep).join('/'));
      return index === -1 ? slowTestFiles.length : index;
    };
    const groupOrder = (spec: TestSpecification): number => spec.project.config.sequence.groupOrder ?? 0;
    // Groups still run one after another; within one, known-slow files first, the rest in vitest's order.
    return sorted
      .map((spec, index) => ({ spec, index, group: groupOrder(spec), rank: rank(spec) }))
      .sort((a, b) => a.group - b.group || a.rank - b.rank || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
