/**
 * `summary.json` from the per-pair rows: counts, engine time percentiles, memory, and the metric
 * aggregates overall and per category; the compact stdout table; the exit-code rule CI relies on.
 * JSON has no Infinity: an outside PSNR of +Infinity (identical pixels) is written as 99 dB and
 * `notes` says so.
 */
import type { Category } from '../src/engine/types.ts';
import { CATEGORIES } from '../src/engine/types.ts';
import type { PairMetrics } from './pair-metrics.ts';
import type { FlagName } from './metrics/flags.ts';
import { FLAG_LIMITS, FLAG_NAMES, FLAG_SHORT } from './metrics/flags.ts';
import { PSNR_CAP_DB, capPsnr } from './metrics/psnr.ts';
import { mean, median, min, quantile } from './stats.ts';

export interface PairRow extends Partial<PairMetrics> {
  pair: string;
  model: string;
  garment: string;
  category: Category;
  ok: boolean;
  /** Why the pair failed (engine error, contract violation, unreadable photo). */
  reason?: string;
  /** Engine time for this pair (wall clock around `tryOn`), ms. */
  ms?: number;
  /** The engine's own per-stage times, ms. */
  timings?: Record<string, number>;
  result_file?: string;
  mask_file?: string;
}

export interface Aggregates {
  pairs: number;
  succeeded: number;
  p50_ms: number | null;
  p95_ms: number | null;
  outside_psnr_db_min: number | null;
  outside_psnr_db_median: number | null;
  color_delta_e_median: number | null;
  remnant_median: number | null;
  paired_ssim_mean: number | null;
  paired_psnr_mean: number | null;
  /** Pairs with a truth photo that succeeded (the paired means' denominator). */
  paired_count: number;
  /** Succeeded pairs with each flag over its limit. */
  flag_counts: Record<FlagName, number>;
}

export interface Summary extends Aggregates {
  engine: { id: string; version: string };
  photos: string;
  created_at: string;
  failed: { pair: string; reason: string }[];
  /** process.memoryUsage().rss sampled through the run (every 100 ms and after each pair), max. */
  peak_rss_mb: number;
  /** The OS's high-water mark for the whole process (getrusage maxrss), includes the eval's own work. */
  os_max_rss_mb: number;
  /** The limit of each flag (units in tryon.ts). */
  flag_limits: Record<FlagName, number>;
  /** Median of each stage in the engine's `timings`, over succeeded pairs. */
  stage_median_ms: Record<string, number>;
  /**
   * p50 over the succeeded pairs whose model photo is not the one the engine was given just before
   * (the previous pair's, or the warm-up's for the first), and how many there are. An engine that
   * keeps its last person analysis (the classic engine's person-cache.ts) serves the others from
   * it, so p50_ms mixes both: this is the time a photo seen for the first time costs.
   */
  p50_new_photo_ms: number | null;
  new_photo_pairs: number;
  categories: Partial<Record<Category, Aggregates>>;
  notes: string[];
  rows: PairRow[];
}

export function aggregate(rows: PairRow[]): Aggregates {
  const ok = rows.filter((r) => r.ok);
  const paired = ok.filter((r) => r.paired_ssim !== null && r.paired_ssim !== undefined);
  const outside = ok.map((r) => (r.outside_psnr_db === null || r.outside_psnr_db === undefined ? null : capPsnr(r.outside_psnr_db)));
  return {
    pairs: rows.length,
    succeeded: ok.length,
    p50_ms: round(quantile(ok.map((r) => r.ms), 0.5), 1),
    p95_ms: round(quantile(ok.map((r) => r.ms), 0.95), 1),
    outside_psnr_db_min: round(min(outside), 2),
    outside_psnr_db_median: round(median(outside), 2),
    color_delta_e_median: round(median(ok.map((r) => r.color_delta_e)), 2),
    remnant_median: round(median(ok.map((r) => r.remnant)), 4),
    paired_ssim_mean: round(mean(paired.map((r) => r.paired_ssim)), 4),
    paired_psnr_mean: round(mean(paired.map((r) => (r.paired_psnr_db === null || r.paired_psnr_db === undefined ? null : capPsnr(r.paired_psnr_db)))), 2),
    paired_count: paired.length,
    flag_counts: Object.fromEntries(FLAG_NAMES.map((name) => [name, ok.filter((r) => r.flags?.includes(name)).length])) as Record<FlagName, number>,
  };
}

