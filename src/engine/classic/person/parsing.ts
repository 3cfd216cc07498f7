/**
 * Step 3: per-pixel body-part labels (PartLabel) from the pose, the person mask and the skin
 * likelihood. Order matters:
 *   1. head: Face and Hair (head.ts);
 *   2. garment colours and the upper/lower split (garments.ts), long hair grown over the top;
 *   3. feet below the ankles;
 *   4. skin pixels go to the nearest body part capsule (neck, arms, hands, legs) or the torso
 *      (parts.ts) — arms in front of the torso stay arms because an arm capsule beats the torso;
 *   5. the remaining (clothed) person pixels are upper or lower garment: by the split row, by
 *      colour near it, and, inside an arm capsule, by which garment colour the sleeve matches.
 */
import { createMask, type Mask } from '../../../imaging/raster.ts';
import { PartLabel, type PersonParsing, type Point, type Pose } from '../types.ts';
import { colourDistance, colourModel, kthSmallest, modelDistance, lightnessTexture, meanDistance, sameFabric, smoothLab, smoothOffset, type ColourModel } from './colour-model.ts';
import { SAME_COLOUR, splitGarments, type GarmentSplit } from './garments.ts';
import { faceEllipse, type BodyGeometry } from './geometry.ts';
import { labelComponents } from '../garment/components.ts';
import { boxBlurPlane } from '../render/blur.ts';
import { dilateMask, labelComponents as labelMaskComponents } from '../render/masks.ts';
import { enclosedPieces, labelMask } from '../layers.ts';
import { hypot2, hypot3, type Rect } from './grid.ts';
import { growHair, labelHead } from './head.ts';
import { insidePolygon } from './mask.ts';
import { medianLab } from './skin.ts';
import { bodyParts, capsuleBoxes, capsuleLabel, capsuleScore, mayScoreBelow, type BodyParts, type Capsule } from './parts.ts';

/**
 * Skin likelihood above which a pixel counts as skin, and the weaker one that shaded skin next to
 * it may have (hysteresis: the shadow side of a shin is skin because it touches the lit side).
 */
export const SKIN_THRESHOLD = 0.15;
export const SKIN_WEAK_THRESHOLD = 0.015;

export interface ParsingInput {
  width: number;
  height: number;
  lab: Float32Array;
  personMask: Mask;
  skin: Float32Array;
  pose: Pose;
  body: BodyGeometry;
}

export interface ParsingResult {
  parsing: PersonParsing;
  garments: GarmentSplit;
}

export function parsePerson(input: ParsingInput): ParsingResult {
  const { width: w, height: h, lab, body, pose } = input;
  const n = w * h;
  const person = new Uint8Array(n);
  const maskData = input.personMask.data;
  // The person's bounding box (exclusive ends) is found in the same pass.
  let bx0 = w, by0 = h, bx1 = -1, by1 = -1;
  for (let y = 0; y < h; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0, i = y * w; x < w; x++, i++) {
      if (maskData[i] < 128) continue;
      person[i] = 1;
      if (first < 0) first = x;
      last = x;
    }
    if (first < 0) continue;
    if (first < bx0) bx0 = first;
    if (last > bx1) bx1 = last;
    if (by0 === h) by0 = y;
    by1 = y;
  }
  const box: Rect = bx1 < 0 ? { x0: 0, y0: 0, x1: 0, y1: 0 } : { x0: bx0, y0: by0, x1: bx1 + 1, y1: by1 + 1 };
  const isSkin = skinPixels(input, person, box);
  const labels = new Uint8Array(n);
  const parts = bodyParts(body, pose, h);

  // 1. Head.
  const headInput = { lab, width: w, height: h, person, isSkin, body, labels, skinLikelihood: input.skin };
  const head = labelHead(headInput);

  // 2. Garment colours. Pixels under an arm capsule do not sample them (hands on the stomach).
  const arms = armCover(parts.arms, w, h);
  const knees: Array<{ hip: { x: number; y: number }; knee: { x: number; y: number }; ankle?: { x: number; y: number } }> = [];
  for (const side of ['left', 'right'] as const) {
    const hip = body.at(`${side}_hip`);
    const k = pose.keypoints.find((p) => p.name === `${side}_knee`);
    const a = body.at(`${side}_ankle`);
    if (hip && k && k.score >= 0.3 && k.y < h) knees.push({ hip, knee: { x: k.x, y: k.y }, ankle: a && a.y < h ? a : undefined });
  }
  const garments = splitGarments({
    lab,
    width: w,
    height: h,
    body,
    knees,
    isSkin,
    eligible: (i) =>
      person[i] === 1 && !isSkin[i] && labels[i] === PartLabel.Background && maskData[i] >= 220 && arms[i] !== ARM_CORE,
    sleeveEligible: (i) => person[i] === 1 && !isSkin[i] && labels[i] === PartLabel.Background && maskData[i] >= 220,
  });
  if (head) growHair(headInput, head, garments.upper);

  // 3-5. Everything else, inside the person's bounding box.
  labelBody({ input, person, isSkin, labels, parts, arms, garments, chinY: head?.chinY ?? -Infinity, box });
  const { upper, lower } = garments;
  if (upper && lower && !garments.wearsOnePiece) claimStraySleeveParts(labels, lab, w, h, box, upper, lower);
  claimBottomIslands(labels, w, box);
  returnGarmentSpecks(labels, w, box, (ACCESSORY_SPECK_SIDE * body.shoulderWidth) ** 2);
  relabelGarmentColouredLimbs(labels, input.skin, lab, w, h, box);
  // The seen hands (a hidden one has no hand capsule, person/parts.ts).
  const handReaches = parts.capsules.flatMap((c) =>
    c.label === PartLabel.Hand && c.handFrom ? [{ elbow: c.handFrom.elbow, wrist: c.handFrom.wrist, radius: body.shoulderWidth * HAND_LENGTH }] : []);
  claimHandIslands(labels, w, box, body.shoulderWidth * HAND_ISLAND_REACH, handReaches);
  claimFingers(labels, lab, input.skin, w, box, body.shoulderWidth * FINGER_REACH);
  returnGarmentFromHands(labels, lab, w, box);
  if (upper) claimNecklineSkin(labels, input, parts.torso, upper, head?.chinY ?? body.shoulderMid.y - body.shoulderWidth * 0.35);
  if (head?.hair) claimBeard(labels, lab, body, head.chinY, head.hair, w, h);
  smoothArmOutlines(labels, w, box, body.shoulderWidth * ARM_OUTLINE_RADIUS);
  return { parsing: { width: w, height: h, labels }, garments };
}

/**
 * Radius of the window in which an arm's outline against the clothes is smoothed, as a share of
 * the shoulder width (about 3 px at the working size).
 */
const ARM_OUTLINE_RADIUS = 0.01;

/**
 * In place: where an arm meets the clothes, each pixel takes the side (arm or garment) that holds
 * most of the window around it. Judged pixel by pixel, the skin test tears a hairy or shaded arm
 * against a dark top into notches and spurs a few pixels deep, and the old garment's outline
 * followed them: the new garment grown up to the arm kept the staircase and the slivers of the old
 * top beside it (wide 51). An arm's edge against the backdrop, the hands and the torso's skin is
 * left as it is: only arm and garment pixels trade places.
 */
export function smoothArmOutlines(labels: Uint8Array, w: number, box: Rect, radiusPx: number): void {
  const r = Math.max(1, Math.round(radiusPx));
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  if (bw <= 2 * r || bh <= 2 * r) return;
  const n = bw * bh;
  const classes = [PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.UpperGarment, PartLabel.LowerGarment] as const;
  const shares = classes.map(() => new Float32Array(n));
  let armPixels = 0;
  for (let c = 0; c < classes.length; c++) {
    // No garment share is needed when there is no arm (the arms come first).
    if (c === 2 && armPixels === 0) return;
    const label = classes[c];
    let cx0 = bw;
    let cy0 = bh;
    let cx1 = -1;
    let cy1 = -1;
    for (let y = 0; y < bh; y++) {
      const row = (box.y0 + y) * w + box.x0;
      for (let x = 0; x < bw; x++) {
        if (labels[row + x] !== label) continue;
        if (x < cx0) cx0 = x;
        if (x > cx1) cx1 = x;
        if (y < cy0) cy0 = y;
        cy1 = y;
        if (c < 2) armPixels++;
      }
    }
    // A class with no pixel has a share of 0 everywhere.
    if (cx1 < 0) continue;
    // The class's share is blurred in its own box grown past the window (the rest of the share is
    // 0): the window sums of an indicator are exact in double precision whatever the box, and the
    // box's clamped edge repeats a 0 as the whole box's zeros beyond it did, so every value is the
    // one blurring the whole box gave.
    const x0 = Math.max(0, cx0 - r - 1);
    const y0 = Math.max(0, cy0 - r - 1);
    const cw = Math.min(bw, cx1 + r + 2) - x0;
    const ch = Math.min(bh, cy1 + r + 2) - y0;
    const indicator = new Float32Array(cw * ch);
    for (let y = 0; y < ch; y++) {
      const row = (box.y0 + y0 + y) * w + box.x0 + x0;
      for (let x = 0; x < cw; x++) if (labels[row + x] === label) indicator[y * cw + x] = 1;
    }
    const blurred = new Float32Array(cw * ch);
    boxBlurPlane(indicator, blurred, new Float32Array(cw * ch), cw, ch, r);
    for (let y = 0; y < ch; y++) shares[c].set(blurred.subarray(y * cw, (y + 1) * cw), (y0 + y) * bw + x0);
  }
  const [upperArm, lowerArm, upperGarment, lowerGarment] = shares;
  for (let y = 0; y < bh; y++) {
    const row = (box.y0 + y) * w + box.x0;
    for (let x = 0; x < bw; x++) {
      const i = row + x;
      const k = y * bw + x;
      const label = labels[i];
      const isArm = label === PartLabel.UpperArm || label === PartLabel.LowerArm;
      const isGarment = label === PartLabel.UpperGarment || label === PartLabel.LowerGarment;
      if (!isArm && !isGarment) continue;
      const arm = upperArm[k] + lowerArm[k];
      const garment = upperGarment[k] + lowerGarment[k];
      if (isArm && garment > 0.5) labels[i] = upperGarment[k] >= lowerGarment[k] ? PartLabel.UpperGarment : PartLabel.LowerGarment;
      else if (isGarment && arm > 0.5) labels[i] = upperArm[k] >= lowerArm[k] ? PartLabel.UpperArm : PartLabel.LowerArm;
    }
  }
}

