/**
 * The central station's layout: how many columns and rows of tiles, and how large their numbers,
 * for a number of chairs in the space the grid has. Pure: the size of that space is an argument
 * (ChairGrid measures it), so every screen size is a table row in the tests.
 *
 * The tile's text is sized from a small model of its content: the widest BP ("200/120") and three
 * three-digit vitals must fit its width, and name, patient, alarm line, the numbers and the
 * session's clocks its height. Widths are modelled on a wide font (DejaVu Sans digits are 0.64 em;
 * a tablet's system font is narrower), so the numbers fit wherever the model says they do.
 */

/** The space the grid has: its width, and the screen's height below the header and alarm strip. */
export interface GridBox {
  widthPx: number;
  heightPx: number;
}

/**
 * How a tile lays out its vitals: all four in one row (a wide tile), or the BP on its own row above
 * HR, SpO₂ and RR (a narrow one).
 */
export type VitalsArrangement = 'row' | 'stack';

/**
 * What a tile shows besides the numbers: `roomy` adds the session's details, the next step's button,
 * "Enter reading" and the last reading's age; `compact` keeps name, patient, alarm, the four numbers
 * with their ages and the clocks (the rest is one tap away, on the chair's page); `minimal` (a wall
 * of chairs) puts "old" beside a vital's label instead of under it and each clock on one line.
 */
export type TileDensity = 'roomy' | 'compact' | 'minimal';

export interface GridLayout {
  cols: number;
  rows: number;
  /** Every chair is on the screen; false: the grid scrolls vertically, numbers kept readable. */
  fits: boolean;
  gapPx: number;
  /** The tile's height (fits: the screen's height shared by the rows; otherwise its content's). */
  tileHeightPx: number;
  arrangement: VitalsArrangement;
  density: TileDensity;
  /**
   * A compact tile gives what is due next in the session record ("Eyes-on 2 min late") a line of
   * its own, under the next BP, where the screen has the height for it with numerals of at least the
   * smallest size; otherwise it shares the next BP's line and shortens (its full text is its title and
   * accessible name). A roomy tile wraps it anyway; a minimal one leaves it to the chair's page.
   */
  dueLine: boolean;
  /** Font sizes: the BP numerals, the other numerals, the clocks and phase, the labels. */
  bpPx: number;
  vitalPx: number;
  textPx: number;
  labelPx: number;
}

/** Numbers never grow past this (one chair on a wall screen). */
const maxBpPx = 96;

/**
 * The smallest BP numerals a layout that fits may use. Up to 8 chairs a tablet at 2 m needs 40 px
 * (the README's "Using Chairside"); more chairs accept 32 px before the grid scrolls instead; a wall
 * screen of 24 to 48 chairs 26 px (HR 21 px), read across a room on a screen made for it.
 */
export function minFitBpPx(count: number, box: GridBox): number {
  if (count <= 8) return 40;
  return isWallScreen(box) ? 26 : 32;
}

/** When the grid scrolls anyway, the BP numerals are this large: 40 px, 32 on a phone. */
export function scrollBpPx(box: GridBox): number {
  return box.widthPx < 600 ? 32 : 40;
}

export function isWallScreen(box: GridBox): boolean {
  return box.widthPx >= 1600;
}

/** Width of a digit and of the BP's "/" in em, on a wide font. */
const digitEm = 0.64;
const slashEm = 0.4;
const bpWidthEm = 6 * digitEm + slashEm;
const vitalWidthEm = 3 * digitEm;
/**
 * The clocks' two texts, in characters: the longest usual phase clock ("Infusion 23 min · 17 min
 * left") and the next BP ("Next BP in 4 min"), at 0.6 em a character (semi-bold).
 */
const clockChars = [29, 16] as const;
const clockCharEm = 0.6;

/** Lines the clocks take in a tile whose content is `innerPx` wide: each text wraps on its own. */
export function clockLines(textPx: number, innerPx: number, density: TileDensity): number {
  const widths = clockChars.map((chars) => chars * clockCharEm * textPx);
  // A minimal tile gives each clock one line, shortened with an ellipsis.
  if (density === 'minimal') return widths.reduce((a, b) => a + b, 0) + textPx <= innerPx ? 1 : 2;
  if (widths.reduce((a, b) => a + b, 0) + textPx <= innerPx) return 1;
  return widths.reduce((lines, width) => lines + Math.ceil(width / Math.max(1, innerPx)), 0);
}

/** Line height of the numerals. */
const numeralLine = 1;
const textLine = 1.2;

