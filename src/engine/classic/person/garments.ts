/**
 * Where the upper garment ends and the lower one begins, and whether they are one piece.
 *
 * The chest and the thighs (or, on a half-body photo, just below the hips) are sampled for the two
 * garment colours. Then, row by row down the body's centre line (arms masked out so a hand on the
 * stomach does not count), each row's colour is compared with both: the split is the single
 * change point that best explains the rows above as "upper" and below as "lower". Bare-skin rows
 * (a midriff) explain both. When the two colours match and the rows show no change at all, the
 * person wears one piece (a dress or jumpsuit), and the split falls at the natural waist.
 */
import { colourModel, meanDistance, sameFabric, type ColourModel } from './colour-model.ts';
import type { BodyGeometry } from './geometry.ts';

export interface GarmentSplit {
  upper?: ColourModel;
  lower?: ColourModel;
  /**
   * An outer layer's colour (an open coat or jacket over a top), sampled on the clothed upper
   * arms, when it is another fabric than the chest's: the chest shows the inner top, so `upper`
   * alone says nothing of the coat's skirts below the split.
   */
  outer?: ColourModel;
  /** Row (analysis px) where the lower garment begins; Infinity when no lower garment is in frame. */
  splitY: number;
  wearsOnePiece: boolean;
}

export interface GarmentInput {
  lab: Float32Array;
  width: number;
  height: number;
  /** Pixels that may sample a garment colour: person, not skin, not under an arm, not hair. */
  eligible: (i: number) => boolean;
  body: BodyGeometry;
  /** Knee points when known (even weak ones), to place the thigh samples. */
  knees: Array<{ hip: { x: number; y: number }; knee: { x: number; y: number }; ankle?: { x: number; y: number } }>;
  /** Pixels that may sample an outer layer's sleeves: as `eligible`, but on the arms too. */
  sleeveEligible?: (i: number) => boolean;
  /** Per-pixel 1 when skin. */
  isSkin: Uint8Array;
}

/** Weight of lightness against a* and b* when the waist split is placed (see splitGarments). */
const SPLIT_LIGHTNESS_WEIGHT = 0.5;

/** Fewer sampled pixels than this make no colour model. */
const MIN_MODEL_PIXELS = 40;
/** Two garment colours closer than this (half-weight-L Lab distance) may be the same fabric. */
export const SAME_COLOUR = 12;

