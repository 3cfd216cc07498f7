/**
 * Classic engine stage timings for one pair at 768x1024 (issue 3): per-stage medians over warm
 * runs, in-process. Uses the first pair of ../shared/photos (or FITROOM_BENCH_PHOTOS) when the
 * folder exists; the photos are research-licensed and never part of the project.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../src/engine/registry.ts';
import { benchEngine, loadBenchPairFromManifest } from '../eval/bench-engine.ts';
import { printTable, round, type Bench } from './types.ts';

const DEFAULT_PHOTOS = fileURLToPath(new URL('../../shared/photos/', import.meta.url));

export const engineBench: Bench = {
  name: 'engine',
  description: 'classic engine: per-stage median ms for one pair at 768x1024 (warm, in-process)',
  async run() {
    const photos = process.env.FITROOM_BENCH_PHOTOS ?? DEFAULT_PHOTOS;
    if (!existsSync(`${photos}/manifest.json`)) {
      console.log(`  skipped: no photo manifest at ${photos} (set FITROOM_BENCH_PHOTOS)`);
      return { skipped: true };
    }
    const runs = Number(process.env.FITROOM_BENCH_RUNS ?? 7);
    const pair = await loadBenchPairFromManifest(photos, 0);
    const engine = await createEngine('classic');
    const result = await benchEngine(engine, pair, { runs, warmupRuns: 1 });
    printTable([
      ['runs', result.runs],
      ['total p50 ms', round(result.total_ms, 1)],
      ['min / max ms', `${round(result.min_ms, 1)} / ${round(result.max_ms, 1)}`],
      ...Object.entries(result.stages_ms).map(([k, v]): [string, number] => [`  ${k}`, round(v, 1)]),
    ]);
    return { ...result };
  },
};