/** Deepest a beard hangs below the fitted chin, as a share of the head's width. */
const BEARD_DEPTH = 0.45;
/** Largest distance (colourDistance, CIELAB with lightness at half weight) of a beard's run from the hair's colour. */
const BEARD_HAIR_DISTANCE = 15;
/** Half the width of the columns a beard is looked for in, as a share of the head's width (the jaw's). */
const BEARD_HALF_WIDTH = 0.4;

/**
 * In place: a run of "top" hanging from the hair below the chin with the neck's skin below it is
 * a beard, or the neck's shadow under one, not the top: no top is worn over the neck with skin
 * below it. (A beard and a black tee are alike in colour, so the hair was not grown there; taken
 * for the top, the beard's lower edge was repainted as neck skin, a flat band with a straight top
 * under the beard.) Per column across the jaw, from the chin down.
 */
function claimBeard(labels: Uint8Array, lab: Float32Array, body: BodyGeometry, chinY: number, hair: ColourModel, w: number, h: number): void {
  if (!body.head) return;
  const { centre, width: headWidth } = body.head;
  const x0 = Math.max(0, Math.round(centre.x - BEARD_HALF_WIDTH * headWidth));
  const x1 = Math.min(w - 1, Math.round(centre.x + BEARD_HALF_WIDTH * headWidth));
  const maxY = Math.min(h - 1, Math.round(chinY + BEARD_DEPTH * headWidth));
  const isHead = (l: number): boolean => l === PartLabel.Hair || l === PartLabel.Face;
  const isSkinBelow = (l: number): boolean => l === PartLabel.Neck || l === PartLabel.TorsoSkin;
  for (let x = x0; x <= x1; x++) {
    // The hair or face's lowest pixel in the column, from the chin's row down.
    let y = Math.max(1, Math.round(chinY));
    while (y <= maxY && isHead(labels[y * w + x])) y++;
    if (y > maxY || !isHead(labels[(y - 1) * w + x]) || labels[y * w + x] !== PartLabel.UpperGarment) continue;
    let end = y;
    while (end <= maxY && labels[end * w + x] === PartLabel.UpperGarment) end++;
    if (end > maxY || !isSkinBelow(labels[end * w + x])) continue;
    // The hair's colour on the whole: the neck's own shadow beside hanging curls, parsed as the
    // top, is no beard (kept, it stood as a darker strip down the repainted neck).
    const mean = [0, 0, 0];
    for (let k = y; k < end; k++) for (let c = 0; c < 3; c++) mean[c] += lab[(k * w + x) * 3 + c] / (end - y);
    if (colourDistance(mean, 0, hair) > BEARD_HAIR_DISTANCE) continue;
    for (let k = y; k < end; k++) labels[k * w + x] = PartLabel.Hair;
  }
}

/** How far below the shoulder line an open neckline's skin is looked for, as a share of the torso's length. */
const NECKLINE_MAX_DEPTH = 0.6;
/** Half the width of the band above the shoulder line searched (the neck's base), as a share of the shoulder distance. */
const NECK_BASE_HALF = 0.5;

/**
 * Skin in an open neckline (an unbuttoned shirt's V, a scoop) read as the top's. The chest there is
 * shaded by the collar and the chin, so its likelihood falls below the confident skin's and the
 * short growth into shadow (skinPixels) stops a few pixels below the neck: the rest of the V was
 * labelled garment, repainted and came out as a flat skin slab with the necklace in it erased.
 * Grown here from the neck and torso skin down the torso, through smooth, weakly skin-like pixels
 * nearer the skin's colour than the top's; a beige top is nearer its own colour and stays the top.
 */
function claimNecklineSkin(labels: Uint8Array, input: ParsingInput, torso: Point[] | undefined, upper: ColourModel, chinY: number): void {
  const { width: w, height: h, lab, body, skin: likelihood } = input;
  const y0 = Math.max(0, Math.floor(chinY));
  const y1 = Math.min(h, Math.ceil(body.shoulderMid.y + body.torsoLength * NECKLINE_MAX_DEPTH));
  const half = body.shoulderWidth * NECK_BASE_HALF;
  const rect: Rect = {
    x0: Math.max(0, Math.floor(body.shoulderMid.x - body.shoulderWidth)),
    x1: Math.min(w, Math.ceil(body.shoulderMid.x + body.shoulderWidth)),
    y0,
    y1,
  };
  if (rect.x1 <= rect.x0 || y1 <= y0) return;
  const skinPixelsSeen: number[] = [];
  for (let y = y0; y < y1; y++) {
    for (let x = rect.x0; x < rect.x1; x++) {
      const v = labels[y * w + x];
      if (v === PartLabel.Neck || v === PartLabel.TorsoSkin) skinPixelsSeen.push(y * w + x);
    }
  }
  const skin = colourModel(lab, skinPixelsSeen);
  if (!skin) return;
  const texture = lightnessTexture(lab, w, rect, 2);
  const eligible = (x: number, y: number, i: number): boolean =>
    labels[i] === PartLabel.UpperGarment &&
    likelihood[i] > SKIN_WEAK_THRESHOLD &&
    texture[i] < MAX_SKIN_TEXTURE &&
    ((torso !== undefined && insidePolygon(x, y, torso)) || (y < body.shoulderMid.y && Math.abs(x - body.shoulderMid.x) < half)) &&
    colourDistance(lab, i * 3, skin) < colourDistance(lab, i * 3, upper);
  const queue = new Int32Array(skinPixelsSeen.length + (rect.x1 - rect.x0) * (y1 - y0));
  let tail = 0;
  for (const i of skinPixelsSeen) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const x = i % w;
    const y = (i - x) / w;
    for (let d = 0; d < 4; d++) {
      const nx = d === 0 ? x - 1 : d === 1 ? x + 1 : x;
      const ny = d === 2 ? y - 1 : d === 3 ? y + 1 : y;
      if (nx < rect.x0 || nx >= rect.x1 || ny < y0 || ny >= y1) continue;
      const j = ny * w + nx;
      if (!eligible(nx, ny, j)) continue;
      labels[j] = PartLabel.TorsoSkin;
      queue[tail++] = j;
    }
  }
}

interface BodyLabelling {
  input: ParsingInput;
  person: Uint8Array;
  isSkin: Uint8Array;
  labels: Uint8Array;
  parts: BodyParts;
  arms: Uint8Array;
  garments: GarmentSplit;
  chinY: number;
  box: Rect;
}

/**
 * Steps 3-5: feet, skin parts, hands, accessories and the two garments for the person pixels the
 * head step left unlabelled. A function of its own (not part of parsePerson) so that its pixel
 * loop is compiled once with its own inlining budget.
 */
