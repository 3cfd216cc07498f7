/**
 * Runs every selected pair of a photo folder through an engine in this process and writes the
 * results, masks, contact sheet and summary (see tryon.ts for the meaning of every number).
 * Takes an `Engine` rather than an id so tests can run it against a small engine of their own.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Engine, EngineResult } from '../src/engine/types.ts';
import type { Raster } from '../src/imaging/raster.ts';
import type { ContactRow } from './contact-sheet.ts';
import { CELL_HEIGHT, CELL_WIDTH, maskOverlay, writeContactSheet } from './contact-sheet.ts';
import { composeResultRgba, unflattenOnWhite } from '../src/imaging/alpha.ts';
import type { Mask } from '../src/imaging/raster.ts';
import { overCheckerboard, readPhoto, readPhotoWithAlpha, thumbnail, writePng } from './images.ts';
import type { EvalPair } from './manifest.ts';
import { loadManifest, selectPairs } from './manifest.ts';
import { checkContract, measurePair } from './pair-metrics.ts';
import type { PairRow, Summary } from './summary.ts';
import { buildSummary, shortFlags } from './summary.ts';

export interface EvalOptions {
  photosDir: string;
  outDir: string;
  /** Not yet initialised is fine: `init()` is called once, untimed, before the first pair. */
  engine: Engine;
  /** Keep the first N pairs (after `filter`). */
  pairs?: number;
  /** Keep pairs whose id, model id or garment id contains this. */
  filter?: string;
  /**
   * Run the first pair once, untimed and unrecorded, before timing anything, so p50/p95 are warm
   * numbers (JIT, caches, lazily built tables). Default true.
   */
  warmup?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

const MB = 1024 * 1024;
const RSS_SAMPLE_MS = 100;

