/** The results table (stdout) and the JSON file with every figure. */
import fs from 'node:fs';
import path from 'node:path';

export interface Figure {
  scenario: string;
  figure: string;
  unit: string;
  ours: number | null;
  /** The bare baseline measured in the same run, where there is one. */
  baseline: number | null;
  /** ours / baseline. */
  ratio: number | null;
  /** The target in words, e.g. "≥ 10000" or "≤ 3× bare". */
  target: string | null;
  met: boolean | null;
  note?: string;
}

export class Results {
  readonly figures: Figure[] = [];
  readonly details: Record<string, unknown> = {};
  readonly notes: string[] = [];

  add(f: Omit<Figure, 'ratio'> & { ratio?: number | null }): void {
    const ratio =
      f.ratio !== undefined ? f.ratio : f.ours !== null && f.baseline !== null && f.baseline !== 0 ? f.ours / f.baseline : null;
    this.figures.push({ ...f, ratio });
    const shown = [f.scenario, f.figure, format(f.ours, f.unit), f.baseline === null ? '' : `bare ${format(f.baseline, f.unit)}`, f.target ?? '', metText(f.met)]
      .filter((s) => s !== '')
      .join(' | ');
    console.log(`  → ${shown}`);
  }

  detail(key: string, value: unknown): void {
    this.details[key] = value;
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }
}

function metText(met: boolean | null): string {
  return met === null ? '–' : met ? 'yes' : 'NO';
}

export function format(value: number | null, unit = ''): string {
  if (value === null || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

export function printTable(figures: readonly Figure[]): string {
  const header = ['scenario', 'figure', 'ours', 'baseline', 'ratio', 'target', 'met?'];
  const rows = figures.map((f) => [
    f.scenario,
    f.figure,
    format(f.ours, f.unit),
    format(f.baseline, f.unit),
    f.ratio === null ? '–' : `${format(f.ratio)}×`,
    f.target ?? '–',
    metText(f.met),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  const text = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
  console.log(`\n${text}\n`);
  return text;
}

export function writeJson(dir: string, results: Results, meta: Record<string, unknown>): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `bench-${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ meta, figures: results.figures, notes: results.notes, details: results.details }, null, 2)}\n`);
  return file;
}