function labelBody(ctx: BodyLabelling): void {
  const { input, person, isSkin, labels, parts, arms, garments, chinY, box } = ctx;
  const { width: w, height: h, lab, body, pose } = input;
  const feet = footRegions(pose, body);
  // The shoe's own colour, from below the ankle: a trouser hem (a rolled cuff, a printed hem)
  // beside the ankle is told from the shoe by which of the two it is nearer.
  const shoes = feet.map((f) => shoeColour(f, lab, person, isSkin, w, h));
  const { upper, lower, splitY } = garments;
  // Garment decisions compare local average colours, so a print (leopard, zebra) reads as one
  // fabric instead of its dark and light spots matching different garments.
  const smooth = smoothLab(lab, w, box, Math.max(2, Math.round(body.shoulderWidth * 0.03)));
  const smoothed = (x: number, y: number, model: ColourModel) => meanDistance(smooth.data, smoothOffset(smooth, x, y), model);
  const closerToUpper = (x: number, y: number) => smoothed(x, y, upper!) <= smoothed(x, y, lower!);
  const nearerLowerThanShoe = (foot: FootRegion, x: number, y: number): boolean => {
    const shoe = shoes[feet.indexOf(foot)];
    if (!shoe || !lower) return false;
    const o = smoothOffset(smooth, x, y);
    const toShoe = hypot3(smooth.data[o] - shoe[0], smooth.data[o + 1] - shoe[1], smooth.data[o + 2] - shoe[2]);
    return smoothed(x, y, lower) < toShoe;
  };
  const hands = parts.capsules.filter((c) => c.label === PartLabel.Hand);
  const legs = parts.capsules.filter((c) => c.label === PartLabel.Leg);
  // Most pixels are far from every hand: a bounding-box test rules those out before the exact score.
  const handBoxes = capsuleBoxes(hands);
  const nearHand = (x: number, y: number, limit: number): boolean => {
    for (let k = 0; k < hands.length; k++) {
      if (mayScoreBelow(handBoxes, k, hands[k].radius, x, y, limit) && capsuleScore(hands[k], x, y) < limit) return true;
    }
    return false;
  };
  // Rows where some hand's box (grown for limit 3 or 1) reaches: elsewhere nearHand is false
  // for every pixel of the row, so the row test alone decides.
  const handRows = (limit: number): Uint8Array => {
    const rows = new Uint8Array(h);
    for (let k = 0; k < hands.length; k++) {
      const reach = limit * hands[k].radius + 1;
      const from = Math.max(0, Math.ceil(handBoxes[k * 4 + 2] - reach));
      const to = Math.min(h - 1, Math.floor(handBoxes[k * 4 + 3] + reach));
      for (let y = from; y <= to; y++) rows[y] = 1;
    }
    return rows;
  };
  const rowsNearHand = handRows(3);
  const rowsInHand = handRows(1);
  const isAccessory = (i: number, x: number, y: number) => {
    if (!upper || arms[i] || !rowsNearHand[y] || !nearHand(x, y, 3)) return false;
    if ((parts.torso && insidePolygon(x, y, parts.torso)) || legs.some((c) => capsuleScore(c, x, y) < 1.2)) return false;
    const far = (m: ColourModel | undefined) => !m || smoothed(x, y, m) > ACCESSORY_DISTANCE;
    return far(upper) && far(lower);
  };
  const inHand = (x: number, y: number) => rowsInHand[y] === 1 && nearHand(x, y, 1);
  const capsules = parts.capsules;
  const boxes = capsuleBoxes(capsules);
  // Where a sleeve can be below the top's hem: down the arms whose upper arm is clothed. A bare
  // upper arm (a tank top) has no sleeve further down, and pale trousers beside it are trousers.
  const clothed = clothedArms(parts.arms, isSkin, person, w, h);
  const sleeves = sleeveCover(arms, parts.arms, clothed, w, h);
  // A cuff only on a sleeve that runs down the forearm: a short sleeve's arm has none (see sleevedToWrist).
  const toWrist = sleevedToWrist(clothed, isSkin, person, w, h);
  const cuffs = sleeveCover(arms, parts.arms, toWrist, w, h);
  const clothedSleeves = toWrist.some((c) => c.label === PartLabel.LowerArm);
  // A sleeve's cuff on the arm's axis beside the body, off the torso and the legs, is judged by
  // its own colour: the local average there mixes in the hand and the trousers beside it. (On a
  // one-piece garment, a long coat or a dress with sleeves, both colours are the one fabric's, and
  // the sleeve below the waist is the top's whatever its colour says: left to the skirt's label, a
  // coat's sleeve stayed down the arm beside a new top's short one.)
  const cuffBesideBody = (i: number, x: number, y: number): boolean =>
    // On a clothed arm's axis, or at its wrist (the forearm capsule's end is the hand's).
    (cuffs[i] === ARM_CORE || (clothedSleeves && rowsInHand[y] === 1 && nearHand(x, y, 1))) &&
    !(parts.torso && insidePolygon(x, y, parts.torso)) &&
    !legs.some((c) => capsuleScore(c, x, y) < 0.8) &&
    (garments.wearsOnePiece || meanDistance(lab, i * 3, upper!) < meanDistance(lab, i * 3, lower!));
  // A top worn over the trousers, an open coat or a long shirt hangs below the row where the
  // lower garment begins: there a pixel whose local colour is clearly the top's (much nearer it
  // than the lower garment, and near it in absolute terms) is the top's, down to the knees at most.
  // Left as lower garment, a coat's skirts would be painted over by new trousers and a long old
  // top would stay visible below a shorter new one.
  const distinctGarments = upper !== undefined && lower !== undefined && !garments.wearsOnePiece &&
    (!sameFabric(upper, lower, SAME_COLOUR) || (garments.outer !== undefined && !sameFabric(garments.outer, lower, SAME_COLOUR)));
  const hangLimitY = body.hipMid.y + body.torsoLength * HANG_LIMIT;
  const hanging = new Uint8Array(w * h);
  // The top's pixels below the split that are a sleeve or its cuff beside the bottom.
  const sleeved = new Uint8Array(w * h);
  const hangsBelowSplit = (x: number, y: number): boolean => {
    const o = smoothOffset(smooth, x, y);
    const toTop = meanDistance(smooth.data, o, upper!);
    // An open coat's skirts are the coat's colour, not the top's under it.
    const toUpper = Math.min(toTop, garments.outer ? meanDistance(smooth.data, o, garments.outer) : Infinity);
    // Near the top in absolute terms; for an outer layer, as a fabric is, whatever its light: a
    // coat's skirts hang in the shade of the body and the legs, far darker than the lit sleeve its
    // colour was sampled on, and held to the lit colour they were parsed as the trousers (new
    // trousers were drawn over them and the rest refilled as backdrop, wide 59). (Not for the top
    // itself, sampled on the chest: a printed dress's skirt read as its bodice's print in another
    // light, and its fragments were kept on new jeans.) Which garment is nearer is still told with
    // lightness at full weight (black from charcoal).
    const outer = garments.outer;
    const nearTop = Math.min(toTop, outer ? meanDistance(smooth.data, o, outer, SHADE_LIGHTNESS_WEIGHT) : Infinity);
    return nearTop < HANG_MAX_DISTANCE && toUpper < HANG_RATIO * meanDistance(smooth.data, o, lower!);
  };
  // The bottom's top edge is no row: a waistband curves up over the hips, a high-waisted cut rises
  // at the sides. Above the split, a pixel whose local colour is clearly the bottom's (as a hanging
  // top's is the top's below it) is the bottom's, a little way up: left as the top, white jeans'
  // waistband stayed as a white band above new trousers.
  const riseFromY = garments.splitY - body.torsoLength * RISE_LIMIT;
  const rising = new Uint8Array(w * h);
  const risesAboveSplit = (x: number, y: number): boolean => {
    const toLower = smoothed(x, y, lower!);
    return toLower < HANG_MAX_DISTANCE && toLower < HANG_RATIO * Math.min(smoothed(x, y, upper!), garments.outer ? smoothed(x, y, garments.outer) : Infinity);
  };
  const background = PartLabel.Background;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      if (!person[i] || labels[i] !== background) continue;
      // Feet and shoes: below the ankle, unless it is the trousers' or skirt's hem. The distance
      // is at least |dx| (hypot never rounds below a leg), so a pixel that far off is no foot.
      let foot: FootRegion | undefined;
      for (let k = 0; k < feet.length; k++) {
        const f = feet[k];
        if (y > f.top && Math.abs(x - f.x) < f.radius && hypot2(x - f.x, y - f.y) < f.radius) foot = f;
      }
      if (foot) {
        const hem = !isSkin[i] && lower && y < foot.y && (smoothed(x, y, lower) < 10 || nearerLowerThanShoe(foot, x, y));
        if (!hem) {
          labels[i] = PartLabel.Foot;
          continue;
        }
      }
      if (isSkin[i]) {
        if (y < chinY && body.head && Math.abs(x - body.head.centre.x) < body.head.width * 0.6) {
          labels[i] = PartLabel.Face;
          continue;
        }
        let best = Infinity;
        let label: PartLabel = PartLabel.TorsoSkin;
        // Inside the torso an arm must be clearly closer to its axis to claim a pixel.
        const inTorso = parts.torso !== undefined && insidePolygon(x, y, parts.torso);
        if (inTorso) best = 0.85;
        for (let k = 0; k < capsules.length; k++) {
          const c = capsules[k];
          // A capsule that cannot beat the best score so far changes nothing: skip its exact score.
          if (best !== Infinity && !mayScoreBelow(boxes, k, c.radius, x, y, best)) continue;
          const s = capsuleScore(c, x, y);
          if (s < best) {
            best = s;
            label = capsuleLabel(c, x, y);
          }
        }
        if (!inTorso && best > 1.6) {
          // Far from every part (and outside the torso): the nearest one all the same, unless it
          // lies level with the torso, where it is torso skin (a bare back or side).
          label = y > body.shoulderMid.y && y < body.hipMid.y ? PartLabel.TorsoSkin : label;
        }
        labels[i] = label;
        continue;
      }
      // Fingers are textured (edges between them) and shaded: inside a hand capsule anything
      // skin-hued is hand.
      if (input.skin[i] > SKIN_WEAK_THRESHOLD && inHand(x, y)) {
        labels[i] = PartLabel.Hand;
        continue;
      }
      // A bag or anything held: off the body (outside the torso and the legs, not on an arm) and
      // the colour of neither garment.
      if (isAccessory(i, x, y)) {
        labels[i] = PartLabel.Accessory;
        continue;
      }
      // Clothed pixel. A sleeve: inside an arm capsule (widened for loose sleeves), matching the
      // upper garment better than the lower one.
      if (!lower || y < splitY) {
        if (distinctGarments && y >= riseFromY && !sleeves[i] && risesAboveSplit(x, y)) {
          labels[i] = PartLabel.LowerGarment;
          rising[i] = 1;
        } else labels[i] = PartLabel.UpperGarment;
      } else if (upper && ((!garments.wearsOnePiece && sleeves[i] && closerToUpper(x, y)) || cuffBesideBody(i, x, y))) {
        labels[i] = PartLabel.UpperGarment;
        sleeved[i] = 1;
      }
      else if (distinctGarments && y < hangLimitY && hangsBelowSplit(x, y)) {
        labels[i] = PartLabel.UpperGarment;
        hanging[i] = 1;
      } else labels[i] = PartLabel.LowerGarment;
    }
  }
  if (distinctGarments) {
    keepHangingAttached(labels, hanging, sleeved, w, body.shoulderWidth * SLEEVE_EDGE);
    keepAttached(labels, rising, w, h, PartLabel.LowerGarment, PartLabel.UpperGarment, 1);
  }
  // A bag held at the side in the colour of a garment (a black bag beside a black top) passes the
  // colour test above and was labelled garment: repainted, it came out as a grey ghost. Off the
  // body and hanging from a hand, a garment-labelled piece that touches the worn garments along
  // little of its outline is held, not worn.
  const offBody = (x: number, y: number, i: number): boolean =>
    arms[i] === 0 && !(parts.torso && insidePolygon(x, y, parts.torso)) && !legs.some((c) => capsuleScore(c, x, y) < HELD_LEG_CLEARANCE);
  claimHeldObjects(labels, offBody, (x, y) => rowsInHand[y] === 1 && nearHand(x, y, 1), w, box, HELD_MIN_AREA * body.shoulderWidth * body.torsoLength);
  claimAccessoryIslands(labels, w, box);
}

/**
 * How far from the hand's label a piece of skin parsed as leg or torso skin may reach and still be
 * the hand's own, as a share of the shoulder width (a finger's width or two).
 */
const HAND_ISLAND_REACH = 0.06;

