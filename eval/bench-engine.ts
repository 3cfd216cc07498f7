/**
 * Engine micro-benchmark for `npm run bench` (bench/run.ts imports it): one pair at 768x1024, run
 * N times warm through an in-process engine; per-stage medians from `EngineResult.timings` and the
 * median of the whole call.
 *
 *   const engine = await createEngine('classic');
 *   const pair = await loadBenchPair('/photos/model/a.jpg', '/photos/garment/b.jpg', 'upper_body');
 *   const report = await benchEngine(engine, pair, { runs: 10 });
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { Category, Engine } from '../src/engine/types.ts';
import type { Raster } from '../src/imaging/raster.ts';
import { readPhoto } from './images.ts';
import { loadManifest } from './manifest.ts';
import { median } from './stats.ts';

/** The size the timing goals are stated at. */
export const BENCH_SIZE = { width: 768, height: 1024 } as const;

export interface BenchPair {
  model: Raster;
  garment: Raster;
  category: Category;
  garmentDesc?: string;
}

export interface EngineBenchOptions {
  /** Timed runs (default 10). */
  runs?: number;
  /** Untimed runs after `init()` and before timing (default 1). */
  warmupRuns?: number;
}

export interface EngineBenchResult {
  engine: { id: string; version: string };
  width: number;
  height: number;
  runs: number;
  /** Median ms of each stage the engine reports, in the engine's order. */
  stages_ms: Record<string, number>;
  /** Median ms of the whole `tryOn` call (wall clock). */
  total_ms: number;
  /**
   * Median over runs of the sum of the top-level stages (total minus this = unaccounted time). A
   * name with a dot ("person.pose") is a sub-stage of the part before the dot and is not added again.
   */
  stage_sum_ms: number;
  min_ms: number;
  max_ms: number;
}

/** Runs `pair` through `engine` (init and warm-up untimed) and reports median times. */
export async function benchEngine(engine: Engine, pair: BenchPair, options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const runs = options.runs ?? 10;
  const warmupRuns = options.warmupRuns ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`benchEngine: runs must be a whole number ≥ 1, got ${runs}`);
  const request = { model: pair.model, garment: pair.garment, category: pair.category, garmentDesc: pair.garmentDesc };
  await engine.init();
  for (let i = 0; i < warmupRuns; i++) await engine.tryOn(request);

  const totals: number[] = [];
  const stageSums: number[] = [];
  const perStage = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = await engine.tryOn(request);
    totals.push(performance.now() - start);
    let sum = 0;
    for (const [stage, ms] of Object.entries(result.timings)) {
      const list = perStage.get(stage) ?? [];
      list.push(ms);
      perStage.set(stage, list);
      if (!stage.includes('.')) sum += ms;
    }
    stageSums.push(sum);
  }
  const stages_ms: Record<string, number> = {};
  for (const [stage, list] of perStage) stages_ms[stage] = round1(median(list) as number);
  return {
    engine: { id: engine.id, version: engine.version },
    width: pair.model.width,
    height: pair.model.height,
    runs,
    stages_ms,
    total_ms: round1(median(totals) as number),
    stage_sum_ms: round1(median(stageSums) as number),
    min_ms: round1(Math.min(...totals)),
    max_ms: round1(Math.max(...totals)),
  };
}

/** Decodes a pair from files; the model is brought to exactly 768x1024 (centre crop to 3:4, then resize). */
export async function loadBenchPair(modelFile: string, garmentFile: string, category: Category, garmentDesc?: string): Promise<BenchPair> {
  const [model, garment] = await Promise.all([readPhoto(modelFile), readPhoto(garmentFile)]);
  return { model: await toBenchSize(model), garment, category, garmentDesc };
}

/** The `index`-th pair of a photo folder's manifest (default the first), ready for `benchEngine`. */
export async function loadBenchPairFromManifest(photosDir: string, index = 0): Promise<BenchPair> {
  const pairs = await loadManifest(photosDir);
  const pair = pairs[index];
  if (!pair) throw new Error(`${photosDir}/manifest.json has ${pairs.length} pairs, no pair #${index}`);
  return loadBenchPair(pair.modelFile, pair.garmentFile, pair.category, pair.garmentDesc);
}

export async function toBenchSize(image: Raster): Promise<Raster> {
  const { width, height } = BENCH_SIZE;
  if (image.width === width && image.height === height) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: image.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
