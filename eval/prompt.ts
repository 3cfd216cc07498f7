/**
 * The prompt eval (API 2): `npm run eval:prompt -- --photos DIR --prompts FILE --out DIR
 * [--models N] [--filter REGEX] [--save] [--seed S] [--guidance G] [--steps N] [--repeat K] [--no-warmup]`
 *
 * Runs every prompt of FILE (one per line; blank lines and lines starting with # are skipped) on
 * every model photo of DIR/manifest.json (or an evenly spaced sample of N of them) through
 * runPromptEdit in this process, and writes to the out folder:
 *   contact-sheet-P.png   rows = models, columns = the original then one result per prompt
 *                         (10 prompts per page, in file order); each cell labelled with its prompt,
 *                         engine ms and ΔE
 *   summary.json          the numbers below, per garment family, and one row per case
 *   cases/M__P.png        with --save: the original and the result side by side at product-page
 *                         size (SAVE_HEIGHT_PX tall), to rate each case by eye, not from a thumbnail
 * --filter REGEX keeps the prompts it matches (case-insensitive); a prompt keeps its line's seed.
 * Exit code 1 when a case failed, 2 for bad arguments.
 *
 * Numbers (all computed here, from the photos and the engine's result):
 * - cases / succeeded: prompt × model runs, and those that returned a result meeting the engine
 *   contract (size, masks); parsed_ratio: share of prompts the parser accepts (a prompt it
 *   rejects fails all its cases with 10004).
 * - p50_ms / p95_ms: wall clock around runPromptEdit (person analysis included), warm: one
 *   untimed run first. stage_median_ms: the engine's own timings, median per stage.
 * - color_delta_e (median, p90): for cases whose prompt names a colour, the requested appearance
 *   against the rendered garment. Requested: the garment's painted albedo (its texture before any
 *   light, inside its own silhouette; a solid garment is its one requested colour, a print its
 *   requested colours in the printed proportions). Rendered: the result's pixels where that
 *   garment's pass drew it (its newGarment, minus what later passes drew over), eroded 3 px, and
 *   inside its silhouette. Both reduced to
 *   weighted CIELAB palettes and compared by EMD over CIEDE2000 after matching the rendered
 *   median lightness to the requested one (eval/metrics/color-delta-e.ts: shading is not a colour
 *   error). The prompt's colour words are tested by the parser's unit tests, not here.
 * - outside_psnr_db_min: PSNR of the result against the input over pixels whose repaint mask is 0
 *   (99 = identical, the contract's promise).
 * - deterministic: the first K cases (--repeat, default 5) are run again and their image and
 *   repaint-mask bytes compared.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiError } from '../src/domain/errors.ts';
import { createRaster, type Mask, type Raster } from '../src/imaging/raster.ts';
import { runPromptEditDetailed, type PromptEditDetails } from '../src/engine/prompt/edit.ts';
import { parsePrompt } from '../src/engine/prompt/parser.ts';
import { GUIDANCE_DEFAULT, STEPS_DEFAULT } from '../src/engine/prompt/blend.ts';
import { readPhoto, thumbnail, writePng } from './images.ts';
import { colorDeltaE } from './metrics/color-delta-e.ts';
import { erode } from './metrics/mask-ops.ts';
import { capPsnr, outsidePsnr } from './metrics/psnr.ts';
import { checkContract } from './pair-metrics.ts';
import { CELL_H, CELL_W, writeGridSheet, type SheetRow } from './prompt-lib/sheet.ts';
import { median, quantile, min } from './stats.ts';

export interface PromptEvalArgs {
  photos: string;
  prompts: string;
  out: string;
  models?: number;
  filter?: RegExp;
  save: boolean;
  seed: number;
  guidance: number;
  steps: number;
  repeat: number;
  warmup: boolean;
}

export const USAGE =
  'usage: npm run eval:prompt -- --photos DIR --prompts FILE --out DIR [--models N] [--filter REGEX] [--save] [--seed S] [--guidance G] [--steps N] [--repeat K] [--no-warmup]';

export function parsePromptEvalArgs(argv: string[]): PromptEvalArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      photos: { type: 'string' },
      prompts: { type: 'string' },
      out: { type: 'string' },
      models: { type: 'string' },
      filter: { type: 'string' },
      save: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1234' },
      guidance: { type: 'string', default: String(GUIDANCE_DEFAULT) },
      steps: { type: 'string', default: String(STEPS_DEFAULT) },
      repeat: { type: 'string', default: '5' },
      'no-warmup': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.photos) throw new Error('--photos DIR is required');
  if (!values.prompts) throw new Error('--prompts FILE is required');
  if (!values.out) throw new Error('--out DIR is required');
  const int = (name: string, raw: string | undefined, lo: number, hi: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`--${name} expects a whole number in ${lo}..${hi}, got "${raw}"`);
    return n;
  };
  const guidance = Number(values.guidance);
  if (!Number.isFinite(guidance) || guidance < 1 || guidance > 100) throw new Error(`--guidance expects 1..100, got "${values.guidance}"`);
  return {
    photos: values.photos,
    prompts: values.prompts,
    out: values.out,
    models: values.models === undefined ? undefined : int('models', values.models, 1, 10_000),
    filter: values.filter === undefined ? undefined : new RegExp(values.filter, 'i'),
    save: values.save,
    seed: int('seed', values.seed, 0, 2147483647),
    guidance,
    steps: int('steps', values.steps, 1, 50),
    repeat: int('repeat', values.repeat, 0, 1000),
    warmup: !values['no-warmup'],
  };
}

interface ModelPhoto {
  id: string;
  file: string;
}

async function loadModels(photosDir: string): Promise<ModelPhoto[]> {
  const path = join(photosDir, 'manifest.json');
  const raw = JSON.parse(await readFile(path, 'utf8')) as { models?: Array<{ id?: unknown; file?: unknown }> };
  if (!Array.isArray(raw.models)) throw new Error(`${path}: no "models" list`);
  return raw.models.map((m, k) => {
    if (typeof m.id !== 'string' || typeof m.file !== 'string') throw new Error(`${path}: models.${k} needs string id and file`);
    return { id: m.id, file: join(photosDir, m.file) };
  });
}

/** N models spread evenly over the manifest's list (first and last included), in manifest order. */
export function sampleEvenly<T>(items: T[], n: number | undefined): T[] {
  if (n === undefined || n >= items.length) return items;
  if (n === 1) return [items[0]];
  const picked = new Set<number>();
  for (let k = 0; k < n; k++) picked.add(Math.round((k * (items.length - 1)) / (n - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => items[i]);
}

export async function readPrompts(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8'))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

interface CaseRow {
  model: string;
  prompt: string;
  seed: number;
  ok: boolean;
  reason?: string;
  family?: string;
  ms?: number;
  color_delta_e?: number | null;
  outside_psnr_db?: number | null;
  timings?: Record<string, number>;
  garments?: string[];
}

/** Garment family of a case, for the per-family numbers: the forms drawn, e.g. "top+trousers", "dress", "recolor". */
function familyOf(details: PromptEditDetails): string {
  return details.garments.map((g) => (g.spec.mode === 'recolor' ? 'recolor' : g.spec.form)).join('+');
}

/** Scales a mask or raster coordinate from analysis to full resolution by nearest neighbour. */
function albedoCoveredAt(albedo: Raster, x: number, y: number, full: Raster): boolean {
  const ax = Math.min(albedo.width - 1, Math.floor((x * albedo.width) / full.width));
  const ay = Math.min(albedo.height - 1, Math.floor((y * albedo.height) / full.height));
  return albedo.data[(ay * albedo.width + ax) * 4 + 3] === 255;
}

/** ΔE of the requested appearance against the rendered garment, for garments whose colour the prompt names. */
export function requestedColorDeltaE(details: PromptEditDetails): number | null {
  const newGarment = details.result.diagnostics?.newGarment;
  if (!newGarment) return null;
  const image = details.result.image;
  const requested: number[] = [];
  const rendered: number[] = [];
  let any = false;
  details.garments.forEach((g, k) => {
    if (g.spec.ground === null && g.spec.accents.length === 0) return;
    any = true;
    // This garment's own pixels: where its pass drew it and no later pass drew over it, eroded.
    const own: Mask = { width: image.width, height: image.height, data: (g.newGarment ?? newGarment).data.slice() };
    for (const later of details.garments.slice(k + 1)) {
      if (!later.newGarment) continue;
      for (let i = 0; i < own.data.length; i++) if (later.newGarment.data[i] !== 0) own.data[i] = 0;
    }
    const inside = erode(own, 3);
    const a = g.albedo.data;
    for (let p = 0; p < a.length; p += 4) if (a[p + 3] === 255) requested.push(a[p], a[p + 1], a[p + 2]);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = y * image.width + x;
        // A product shot's albedo is in its own frame, not the photo's: the drawn region decides.
        if (inside.data[i] === 0 || (!g.productShot && !albedoCoveredAt(g.albedo, x, y, image))) continue;
        rendered.push(image.data[i * 3], image.data[i * 3 + 1], image.data[i * 3 + 2]);
      }
    }
  });
  if (!any) return null;
  const result = colorDeltaE(Uint8Array.from(requested), Uint8Array.from(rendered));
  return result ? result.deltaE : null;
}

/** Height (px) of a saved case: a shop's product-page image, where the rating scale is judged. */
const SAVE_HEIGHT_PX = 768;

/** The original and the result next to each other, each SAVE_HEIGHT_PX tall. */
async function sideBySide(original: Raster, result: Raster): Promise<Raster> {
  const w = Math.round((original.width * SAVE_HEIGHT_PX) / original.height);
  const a = await thumbnail(original, w, SAVE_HEIGHT_PX);
  const b = await thumbnail(result, w, SAVE_HEIGHT_PX);
  const out = createRaster(a.width + b.width, SAVE_HEIGHT_PX, 3);
  for (let y = 0; y < SAVE_HEIGHT_PX; y++) {
    out.data.set(a.data.subarray(y * a.width * 3, (y + 1) * a.width * 3), y * out.width * 3);
    out.data.set(b.data.subarray(y * b.width * 3, (y + 1) * b.width * 3), (y * out.width + a.width) * 3);
  }
  return out;
}

/** A prompt as a file name part. */
function slug(prompt: string): string {
  return prompt.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.msg;
  if (error instanceof Error) return error.message;
  return String(error);
}

export async function runPromptEval(args: PromptEvalArgs, log: (line: string) => void = () => undefined): Promise<Record<string, unknown>> {
  const photosDir = resolve(args.photos);
  const models = sampleEvenly(await loadModels(photosDir), args.models);
  const allPrompts = await readPrompts(args.prompts);
  // The seed follows the prompt's line, so a filtered run reproduces the same cases.
  const lineOf = new Map(allPrompts.map((p, i) => [p, i]));
  const prompts = args.filter ? allPrompts.filter((p) => args.filter?.test(p)) : allPrompts;
  await mkdir(args.out, { recursive: true });
  if (args.save) await mkdir(join(args.out, 'cases'), { recursive: true });
  const parsed = prompts.filter((p) => {
    try {
      parsePrompt(p);
      return true;
    } catch {
      return false;
    }
  });

  const seedOf = (promptIndex: number): number => (args.seed + promptIndex) % 2147483648;
  const request = (model: Raster, prompt: string, seed: number) => ({ model, prompt, seed, guidanceScale: args.guidance, steps: args.steps, diagnostics: true });

  const notes: string[] = [];
  const photos = new Map<string, Raster>();
  const photoOf = async (m: ModelPhoto): Promise<Raster> => {
    let p = photos.get(m.id);
    if (!p) {
      p = await readPhoto(m.file);
      photos.set(m.id, p);
    }
    return p;
  };
  if (args.warmup && models.length > 0 && parsed.length > 0) {
    await runPromptEditDetailed(request(await photoOf(models[0]), parsed[0], seedOf(0)));
    notes.push(`warm-up: "${parsed[0]}" on ${models[0].id} ran once untimed before the timed runs`);
  }

  const rows: CaseRow[] = [];
  const sheetRows: SheetRow[] = [];
  const repeatable: Array<{ model: ModelPhoto; prompt: string; seed: number; image: Uint8Array; mask: Uint8Array }> = [];
  for (const [mi, m] of models.entries()) {
    const model = await photoOf(m);
    const sheet: SheetRow = { title: m.id, cells: [{ image: await thumbnail(model, CELL_W, CELL_H), label: 'original' }] };
    for (const [pi, prompt] of prompts.entries()) {
      const seed = seedOf(lineOf.get(prompt) ?? pi);
      const row: CaseRow = { model: m.id, prompt, seed, ok: false };
      try {
        const start = performance.now();
        const details = await runPromptEditDetailed(request(model, prompt, seed));
        row.ms = performance.now() - start;
        checkContract(model, details.result);
        row.ok = true;
        row.family = familyOf(details);
        row.garments = details.garments.map((g) => `${g.spec.type}:${g.palette.ground.name}${g.palette.accents.length ? `+${g.palette.accents.map((a) => a.name).join('+')}` : ''}`);
        row.timings = { ...details.result.timings };
        row.color_delta_e = requestedColorDeltaE(details);
        const out = outsidePsnr(details.result.image, model, details.result.repaintMask);
        row.outside_psnr_db = out === null ? null : capPsnr(out);
        if (repeatable.length < args.repeat && (mi + pi) % 7 === 0) {
          repeatable.push({ model: m, prompt, seed, image: details.result.image.data.slice(), mask: details.result.repaintMask.data.slice() });
        }
        if (args.save) await writePng(await sideBySide(model, details.result.image), join(args.out, 'cases', `${m.id}__${slug(prompt)}.png`));
        sheet.cells.push({
          image: await thumbnail(details.result.image, CELL_W, CELL_H),
          label: `${prompt} · ${row.ms.toFixed(0)} ms · ΔE ${row.color_delta_e?.toFixed(1) ?? '-'}`,
        });
      } catch (error) {
        row.reason = describeError(error);
        sheet.cells.push({ image: null, label: `${prompt} · FAILED: ${row.reason}`, failed: true });
      }
      rows.push(row);
      log(`[${rows.length}/${models.length * prompts.length}] ${m.id} "${prompt}" ${row.ok ? `${row.ms?.toFixed(0)} ms ΔE ${row.color_delta_e?.toFixed(1) ?? '-'}` : `FAILED: ${row.reason}`}`);
    }
    sheetRows.push(sheet);
  }

  let deterministic = true;
  for (const r of repeatable) {
    const again = await runPromptEditDetailed(request(await photoOf(r.model), r.prompt, r.seed));
    const same = Buffer.from(again.result.image.data).equals(Buffer.from(r.image)) && Buffer.from(again.result.repaintMask.data).equals(Buffer.from(r.mask));
    if (!same) {
      deterministic = false;
      notes.push(`not deterministic: ${r.model.id} "${r.prompt}" seed ${r.seed}`);
    }
  }

  // Sheets: 10 prompts per page.
  const perPage = 10;
  const pages = Math.max(1, Math.ceil(prompts.length / perPage));
  for (let page = 0; page < pages; page++) {
    const pageRows = sheetRows.map((r) => ({ title: r.title, cells: [r.cells[0], ...r.cells.slice(1 + page * perPage, 1 + (page + 1) * perPage)] }));
    await writeGridSheet(join(args.out, `contact-sheet-${page + 1}.png`), pageRows);
  }

  const ok = rows.filter((r) => r.ok);
  const stageNames = [...new Set(ok.flatMap((r) => Object.keys(r.timings ?? {})))];
  const families = [...new Set(ok.map((r) => r.family as string))].sort();
  const summary = {
    cases: rows.length,
    succeeded: ok.length,
    failed: rows.filter((r) => !r.ok).map((r) => ({ model: r.model, prompt: r.prompt, reason: r.reason })),
    models: models.length,
    prompts: prompts.length,
    parsed_ratio: prompts.length === 0 ? null : parsed.length / prompts.length,
    p50_ms: median(ok.map((r) => r.ms)),
    p95_ms: quantile(ok.map((r) => r.ms), 0.95),
    color_delta_e_median: median(ok.map((r) => r.color_delta_e)),
    color_delta_e_p90: quantile(ok.map((r) => r.color_delta_e), 0.9),
    color_delta_e_cases: ok.filter((r) => typeof r.color_delta_e === 'number').length,
    outside_psnr_db_min: min(ok.map((r) => r.outside_psnr_db)),
    deterministic,
    deterministic_cases: repeatable.length,
    parameters: { seed_base: args.seed, seed_rule: 'seed_base + prompt line index', guidance_scale: args.guidance, num_inference_steps: args.steps },
    stage_median_ms: Object.fromEntries(stageNames.map((s) => [s, median(ok.map((r) => r.timings?.[s]))])),
    per_family: Object.fromEntries(
      families.map((f) => {
        const fr = ok.filter((r) => r.family === f);
        return [f, { cases: fr.length, p50_ms: median(fr.map((r) => r.ms)), color_delta_e_median: median(fr.map((r) => r.color_delta_e)) }];
      }),
    ),
    notes: [...notes, 'outside_psnr_db 99 = every untouched pixel identical (PSNR +Infinity, capped for JSON)'],
    rows,
  };
  await writeFile(join(args.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

async function main(): Promise<number> {
  let args: PromptEvalArgs;
  try {
    args = parsePromptEvalArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let summary: Record<string, unknown>;
  try {
    summary = await runPromptEval(args, (line) => console.error(line));
  } catch (error) {
    console.error(`eval:prompt: ${(error as Error).message}`);
    return 2;
  }
  const { rows: _rows, failed, ...headline } = summary as { rows: unknown; failed: unknown[] };
  console.log(JSON.stringify({ ...headline, failed: failed.length }, null, 2));
  console.log(`wrote ${args.out}/summary.json and ${args.out}/contact-sheet-*.png`);
  return failed.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
