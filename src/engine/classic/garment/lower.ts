/**
 * Landmarks of trousers, shorts and skirts from the garment mask's row profile. The crotch is the
 * top of the background gap between the legs, followed upwards from the hem; no such gap means a
 * skirt.
 */
import type { LowerLandmarks, Point } from '../types.ts';
import { leftmost, rightmost, type MaskProfile, type Run } from './profile.ts';

export interface LowerResult {
  landmarks: LowerLandmarks;
  /** Distance between the waistband corners: the unit of the length ratio. */
  waistWidth: number;
  /** Waistband to hem. */
  length: number;
  hasLegs: boolean;
}

interface Gap {
  x0: number;
  x1: number;
}

/** The background gap on row y between two runs that overlaps [x0, x1], widest overlap first. */
function gapOverlapping(runs: Run[], x0: number, x1: number): Gap | undefined {
  let best: Gap | undefined;
  let bestOverlap = 0;
  for (let i = 0; i + 1 < runs.length; i++) {
    const g = { x0: runs[i][1] + 1, x1: runs[i + 1][0] - 1 };
    const overlap = Math.min(g.x1, x1) - Math.max(g.x0, x0) + 1;
    if (overlap > bestOverlap) {
      bestOverlap = overlap;
      best = g;
    }
  }
  return best;
}

/** Top of the gap between the legs, followed up from the lowest rows; undefined when there is none. */
function findCrotch(profile: MaskProfile): Point | undefined {
  const { bbox, cx, runs } = profile;
  const height = bbox.y1 - bbox.y0 + 1;
  const width = bbox.x1 - bbox.x0 + 1;
  const near = 0.25 * width;
  // The legs may touch at the hem (wide or crossed legs): look for the gap in the lower 40 %.
  for (let yStart = bbox.y1 - Math.round(0.01 * height); yStart > bbox.y1 - 0.4 * height; yStart -= Math.max(1, Math.round(0.01 * height))) {
    let gap = gapOverlapping(runs[yStart], cx - near, cx + near);
    if (!gap) continue;
    let y = yStart;
    let topGap = gap;
    while (y - 1 >= bbox.y0) {
      const next = gapOverlapping(runs[y - 1], gap.x0, gap.x1);
      if (!next) break;
      gap = next;
      topGap = next;
      y--;
    }
    if (yStart - y >= 0.1 * height && y > bbox.y0 + 0.05 * height) {
      return { x: (topGap.x0 + topGap.x1) / 2, y: extrapolateTip(runs, y, topGap, height) };
    }
  }
  return undefined;
}

/**
 * The gap's last pixel-wide rows stop short of the real crotch where the two legs' outlines blur
 * together: extend the narrowing gap (width linear in y over the rows just below its top) to zero
 * width, by at most 3 % of the garment's height.
 */
function extrapolateTip(runs: Run[][], topY: number, topGap: Gap, height: number): number {
  const span = Math.max(4, Math.round(0.04 * height));
  let gap: Gap | undefined = topGap;
  const ys: number[] = [];
  const ws: number[] = [];
  for (let y = topY; y < topY + span && gap; y++) {
    ys.push(y);
    ws.push(gap.x1 - gap.x0 + 1);
    gap = gapOverlapping(runs[y + 1] ?? [], gap.x0, gap.x1);
  }
  if (ys.length < 3) return topY - 1;
  const my = ys.reduce((s, v) => s + v, 0) / ys.length;
  const mw = ws.reduce((s, v) => s + v, 0) / ws.length;
  let num = 0, den = 0;
  for (let i = 0; i < ys.length; i++) {
    num += (ys[i] - my) * (ws[i] - mw);
    den += (ys[i] - my) ** 2;
  }
  const slope = den > 0 ? num / den : 0;
  if (slope <= 0.05) return topY - 1;
  const tip = my - mw / slope;
  return Math.max(topY - 0.03 * height, Math.min(topY - 1, tip));
}

