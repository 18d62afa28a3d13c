import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { repoRoot } from '../helpers/server-process';

/**
 * Where the browser tests leave the pictures the README shows: test-results/screenshots/ on every
 * run, docs/screenshots/ under `npm run screenshots` (SCREENSHOTS=1), which commits them.
 */
export const screenshotDir = path.join(repoRoot, process.env.SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots');

/**
 * A PNG of what the viewport shows (or of one element), named for the README. `belowTheFold` also
 * takes the page under the viewport, down to that many CSS pixels in all (a chart under the fold).
 */
export async function saveScreenshot(target: Page | Locator, name: string, options: { belowTheFold?: number } = {}): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  // No caret and no running animation (a flashing alarm frame), so a rerun gives the same picture.
  const common = { path: file, animations: 'disabled', caret: 'hide' } as const;
  if (options.belowTheFold !== undefined && 'viewportSize' in target) {
    const width = target.viewportSize()?.width ?? 1024;
    const height = Math.min(options.belowTheFold, await target.evaluate(() => document.documentElement.scrollHeight));
    await target.screenshot({ ...common, fullPage: true, clip: { x: 0, y: 0, width, height } });
    return;
  }
  await target.screenshot(common);
}