/**
 * How far from its wrist a hand reaches, as a share of the shoulder width: wrist to fingertips is
 * about half the shoulder width (a hand of 18-19 cm, shoulders 36-40 cm apart).
 */
const HAND_LENGTH = 0.5;

/** A seen hand for claimHandIslands: the forearm's ends and how far past the wrist the hand reaches (px). */
export interface HandReach {
  elbow: Point;
  wrist: Point;
  radius: number;
}

/**
 * In place: skin parsed as leg or torso skin that lies on a hand is the hand. Skin goes to the
 * capsule it scores best in, and the thigh's capsule is wide: the side of a hand resting on the
 * trousers, a finger's shaded flank, parsed as leg, and a lower body's repaint took leg skin for
 * the old trousers' and drew the new ones over it, a black or blue smear across the fingers
 * (wide 15, 32, 50). A piece of leg or torso skin (8-connected) that touches the hand's label and
 * lies within `reachPx` of it everywhere is the hand's. Real leg or midriff skin beside a hand
 * (shorts, a cropped top) runs on past that reach and stays as it is.
 *
 * So is a piece that lies wholly within a hand's reach (`hands`, where given: past the wrist, no
 * farther from it than `HandReach.radius`): a hand in a pocket or on the hip bends at the wrist,
 * its back lies in the thigh's capsule, and only the fingers and the wrist's end went to the
 * hand. The back of the hand, a palm's width across, was parsed as leg, and a new top longer than
 * the old one was drawn over it: the hand showed as its thumb and fingers round a slab of the new
 * top (wide 1, 4, 28). A thigh or a midriff beside the hand runs on past that reach and stays.
 */
export function claimHandIslands(labels: Uint8Array, w: number, box: Rect, reachPx: number, hands: readonly HandReach[] = []): void {
  const h = labels.length / w;
  const isPiece = (v: number): boolean => v === PartLabel.Leg || v === PartLabel.TorsoSkin;
  const candidate = new Uint8Array(labels.length);
  let any = false;
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) {
      if (isPiece(labels[i])) {
        candidate[i] = 1;
        any = true;
      }
    }
  }
  if (!any) return;
  const hand = labelMask(labels, w, h, [PartLabel.Hand]);
  if (!hand.data.includes(255)) return;
  const nearHand = dilateMask(hand, Math.max(1, Math.round(reachPx))).data;
  const { labels: pieces, areas } = labelComponents(candidate, w, h);
  // 1: touches the hand; 2: also strays past its reach.
  const state = new Uint8Array(areas.length);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      const k = pieces[i];
      if (k === 0 || state[k] === 1) continue;
      if ((x > 0 && labels[i - 1] === PartLabel.Hand) || (x < w - 1 && labels[i + 1] === PartLabel.Hand) ||
        (y > 0 && labels[i - w] === PartLabel.Hand) || (y < h - 1 && labels[i + w] === PartLabel.Hand)) state[k] = 1;
    }
  }
  if (!state.includes(1)) return;
  // Past the wrist (on the far side of the line across the forearm there) and within the radius.
  const inHandReach = (x: number, y: number): boolean =>
    hands.some(({ elbow, wrist, radius }) =>
      (x - wrist.x) * (wrist.x - elbow.x) + (y - wrist.y) * (wrist.y - elbow.y) >= 0 && hypot2(x - wrist.x, y - wrist.y) <= radius);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0, i = y * w + box.x0; x < box.x1; x++, i++) {
      const k = pieces[i];
      if (state[k] === 1 && nearHand[i] === 0 && !inHandReach(x, y)) state[k] = 2;
    }
  }
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) if (state[pieces[i]] === 1) labels[i] = PartLabel.Hand;
  }
}

/** Longest finger run grown past the hand's label, as a share of the shoulder width (a finger's length). */
const FINGER_REACH = 0.3;
/** Skin likelihood a finger pixel must have: well below the confident skin's, above the plain fabric's. */
const FINGER_MIN_LIKELIHOOD = 0.05;
/** A pixel is the hand's when its distance to the hand's colour is below this share of its distance to the garment's. */
const FINGER_COLOUR_RATIO = 0.8;

/**
 * In place: fingers spread over a garment beyond the hand's capsule. The capsule runs along the
 * forearm's line; a hand on the hip bends at the wrist and its fingers lie across the dress, lit
 * by it (a red glow, a shaded flank) and too weakly skin-like for the skin test: parsed as the
 * dress, they were painted over by the new top, which cut the hand off at its knuckles (wide 75).
 * Garment pixels are grown into from the hand's label, up to `reachPx` steps, where the skin
 * likelihood is at least FINGER_MIN_LIKELIHOOD and the colour is clearly nearer the hand's than
 * the garment's they were parsed as.
 */
export function claimFingers(labels: Uint8Array, lab: Float32Array, likelihood: Float32Array, w: number, box: Rect, reachPx: number): void {
  const h = labels.length / w;
  const seeds: number[] = [];
  const garmentPixels: number[][] = [[], []];
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) {
      const v = labels[i];
      if (v === PartLabel.Hand) seeds.push(i);
      else if (v === PartLabel.UpperGarment) garmentPixels[0].push(i);
      else if (v === PartLabel.LowerGarment) garmentPixels[1].push(i);
    }
  }
  const hand = colourModel(lab, seeds);
  if (!hand) return;
  // (A garment of the skin's own colour, beige chinos under the fingers, says nothing: its pixels
  // are as near the hand's, and grown into, the old chinos were kept beside the fingers.)
  const models = garmentPixels.map((pixels) => {
    const model = colourModel(lab, pixels);
    return model && modelDistance(model, hand) >= SAME_COLOUR ? model : undefined;
  });
  const garmentOf = (v: number): ColourModel | undefined =>
    v === PartLabel.UpperGarment ? models[0] : v === PartLabel.LowerGarment ? models[1] : undefined;
  const eligible = (j: number): boolean => {
    const garment = garmentOf(labels[j]);
    return garment !== undefined && likelihood[j] >= FINGER_MIN_LIKELIHOOD &&
      colourDistance(lab, j * 3, hand) < FINGER_COLOUR_RATIO * colourDistance(lab, j * 3, garment);
  };
  let frontier = seeds;
  for (let step = 0; step < Math.round(reachPx) && frontier.length > 0; step++) {
    const next: number[] = [];
    for (const i of frontier) {
      const x = i % w;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i >= w ? i - w : -1, i + w < w * h ? i + w : -1]) {
        if (j < 0 || !eligible(j)) continue;
        labels[j] = PartLabel.Hand;
        next.push(j);
      }
    }
    frontier = next;
  }
}

/**
 * In place: hand pixels of a worn garment's colour go back to that garment. The hand capsule is
 * wide and runs far past the wrist, and a garment of skin's hue (orange or camel trousers under a
 * hand resting on them, a coral top under crossed arms) passes the skin test there: labelled
 * hand, it was kept as the photo shows it, a capsule-shaped patch of the old garment over the new
 * one (wide 13). A hand pixel within SAME_COLOUR of the colour of a garment's labelled pixels,
 * and clearly nearer it than the face's skin, is that garment's (unless the garment's colour is the skin's own).
 * Without a face to compare with, nothing changes.
 */
function returnGarmentFromHands(labels: Uint8Array, lab: Float32Array, w: number, box: Rect): void {
  const of = (label: PartLabel): number[] => {
    const pixels: number[] = [];
    for (let y = box.y0; y < box.y1; y++) {
      for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) if (labels[i] === label) pixels.push(i);
    }
    return pixels;
  };
  const face = of(PartLabel.Face);
  const hands = of(PartLabel.Hand);
  if (face.length < MIN_REFERENCE_PIXELS || hands.length === 0) return;
  const faceSkin = colourModel(lab, face);
  const worn: Array<{ model: ColourModel; label: PartLabel }> = [];
  if (!faceSkin) return;
  for (const label of [PartLabel.UpperGarment, PartLabel.LowerGarment]) {
    const model = colourModel(lab, of(label));
    // (A garment as pale and warm as the skin itself, a cream blouse, says nothing: the hand's own
    // pixels are as near it, and taken for it the hand was painted over at the cuff.)
    if (model && modelDistance(model, faceSkin) >= SAME_COLOUR) worn.push({ model, label });
  }
  if (worn.length === 0) return;
  for (const i of hands) {
    // Clearly nearer the garment than the face's skin (HAND_GARMENT_MARGIN), and near it.
    let best = Math.min(SAME_COLOUR, HAND_GARMENT_MARGIN * colourDistance(lab, i * 3, faceSkin));
    for (const { model, label } of worn) {
      const d = colourDistance(lab, i * 3, model);
      if (d < best) {
        best = d;
        labels[i] = label;
      }
    }
  }
}

/**
 * In place: a hole in the person mask that the upper garment encloses all round, above the
 * armpits and smaller than a hand, is the garment (and the person): the matte took a dark thing
 * worn on it for backdrop (headphones round the neck over a white tee). Left as a hole, it was
 * kept as the photo shows it while all round it was repainted, a piece of headphone floating on
 * the painted neck (wide 43). Lower down, a hole enclosed by the top is the backdrop seen between
 * a sleeved arm and the body, and stays.
 */
export function fillHolesInTop(personMask: Mask, labels: Uint8Array, body: BodyGeometry): void {
  const { width: w, height: h } = personMask;
  const outside = createMask(w, h);
  for (let i = 0; i < outside.data.length; i++) outside.data[i] = personMask.data[i] < 128 ? 255 : 0;
  const holes = labelMaskComponents(outside);
  const lowest = body.shoulderMid.y + HOLE_MAX_DROP * body.torsoLength;
  const maxArea = (HOLE_MAX_SIDE * body.shoulderWidth) ** 2;
  const candidate = holes.regions.map((r) => r.x0 > 0 && r.y0 > 0 && r.x1 < w && r.y1 < h && r.y1 <= lowest && r.size <= maxArea);
  if (!candidate.some(Boolean)) return;
  // Every person pixel beside a hole must be the top's.
  const enclosed = candidate.slice();
  for (let i = 0; i < outside.data.length; i++) {
    const id = holes.labels[i];
    if (id === 0 || !enclosed[id - 1]) continue;
    const x = i % w;
    for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
      if (j < 0 || j >= outside.data.length || holes.labels[j] === id) continue;
      if (labels[j] !== PartLabel.UpperGarment) enclosed[id - 1] = false;
    }
  }
  for (let i = 0; i < outside.data.length; i++) {
    const id = holes.labels[i];
    if (id === 0 || !enclosed[id - 1]) continue;
    personMask.data[i] = 255;
    labels[i] = PartLabel.UpperGarment;
  }
}

