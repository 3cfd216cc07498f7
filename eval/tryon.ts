/**
 * The try-on eval: `npm run eval -- --photos DIR --out DIR [--engine classic] [--pairs N]
 * [--filter ID] [--min-outside-psnr X] [--no-warmup]`
 *
 * Reads `DIR/manifest.json` (shape in DESIGN.md, "Photos"), runs every pair through the engine in
 * this process (`createEngine(id)`, `init()` once and untimed, then one untimed warm-up run of the
 * first pair), and writes to the out folder:
 *   PAIR.result.png, PAIR.mask.png   the result and the repaint mask, lossless (PAIR = pair id, or
 *                                    MODEL__GARMENT when the manifest gives none)
 *   contact-sheet.png                one row per pair: model, garment, repaint mask (tinted magenta
 *                                    on the photo), result, truth when given; label: id, category, ms,
 *                                    headline numbers, badness and raised flags (dark red); ordered
 *                                    worst first: failed pairs, then by badness
 *   contact-sheet-by-id.png          the same rows in manifest order
 *   summary.json                     the numbers below, per category, and one row per pair (with
 *                                    its flag values, `flags` and `badness`; `flag_counts` overall
 *                                    and per category, `flag_limits`)
 * and prints a compact table. Exit code 1 when any pair failed, or when --min-outside-psnr X is
 * given and outside_psnr_db_min < X (CI uses 50); 2 for bad arguments or an unreadable manifest.
 *
 * What the numbers mean (all computed here, independently of the engine's own analysis):
 *
 * - p50_ms / p95_ms: engine time per pair (wall clock around `engine.tryOn`, decoding and metrics
 *   excluded), warm; percentiles with linear interpolation. stage_median_ms: the engine's own
 *   `timings`, median per stage. p50_new_photo_ms (of new_photo_pairs): p50 over the pairs whose
 *   model photo is not the one the engine was given just before, which an engine keeping its last
 *   person analysis does not analyse again: the time a photo seen for the first time costs.
 * - peak_rss_mb: max of process.memoryUsage().rss sampled every 100 ms and after each pair (the
 *   engine runs on this thread, so samples land between its awaits); os_max_rss_mb: the OS's
 *   high-water mark for the whole process, eval work included.
 * - outside_psnr_db (min and median): PSNR of the result against the input photo over the pixels
 *   whose repaint mask is exactly 0, the pixels the engine says it kept. The contract says they are
 *   the input's own, so the right answer is +Infinity; JSON cannot hold it, so it is written as 99
 *   (the cap) and `notes` says so. Anything finite is a leak (a resize, a re-encode, a blur across
 *   the mask edge). null when the mask covers the whole image.
 * - color_delta_e (median): does the rendered garment keep the product's colours? The garment cut-out
 *   (the garment photo at ≤ 512 px minus its background: a flood fill from the frame through pixels
 *   near the frame's colour and free of edges) and the result inside `diagnostics.newGarment`
 *   (eroded 3 px; the repaint mask when the engine gives no diagnostics, which then includes skin and
 *   background fill) are each reduced to a weighted palette (k-means, k 3..5, in CIELAB); the
 *   rendered pixels are first re-exposed so their median L* equals the cut-out's (shading is not a
 *   colour error); the number is the Earth Mover's Distance between the palettes with CIEDE2000 as
 *   ground distance. Roughly: < 3 same colours, 5-10 visibly off, > 20 another colour or pattern mix.
 *   Known weak spot: a white garment on a ground of the very same white with no visible outline
 *   (12562_00, 10297_00 in the shared photos) loses part of its body to the background, so its
 *   palette over-weights the print and the number runs high.
 * - remnant (median): share of the old garment still visible where the new garment should be: among
 *   pixels in diagnostics.oldGarment ∩ newGarment (eroded 3 px), those whose result colour is within
 *   ΔE00 6 of the input there and not within ΔE00 6 of any colour of the new garment. 0 = the old
 *   garment is fully covered, 1 = untouched. null (and a note) when the engine gives no diagnostics.
 * - paired_ssim_mean / paired_psnr_mean: over pairs with a `truth` photo, whole image, result resized
 *   to the truth's size, SSIM as Wang et al. (11x11 Gaussian σ 1.5, luma) and PSNR, as the VITON-HD
 *   papers report them. REPORTED, NEVER TUNED FOR (ENGINE-NOTES, "Reading the eval's numbers"): the
 *   papers score a person whose garment region was blanked, our engine sees the whole photo, so the
 *   input returned unchanged scores SSIM 1.000 and a pasted product shot about 0.91. Whether the old
 *   garment is gone (remnant), the new one keeps its colours (ΔE), the rest is untouched (outside
 *   PSNR), and above all the contact sheet, are what say whether a change is better.
 *
 * Failure flags (eval/metrics/flags.ts): one number per failure class that can be measured, each
 * raised (listed in the row's `flags`, the table's flags column, the sheet's label) when it exceeds
 * its limit in FLAG_LIMITS. Numbers guide; the picture decides. All need diagnostics.newGarment;
 * a flag that cannot be measured is null with a note. Name, short name, limit (unit): meaning.
 *
 * - remnant_outside, "rem", FLAG_LIMITS.remnant_outside = 0.12 (share of the ring's pixels):
 *   old garment the engine failed to remove. The ring: kept pixels (repaint mask < 128) on the
 *   person (diagnostics.person ≥ 128) within REMNANT_BAND_SHARE 0.04 of the image width of the
 *   repainted regions holding the new garment. Counted: ring pixels within ΔE00 8
 *   (REMNANT_OUTSIDE_DELTA_E) of the old garment's palette (input under diagnostics.oldGarment
 *   eroded 3 px; colours under 8 % weight dropped) and not within ΔE00 8 of the product's palette
 *   (re-exposed as for color_delta_e). Known weak spot: a kept garment in the old one's colours
 *   (light jeans under a blue-striped top) counts too.
 * - flat_fill, "flat", FLAG_LIMITS.flat_fill = 0.015 (share of the image): flesh-coloured slabs
 *   and smeared backgrounds. The fill is the repaint mask minus the new garment (its whole area is
 *   `fill_share`); flat are its pixels whose L* standard deviation over 5x5 px (FLAT_WINDOW) is
 *   below 0.35 (FLAT_STD_FRACTION) of the median of the same over the kept pixels within 0.04 of
 *   the width (FLAT_REFERENCE_SHARE) of the fill, on the person and off it separately (skin beside
 *   skin, wall beside wall).
 * - above_chin, "chin", FLAG_LIMITS.above_chin = 0.01 (share of the new garment's pixels): garment
 *   above the chin. New-garment pixels above diagnostics.chinY; upper_body and dresses only (null
 *   for lower_body).
 * - outside_envelope, "env", FLAG_LIMITS.outside_envelope = 0.05 (share of the new garment's
 *   pixels): garment off the person. New-garment pixels farther than 0.03 of the image width
 *   (ENVELOPE_MARGIN_SHARE) from the person's envelope: each row of diagnostics.person filled from
 *   its leftmost to its rightmost pixel, so the gap between the legs is inside. Known weak spot: a
 *   flared skirt or a loose dress stands out past the legs.
 * - straight_cut, "cut", FLAG_LIMITS.straight_cut = 0.5 (share of the new garment's width): a
 *   ruler-straight horizontal cut. The longest run of consecutive columns that each hold a
 *   boundary pixel of the repaint mask within one row ± 1 px (STRAIGHT_TOLERANCE_PX; the frame is
 *   no boundary), over the width of the new garment's bounding box.
 * - badness: Σ value/limit (each capped at 4) over the raised flags + 0.1 · Σ value/limit over the
 *   others, so badness ≥ 1 exactly when a flag is raised and the clean pairs are still ordered.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createEngine } from '../src/engine/registry.ts';
import { runEval } from './runner.ts';
import { exitCodeFor, formatTable } from './summary.ts';

export interface EvalCliArgs {
  photos: string;
  out: string;
  engine: string;
  pairs?: number;
  filter?: string;
  minOutsidePsnr?: number;
  warmup: boolean;
}

export const USAGE =
  'usage: npm run eval -- --photos DIR --out DIR [--engine classic] [--pairs N] [--filter ID] [--min-outside-psnr X] [--no-warmup]';

/** Parses the command line; throws with a one-line reason on anything wrong. */
export function parseEvalArgs(argv: string[]): EvalCliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      photos: { type: 'string' },
      out: { type: 'string' },
      engine: { type: 'string', default: 'classic' },
      pairs: { type: 'string' },
      filter: { type: 'string' },
      'min-outside-psnr': { type: 'string' },
      'no-warmup': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.photos) throw new Error('--photos DIR is required');
  if (!values.out) throw new Error('--out DIR is required');
  const pairs = values.pairs === undefined ? undefined : Number(values.pairs);
  if (pairs !== undefined && (!Number.isInteger(pairs) || pairs < 1)) throw new Error(`--pairs expects a whole number ≥ 1, got "${values.pairs}"`);
  const minOutsidePsnr = values['min-outside-psnr'] === undefined ? undefined : Number(values['min-outside-psnr']);
  if (minOutsidePsnr !== undefined && !Number.isFinite(minOutsidePsnr)) {
    throw new Error(`--min-outside-psnr expects a number of dB, got "${values['min-outside-psnr']}"`);
  }
  return {
    photos: values.photos,
    out: values.out,
    engine: values.engine ?? 'classic',
    pairs,
    filter: values.filter,
    minOutsidePsnr,
    warmup: !values['no-warmup'],
  };
}

async function main(): Promise<number> {
  let args: EvalCliArgs;
  try {
    args = parseEvalArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let summary;
  try {
    const engine = await createEngine(args.engine);
    summary = await runEval({
      photosDir: args.photos,
      outDir: args.out,
      engine,
      pairs: args.pairs,
      filter: args.filter,
      warmup: args.warmup,
      log: (line) => console.error(line),
    });
  } catch (error) {
    console.error(`eval: ${(error as Error).message}`);
    return 2;
  }
  console.log(formatTable(summary));
  for (const note of summary.notes) console.log(`note: ${note}`);
  const code = exitCodeFor(summary, args.minOutsidePsnr);
  if (code !== 0) {
    const why = summary.pairs === 0 ? 'no pairs selected' : summary.failed.length > 0 ? `${summary.failed.length} pair(s) failed` : `outside_psnr_db_min ${summary.outside_psnr_db_min} < ${args.minOutsidePsnr}`;
    console.error(`eval: FAIL (${why})`);
  }
  console.log(`wrote ${args.out}/summary.json, ${args.out}/contact-sheet.png (worst first) and ${args.out}/contact-sheet-by-id.png`);
  return code;
}

// Run only as the entry point (tests import parseEvalArgs without running an eval).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