export interface SummaryInput {
  engine: { id: string; version: string };
  photos: string;
  rows: PairRow[];
  peakRssMb: number;
  osMaxRssMb: number;
  notes?: string[];
  /** The model photo of the untimed warm-up run, which the engine saw just before the first pair. */
  warmedModel?: string;
}

export function buildSummary(input: SummaryInput): Summary {
  const { rows } = input;
  const categories: Partial<Record<Category, Aggregates>> = {};
  for (const category of CATEGORIES) {
    const subset = rows.filter((r) => r.category === category);
    if (subset.length > 0) categories[category] = aggregate(subset);
  }
  const stageNames = [...new Set(rows.filter((r) => r.ok).flatMap((r) => Object.keys(r.timings ?? {})))];
  const stage_median_ms: Record<string, number> = {};
  for (const name of stageNames) {
    const m = median(rows.filter((r) => r.ok).map((r) => r.timings?.[name]));
    if (m !== null) stage_median_ms[name] = round(m, 1) as number;
  }
  const newPhoto = rows.filter((r, i) => r.ok && r.model !== (i === 0 ? input.warmedModel : rows[i - 1].model));
  const notes = [...(input.notes ?? [])];
  if (rows.some((r) => r.ok && r.outside_psnr_db === Infinity)) {
    notes.push(`outside PSNR of identical pixels is +Infinity; written as ${PSNR_CAP_DB} dB (the cap) in rows and aggregates`);
  }
  if (rows.some((r) => r.ok && r.color_region === 'repaint_mask')) {
    notes.push('color_delta_e sampled the repaint mask (skin and background fill included) for pairs without diagnostics.newGarment');
  }
  if (rows.some((r) => r.ok && r.paired_ssim !== null && r.paired_ssim !== undefined)) {
    notes.push('paired SSIM/PSNR compare the whole image with a truth photo, as the papers do; the input returned unchanged scores SSIM 1.0: report, never tune for them');
  }
  if (rows.some((r) => r.ok && r.remnant === null)) {
    notes.push('remnant is null for pairs whose engine gave no old/new garment diagnostics; remnant_median is over the others');
  }
  return {
    engine: input.engine,
    photos: input.photos,
    created_at: new Date().toISOString(),
    ...aggregate(rows),
    failed: rows.filter((r) => !r.ok).map((r) => ({ pair: r.pair, reason: r.reason ?? 'unknown' })),
    flag_limits: { ...FLAG_LIMITS },
    peak_rss_mb: Math.round(input.peakRssMb),
    os_max_rss_mb: Math.round(input.osMaxRssMb),
    stage_median_ms,
    p50_new_photo_ms: round(quantile(newPhoto.map((r) => r.ms), 0.5), 1),
    new_photo_pairs: newPhoto.length,
    categories,
    notes,
    rows: rows.map(jsonSafeRow),
  };
}

/** Per-pair rows as written: Infinity capped, floats rounded to what is meaningful. */
function jsonSafeRow(row: PairRow): PairRow {
  return {
    ...row,
    ms: round(row.ms ?? null, 1) ?? undefined,
    outside_psnr_db: row.outside_psnr_db === undefined || row.outside_psnr_db === null ? row.outside_psnr_db : round(capPsnr(row.outside_psnr_db), 2),
    paired_psnr_db: row.paired_psnr_db === undefined || row.paired_psnr_db === null ? row.paired_psnr_db : round(capPsnr(row.paired_psnr_db), 2),
    repaint_share: round(row.repaint_share ?? null, 4) ?? undefined,
    color_delta_e: round(row.color_delta_e ?? null, 2),
    color_exposure: round(row.color_exposure ?? null, 3),
    remnant: round(row.remnant ?? null, 4),
    paired_ssim: round(row.paired_ssim ?? null, 4),
    remnant_outside: round(row.remnant_outside ?? null, 4),
    flat_fill: round(row.flat_fill ?? null, 4),
    fill_share: round(row.fill_share ?? null, 4),
    above_chin: round(row.above_chin ?? null, 4),
    outside_envelope: round(row.outside_envelope ?? null, 4),
    straight_cut: round(row.straight_cut ?? null, 3),
    badness: round(row.badness ?? null, 3) ?? undefined,
    timings: row.timings ? Object.fromEntries(Object.entries(row.timings).map(([k, v]) => [k, round(v, 1) as number])) : undefined,
  };
}