/** Lowest a hole filled by fillHolesInTop may reach, below the shoulder line, as a share of the torso length (about the armpits). */
const HOLE_MAX_DROP = 0.3;
/** Side of the square whose area is the largest hole fillHolesInTop fills, as a share of the shoulder width (about a hand). */
const HOLE_MAX_SIDE = 0.25;

/** A hand pixel goes to a garment only when its distance to the garment's colour is below this share of its distance to the face's skin. */
const HAND_GARMENT_MARGIN = 0.5;

/** Leg capsule score (1 on the capsule's edge) beyond which a piece is off the legs. */
const HELD_LEG_CLEARANCE = 1.2;
/** Smallest held object, as a share of the torso's box (shoulder width x torso length). */
const HELD_MIN_AREA = 0.02;
/** Largest share of a held object's outline that may touch the worn garments: a skirt's flare beside the legs touches them along its whole side. */
const HELD_MAX_CONTACT = 0.2;

/** Share of a garment piece's outline that must border an accessory for the piece to be the accessory's. */
const ACCESSORY_ISLAND_ENCLOSED = 0.8;

/**
 * In place: pieces of garment label that an accessory encloses are the accessory. A striped or
 * patterned bag's stripes in a garment's colour (black stripes on a clutch held beside a black
 * skirt) passed the garment's colour test one by one: repainted, the bag was shredded to its
 * other stripes (wide 100). A piece of garment labels (8-connected) whose outline borders the
 * accessory along at least ACCESSORY_ISLAND_ENCLOSED of its length is part of it; a garment
 * seen between a strap and the body borders the body and the rest of the garment as well.
 */
export function claimAccessoryIslands(labels: Uint8Array, w: number, box: Rect): void {
  if (!labels.includes(PartLabel.Accessory)) return;
  const islands = enclosedPieces(labels, w, box, [PartLabel.UpperGarment, PartLabel.LowerGarment], [PartLabel.Accessory], ACCESSORY_ISLAND_ENCLOSED);
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) if (islands.data[i] !== 0) labels[i] = PartLabel.Accessory;
  }
}

/** Share of an accessory piece's outline that must border one garment for the piece to be a speck of that garment. */
const ACCESSORY_SPECK_ENCLOSED = 0.9;
/**
 * Side of the square whose area is the largest accessory piece returnGarmentSpecks gives back, as
 * a share of the shoulder width (about a finger's length: a held bag or cup is far larger, a
 * crochet motif's dark centre or a shaded fold of a sleeve's ruffle, measured 50-340 px at
 * 768x1024 with shoulders of about 250 px, smaller).
 */
const ACCESSORY_SPECK_SIDE = 0.1;

/**
 * In place: small accessory pieces that one garment encloses are that garment. Off the torso, a
 * motif of a printed or crocheted top, or a fold of a sleeve's ruffle, whose colour is neither
 * garment's mean passed the accessory test (the colour of neither garment, near a hand); labelled
 * accessory it was protected, and the photo kept it as specks of the old top on the new one (wide
 * 1, the dark centres of a crochet top's squares). A piece (8-connected) of at most `maxArea` px
 * whose outline borders the same garment along at least ACCESSORY_SPECK_ENCLOSED of its length
 * is that garment's; a held object borders the hand and is larger.
 */
export function returnGarmentSpecks(labels: Uint8Array, w: number, box: Rect, maxArea: number): void {
  if (!labels.includes(PartLabel.Accessory)) return;
  for (const garment of [PartLabel.UpperGarment, PartLabel.LowerGarment]) {
    const enclosed = enclosedPieces(labels, w, box, [PartLabel.Accessory], [garment], ACCESSORY_SPECK_ENCLOSED);
    const { labels: ids, regions } = labelMaskComponents(enclosed);
    for (let y = box.y0; y < box.y1; y++) {
      for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) {
        const k = ids[i];
        if (k !== 0 && regions[k - 1].size <= maxArea) labels[i] = garment;
      }
    }
  }
}

/** Share of a top piece's outline that must border the bottom for the piece to be the bottom's... */
const BOTTOM_ISLAND_ENCLOSED = 0.6;
/**
 * ...and that must border the bottom or the backdrop: a piece that touches the body's other parts
 * along more than the rest (a cuff between the forearm and the trousers, a hem cut off by a hand)
 * is the top's own.
 */
const BOTTOM_ISLAND_OUTER = 0.9;

/**
 * In place: pieces of the top's label that the bottom encloses are the bottom. A printed skirt's
 * motifs nearer the print of the bodice than the skirt's mean colour were labelled top one by one:
 * a new bottom kept them as the top (protected) and they stayed as fragments of the old print on
 * the new jeans (wide 109); a new top repainted them as holes in the kept skirt. A piece of the
 * top's label (8-connected) whose outline borders the bottom along at least BOTTOM_ISLAND_ENCLOSED
 * of its length, and the bottom or the backdrop along BOTTOM_ISLAND_OUTER, lies in the bottom. A
 * top itself borders the neck, the arms or the backdrop far more than the bottom, and its pieces
 * cut off by an arm or a hand border those.
 */
export function claimBottomIslands(labels: Uint8Array, w: number, box: Rect): void {
  const inBottom = enclosedPieces(labels, w, box, [PartLabel.UpperGarment], [PartLabel.LowerGarment], BOTTOM_ISLAND_ENCLOSED);
  if (!inBottom.data.includes(255)) return;
  const bounded = enclosedPieces(labels, w, box, [PartLabel.UpperGarment], [PartLabel.LowerGarment, PartLabel.Background], BOTTOM_ISLAND_OUTER);
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) if (inBottom.data[i] !== 0 && bounded.data[i] !== 0) labels[i] = PartLabel.LowerGarment;
  }
}

/**
 * Relabels as Accessory the connected pieces of garment labels that lie off the body, touch a
 * hand and share at most HELD_MAX_CONTACT of their outline with the garments worn on the body.
 */
function claimHeldObjects(
  labels: Uint8Array, offBody: (x: number, y: number, i: number) => boolean, inHand: (x: number, y: number) => boolean,
  w: number, box: Rect, minArea: number,
): void {
  const isGarment = (v: number) => v === PartLabel.UpperGarment || v === PartLabel.LowerGarment;
  const h = labels.length / w;
  const candidate = new Uint8Array(labels.length);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      if (isGarment(labels[i]) && offBody(x, y, i)) candidate[i] = 1;
    }
  }
  const { labels: pieces, areas } = labelComponents(candidate, w, h);
  const outline = new Float64Array(areas.length);
  const contact = new Float64Array(areas.length);
  const held = new Uint8Array(areas.length);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      const k = pieces[i];
      if (k === 0 || areas[k] < minArea) continue;
      if (!held[k] && inHand(x, y)) held[k] = 1;
      let edge = false;
      let touches = false;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1]) {
        if (j < 0 || pieces[j] === k) continue;
        edge = true;
        if (isGarment(labels[j])) touches = true;
      }
      if (edge) outline[k]++;
      if (touches) contact[k]++;
    }
  }
  for (let k = 1; k < areas.length; k++) {
    if (held[k] !== 1 || contact[k] > HELD_MAX_CONTACT * outline[k]) held[k] = 0;
  }
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      if (held[pieces[i]] === 1 && pieces[i] !== 0) labels[i] = PartLabel.Accessory;
    }
  }
}

/**
 * In place: the top's parts hanging below the waist split (`hanging`) that hang from the top above
 * the split stay the top's, the rest go back to the bottom (see keepAttached). A sleeve beside the
 * bottom (`sleeved`: the top's pixels below the split on an arm) holds none: a printed skirt's
 * motifs nearer the bodice's print joined a sleeve hanging beside the skirt by a strip along its
 * edge, and were kept as fragments of the old print on new jeans (wide 109). Within `edgePx` of the
 * sleeve they are its own shaded edge, which stays the top's.
 */
export function keepHangingAttached(labels: Uint8Array, hanging: Uint8Array, sleeved: Uint8Array, w: number, edgePx: number): void {
  const h = labels.length / w;
  // What hangs from the top or a sleeve...
  const fromEither = labels.slice();
  keepAttached(fromEither, hanging, w, h, PartLabel.UpperGarment, PartLabel.LowerGarment, -1);
  // ...and what hangs from the top itself.
  keepAttached(labels, hanging, w, h, PartLabel.UpperGarment, PartLabel.LowerGarment, -1, sleeved);
  const edge = dilateMask({ width: w, height: h, data: sleeved.map((v) => (v ? 255 : 0)) }, Math.max(1, Math.round(edgePx)));
  for (let i = 0; i < labels.length; i++) {
    if (hanging[i] && edge.data[i] && fromEither[i] === PartLabel.UpperGarment) labels[i] = PartLabel.UpperGarment;
  }
}

/**
 * In place: the pieces of `moved` (pixels given to `own` across the waist split) that do not touch
 * `own`'s unmoved pixels on their edge towards it (their top row for a top's part hanging below the
 * split, `towards` −1; their bottom row for a bottom's part rising above it, +1) go back to
 * `other`. A pale highlight on light jeans nearer the top's colour, or a shadow on a dark top
 * nearer the bottom's, is cut off from the garment it resembles and stays where it is. Pixels of
 * `own` set in `notAnchors` hold nothing.
 */
