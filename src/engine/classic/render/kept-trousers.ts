/**
 * Trousers under a long top. A coat, a parka or a tunic hides the top of the person's trousers;
 * when a shorter new top bares that part, what shows there is the trousers running up to the
 * waistband, not bare thighs. This finds that part of the bared skin zone, for the caller to
 * synthesise from the trousers' own visible patches.
 */
import { createMask, type Mask } from '../../../imaging/raster.ts';
import { distanceToSegment, turnedPelvisSpan, type BodyFrame } from '../body/index.ts';
import { handEnd } from './bare-skin.ts';
import { PartLabel } from '../types.ts';
import { labelMask } from '../layers.ts';
import { labelComponents } from './masks.ts';

/** The waistband sits this far above the hip joints (share of the torso length). */
const WAISTBAND_ABOVE_HIPS = 0.15;
/** The legs are in trousers when visible trouser pixels outnumber visible leg skin this many times. */
const TROUSERS_OVER_SKIN = 3;
/** Fewer visible trouser pixels than this (analysis px) say nothing about what the legs wear. */
const MIN_TROUSER_PIXELS = 200;

/**
 * The part of `bareSkin` (coverage 0..255; the skin zone the new top leaves bare) that is trousers:
 * below the waistband row, when the person's visible legs (hips to knees, or to the frame's bottom)
 * are mostly trousers (`PartLabel.LowerGarment`) rather than skin. Null when they are not (bare legs
 * under a coat stay skin) or nothing of the zone lies below the waistband.
 */
export function trousersUnderTop(bareSkin: Mask, labels: Uint8Array, bare: Mask, body: BodyFrame): Mask | null {
  const { width, height } = bareSkin;
  const legs = legBand(body, width, height);
  let trouserPixels = 0;
  let skinPixels = 0;
  for (let y = legs.y0; y <= legs.y1; y++) {
    for (let x = legs.x0; x <= legs.x1; x++) {
      const i = y * width + x;
      if (bare.data[i] !== 0) continue;
      if (labels[i] === PartLabel.LowerGarment) trouserPixels++;
      else if (labels[i] === PartLabel.Leg) skinPixels++;
    }
  }
  if (trouserPixels < MIN_TROUSER_PIXELS || trouserPixels < TROUSERS_OVER_SKIN * skinPixels) return null;
  const onForearm = forearmTest(body);
  return zonePart(bareSkin, waistbandRow(body), height, (x, y) => !onForearm(x, y));
}

/**
 * The part of `bareSkin` that is the bottom's top on a photo that shows no legs (it ends at the
 * hips): below the waistband row, when the legs' band (hips to knees, or to the frame's bottom)
 * shows neither trousers nor leg skin. There the old top ran down out of the frame, and the bottom
 * under it, as dark as the top (a black skirt under a black tee), was parsed as the top: bared, it
 * was painted as skin down to the frame's edge, a slab of flesh where the skirt was (wide 91).
 * Kept as the photo shows it, it reads as the bottom's waistband under the new top. Null when the
 * legs show (trousersUnderTop decides then) or nothing of the zone lies below the waistband.
 */
export function bottomOutOfSight(bareSkin: Mask, labels: Uint8Array, bare: Mask, body: BodyFrame): Mask | null {
  const { width, height } = bareSkin;
  const legs = legBand(body, width, height);
  let seen = 0;
  for (let y = legs.y0; y <= legs.y1; y++) {
    for (let x = legs.x0; x <= legs.x1; x++) {
      const i = y * width + x;
      if (bare.data[i] === 0 && (labels[i] === PartLabel.LowerGarment || labels[i] === PartLabel.Leg)) seen++;
    }
  }
  // (Only a frame that ends above the knees: with the knees in sight, a band with no legs in it is
  // a long coat's or a dress's, and the old garment would stay.)
  if (seen >= MIN_TROUSER_PIXELS || Math.min(body.leg.l.joints[1].y, body.leg.r.joints[1].y) < height - 1) return null;
  // (Not the arms: a long sleeve's arm bared beside the hips is painted as an arm. Only to the
  // wrist: the hands are kept as the photo shows them, and past them, held in front of the belly,
  // the forearm's line ran on down over the bottom as a strip of skin.)
  return zonePart(bareSkin, waistbandRow(body), height, (x, y) => !body.inArm(x, y));
}

/** The row of the waistband (see WAISTBAND_ABOVE_HIPS). */
function waistbandRow(body: BodyFrame): number {
  return Math.max(0, Math.round(body.hip.l.y - WAISTBAND_ABOVE_HIPS * body.torsoLength));
}