export function splitGarments(input: GarmentInput): GarmentSplit {
  const { lab, width: w, height: h, eligible, body } = input;
  const sw = body.shoulderWidth;
  const torso = body.torsoLength;
  const collect = (boxes: Array<[number, number, number, number]>, may = eligible) => {
    const pixels: number[] = [];
    for (const [cx, cy, hw, hh] of boxes) {
      for (let y = Math.max(0, Math.round(cy - hh)); y <= Math.min(h - 1, Math.round(cy + hh)); y++) {
        for (let x = Math.max(0, Math.round(cx - hw)); x <= Math.min(w - 1, Math.round(cx + hw)); x++) {
          if (may(y * w + x)) pixels.push(y * w + x);
        }
      }
    }
    return pixels;
  };
  const centreX = (y: number) => {
    const t = (y - body.shoulderMid.y) / Math.max(1, body.hipMid.y - body.shoulderMid.y);
    return body.shoulderMid.x + (body.hipMid.x - body.shoulderMid.x) * t;
  };
  const chestY = body.shoulderMid.y + torso * 0.35;
  const upper = colourModel(lab, collect([[centreX(chestY), chestY, sw * 0.22, torso * 0.12]]));

  // The outer layer: on the upper arms, halfway from shoulder to elbow (a coat's sleeves).
  const outerBoxes: Array<[number, number, number, number]> = [];
  for (const side of ['left', 'right'] as const) {
    const shoulder = body.at(`${side}_shoulder`);
    const elbow = body.at(`${side}_elbow`);
    if (shoulder && elbow) outerBoxes.push([(shoulder.x + elbow.x) / 2, (shoulder.y + elbow.y) / 2, sw * 0.05, sw * 0.05]);
  }
  const outerPixels = input.sleeveEligible ? collect(outerBoxes, input.sleeveEligible) : [];
  const sleeves = outerPixels.length >= MIN_MODEL_PIXELS ? colourModel(lab, outerPixels) : undefined;
  const outer = upper && sleeves && !sameFabric(upper, sleeves, SAME_COLOUR) ? sleeves : undefined;

  const lowerBoxes: Array<[number, number, number, number]> = [];
  if (input.knees.length) {
    for (const { hip, knee } of input.knees) {
      for (const t of [0.3, 0.55]) lowerBoxes.push([hip.x + (knee.x - hip.x) * t, hip.y + (knee.y - hip.y) * t, sw * 0.07, torso * 0.06]);
    }
  } else {
    const y = body.hipMid.y + torso * 0.25;
    lowerBoxes.push([centreX(y), y, sw * 0.25, torso * 0.12]);
  }
  // Under an outer layer the thighs may be its skirts: the shins show the trousers alone.
  const shinBoxes: Array<[number, number, number, number]> = [];
  if (outer) {
    for (const { knee, ankle } of input.knees) {
      if (ankle) shinBoxes.push([(knee.x + ankle.x) / 2, (knee.y + ankle.y) / 2, sw * 0.06, torso * 0.06]);
    }
  }
  const shinPixels = collect(shinBoxes);
  const lowerPixels = shinPixels.length >= MIN_MODEL_PIXELS ? shinPixels : collect(lowerBoxes);
  const lower = lowerPixels.length >= MIN_MODEL_PIXELS ? colourModel(lab, lowerPixels) : undefined;

  const waistY = body.shoulderMid.y + (body.hipMid.y - body.shoulderMid.y) * 0.62;
  if (!lower) return { upper, lower, outer, splitY: upper ? Infinity : waistY, wearsOnePiece: false };
  if (!upper) return { upper, lower, outer, splitY: body.hipMid.y - torso * 0.1, wearsOnePiece: false };

  // Row profile down the centre line: each row's mean colour.
  const y0 = Math.max(0, Math.round(body.shoulderMid.y + torso * 0.3));
  const y1 = Math.min(h - 1, Math.round(body.hipMid.y + torso * 0.5));
  const hipHalf = Math.max(sw * 0.15, Math.abs((body.at('left_hip')?.x ?? 0) - (body.at('right_hip')?.x ?? 0)) * 0.3);
  const rows: Array<{ y: number; lab: [number, number, number] }> = [];
  let skinRows = 0;
  for (let y = y0; y <= y1; y++) {
    const cx = centreX(y);
    let n = 0;
    let skin = 0;
    let total = 0;
    const mean: [number, number, number] = [0, 0, 0];
    for (let x = Math.max(0, Math.round(cx - hipHalf)); x <= Math.min(w - 1, Math.round(cx + hipHalf)); x++) {
      const i = y * w + x;
      total++;
      if (input.isSkin[i]) skin++;
      if (!eligible(i)) continue;
      n++;
      mean[0] += lab[i * 3];
      mean[1] += lab[i * 3 + 1];
      mean[2] += lab[i * 3 + 2];
    }
    if (total > 0 && skin > total * 0.5) skinRows++;
    if (n < 3 || skin > total * 0.5) continue;
    rows.push({ y, lab: [mean[0] / n, mean[1] / n, mean[2] / n] });
  }
  if (rows.length < 4) return { upper, lower, outer, splitY: waistY, wearsOnePiece: sameFabric(upper, lower, SAME_COLOUR) };

  // Best single change point: the split that leaves the least colour variance within the rows
  // above and within the rows below (a two-piece fit of the profile). A bare midriff is skipped
  // (its rows are skin), so the split lands in it.
  const n = rows.length;
  // Per-channel prefix sums of the rows' colour and of its square (L, a, b, L², a², b²).
  const prefix = new Float64Array((n + 1) * 6);
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < 3; c++) {
      const v = rows[k].lab[c];
      prefix[(k + 1) * 6 + c] = prefix[k * 6 + c] + v;
      prefix[(k + 1) * 6 + 3 + c] = prefix[k * 6 + 3 + c] + v * v;
    }
  }
  // Sum of squared deviations from the mean over rows [from, to), lightness weighted by `lightness`.
  const sse = (from: number, to: number, lightness = 1) => {
    const m = to - from;
    if (m <= 0) return 0;
    let total = 0;
    for (let c = 0; c < 3; c++) {
      const sum = prefix[to * 6 + c] - prefix[from * 6 + c];
      const weight = c === 0 ? lightness * lightness : 1;
      total += weight * (prefix[to * 6 + 3 + c] - prefix[from * 6 + 3 + c] - (sum * sum) / m);
    }
    return total;
  };
  // The split is placed on colour with lightness at half weight, as fabrics are told apart
  // (SAME_COLOUR): light and a print's light motifs change lightness most, and at full weight a
  // navy sweater's print against its plain lower half outweighed navy against black jeans (the
  // split fell under the print, and new jeans were drawn over the sweater's lower half).
  let best = Infinity;
  let split = n;
  for (let k = 2; k <= n - 2; k++) {
    const cost = sse(0, k, SPLIT_LIGHTNESS_WEIGHT) + sse(k, n, SPLIT_LIGHTNESS_WEIGHT);
    if (cost < best) {
      best = cost;
      split = k;
    }
  }
  // Mean colour change across the split, per row: how much better two garments explain the rows.
  const whole = sse(0, n);
  const gain = split >= n ? 0 : Math.sqrt(Math.max(0, whole - sse(0, split) - sse(split, n)) / n);
  // One piece: the same fabric above and below, no bare midriff, no clear change down the body.
  const sameColours = sameFabric(upper, lower, SAME_COLOUR);
  const wearsOnePiece = sameColours && skinRows < Math.max(3, n * 0.03) && gain < 6;
  if (wearsOnePiece) return { upper, lower, outer, splitY: waistY, wearsOnePiece };
  // Without a clear change the profile cannot place the split: the waist it is. Nor can it when
  // the two garments are one colour (a black blouse over a black mini skirt) and the rows below
  // the change are not the bottom's colour: the change is between something else, the skirt's
  // trimmed hem and the bare thighs below it, and there the whole skirt was labelled the top (new
  // trousers began at its hem, wide 26). (A jacket's hem over a black tee and black trousers is a
  // change into the bottom's colour, and stays the split.)
  let intoBottom = true;
  if (sameColours && split < n) {
    const below: [number, number, number] = [0, 0, 0];
    for (let k = split; k < n; k++) for (let c = 0; c < 3; c++) below[c] += rows[k].lab[c] / (n - split);
    intoBottom = meanDistance(below, 0, lower, SPLIT_LIGHTNESS_WEIGHT) < SAME_COLOUR;
  }
  return { upper, lower, outer, splitY: gain < 3 || split >= n || !intoBottom ? waistY : rows[split].y, wearsOnePiece };
}