function keepAttached(
  labels: Uint8Array, moved: Uint8Array, w: number, h: number, own: PartLabel, other: PartLabel, towards: -1 | 1, notAnchors?: Uint8Array,
): void {
  const { labels: component, boxes } = labelComponents(moved, w, h);
  const attached = new Uint8Array(boxes.length);
  for (let id = 1; id < boxes.length; id++) {
    const [x0, y0, x1, y1] = boxes[id];
    const edge = towards < 0 ? y0 : y1;
    const beyond = edge + towards;
    if (beyond < 0 || beyond >= h) continue;
    for (let x = x0; x <= x1; x++) {
      const j = beyond * w + x;
      if (component[edge * w + x] === id && labels[j] === own && !moved[j] && !(notAnchors && notAnchors[j])) {
        attached[id] = 1;
        break;
      }
    }
  }
  for (let i = 0; i < moved.length; i++) if (moved[i] && !attached[component[i]]) labels[i] = other;
}

/** Width of a sleeve's shaded edge beside the bottom, as a share of the shoulder width: the top's pixels hanging below the split that close to a sleeve are its edge. */
const SLEEVE_EDGE = 0.04;

/** How far above the waist split the bottom may rise, in torso lengths (a waistband's curve over the hips). */
const RISE_LIMIT = 0.15;

/** How far below the hip line a top may hang, in torso lengths (a coat to the knees). */
const HANG_LIMIT = 0.9;
/** Largest local-colour distance (CIELAB) from the top's colour (an outer layer's with lightness weighted by SHADE_LIGHTNESS_WEIGHT) for a pixel below the split to be the top's, and from the bottom's for one above it to be the bottom's. */
const HANG_MAX_DISTANCE = 18;
/** Weight of lightness in the distance that asks whether a pixel is an outer layer's fabric in another light (see sameFabric). */
const SHADE_LIGHTNESS_WEIGHT = 0.5;
/** A pixel below the split is the top's only when its distance to the top is below this share of its distance to the bottom. */
const HANG_RATIO = 0.5;

/** Largest share of the lower garment's main part that a stray piece of it may have to be reconsidered. */
const STRAY_SHARE = 0.1;

/**
 * Least share of a stray piece's outline that borders the top for the piece to be the top's
 * whatever its colour: a flared sleeve's shaded folds, as dark as a black skirt, lie inside the
 * sleeve (only the sleeve's own outline, where they reach it, borders the backdrop).
 */
const ENCLOSED_BY_TOP = 0.6;

/**
 * Pieces of "lower garment" that are cut off from the lower garment itself yet touch the upper
 * one and have its colour, or lie within it, are the top's: the cuff of a sleeve hanging at hip
 * height, the darker outline of a sleeve beside the skirt, a sleeve's folds in shade. Left as
 * lower garment they are protected from a top's repaint and stay visible as the old sleeve's ghost.
 */
function claimStraySleeveParts(
  labels: Uint8Array, lab: Float32Array, w: number, h: number, box: Rect, upper: ColourModel, lower: ColourModel,
): void {
  // Garment labels only exist inside the person's box: the components are found on that crop
  // (same ids, areas and pixel order as on the whole image, at a fraction of the cost).
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  if (bw <= 0 || bh <= 0) return;
  const isLower = new Uint8Array(bw * bh);
  const lowerLabel = PartLabel.LowerGarment;
  const upperLabel = PartLabel.UpperGarment;
  for (let y = 0; y < bh; y++) {
    for (let x = 0, i = (box.y0 + y) * w + box.x0, k = y * bw; x < bw; x++, i++, k++) isLower[k] = labels[i] === lowerLabel ? 1 : 0;
  }
  const { labels: component, areas } = labelComponents(isLower, bw, bh);
  let main = 0;
  for (let id = 1; id < areas.length; id++) if (areas[id] > (areas[main] ?? 0)) main = id;
  if (main === 0) return;
  // Per piece: its outline's steps (pixel sides facing another label), those facing the top, and its colour.
  const outline = new Uint32Array(areas.length);
  const facingUpper = new Uint32Array(areas.length);
  const colour = new Float64Array(areas.length * 3);
  for (let cy = 0, k = 0; cy < bh; cy++) {
    for (let cx = 0; cx < bw; cx++, k++) {
      const id = component[k];
      if (id === 0 || id === main) continue;
      const x = box.x0 + cx;
      const i = (box.y0 + cy) * w + x;
      for (let c = 0; c < 3; c++) colour[id * 3 + c] += lab[i * 3 + c];
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i >= w ? i - w : -1, i < w * (h - 1) ? i + w : -1]) {
        // The image's border counts as outline facing something else.
        if (j >= 0 && labels[j] === lowerLabel) continue;
        outline[id]++;
        if (j >= 0 && labels[j] === upperLabel) facingUpper[id]++;
      }
    }
  }
  const claim = new Uint8Array(areas.length);
  for (let id = 1; id < areas.length; id++) {
    if (id === main || facingUpper[id] === 0 || areas[id] > STRAY_SHARE * areas[main]) continue;
    const mean = [colour[id * 3] / areas[id], colour[id * 3 + 1] / areas[id], colour[id * 3 + 2] / areas[id]];
    if (facingUpper[id] >= ENCLOSED_BY_TOP * outline[id] || meanDistance(mean, 0, upper) < meanDistance(mean, 0, lower)) claim[id] = 1;
  }
  for (let cy = 0, k = 0; cy < bh; cy++) {
    for (let cx = 0, i = (box.y0 + cy) * w + box.x0; cx < bw; cx++, k++, i++) if (claim[component[k]]) labels[i] = upperLabel;
  }
}

/** A limb part smaller than this share of the image (about 150 px of a 768x1024 photo) is too small to judge... */
const MIN_LIMB_PART_SHARE = 0.0002;
/** ...and one smaller than this (a wrist, an armpit's shadow) is judged only when a larger part of its kind (arms, legs) was fabric and only where it touches garment (a sleeve's pieces between its creases). */
const MIN_JUDGED_PART_SHARE = 0.002;
/** Largest skin likelihood (its 75th percentile) of a limb part that may be fabric. Bare limbs measured 0.25-0.97 on 57 people, tan leather sleeves, corduroy and rust trousers 0.16-0.30. */
const FABRIC_LIMB_LIKELIHOOD = 0.32;
/** A fabric limb part's median skin likelihood is below this share of the face's: where the skin model fits even the face poorly (a face at 0.2), nothing is relabelled. */
const FABRIC_LIMB_SHARE_OF_FACE = 0.5;
/** Fewest face (else neck and hand) pixels that give the reference skin. */
const MIN_REFERENCE_PIXELS = 200;
/** Skin in shadow keeps its hue (degrees, CIELAB a*b*) within this of the face's (tan leather sleeves measured 8 degrees off)... */
const SHADOW_HUE_DEGREES = 6;
/** ...legs within this (bare legs are often tanned otherwise, or in sheer tights: 7 degrees off the face measured; a camel corduroy skirt 13)... */
const LEG_HUE_DEGREES = 10;
/** ...is at most this much lighter (L*) than the face... */
const SHADOW_MAX_LIGHTER = 5;
/** ...and keeps at least this share of the face's chroma times its share of the face's lightness (dimmer light lowers both alike; beige trousers measured 0.67 of the face's chroma at 0.9 of its lightness), gaining at most SHADOW_CHROMA_GAIN per unit of L* it is darker (measured: an inner arm 20 L* darker than the face at 1.4x its chroma, legs 15 darker at 1.46x; rust trousers 14 darker at 2x). */
const SHADOW_MIN_CHROMA = 0.85;
const SHADOW_CHROMA_GAIN = 0.035;
/** Limb labels a garment of skin's hue can be mistaken for, and what each is when it is fabric. */
const LIMB_FABRIC: ReadonlyArray<{ limb: PartLabel; fabric: PartLabel; hueDegrees: number }> = [
  { limb: PartLabel.UpperArm, fabric: PartLabel.UpperGarment, hueDegrees: SHADOW_HUE_DEGREES },
  { limb: PartLabel.LowerArm, fabric: PartLabel.UpperGarment, hueDegrees: SHADOW_HUE_DEGREES },
  { limb: PartLabel.Leg, fabric: PartLabel.LowerGarment, hueDegrees: LEG_HUE_DEGREES },
];

/**
 * Tan leather sleeves, a camel corduroy skirt, rust or beige trousers: a garment of skin's hue that
 * passed the skin test pixel by pixel is labelled arm or leg, kept as "skin" and never repainted
 * (the old sleeves stayed under a new short-sleeved tee). Judged as a whole, such a part is far
 * less skin-like than the person's own face and is not the face's skin in shadow (other hue, or
 * a chroma no shadow gives): each such part is relabelled as the garment it is.
 */