export interface TileSizes {
  bpPx: number;
  vitalPx: number;
  textPx: number;
  labelPx: number;
  padPx: number;
  gapPx: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Every size of a tile follows its BP numerals. HR, SpO₂ and RR are 0.8 of them (40 → 32); clocks and
 * names 0.46, at least `minTextPx` (20 px up to 8 chairs: read from 2 m).
 */
export function tileSizes(bpPx: number, minTextPx = 14): TileSizes {
  const textPx = clamp(Math.round(bpPx * 0.46), minTextPx, 24);
  return {
    bpPx,
    vitalPx: Math.round(bpPx * 0.8),
    textPx,
    labelPx: clamp(Math.round(textPx * 0.72), 11, 16),
    padPx: clamp(Math.round(bpPx * 0.2), 8, 16),
    gapPx: clamp(Math.round(bpPx * 0.1), 3, 8),
  };
}

/** What the roomy tile adds under the compact one: a few lines of text and two rows of buttons. */
function roomyExtraPx(s: TileSizes): number {
  return 3 * s.textPx * textLine + 2 * 52 + 4 * s.gapPx;
}

/**
 * The content height of a compact tile with these sizes. Its header holds the chair's name, the
 * alarm (symbol and title) and the phase; a stack has the patient on a line of its own, the BP's
 * label line carries its age and MAP, HR/SpO₂/RR keep a line under them for "old" and an age, and the
 * clocks take two lines. A row puts the patient in the header and the clocks on one line.
 */
export function compactTileHeightPx(s: TileSizes, arrangement: VitalsArrangement, density: TileDensity, widthPx: number, dueLine = false): number {
  const header = s.textPx * 1.1 * textLine;
  const patient = s.textPx * 0.9 * textLine;
  const labelLine = s.labelPx * textLine;
  const clocks = (clockLines(s.textPx, widthPx - 2 * s.padPx, density) + (dueLine && density === 'compact' ? 1 : 0)) * s.textPx * textLine;
  const metaLine = density === 'minimal' ? 0 : labelLine;
  const vitalsGap = clamp(Math.round(s.bpPx * 0.08), 2, 6);
  // Header, vitals and clocks are the tile's three blocks: two gaps between them.
  const base =
    arrangement === 'row'
      ? 2 * s.padPx + header + 2 * s.gapPx + labelLine + s.bpPx * numeralLine + metaLine + clocks
      : 2 * s.padPx + header + 2 + patient + 2 * s.gapPx + labelLine + s.bpPx * numeralLine + vitalsGap + labelLine + s.vitalPx * numeralLine + metaLine + clocks;
  return Math.ceil(base + (density === 'roomy' ? roomyExtraPx(s) : 0));
}

/** Whether the numbers of a tile this wide fit side by side (row) or over each other (stack). */
export function fitsWidth(s: TileSizes, arrangement: VitalsArrangement, widthPx: number): boolean {
  const inner = widthPx - 2 * s.padPx;
  // Columns are apart by 0.35 of a numeral, at least 14 px (grid.css), so "131" never runs into "98".
  const gap = Math.max(14, 0.35 * s.vitalPx);
  const three = 3 * vitalWidthEm * s.vitalPx + 2 * gap;
  if (arrangement === 'row') return bpWidthEm * s.bpPx + three + gap <= inner;
  return bpWidthEm * s.bpPx <= inner && three <= inner;
}

interface Candidate {
  cols: number;
  rows: number;
  arrangement: VitalsArrangement;
  density: TileDensity;
  dueLine: boolean;
  sizes: TileSizes;
  tileHeightPx: number;
}

/** The largest BP (whole px, down to `minPx`) whose tile fits this box; null when none does. */
function largestBp(widthPx: number, heightPx: number, arrangement: VitalsArrangement, density: TileDensity, minPx: number, minTextPx: number, dueLine: boolean): TileSizes | null {
  for (let bp = maxBpPx; bp >= minPx; bp -= 1) {
    const s = tileSizes(bp, minTextPx);
    const height = compactTileHeightPx(s, arrangement, density, widthPx, dueLine);
    if (height <= heightPx && fitsWidth(s, arrangement, widthPx)) return s;
  }
  return null;
}

/** A roomy tile only where its numbers stay this large. */
const roomyMinBpPx = 48;

const gapFor = (count: number) => (count <= 4 ? 12 : 8);
const arrangements: readonly VitalsArrangement[] = ['stack', 'row'];

/**
 * The layout for `count` chairs in `box`. Tries every column count and both arrangements and keeps
 * the one with the largest BP numerals whose rows all fit the height; a roomy tile only where its
 * numbers stay large (few chairs). When none fits with
 * numerals of at least `minFitBpPx`, the grid scrolls: as many columns as keep the BP at
 * `scrollBpPx`, compact tiles.
 */
export function gridLayout(count: number, box: GridBox): GridLayout {
  const n = Math.max(1, count);
  const gap = gapFor(n);
  const width = Math.max(200, box.widthPx);
  const height = Math.max(200, box.heightPx);
  const cellWidth = (cols: number) => (width - (cols - 1) * gap) / cols;

  const minBp = minFitBpPx(n, box);
  const minTextPx = n <= 8 && width >= 600 ? 20 : 14;
  const bestFor = (density: TileDensity, fromPx: number, dueLine = false): Candidate | null => {
    const candidates: Candidate[] = [];
    for (let cols = 1; cols <= n; cols += 1) {
      const rows = Math.ceil(n / cols);
      // Columns that leave a whole row empty are never better than fewer columns.
      if (cols > 1 && Math.ceil(n / (cols - 1)) === rows) continue;
      const tileWidth = cellWidth(cols);
      const tileHeight = (height - (rows - 1) * gap) / rows;
      for (const arrangement of arrangements) {
        const sizes = largestBp(tileWidth, tileHeight, arrangement, density, fromPx, minTextPx, dueLine);
        if (sizes !== null) candidates.push({ cols, rows, arrangement, density, dueLine, sizes, tileHeightPx: Math.floor(tileHeight) });
      }
    }
    // The largest numbers; of layouts within 8 % of them, the one whose tiles are closest to a card's
    // shape (3:2), not six tall slivers side by side.
    const largest = Math.max(0, ...candidates.map((c) => c.sizes.bpPx));
    const shapeOff = (c: Candidate) => Math.abs(Math.log(cellWidth(c.cols) / c.tileHeightPx / 1.5));
    return candidates.filter((c) => c.sizes.bpPx >= 0.92 * largest).sort((a, b) => shapeOff(a) - shapeOff(b))[0] ?? null;
  };
  // Details where the numbers stay large; else the compact tile; on a wall of chairs the minimal one.
  // A compact tile gives what is due next a line of its own where that costs its numerals no more than
  // the 8 % the layouts above are chosen within, and never below `minBp`.
  const compact = bestFor('compact', minBp);
  const compactWithDue = compact === null ? null : bestFor('compact', Math.max(minBp, Math.ceil(0.92 * compact.sizes.bpPx)), true);
  const best = bestFor('roomy', roomyMinBpPx, true) ?? compactWithDue ?? compact ?? (isWallScreen(box) ? bestFor('minimal', minBp) : null);
  if (best !== null) return toLayout(best, true, gap);

  // It does not fit: keep the numbers readable and scroll. The most columns whose tiles still hold
  // the scroll size; a stack when a row of numbers would not fit the width.
  const bp = scrollBpPx(box);
  // A phone scrolls through its chairs anyway: what is due next has its own line there. A tablet whose
  // grid just misses the screen (a banner above it) keeps its tiles as short as they were.
  const phone = box.widthPx < 600;
  const sizes = tileSizes(bp, minTextPx);
  let chosen: Candidate | null = null;
  for (let cols = n; cols >= 1 && chosen === null; cols -= 1) {
    const tileWidth = cellWidth(cols);
    for (const arrangement of ['row', 'stack'] as const) {
      if (fitsWidth(sizes, arrangement, tileWidth)) {
        const rows = Math.ceil(n / cols);
        chosen = { cols, rows, arrangement, density: 'compact', dueLine: phone, sizes, tileHeightPx: Math.ceil(compactTileHeightPx(sizes, arrangement, 'compact', tileWidth, phone)) };
        break;
      }
    }
  }
  // A box narrower than one tile of the scroll size: one column, the numbers as large as its width allows.
  if (chosen === null) {
    let fallback = tileSizes(16);
    for (let px = bp; px >= 16; px -= 1) {
      if (fitsWidth(tileSizes(px, minTextPx), 'stack', width)) {
        fallback = tileSizes(px, minTextPx);
        break;
      }
    }
    chosen = { cols: 1, rows: n, arrangement: 'stack', density: 'compact', dueLine: true, sizes: fallback, tileHeightPx: Math.ceil(compactTileHeightPx(fallback, 'stack', 'compact', width, true)) };
  }
  return toLayout(chosen, false, gap);
}

function toLayout(c: Candidate, fits: boolean, gapPx: number): GridLayout {
  return {
    cols: c.cols,
    rows: c.rows,
    fits,
    gapPx,
    tileHeightPx: c.tileHeightPx,
    arrangement: c.arrangement,
    density: c.density,
    dueLine: c.density === 'roomy' || (c.density === 'compact' && c.dueLine),
    bpPx: c.sizes.bpPx,
    vitalPx: c.sizes.vitalPx,
    textPx: c.sizes.textPx,
    labelPx: c.sizes.labelPx,
  };
}

/**
 * The grid's space on a screen of this size before it can be measured (and in the tests): the page's
 * side padding, a compact header (~56 px), alarm strip (≤12 % of the height, at most 72 px) and
 * safety notice (~36 px) taken off.
 */
export function estimatedGridBox(viewport: { width: number; height: number }): GridBox {
  const sidePadding = 2 * Math.min(32, Math.max(12, viewport.width * 0.02));
  const chrome = 56 + Math.min(72, Math.round(viewport.height * 0.12)) + 36;
  return { widthPx: Math.round(viewport.width - sidePadding), heightPx: Math.max(200, viewport.height - chrome) };
}
