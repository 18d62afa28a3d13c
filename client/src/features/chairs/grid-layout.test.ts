import { describe, expect, it } from 'vitest';
import { compactTileHeightPx, estimatedGridBox, fitsWidth, gridLayout, tileSizes } from './grid-layout';

const screens = {
  tablet: { width: 1024, height: 768 },
  laptop: { width: 1280, height: 800 },
  portrait: { width: 768, height: 1024 },
  phone: { width: 390, height: 844 },
  wall: { width: 1920, height: 1080 },
} as const;

type Screen = keyof typeof screens;

const layoutFor = (screen: Screen, chairs: number) => gridLayout(chairs, estimatedGridBox(screens[screen]));

describe('gridLayout: the central station on each screen', () => {
  // screen, chairs → columns × rows, on one screen, the BP and HR numerals at least (px), the clocks at least (px)
  it.each([
    ['tablet', 1, 1, 1, true, 80, 64, 20],
    ['tablet', 4, 2, 2, true, 48, 38, 20],
    ['tablet', 6, 3, 2, true, 44, 35, 20],
    ['tablet', 8, 4, 2, true, 40, 32, 20],
    ['tablet', 12, 4, 3, false, 40, 32, 18],
    ['tablet', 24, 4, 6, false, 40, 32, 18],
    ['tablet', 48, 4, 12, false, 40, 32, 18],
    ['laptop', 1, 1, 1, true, 80, 64, 20],
    ['laptop', 4, 4, 1, true, 48, 38, 20],
    ['laptop', 6, 3, 2, true, 44, 35, 20],
    ['laptop', 8, 4, 2, true, 46, 37, 20],
    ['laptop', 12, 3, 4, true, 34, 27, 16],
    ['laptop', 24, 5, 5, false, 40, 32, 18],
    ['laptop', 48, 5, 10, false, 40, 32, 18],
    ['portrait', 1, 1, 1, true, 80, 64, 20],
    ['portrait', 4, 2, 2, true, 60, 48, 20],
    ['portrait', 6, 2, 3, true, 42, 33, 20],
    ['portrait', 8, 3, 3, true, 40, 32, 20],
    ['portrait', 12, 3, 4, false, 40, 32, 18],
    ['portrait', 24, 3, 8, false, 40, 32, 18],
    ['portrait', 48, 3, 16, false, 40, 32, 18],
    ['phone', 1, 1, 1, true, 60, 48, 20],
    ['phone', 4, 1, 4, false, 32, 25, 14],
    ['phone', 6, 1, 6, false, 32, 25, 14],
    ['phone', 8, 1, 8, false, 32, 25, 14],
    ['phone', 12, 1, 12, false, 32, 25, 14],
    ['phone', 24, 1, 24, false, 32, 25, 14],
    ['phone', 48, 1, 48, false, 32, 25, 14],
    ['wall', 1, 1, 1, true, 90, 72, 24],
    ['wall', 4, 2, 2, true, 80, 64, 24],
    ['wall', 6, 3, 2, true, 56, 44, 24],
    ['wall', 8, 4, 2, true, 80, 64, 24],
    ['wall', 12, 3, 4, true, 56, 44, 24],
    ['wall', 24, 8, 3, true, 36, 28, 16],
    ['wall', 48, 10, 5, true, 28, 22, 14],
  ] as const)('%s, %i chairs: %i × %i, on one screen %s, BP ≥ %i px, HR ≥ %i px, clocks ≥ %i px', (screen, chairs, cols, rows, fits, bpPx, vitalPx, textPx) => {
    const layout = layoutFor(screen, chairs);
    expect({ cols: layout.cols, rows: layout.rows, fits: layout.fits }).toEqual({ cols, rows, fits });
    expect(layout.bpPx).toBeGreaterThanOrEqual(bpPx);
    expect(layout.vitalPx).toBeGreaterThanOrEqual(vitalPx);
    expect(layout.textPx).toBeGreaterThanOrEqual(textPx);
  });

  it('8 chairs on a 1024×768 tablet: every tile on the screen, BP ≥ 40 px, HR ≥ 32 px, clocks ≥ 20 px', () => {
    const box = estimatedGridBox(screens.tablet);
    const layout = gridLayout(8, box);
    expect(layout.fits).toBe(true);
    expect(layout.rows * layout.tileHeightPx + (layout.rows - 1) * layout.gapPx).toBeLessThanOrEqual(box.heightPx);
    expect(layout.bpPx).toBeGreaterThanOrEqual(40);
    expect(layout.vitalPx).toBeGreaterThanOrEqual(32);
    expect(layout.textPx).toBeGreaterThanOrEqual(20);
  });

  it('numbers grow as chairs get fewer', () => {
    const sizes = [1, 4, 6, 8].map((chairs) => layoutFor('tablet', chairs).bpPx);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(sizes[0]).toBeGreaterThan(sizes[3] ?? 0);
  });

  it('scrolls rather than shrink the numbers below 40 px when chairs do not fit a tablet (20 chairs)', () => {
    const layout = layoutFor('tablet', 20);
    expect(layout.fits).toBe(false);
    expect(layout.bpPx).toBe(40);
  });

  it('never lays out wider than the screen, and every tile holds its numbers', () => {
    for (const screen of Object.keys(screens) as Screen[]) {
      const box = estimatedGridBox(screens[screen]);
      for (const chairs of [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48]) {
        const layout = gridLayout(chairs, box);
        const tileWidth = (box.widthPx - (layout.cols - 1) * layout.gapPx) / layout.cols;
        const sizes = tileSizes(layout.bpPx, layout.textPx);
        expect(fitsWidth(sizes, layout.arrangement, tileWidth), `${screen} ${chairs}`).toBe(true);
        expect(compactTileHeightPx(sizes, layout.arrangement, layout.density, tileWidth), `${screen} ${chairs}`).toBeLessThanOrEqual(layout.tileHeightPx + 1);
      }
    }
  });

  it('shows the details (next step, Enter reading) on a roomy tile only when there are few chairs', () => {
    expect(layoutFor('laptop', 4).density).toBe('roomy');
    // The browser tests' 1280×800 screen with header, alarm strip and a "Sound is off" banner: 592 px measured.
    expect(gridLayout(3, { widthPx: 1229, heightPx: 592 }).density).toBe('roomy');
    expect(gridLayout(3, estimatedGridBox({ width: 1280, height: 720 })).density).toBe('roomy');
    expect(layoutFor('tablet', 8).density).toBe('compact');
    expect(layoutFor('wall', 48).density).toBe('minimal');
  });

  it('one column on a phone, its first tile short enough to be on the first screen', () => {
    const layout = layoutFor('phone', 8);
    expect(layout.cols).toBe(1);
    expect(layout.tileHeightPx).toBeLessThan(200);
  });
});

