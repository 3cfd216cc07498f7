/**
 * The photo folder's `manifest.json` (shape in DESIGN.md, "Photos"): models, garments with their
 * category, and the pairs to run, each optionally with a `truth` photo of the same person already
 * wearing that garment. Paths in the manifest are relative to the folder.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Category } from '../src/engine/types.ts';
import { CATEGORIES } from '../src/engine/types.ts';

const category = z.enum(CATEGORIES as [Category, ...Category[]]);

const manifestSchema = z.object({
  models: z.array(z.object({ id: z.string().min(1), file: z.string().min(1), wearing: z.string().optional() })),
  garments: z.array(
    z.object({ id: z.string().min(1), file: z.string().min(1), category, desc: z.string().optional() }),
  ),
  pairs: z.array(
    z.object({
      id: z.string().min(1).optional(),
      model: z.string().min(1),
      garment: z.string().min(1),
      category,
      truth: z.string().min(1).optional(),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** One pair, ready to run: files resolved to absolute paths. */
export interface EvalPair {
  /** Unique within the run; names the output files (`ID.result.png`). */
  id: string;
  modelId: string;
  garmentId: string;
  category: Category;
  modelFile: string;
  garmentFile: string;
  garmentDesc?: string;
  truthFile?: string;
}

/** Reads and checks `DIR/manifest.json`; every problem is listed in one error. */
export async function loadManifest(photosDir: string): Promise<EvalPair[]> {
  const path = join(photosDir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${path} does not match the manifest shape:\n  ${problems.join('\n  ')}`);
  }
  return resolvePairs(parsed.data, photosDir, path);
}

export function resolvePairs(manifest: Manifest, photosDir: string, source = 'manifest'): EvalPair[] {
  const models = new Map(manifest.models.map((m) => [m.id, m]));
  const garments = new Map(manifest.garments.map((g) => [g.id, g]));
  const problems: string[] = [];
  const used = new Map<string, number>();
  const pairs: EvalPair[] = [];
  manifest.pairs.forEach((pair, index) => {
    const model = models.get(pair.model);
    const garment = garments.get(pair.garment);
    if (!model) problems.push(`pairs.${index}: unknown model "${pair.model}"`);
    if (!garment) problems.push(`pairs.${index}: unknown garment "${pair.garment}"`);
    if (!model || !garment) return;
    // Ids become file names: keep them to a safe alphabet and unique (a repeated pair gets -2, -3).
    const base = (pair.id ?? `${pair.model}__${pair.garment}`).replace(/[^A-Za-z0-9._-]/g, '_');
    const seen = (used.get(base) ?? 0) + 1;
    used.set(base, seen);
    pairs.push({
      id: seen === 1 ? base : `${base}-${seen}`,
      modelId: model.id,
      garmentId: garment.id,
      category: pair.category,
      modelFile: join(photosDir, model.file),
      garmentFile: join(photosDir, garment.file),
      garmentDesc: garment.desc,
      truthFile: pair.truth === undefined ? undefined : join(photosDir, pair.truth),
    });
  });
  if (problems.length > 0) throw new Error(`${source}:\n  ${problems.join('\n  ')}`);
  return pairs;
}

/** `--filter ID` keeps pairs whose id, model id or garment id contains ID; `--pairs N` keeps the first N. */
export function selectPairs(pairs: EvalPair[], filter?: string, limit?: number): EvalPair[] {
  const filtered = filter
    ? pairs.filter((p) => p.id.includes(filter) || p.modelId.includes(filter) || p.garmentId.includes(filter))
    : pairs;
  return limit === undefined ? filtered : filtered.slice(0, limit);
}