function relabelGarmentColouredLimbs(labels: Uint8Array, likelihood: Float32Array, lab: Float32Array, w: number, h: number, box: Rect): void {
  // Labels other than background lie inside the person's box: the work is done on that crop
  // (the same components, areas and pixels as on the whole image, at a fraction of the cost).
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  if (bw <= 0 || bh <= 0) return;
  // Image index of each crop pixel, built once a row at a time: the loops below read it per pixel
  // for every limb and pass, and working it out from k took a division and a remainder each time.
  const imageIndex = cropImageIndex(box, w);
  const index = (k: number): number => imageIndex[k];
  const reference = referenceSkin(labels, likelihood, lab, w, box);
  const minArea = MIN_LIMB_PART_SHARE * w * h;
  const judgedArea = MIN_JUDGED_PART_SHARE * w * h;
  // Each limb's own box within the crop: its parts are labelled and judged there. Relabelling
  // only takes pixels from a limb, so the box found now holds its pixels on the second pass too.
  const limbBoxes: Rect[] = LIMB_FABRIC.map(() => ({ x0: bw, y0: bh, x1: 0, y1: 0 }));
  const limbOf = new Int8Array(256).fill(-1);
  LIMB_FABRIC.forEach(({ limb }, n) => (limbOf[limb] = n));
  growBoxesByLabel(limbBoxes, limbOf, labels, imageIndex, bw, bh);
  // Parts large enough to judge on their own first; then, where one was fabric (the person wears
  // sleeves or trousers of skin's hue), the small pieces of those limbs islanded in garment.
  const found = new Set<PartLabel>();
  const garment = new Uint8Array(bw * bh);
  for (const small of [false, true]) {
    if (small && found.size === 0) break;
    if (small) {
      for (let k = 0; k < garment.length; k++) {
        const l = labels[index(k)];
        garment[k] = l === PartLabel.UpperGarment || l === PartLabel.LowerGarment ? 1 : 0;
      }
    }
    for (const [n, { limb, fabric, hueDegrees }] of LIMB_FABRIC.entries()) {
      if (small && !found.has(fabric)) continue;
      const limbBox = limbBoxes[n];
      if (limbBox.x1 <= limbBox.x0) continue;
      const lw = limbBox.x1 - limbBox.x0;
      const lh = limbBox.y1 - limbBox.y0;
      // Crop index of each pixel of the limb's box.
      const cropIndex = new Int32Array(lw * lh);
      for (let y = 0; y < lh; y++) {
        for (let x = 0; x < lw; x++) cropIndex[y * lw + x] = (limbBox.y0 + y) * bw + limbBox.x0 + x;
      }
      const part = new Uint8Array(lw * lh);
      let any = false;
      for (let q = 0; q < part.length; q++) {
        part[q] = labels[index(cropIndex[q])] === limb ? 1 : 0;
        any ||= part[q] === 1;
      }
      if (!any) continue;
      const { labels: component, areas } = labelComponents(part, lw, lh);
      const members: number[][] = areas.map(() => []);
      const besideFabric = new Uint8Array(areas.length);
      for (let q = 0; q < part.length; q++) {
        const id = component[q];
        if (!id || areas[id] < minArea || (areas[id] >= judgedArea) === small) continue;
        const k = cropIndex[q];
        members[id].push(index(k));
        if (small && touches(garment, k, bw, bh)) besideFabric[id] = 1;
      }
      const isFabric = members.map((pixels, id) => {
        if (pixels.length === 0 || (small && !besideFabric[id])) return false;
        const values = likelihoodsOf(likelihood, pixels);
        if (kthSmallest(values, Math.floor(values.length * 0.75)) >= FABRIC_LIMB_LIKELIHOOD) return false;
        if (kthSmallest(values, values.length >> 1) >= FABRIC_LIMB_SHARE_OF_FACE * reference.likelihood) return false;
        return !reference.lab || !skinInShadow(medianLab(lab, pixels), reference.lab, hueDegrees);
      });
      for (let q = 0; q < part.length; q++) {
        if (!isFabric[component[q]]) continue;
        labels[index(cropIndex[q])] = fabric;
        found.add(fabric);
      }
    }
  }
}

// The next two are whole-crop loops of relabelGarmentColouredLimbs in functions of their own:
// inside that large function V8 ran them unoptimised, at ~20 ns a pixel, on every pair until an
// on-stack-replacement compile of the whole function was ready. Same arithmetic.

/** Image index (row width `w`) of each pixel of `box`, row by row. */
function cropImageIndex(box: Rect, w: number): Int32Array {
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const imageIndex = new Int32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    const row = (box.y0 + y) * w + box.x0;
    for (let x = 0; x < bw; x++) imageIndex[y * bw + x] = row + x;
  }
  return imageIndex;
}

/**
 * In place: grows `boxes[n]` (crop coordinates, bw × bh) over each crop pixel whose label (read
 * through `imageIndex`) maps to n ≥ 0 in `boxOf`.
 */
function growBoxesByLabel(boxes: Rect[], boxOf: Int8Array, labels: Uint8Array, imageIndex: Int32Array, bw: number, bh: number): void {
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const n = boxOf[labels[imageIndex[y * bw + x]]];
      if (n < 0) continue;
      const box = boxes[n];
      if (x < box.x0) box.x0 = x;
      if (x >= box.x1) box.x1 = x + 1;
      if (y < box.y0) box.y0 = y;
      if (y >= box.y1) box.y1 = y + 1;
    }
  }
}

/** The skin likelihoods of `pixels`, in no order: read them with kthSmallest (a sort's k-th, without the sort). */
function likelihoodsOf(likelihood: Float32Array, pixels: number[]): Float32Array {
  const values = new Float32Array(pixels.length);
  for (let k = 0; k < pixels.length; k++) values[k] = likelihood[pixels[k]];
  return values;
}

/** Is pixel `i` 4-adjacent to a set pixel of `mask`? */
function touches(mask: Uint8Array, i: number, w: number, h: number): boolean {
  const x = i % w;
  return (x > 0 && mask[i - 1] === 1) || (x < w - 1 && mask[i + 1] === 1) || (i >= w && mask[i - w] === 1) || (i < w * (h - 1) && mask[i + w] === 1);
}

/** Could `part` (median CIELAB) be the skin `face` in shadow, its hue within `hueDegrees`? See SHADOW_HUE_DEGREES. */
function skinInShadow(part: readonly number[], face: readonly number[], hueDegrees: number): boolean {
  const partChroma = Math.hypot(part[1], part[2]);
  const faceChroma = Math.max(1e-3, Math.hypot(face[1], face[2]));
  let hue = Math.abs(Math.atan2(part[2], part[1]) - Math.atan2(face[2], face[1])) * (180 / Math.PI);
  if (hue > 180) hue = 360 - hue;
  const darker = face[0] - part[0];
  const chromaRatio = partChroma / faceChroma;
  return hue <= hueDegrees && darker >= -SHADOW_MAX_LIGHTER &&
    chromaRatio >= SHADOW_MIN_CHROMA * Math.min(1, part[0] / Math.max(1, face[0])) && chromaRatio <= 1 + SHADOW_CHROMA_GAIN * Math.max(0, darker);
}

/**
 * The person's own visible skin: the face's (else the neck's and hands') median skin likelihood,
 * how well the skin model fits it, and median colour; likelihood 1 and no colour when neither is seen.
 */
function referenceSkin(
  labels: Uint8Array, likelihood: Float32Array, lab: Float32Array, w: number, box: Rect,
): { likelihood: number; lab?: [number, number, number] } {
  // The face alone, else the neck and hands.
  for (const wanted of [[PartLabel.Face, PartLabel.Face], [PartLabel.Neck, PartLabel.Hand]]) {
    const pixels: number[] = [];
    for (let y = box.y0; y < box.y1; y++) {
      for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) if (labels[i] === wanted[0] || labels[i] === wanted[1]) pixels.push(i);
    }
    if (pixels.length < MIN_REFERENCE_PIXELS) continue;
    const values = likelihoodsOf(likelihood, pixels);
    return { likelihood: kthSmallest(values, values.length >> 1), lab: medianLab(lab, pixels) };
  }
  return { likelihood: 1 };
}

/** Breadth-first growth of skin over weak-likelihood pixels, at most `reach` steps, rows >= fromRow. */
/** Smoothed-colour distance from both garments beyond which an off-body object is an accessory. */
const ACCESSORY_DISTANCE = 25;

/** Lightness standard deviation (5x5) above which a pixel is fabric texture, not skin. */
const MAX_SKIN_TEXTURE = 4;

/**
 * Which person pixels are skin: skin-coloured (SKIN_THRESHOLD) and smooth (MAX_SKIN_TEXTURE),
 * without isolated specks, then grown a little into its own shadows (SKIN_WEAK_THRESHOLD, still
 * smooth), and finally 2 px into skin-coloured texture to recover the edges of arms and legs.
 */
function skinPixels(input: ParsingInput, person: Uint8Array, box: Rect): Uint8Array {
  const { width: w, height: h, body, skin: likelihood } = input;
  const n = w * h;
  const texture = lightnessTexture(input.lab, w, box, 2);
  const isSkin = new Uint8Array(n);
  // Person pixels all lie inside the box.
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) {
      if (person[i] && likelihood[i] > SKIN_THRESHOLD && texture[i] < MAX_SKIN_TEXTURE) isSkin[i] = 1;
    }
  }
  // Clean the confident skin first (so a print's skin-coloured spots seed nothing), then let it
  // reach a little way into its own shadows, below the chin only (blonde hair is skin-hued).
  dropSkinSpeckles(isSkin, w, h, box, Math.max(2, Math.round(body.shoulderWidth * 0.025)));
  const chin = body.head ? faceEllipse(body.head).chinY : -1;
  const fromRow = Math.min(h - 1, Math.max(0, Math.ceil(chin)));
  const reach = Math.max(3, Math.round(body.shoulderWidth * 0.08));
  growSkin(isSkin, fromRow, reach, w, h, box, person, likelihood, SKIN_WEAK_THRESHOLD, texture);
  growSkin(isSkin, fromRow, 2, w, h, box, person, likelihood, SKIN_THRESHOLD);
  return isSkin;
}

/**
 * Grows skin `reach` steps (4-neighbours, rows >= fromRow) into person pixels of likelihood above
 * `threshold` and, when `texture` is given, smooth. Each step's result does not depend on the order
 * its frontier is visited in, so the frontiers are plain index buffers.
 */
function growSkin(
  isSkin: Uint8Array, fromRow: number, reach: number, w: number, h: number, box: Rect, person: Uint8Array, likelihood: Float32Array,
  threshold: number, texture?: Float32Array,
): void {
  // Skin (a subset of the person) lies inside the person's box: seed from its rows only.
  const seedFrom = Math.max(fromRow, box.y0) * w;
  const seedTo = Math.max(seedFrom, box.y1 * w);
  let count = 0;
  for (let i = seedFrom; i < seedTo; i++) count += isSkin[i];
  let frontier = new Int32Array(Math.max(16, count));
  let size = 0;
  for (let i = seedFrom; i < seedTo; i++) if (isSkin[i]) frontier[size++] = i;
  let next = new Int32Array(frontier.length);
  const minIndex = fromRow * w;
  for (let step = 0; step < reach && size; step++) {
    let grown = 0;
    for (let k = 0; k < size; k++) {
      const i = frontier[k];
      const x = i % w;
      // Left, right, up (not above fromRow), down: the order neighbours4 gives.
      for (let d = 0; d < 4; d++) {
        let j: number;
        if (d === 0) j = x > 0 ? i - 1 : -1;
        else if (d === 1) j = x < w - 1 ? i + 1 : -1;
        else if (d === 2) j = i - w >= minIndex ? i - w : -1;
        else j = i + w < w * h ? i + w : -1;
        if (j < 0 || isSkin[j] || person[j] !== 1 || !(likelihood[j] > threshold) || (texture && !(texture[j] < MAX_SKIN_TEXTURE))) continue;
        isSkin[j] = 1;
        if (grown === next.length) {
          const bigger = new Int32Array(next.length * 2);
          bigger.set(next);
          next = bigger;
        }
        next[grown++] = j;
      }
    }
    const swap = frontier;
    frontier = next;
    next = swap.length >= frontier.length ? swap : new Int32Array(frontier.length);
    size = grown;
  }
}

