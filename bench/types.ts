/** One benchmark that `npm run bench` can run; `bench/run.ts` lists them. */
export interface Bench {
  /** Short id: `npm run bench -- NAME` runs only this one; results go to bench/results/NAME.json. */
  name: string;
  description: string;
  /** Runs the benchmark, prints its own table, and returns the figures to save as JSON. */
  run(): Promise<Record<string, unknown>>;
}

/** Nearest-rank percentile of already sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Prints rows as an aligned text table. */
export function printTable(rows: Array<[string, string | number]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}