/** Shallowest notch of backdrop up into the middle of the hem, as a share of the garment's height, that parts two wide legs lying against each other down to their hems. */
const MIN_HEM_NOTCH = 0.008;
/** Farthest such a notch lies from the garment's middle column, as a share of its width. */
const HEM_NOTCH_OFF_CENTRE = 0.1;
/** Rows at the bottom (share of the garment's height) in which the notch must open (a shadow or a loose thread the cut-out kept can hang below the hem). */
const HEM_NOTCH_ROWS = 0.05;
/** Narrowest leg either side of the notch on the row it opens, as a share of the garment's width: not a gap beside a thread. */
const MIN_NOTCHED_LEG = 0.2;
/**
 * Shortest bottom, waistband to hem in waistband widths, whose hem notch parts two legs: full-length
 * trousers measure 2.6-3.7 on the development bottoms; a shorter skirt's pleats and folds notch
 * its hem too.
 */
const MIN_NOTCHED_LENGTH = 2.2;

/**
 * Two wide trouser legs lying against each other from the crotch down to the hem leave only a
 * notch of backdrop between their hems (palazzo or linen trousers laid flat): its top, or
 * undefined when the hem has none in its middle.
 */
function hemNotch(profile: MaskProfile): Point | undefined {
  const { bbox, cx, runs } = profile;
  const height = bbox.y1 - bbox.y0 + 1;
  const width = bbox.x1 - bbox.x0 + 1;
  const off = HEM_NOTCH_OFF_CENTRE * width;
  const depth = Math.max(4, MIN_HEM_NOTCH * height);
  const minLeg = MIN_NOTCHED_LEG * width;
  for (let y = bbox.y1; y >= bbox.y1 - Math.max(2, HEM_NOTCH_ROWS * height); y--) {
    let gap = gapOverlapping(runs[y], cx - off, cx + off);
    if (!gap) continue;
    const opening = gap;
    const left = runs[y].find((r) => r[1] + 1 === opening.x0);
    const right = runs[y].find((r) => r[0] - 1 === opening.x1);
    if (!left || !right || left[1] - left[0] + 1 < minLeg || right[1] - right[0] + 1 < minLeg) continue;
    let top = y;
    for (let next = gapOverlapping(runs[top - 1] ?? [], gap.x0, gap.x1); next && top - 1 >= bbox.y0; next = gapOverlapping(runs[top - 1] ?? [], gap.x0, gap.x1)) {
      gap = next;
      top--;
    }
    if (y - top + 1 >= depth) return { x: (gap.x0 + gap.x1) / 2, y: top };
  }
  return undefined;
}

/**
 * Deepest plausible rise (waistband to crotch) in waistband widths. A flat lay's waistband is half
 * the waist's circumference (35-45 cm) and a rise 20-35 cm, high-waisted cuts included: about
 * 0.6-1.5 waistband widths on the development bottoms. A gap between the legs whose top is deeper
 * is where wide legs stop touching each other (they lie against each other from the crotch down to
 * mid-thigh or lower), not the crotch.
 */
const MAX_RISE_WAISTBANDS = 1.6;
/** The rise put on trousers whose legs touch below the crotch: the development bottoms' median. */
const TYPICAL_RISE_WAISTBANDS = 0.9;