describe('gridLayout: what is due next in the record, on a compact tile', () => {
  // box (width × height of the grid's space), chairs → its own line?, BP at least (px). 983 × 554 is a 1024×768
  // tablet whose station also shows the sound banner and the unassigned advisory (the browser test's screen).
  it.each([
    ['1024×768 tablet, estimated', estimatedGridBox(screens.tablet), 8, true, 40],
    ['1024×768 tablet with banner and advisory', { widthPx: 983, heightPx: 554 }, 8, false, 40],
    ['768×1024 tablet upright', estimatedGridBox(screens.portrait), 8, false, 40],
    ['1280×800 laptop', estimatedGridBox(screens.laptop), 8, false, 46],
    ['1920×1080 wall screen', estimatedGridBox(screens.wall), 8, true, 60],
    ['390×844 phone (scrolls)', estimatedGridBox(screens.phone), 8, true, 32],
    ['1024×768 tablet whose grid scrolls (20 chairs)', estimatedGridBox(screens.tablet), 20, false, 40],
  ] as const)('%s, %i chairs: own line %s, BP ≥ %i px', (_name, box, chairs, ownLine, minBp) => {
    const layout = gridLayout(chairs, box);
    expect(layout.dueLine).toBe(ownLine);
    expect(layout.bpPx).toBeGreaterThanOrEqual(minBp);
    if (layout.fits) {
      const sizes = tileSizes(layout.bpPx, layout.textPx);
      const width = (box.widthPx - (layout.cols - 1) * layout.gapPx) / layout.cols;
      // The line is in the tile's height only when the tile has it.
      expect(compactTileHeightPx(sizes, layout.arrangement, layout.density, width, layout.dueLine)).toBeLessThanOrEqual(layout.tileHeightPx);
    }
  });
});