function round(v: number | null, digits: number): number | null {
  if (v === null || !Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Non-zero when a pair failed, or when `minOutsidePsnr` is given and not met (or not measurable). */
export function exitCodeFor(summary: Aggregates & { failed: unknown[] }, minOutsidePsnr?: number): number {
  if (summary.pairs === 0) return 1;
  if (summary.failed.length > 0) return 1;
  if (minOutsidePsnr !== undefined && (summary.outside_psnr_db_min === null || summary.outside_psnr_db_min < minOutsidePsnr)) return 1;
  return 0;
}

/** The compact table printed to stdout. */
export function formatTable(summary: Summary): string {
  const header = ['pair', 'category', 'ms', 'out dB', 'ΔE00', 'remnant', 'SSIM', 'PSNR', 'bad', 'flags', 'status'];
  const lines: string[][] = summary.rows.map((r) => [
    r.pair,
    r.category,
    fmt(r.ms, 0),
    fmt(r.outside_psnr_db, 1),
    fmt(r.color_delta_e, 2),
    fmt(r.remnant, 3),
    fmt(r.paired_ssim, 3),
    fmt(r.paired_psnr_db, 2),
    fmt(r.badness, 2),
    r.ok ? shortFlags(r.flags) : '-',
    r.ok ? 'ok' : `FAILED: ${r.reason ?? ''}`,
  ]);
  const last = header.length - 1;
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (i === last ? 0 : l[i].length))));
  const render = (cols: string[]): string => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const out = [render(header), ...lines.map(render)];
  out.push('');
  out.push(
    `${summary.succeeded}/${summary.pairs} ok · p50 ${fmt(summary.p50_ms, 0)} ms (new photo ${fmt(summary.p50_new_photo_ms, 0)} ms, n=${summary.new_photo_pairs})` +
      ` · p95 ${fmt(summary.p95_ms, 0)} ms · peak RSS ${summary.peak_rss_mb} MB` +
      ` · outside PSNR min ${fmt(summary.outside_psnr_db_min, 1)} dB median ${fmt(summary.outside_psnr_db_median, 1)} dB` +
      ` · ΔE00 median ${fmt(summary.color_delta_e_median, 2)} · remnant median ${fmt(summary.remnant_median, 3)}` +
      (summary.paired_count > 0 ? ` · paired SSIM ${fmt(summary.paired_ssim_mean, 3)} PSNR ${fmt(summary.paired_psnr_mean, 2)} (n=${summary.paired_count})` : ''),
  );
  out.push(`flags over their limits: ${FLAG_NAMES.map((name) => `${FLAG_SHORT[name]} ${summary.flag_counts[name]}`).join(' · ')} (${FLAG_NAMES.map((name) => `${FLAG_SHORT[name]} = ${name}`).join(', ')})`);
  for (const [category, a] of Object.entries(summary.categories)) {
    out.push(
      `  ${category.padEnd(10)} ${a.succeeded}/${a.pairs} ok · p50 ${fmt(a.p50_ms, 0)} ms · out dB min ${fmt(a.outside_psnr_db_min, 1)}` +
        ` · ΔE00 ${fmt(a.color_delta_e_median, 2)} · remnant ${fmt(a.remnant_median, 3)}`,
    );
  }
  return out.join('\n');
}

/** The raised flags by their short names ("rem+cut"), "-" for none. */
export function shortFlags(flags: readonly FlagName[] | undefined): string {
  return flags && flags.length > 0 ? flags.map((name) => FLAG_SHORT[name]).join('+') : '-';
}

function fmt(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined) return '-';
  return v.toFixed(digits);
}