export function findLowerLandmarks(profile: MaskProfile): LowerResult {
  const { bbox, runs } = profile;
  const height = bbox.y1 - bbox.y0 + 1;
  // Waistband corners: the top outer corners (45° corner score over the top rows).
  let waistLeft: Point = { x: bbox.x0, y: bbox.y0 };
  let waistRight: Point = { x: bbox.x1, y: bbox.y0 };
  let bestL = -Infinity, bestR = -Infinity;
  for (let y = bbox.y0; y <= bbox.y0 + 0.15 * height; y++) {
    const l = leftmost(profile, y);
    const r = rightmost(profile, y);
    if (l === undefined || r === undefined) continue;
    if (-l - (y - bbox.y0) > bestL) {
      bestL = -l - (y - bbox.y0);
      waistLeft = { x: l, y };
    }
    if (r - (y - bbox.y0) > bestR) {
      bestR = r - (y - bbox.y0);
      waistRight = { x: r, y };
    }
  }
  const waistWidth = Math.max(1, Math.hypot(waistRight.x - waistLeft.x, waistRight.y - waistLeft.y));
  const waistY = (waistLeft.y + waistRight.y) / 2;
  // (A notch at the hem is deeper than any rise: the crotch is then put at a typical rise below.)
  const gapTop = findCrotch(profile) ?? (bbox.y1 - waistY >= MIN_NOTCHED_LENGTH * waistWidth ? hemNotch(profile) : undefined);
  // Legs touching below the crotch: the crotch at a typical rise above the gap, where its centre line runs.
  const crotch = gapTop && gapTop.y - waistY > MAX_RISE_WAISTBANDS * waistWidth
    ? { x: gapTop.x, y: waistY + TYPICAL_RISE_WAISTBANDS * waistWidth }
    : gapTop;
  const landmarks: LowerLandmarks = { waistLeft, waistRight, hemLeft: { x: bbox.x0, y: bbox.y1 }, hemRight: { x: bbox.x1, y: bbox.y1 } };
  if (crotch) {
    // Leg openings: 45° corner scores over each leg's runs below the crotch.
    const corner = { lo: -Infinity, li: -Infinity, ro: -Infinity, ri: -Infinity };
    const legLeft = { outer: { x: bbox.x0, y: bbox.y1 }, inner: { x: crotch.x, y: bbox.y1 } };
    const legRight = { outer: { x: bbox.x1, y: bbox.y1 }, inner: { x: crotch.x, y: bbox.y1 } };
    for (let y = Math.ceil(crotch.y) + 1; y <= bbox.y1; y++) {
      const row = runs[y];
      const leftRuns = row.filter((r) => r[0] < crotch.x);
      const rightRuns = row.filter((r) => r[1] > crotch.x);
      if (leftRuns.length) {
        const outerX = leftRuns[0][0];
        const innerX = Math.min(leftRuns[leftRuns.length - 1][1], Math.floor(crotch.x));
        if (y - outerX > corner.lo) { corner.lo = y - outerX; legLeft.outer = { x: outerX, y }; }
        if (y + innerX > corner.li) { corner.li = y + innerX; legLeft.inner = { x: innerX, y }; }
      }
      if (rightRuns.length) {
        const outerX = rightRuns[rightRuns.length - 1][1];
        const innerX = Math.max(rightRuns[0][0], Math.ceil(crotch.x));
        if (y + outerX > corner.ro) { corner.ro = y + outerX; legRight.outer = { x: outerX, y }; }
        if (y - innerX > corner.ri) { corner.ri = y - innerX; legRight.inner = { x: innerX, y }; }
      }
    }
    landmarks.crotch = crotch;
    landmarks.legLeft = legLeft;
    landmarks.legRight = legRight;
    landmarks.hemLeft = legLeft.outer;
    landmarks.hemRight = legRight.outer;
  } else {
    let hl = -Infinity, hr = -Infinity;
    for (let y = Math.round(bbox.y0 + 0.5 * height); y <= bbox.y1; y++) {
      const l = leftmost(profile, y);
      const r = rightmost(profile, y);
      if (l === undefined || r === undefined) continue;
      if (y - l > hl) { hl = y - l; landmarks.hemLeft = { x: l, y }; }
      if (y + r > hr) { hr = y + r; landmarks.hemRight = { x: r, y }; }
    }
  }
  const length = (landmarks.hemLeft.y + landmarks.hemRight.y) / 2 - (waistLeft.y + waistRight.y) / 2;
  return { landmarks, waistWidth, length, hasLegs: crotch !== undefined };
}