/** The legs' band: from the hips to the knees (or the frame's bottom), across both legs. */
function legBand(body: BodyFrame, width: number, height: number): { x0: number; x1: number; y0: number; y1: number } {
  const legs = [body.leg.l, body.leg.r];
  const reach = Math.max(...legs.map((leg) => leg.radius));
  return {
    x0: Math.max(0, Math.floor(Math.min(...legs.flatMap((leg) => leg.joints.map((j) => j.x))) - reach)),
    x1: Math.min(width - 1, Math.ceil(Math.max(...legs.flatMap((leg) => leg.joints.map((j) => j.x))) + reach)),
    y0: Math.max(0, Math.round(body.hip.l.y)),
    y1: Math.min(height - 1, Math.round(Math.max(...legs.map((leg) => leg.joints[1].y)))),
  };
}

/**
 * The arms hang in front of the bottom: a forearm bared down to the hand at hip height is an arm,
 * not the bottom (drawn as trousers, it ended in a black block where the cuff was).
 */
function forearmTest(body: BodyFrame): (x: number, y: number) => boolean {
  // The forearms' segments once, not at every pixel of the zone.
  const forearms = [body.arm.l, body.arm.r].map((arm) => {
    const [, elbow, wrist] = arm.joints;
    return { elbow, end: handEnd(elbow, wrist), radius: arm.radius };
  });
  return (x, y) => body.inArm(x, y) || forearms.some((f) => distanceToSegment({ x, y }, f.elbow, f.end) <= f.radius);
}

/**
 * The part of a bared zone (coverage 0..255) in rows [fromY, toY) where `keep(x, y)`, with its
 * coverage; null when that part is empty. (What of the bared skin is another garment showing.)
 */
export function zonePart(zone: Mask, fromY: number, toY: number, keep: (x: number, y: number) => boolean): Mask | null {
  const { width, height } = zone;
  const out = createMask(width, height);
  let any = false;
  for (let y = Math.max(0, fromY); y < Math.min(height, toY); y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (zone.data[i] === 0 || !keep(x, y)) continue;
      out.data[i] = zone.data[i];
      any = true;
    }
  }
  return any ? out : null;
}

/**
 * Least colour gap (mean CIELAB, lightness at full weight) between a piece of the bottom's label
 * below the ankles and the bottom's main piece for the piece to be a shoe: a pale sole or a tan
 * boot's toe against dark jeans is 30 and more; a hem's fragment cut off by the shoe is the
 * trousers' own colour.
 */
const SHOE_COLOUR_GAP = 20;

/**
 * The parsing's labels with the shoes' pieces it took for the bottom relabelled as feet. The feet's
 * region is a disc round each ankle's foot point, and what of a shoe lies past it (a boot's pale
 * sole, a long toe) fell to the clothed pixels' rule, below the split row: the bottom. Repainted
 * with the old trousers, a cream smear stood where the toe was (wide 32). A piece of the bottom's
 * label that lies wholly below the higher ankle (`ankleY`), apart from the bottom's main (largest)
 * piece and unlike it in colour is a shoe. Null when there is none.
 */
export function shoesParsedAsBottom(labels: Uint8Array, lab: Float32Array, width: number, ankleY: number): Uint8Array | null {
  const height = labels.length / width;
  const { labels: ids, regions } = labelComponents(labelMask(labels, width, height, [PartLabel.LowerGarment]));
  if (regions.length < 2) return null;
  let main = 0;
  for (let k = 1; k < regions.length; k++) if (regions[k].size > regions[main].size) main = k;
  const below = regions.map((r, k) => k !== main && r.y0 >= ankleY);
  if (!below.some(Boolean)) return null;
  // Mean colours of the main piece and of each piece below the ankles, from one pass over their boxes.
  const sums = new Float64Array(regions.length * 4);
  for (let k = 0; k < regions.length; k++) {
    if (k !== main && !below[k]) continue;
    const r = regions[k];
    for (let y = r.y0; y < r.y1; y++) {
      for (let x = r.x0; x < r.x1; x++) {
        const i = y * width + x;
        if (ids[i] !== k + 1) continue;
        for (let c = 0; c < 3; c++) sums[k * 4 + c] += lab[i * 3 + c];
        sums[k * 4 + 3]++;
      }
    }
  }
  const mean = (k: number, c: number): number => sums[k * 4 + c] / Math.max(1, sums[k * 4 + 3]);
  let out: Uint8Array | null = null;
  for (let k = 0; k < regions.length; k++) {
    if (!below[k] || Math.hypot(mean(k, 0) - mean(main, 0), mean(k, 1) - mean(main, 1), mean(k, 2) - mean(main, 2)) < SHOE_COLOUR_GAP) continue;
    out ??= labels.slice();
    const r = regions[k];
    for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) if (ids[y * width + x] === k + 1) out[y * width + x] = PartLabel.Foot;
  }
  return out;
}

/** The first and last x of row y where `mask` ≥ 128, or [-1, -1] when the row has none. */
function rowEnds(mask: Mask, y: number): [number, number] {
  const row = y * mask.width;
  let first = -1;
  let last = -1;
  for (let x = 0; x < mask.width; x++) {
    if (mask.data[row + x] < 128) continue;
    if (first < 0) first = x;
    last = x;
  }
  return [first, last];
}