export async function runEval(options: EvalOptions): Promise<Summary> {
  const log = options.log ?? ((): void => undefined);
  const photosDir = resolve(options.photosDir);
  const pairs = selectPairs(await loadManifest(photosDir), options.filter, options.pairs);
  await mkdir(options.outDir, { recursive: true });
  const engine = options.engine;

  let peakRss = process.memoryUsage().rss;
  const sampleRss = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const sampler = setInterval(sampleRss, RSS_SAMPLE_MS);
  sampler.unref();

  const notes: string[] = [];
  const rows: PairRow[] = [];
  const sheetRows: ContactRow[] = [];
  const hasTruth = pairs.some((p) => p.truthFile !== undefined);
  let warmedModel: string | undefined;
  try {
    await engine.init();
    if ((options.warmup ?? true) && pairs.length > 0) {
      const warm = await warmUp(engine, pairs[0]);
      notes.push(warm ? `warm-up: ${warm}` : `warm-up: pair ${pairs[0].id} ran once untimed before the timed runs`);
      if (!warm) warmedModel = pairs[0].modelId;
      sampleRss();
    }
    for (const [index, pair] of pairs.entries()) {
      const { row, sheet } = await runPair(engine, pair, options.outDir, hasTruth, sampleRss);
      rows.push(row);
      sheetRows.push(sheet);
      log(`[${index + 1}/${pairs.length}] ${pair.id} ${row.ok ? `${row.ms?.toFixed(0)} ms` : `FAILED: ${row.reason}`}`);
    }
  } finally {
    clearInterval(sampler);
  }
  sampleRss();

  const columns = ['model', 'garment', 'repaint mask', 'result', ...(hasTruth ? ['truth'] : [])];
  await writeContactSheet(join(options.outDir, 'contact-sheet.png'), columns, worstFirst(rows, sheetRows));
  await writeContactSheet(join(options.outDir, 'contact-sheet-by-id.png'), columns, sheetRows);
  const summary = buildSummary({
    engine: { id: engine.id, version: engine.version },
    photos: photosDir,
    rows,
    peakRssMb: peakRss / MB,
    // getrusage's maxRSS is in kilobytes.
    osMaxRssMb: process.resourceUsage().maxRSS / 1024,
    notes,
    warmedModel,
  });
  await writeFile(join(options.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/**
 * The sheet's rows ordered worst first: failed pairs, then by badness (highest first); ties keep
 * the manifest's order.
 */
export function worstFirst<T>(rows: readonly PairRow[], sheetRows: readonly T[]): T[] {
  const score = (r: PairRow): number => (r.ok ? (r.badness ?? 0) : Infinity);
  return rows
    .map((row, index) => ({ index, score: score(row) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ index }) => sheetRows[index]);
}

/** Returns a note when the warm-up failed (the pair is then recorded as failed in the timed loop). */
async function warmUp(engine: Engine, pair: EvalPair): Promise<string | null> {
  try {
    const [model, garment] = await Promise.all([readPhoto(pair.modelFile), readPhoto(pair.garmentFile)]);
    await engine.tryOn({ model, garment, category: pair.category, garmentDesc: pair.garmentDesc, diagnostics: true });
    return null;
  } catch (error) {
    return `pair ${pair.id} failed during warm-up (${describeError(error)}); the timed runs include first-call costs`;
  }
}

async function runPair(
  engine: Engine,
  pair: EvalPair,
  outDir: string,
  hasTruth: boolean,
  sampleRss: () => void,
): Promise<{ row: PairRow; sheet: ContactRow }> {
  const base: PairRow = { pair: pair.id, model: pair.modelId, garment: pair.garmentId, category: pair.category, ok: false };
  const labelHead = `${pair.id} · ${pair.category}`;
  let model: Raster;
  let modelAlpha: Mask | undefined;
  let garment: Raster;
  let truth: Raster | undefined;
  try {
    let person: { raster: Raster; alpha?: Mask };
    [person, garment, truth] = await Promise.all([
      readPhotoWithAlpha(pair.modelFile),
      readPhoto(pair.garmentFile),
      pair.truthFile === undefined ? Promise.resolve(undefined) : readPhoto(pair.truthFile),
    ]);
    model = person.raster;
    modelAlpha = person.alpha;
  } catch (error) {
    const reason = `photo: ${describeError(error)}`;
    return { row: { ...base, reason }, sheet: { label: labelHead, failure: reason, cells: [] } };
  }
  const modelCell = await thumbnail(modelAlpha ? overCheckerboard(unflattenOnWhite(model, modelAlpha)) : model, CELL_WIDTH, CELL_HEIGHT);
  const garmentCell = await thumbnail(garment, CELL_WIDTH, CELL_HEIGHT);

  let result: EngineResult;
  let ms: number;
  try {
    const start = performance.now();
    result = await engine.tryOn({ model, garment, category: pair.category, garmentDesc: pair.garmentDesc, diagnostics: true });
    ms = performance.now() - start;
    sampleRss();
    checkContract(model, result);
  } catch (error) {
    const reason = describeError(error);
    return { row: { ...base, reason }, sheet: { label: labelHead, failure: reason, cells: [modelCell, garmentCell] } };
  }

  const metrics = await measurePair(model, garment, result, pair.category, truth);
  const resultFile = `${pair.id}.result.png`;
  const maskFile = `${pair.id}.mask.png`;
  // A person cut out on a transparent background gets an RGBA result, as the API gives it; the
  // sheet shows it over a checkerboard so that the alpha can be judged.
  const shown = modelAlpha ? composeResultRgba(result.image, modelAlpha, result.repaintMask, result.diagnostics) : result.image;
  await writePng(shown, join(outDir, resultFile));
  await writePng(result.repaintMask, join(outDir, maskFile));
  const cells = [
    modelCell,
    garmentCell,
    await thumbnail(maskOverlay(model, result.repaintMask), CELL_WIDTH, CELL_HEIGHT),
    await thumbnail(overCheckerboard(shown), CELL_WIDTH, CELL_HEIGHT),
    ...(hasTruth ? [truth ? await thumbnail(truth, CELL_WIDTH, CELL_HEIGHT) : null] : []),
  ];
  const detail =
    `${ms.toFixed(0)} ms · out ${formatDb(metrics.outside_psnr_db)}` +
    ` · ΔE ${metrics.color_delta_e?.toFixed(1) ?? '-'} · remnant ${metrics.remnant?.toFixed(3) ?? '-'}`;
  const flags = `bad ${metrics.badness.toFixed(2)} · flags ${shortFlags(metrics.flags)}`;
  return {
    row: { ...base, ok: true, ms, timings: { ...result.timings }, ...metrics, result_file: resultFile, mask_file: maskFile },
    sheet: { label: labelHead, flags, raised: metrics.flags.length > 0, detail, cells },
  };
}

function formatDb(db: number | null): string {
  if (db === null) return '-';
  return Number.isFinite(db) ? `${db.toFixed(1)} dB` : '∞ dB';
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
