/**
 * `category: "auto"` on /v1/tryon: which of the contract's three categories a garment photo shows,
 * read from the garment's outline as the classic engine's garment analysis cuts it out
 * (`segmentGarment`, `profileMask`), at a small working size. Three measures, in this order:
 *
 * 1. Legs: in the lowest part of the garment most rows hold two separate runs of cloth, each a fair
 *    share of the garment's width, with backdrop between them → `lower_body` (trousers, shorts).
 * 2. Top edge: tops and dresses hang from shoulders, with a neckline dipping between them (or
 *    straps); skirts start at a straight waistband and widen downwards. Neither a neckline nor a
 *    top at least nearly as wide as the hem → `lower_body` (skirt).
 * 3. Length: a dress is long for its body's width → `dresses`; otherwise `upper_body`.
 *
 * Thresholds were set on the development photos, where it picks the manifest's category for 40 of
 * 41 garments (../shared/photos) and 65 of 76 (photos-wide); the misses are white tees on white,
 * tops whose neckline does not show in the outline, a jumpsuit and a dress photographed worn. So
 * the decision is returned with the job's result, and `auto` stays opt-in.
 *
 * Thresholds are fractions of the garment's own bounding box, named below.
 */
import { profileMask, type MaskProfile, type Run } from '../engine/classic/garment/profile.ts';
import { segmentGarment } from '../engine/classic/garment/segment.ts';
import type { Category } from '../engine/types.ts';
import type { Raster } from '../imaging/raster.ts';
import { resizeRaster } from '../vision/resample.ts';

/** Longest side the photo is looked at, px: the outline's proportions are all that is measured. */
export const CATEGORY_WORK_LONG_SIDE = 384;

/** The lowest share of the garment's height where legs are looked for. */
const LEG_ZONE = 0.25;
/** A leg's run is at least this share of the garment's width... */
const LEG_MIN_WIDTH = 0.12;
/** ...and the backdrop between two legs at least this share. */
const LEG_MIN_GAP = 0.04;
/** Share of the leg zone's rows that must show two legs (trousers 0.9-1; sleeves hanging beside a top can reach 0.98). */
const LEG_ROWS = 0.85;
/** Central share of the width where a neckline is looked for. */
const NECK_ZONE = 0.5;
/** A neckline dips at least this share of the garment's height below the shoulders (waistbands: at most 0.008). */
const NECK_MIN_DIP = 0.01;
/** A top's upper quarter is at least this share as wide as its hem. */
const TOP_WIDTH_RATIO = 0.95;
/** A dress is at least this many body widths long (on the development photos tops measure up to 2.69, dresses from 2.75: a thin margin). */
const DRESS_LENGTH = 2.72;

export interface CategoryDecision {
  category: Category;
  /** The measures behind the decision (for the job's result and for tuning). */
  measures: { legs: number; neckDip: number; topToHem: number; length: number };
}

/** Total cloth width of a row, px. */
const covered = (runs: Run[]) => runs.reduce((sum, [a, b]) => sum + b - a + 1, 0);

/** The run holding (or nearest to) column `x` on a row. */
function centralRun(runs: Run[], x: number): Run | undefined {
  let best: Run | undefined;
  let bestDistance = Infinity;
  for (const run of runs) {
    const d = x < run[0] ? run[0] - x : x > run[1] ? x - run[1] : 0;
    if (d < bestDistance) {
      bestDistance = d;
      best = run;
    }
  }
  return best;
}

function measure(profile: MaskProfile): CategoryDecision['measures'] {
  const { bbox, runs, top } = profile;
  const width = bbox.x1 - bbox.x0 + 1;
  const height = bbox.y1 - bbox.y0 + 1;
  const rowAt = (share: number) => runs[Math.min(bbox.y1, Math.max(bbox.y0, Math.round(bbox.y0 + share * (height - 1))))] ?? [];

  let legRows = 0;
  let zoneRows = 0;
  for (let y = Math.round(bbox.y1 - LEG_ZONE * height); y <= bbox.y1; y++) {
    zoneRows++;
    const wide = (runs[y] ?? []).filter(([a, b]) => b - a + 1 >= LEG_MIN_WIDTH * width);
    if (wide.some((run, i) => i > 0 && run[0] - wide[i - 1][1] - 1 >= LEG_MIN_GAP * width)) legRows++;
  }

  // Neckline: how far the top edge dips in the middle below its highest points either side.
  const mid = Math.round((bbox.x0 + bbox.x1) / 2);
  const half = Math.round((NECK_ZONE * width) / 2);
  let lowestTop = -1;
  for (let x = mid - Math.round(half / 3); x <= mid + Math.round(half / 3); x++) if (top[x] >= 0) lowestTop = Math.max(lowestTop, top[x]);
  let leftHigh = Infinity;
  let rightHigh = Infinity;
  for (let x = mid - half; x < mid; x++) if (top[x] >= 0) leftHigh = Math.min(leftHigh, top[x]);
  for (let x = mid + 1; x <= mid + half; x++) if (top[x] >= 0) rightHigh = Math.min(rightHigh, top[x]);
  const shoulders = Math.max(leftHigh, rightHigh);
  const neckDip = lowestTop < 0 || !Number.isFinite(shoulders) ? 1 : Math.max(0, lowestTop - shoulders) / height;

  let upperWidth = 0;
  for (let s = 0.05; s <= 0.25; s += 0.05) upperWidth = Math.max(upperWidth, covered(rowAt(s)));
  const hemWidth = Math.max(covered(rowAt(0.9)), covered(rowAt(0.95)), 1);

  // Body width: the median width of the central run between 30 % and 70 % of the height (a median,
  // so a print or a fold that splits a few rows does not make a top look long and thin).
  const middle: number[] = [];
  for (let s = 0.3; s <= 0.7; s += 0.02) {
    const run = centralRun(rowAt(s), profile.cx);
    if (run) middle.push(run[1] - run[0] + 1);
  }
  middle.sort((a, b) => a - b);
  const bodyWidth = middle.length ? middle[middle.length >> 1] : width;
  return {
    legs: zoneRows ? legRows / zoneRows : 0,
    neckDip,
    topToHem: upperWidth / hemWidth,
    length: height / bodyWidth,
  };
}

export function decideCategory(photo: Raster): CategoryDecision {
  const shrink = CATEGORY_WORK_LONG_SIDE / Math.max(photo.width, photo.height);
  const image = shrink < 1 ? resizeRaster(photo, Math.max(1, Math.round(photo.width * shrink)), Math.max(1, Math.round(photo.height * shrink))) : photo;
  const { foreground } = segmentGarment(image);
  const profile = profileMask(foreground, image.width, image.height);
  const m = measure(profile);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const measures = { legs: round(m.legs), neckDip: round(m.neckDip), topToHem: round(m.topToHem), length: round(m.length) };
  const noNeckline = m.neckDip < NECK_MIN_DIP;
  let category: Category;
  if (m.legs >= LEG_ROWS && noNeckline) category = 'lower_body';
  else if (noNeckline && m.topToHem < TOP_WIDTH_RATIO) category = 'lower_body';
  else if (m.length >= DRESS_LENGTH) category = 'dresses';
  else category = 'upper_body';
  return { category, measures };
}

/** The `/v1/tryon` category value that asks for this decision. */
export const AUTO_CATEGORY = 'auto';
