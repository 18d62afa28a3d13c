/**
 * Before the browser tests: they run the compiled server (CHAIRSIDE_SERVER=dist, set in
 * tests/playwright.config.ts) and it serves the built dashboard, so both must exist. The server is
 * compiled again here (well under a second) so that a run never tests stale JavaScript; the
 * dashboard's build takes longer and is left to `npm run build` (`npm run test:e2e` runs it).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/server-process';

export default function globalSetup(): void {
  if (!fs.existsSync(path.join(repoRoot, 'client/dist/index.html'))) {
    throw new Error('The dashboard is not built: run `npm run build` (or `npm run test:e2e`, which builds it) first.');
  }
  execFileSync(process.execPath, ['server/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}