/**
 * Leg skin beside new trousers, which the trousers grow over (see composeIntoPhoto's thin bands):
 * the `Leg`-labelled pixels not in `kept` (≥ 128) on the rows the solid layer (`solid` ≥ 128)
 * spans, at most `reach` px past its first and last pixel on the row. Trousers cover the legs
 * down to their hem; where the legs showed skin (under a skirt or shorts) and the new legs, cut
 * to the garment's width, stand a little inside them, a tab of thigh stood beside the trousers'
 * side or a strip of skin between the legs (wide 26, 40). Below the hem no row of the layer is
 * solid, and the legs there stay bare.
 */
export function legSkinBesideTrousers(labels: Uint8Array, kept: Mask, solid: Mask, reach: number): Mask {
  const { width, height } = solid;
  const out = createMask(width, height);
  for (let y = 0; y < height; y++) {
    const [first, last] = rowEnds(solid, y);
    if (first < 0) continue;
    for (let x = Math.max(0, first - reach); x <= Math.min(width - 1, last + reach); x++) {
      const i = y * width + x;
      if (labels[i] === PartLabel.Leg && kept.data[i] < 128) out.data[i] = 255;
    }
  }
  return out;
}

/**
 * How far below the hip joints the hips' band reaches, as a share of the torso's length: the
 * highest a trouser's crotch is placed (see placement's legTopY + 0.12 torso lengths), above which
 * the two legs have not yet parted and the garment runs round the hips in one piece.
 */
const HIPS_BAND_BELOW = 0.12;
/**
 * Widest the hips are taken either side of the centre line, in hip-joint spacings (the body's own
 * measure: the silhouette there holds a skirt's flare). Fitted bottoms on the development photos
 * put the hips' edge 0.75-1.05 spacings out (a curvy build's at the top); past 1.1 the old garment
 * is its own cut (a flared skirt's hips, a full dress), left to the fill.
 */
const HIPS_REACH = 1.1;

/**
 * The old bottom at the hips beside new trousers, which the trousers grow over (see
 * composeIntoPhoto's thin bands): the pixels of `old` (≥ 128) on the rows from the solid layer's
 * top (`solid` ≥ 128; its waistband) down to the hips' band's foot (HIPS_BAND_BELOW, or the crotch
 * the photo shows if higher), outside the layer's first and last pixel on the row but at most
 * `reach` px past them (narrowing to nothing from the hip joints down to the band's foot), on
 * the sides of the rows where the old bottom beside the layer ends within HIPS_REACH of the centre
 * line (it fits the hips there). Trousers fit the hips: cut from a
 * flat lay scaled by the waist, they were narrower than a curvy body's hips, and the old garment
 * beside them was refilled as flesh-coloured tabs or left as patches of the old dress (wide 97, 111).
 * Below the hips the legs part and the old garment beside them is the old cut, left to the fill.
 */
export function hipsBesideTrousers(old: Mask, solid: Mask, body: BodyFrame, reach: number): Mask {
  const { width, height } = solid;
  const out = createMask(width, height);
  const hipY = (body.hip.l.y + body.hip.r.y) / 2;
  const foot = Math.min(height - 1, Math.round(Math.min(hipY + HIPS_BAND_BELOW * body.torsoLength, body.crotchY ?? Infinity)));
  const cx = body.centreX(hipY);
  // (A pelvis turned towards profile shows its joints close together: not closer than its build's.)
  const joints = Math.max(Math.hypot(body.leg.l.joints[0].x - body.leg.r.joints[0].x, body.leg.l.joints[0].y - body.leg.r.joints[0].y), turnedPelvisSpan(body.torsoLength));
  const half = HIPS_REACH * joints;
  const x0 = Math.max(0, Math.ceil(cx - half));
  const x1 = Math.min(width - 1, Math.floor(cx + half));
  let top = false;
  for (let y = 0; y <= foot; y++) {
    const [first, last] = rowEnds(solid, y);
    if (first < 0) {
      if (top) break;
      continue;
    }
    top = true;
    // Below the hip joints the reach narrows to nothing at the band's foot: the hips' curve runs
    // into the trouser leg's side (cut off level, the grown hips stood out as a flap).
    const rowReach = y <= hipY ? reach : Math.floor((reach * (foot - y)) / Math.max(1, foot - hipY));
    // Each side only where the old bottom fits the hips: its run out from the layer ends within
    // HIPS_REACH. One that runs on past it is its own cut (a full skirt), the fill's to replace.
    const row = y * width;
    let l = first - 1;
    while (l >= 0 && old.data[row + l] >= 128) l--;
    let r = last + 1;
    while (r < width && old.data[row + r] >= 128) r++;
    if (l + 1 >= x0) for (let x = Math.max(l + 1, first - rowReach); x < first; x++) out.data[row + x] = 255;
    if (r - 1 <= x1) for (let x = last + 1; x <= Math.min(r - 1, last + rowReach); x++) out.data[row + x] = 255;
  }
  return out;
}