/**
 * The arm cover restricted to the clothed arms: the full cover when every arm is clothed (the
 * usual case, no work), else recomputed from the clothed arms' capsules alone.
 */
function sleeveCover(cover: Uint8Array, all: Capsule[], clothed: Capsule[], w: number, h: number): Uint8Array {
  if (clothed.length === all.length) return cover;
  if (clothed.length === 0) return new Uint8Array(w * h);
  return armCover(clothed, w, h);
}

/** Share of skin on the lower half of an upper arm (or the middle of a forearm) above which the arm (the forearm) is bare. */
const BARE_ARM_SKIN = 0.6;
/** Share of a forearm capsule's radius either side of its axis sampled for skin: the capsule is wider than a slim forearm, and its rim lies on what is beside it. */
const FOREARM_SAMPLE_HALF = 0.4;

/** Share of skin along capsule c's axis between shares t0 and t1 of its length, across ±half of its radius (person pixels only). */
function axisSkinShare(c: Capsule, t0: number, t1: number, half: number, isSkin: Uint8Array, person: Uint8Array, w: number, h: number): number {
  let skin = 0;
  let total = 0;
  const steps = 24;
  const len = Math.hypot(c.b.x - c.a.x, c.b.y - c.a.y) || 1;
  for (let k = 0; k <= steps; k++) {
    const t = t0 + ((t1 - t0) * k) / steps;
    const cx = c.a.x + (c.b.x - c.a.x) * t;
    const cy = c.a.y + (c.b.y - c.a.y) * t;
    for (let d = -half; d <= half; d += 0.2) {
      const x = Math.round(cx - ((c.b.y - c.a.y) / len) * d * c.radius);
      const y = Math.round(cy + ((c.b.x - c.a.x) / len) * d * c.radius);
      if (x < 0 || y < 0 || x >= w || y >= h || !person[y * w + x]) continue;
      total++;
      skin += isSkin[y * w + x];
    }
  }
  return total > 0 ? skin / total : 0;
}

/** The arm capsules (upper arm, forearm, hand) of the arms whose upper arm is not bare skin. */
function clothedArms(arms: Capsule[], isSkin: Uint8Array, person: Uint8Array, w: number, h: number): Capsule[] {
  const bareElbows: Array<{ x: number; y: number }> = [];
  for (const c of arms) {
    // The lower half of the upper arm: a cap sleeve or a strap covers the top.
    if (c.label === PartLabel.UpperArm && axisSkinShare(c, 0.5, 0.95, 0.6, isSkin, person, w, h) > BARE_ARM_SKIN) bareElbows.push(c.b);
  }
  const bare = (p: { x: number; y: number }) => bareElbows.some((e) => Math.hypot(e.x - p.x, e.y - p.y) < 1e-6);
  // Forearm and hand capsules start at (or run from) their arm's elbow.
  return arms.filter((c) => !(c.label === PartLabel.UpperArm ? bare(c.b) : c.handFrom ? bare(c.handFrom.elbow) : bare(c.a)));
}

/**
 * Of the clothed arms' capsules, those of a sleeve that runs down to the wrist: less the forearm
 * and hand of an arm whose forearm's middle (between the elbow, a short sleeve's hem, and the
 * hand) is bare skin. Its sleeve ends above the elbow, and a hand resting on the hips of a dress
 * had the dress around it taken for the sleeve's cuff (labelled the top and kept: red patches of
 * the old dress beside new jeans, wide 111; a held skirt's corner kept beside new trousers, 54, 68).
 */
function sleevedToWrist(clothed: Capsule[], isSkin: Uint8Array, person: Uint8Array, w: number, h: number): Capsule[] {
  const bareForearms: Array<{ x: number; y: number }> = [];
  for (const c of clothed) {
    if (c.label === PartLabel.LowerArm && c.handFrom && axisSkinShare(c, 0.2, 0.7 * c.handFrom.t, FOREARM_SAMPLE_HALF, isSkin, person, w, h) > BARE_ARM_SKIN) bareForearms.push(c.handFrom.elbow);
  }
  if (bareForearms.length === 0) return clothed;
  const bare = (p: { x: number; y: number }) => bareForearms.some((e) => Math.hypot(e.x - p.x, e.y - p.y) < 1e-6);
  return clothed.filter((c) => c.label === PartLabel.UpperArm || !bare(c.handFrom ? c.handFrom.elbow : c.a));
}

/**
 * Skin-coloured spots inside a print (the tan of a leopard pattern) are not skin: keep a skin
 * pixel only when at least 45 % of its neighbourhood is skin too. Real skin regions are solid.
 */
function dropSkinSpeckles(isSkin: Uint8Array, w: number, h: number, box: Rect, radius: number): void {
  // Summed-area table of the skin indicator over the box (skin lies only inside it, so a window's
  // count is the same as over the whole image; its area still counts the pixels outside).
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  if (bw <= 0 || bh <= 0) return;
  const sat = new Int32Array((bw + 1) * (bh + 1));
  for (let y = 0; y < bh; y++) {
    let row = 0;
    for (let x = 0; x < bw; x++) {
      row += isSkin[(box.y0 + y) * w + box.x0 + x];
      sat[(y + 1) * (bw + 1) + x + 1] = sat[y * (bw + 1) + x + 1] + row;
    }
  }
  const clampX = (x: number) => Math.min(bw, Math.max(0, x - box.x0));
  const clampY = (y: number) => Math.min(bh, Math.max(0, y - box.y0));
  const original = isSkin.slice();
  for (let y = box.y0; y < box.y1; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(h, y + radius + 1);
    const sy0 = clampY(y0) * (bw + 1);
    const sy1 = clampY(y1) * (bw + 1);
    for (let x = box.x0; x < box.x1; x++) {
      if (!original[y * w + x]) continue;
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(w, x + radius + 1);
      const sx0 = clampX(x0);
      const sx1 = clampX(x1);
      const sum = sat[sy1 + sx1] - sat[sy0 + sx1] - sat[sy1 + sx0] + sat[sy0 + sx0];
      if (sum < (y1 - y0) * (x1 - x0) * 0.45) isSkin[y * w + x] = 0;
    }
  }
}

const ARM_CORE = 1;
const ARM_SLEEVE = 2;

/**
 * 1 inside an arm capsule (hand excluded), 2 in the wider band a loose sleeve may fill, else 0.
 */
function armCover(capsules: Capsule[], w: number, h: number): Uint8Array {
  const cover = new Uint8Array(w * h);
  for (const c of capsules) {
    const reach = c.radius * 1.3;
    const x0 = Math.max(0, Math.floor(Math.min(c.a.x, c.b.x) - reach));
    const x1 = Math.min(w - 1, Math.ceil(Math.max(c.a.x, c.b.x) + reach));
    const y0 = Math.max(0, Math.floor(Math.min(c.a.y, c.b.y) - reach));
    const y1 = Math.min(h - 1, Math.ceil(Math.max(c.a.y, c.b.y) + reach));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const s = capsuleScore(c, x, y);
        if (s >= 1.3 || capsuleLabel(c, x, y) === PartLabel.Hand) continue;
        const i = y * w + x;
        cover[i] = s < 1 ? ARM_CORE : cover[i] || ARM_SLEEVE;
      }
    }
  }
  return cover;
}

interface FootRegion {
  x: number;
  y: number;
  radius: number;
  /** Rows above this are never foot. */
  top: number;
}

/** Mean CIELAB of the person's non-skin pixels in the foot region below the ankle, or null. */
function shoeColour(foot: FootRegion, lab: Float32Array, person: Uint8Array, isSkin: Uint8Array, w: number, h: number): [number, number, number] | null {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.max(0, Math.ceil(foot.y)); y <= Math.min(h - 1, foot.y + foot.radius); y++) {
    for (let x = Math.max(0, Math.floor(foot.x - foot.radius)); x <= Math.min(w - 1, foot.x + foot.radius); x++) {
      const i = y * w + x;
      if (!person[i] || isSkin[i] || hypot2(x - foot.x, y - foot.y) >= foot.radius) continue;
      for (let c = 0; c < 3; c++) sum[c] += lab[i * 3 + c];
      n++;
    }
  }
  return n >= MIN_SHOE_PIXELS ? [sum[0] / n, sum[1] / n, sum[2] / n] : null;
}

/** Fewer shoe pixels than this below the ankle (bare feet, cropped photo): no shoe colour. */
const MIN_SHOE_PIXELS = 40;

function footRegions(pose: Pose, body: BodyGeometry): FootRegion[] {
  const regions: FootRegion[] = [];
  for (const side of ['left', 'right'] as const) {
    const ankle = body.at(`${side}_ankle`);
    const knee = pose.keypoints.find((k) => k.name === `${side}_knee`);
    if (!ankle) continue;
    const shin = knee && knee.score >= 0.15 ? Math.hypot(ankle.x - knee.x, ankle.y - knee.y) : body.torsoLength * 0.9;
    regions.push({ x: ankle.x, y: ankle.y + shin * 0.15, radius: shin * 0.42, top: ankle.y - shin * 0.06 });
  }
  return regions;
}
