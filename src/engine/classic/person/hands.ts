/**
 * Hands out of sight. A pose model places a wrist even when the hand is behind the back or in a
 * pocket: it guesses the joint over the torso or the hip, and everything built on it (the forearm
 * as an occluder in front of the new garment, a long sleeve's length, the hand's protected
 * region) then lands on the clothes. Bare hands are skin: where the photo shows no skin around a
 * wrist, the hand is hidden, and a bare forearm is seen only as far as its skin runs from the
 * elbow. The wrist is moved there, so the forearm ends where it disappears.
 */
import { createMask, type Mask, type Raster } from '../../../imaging/raster.ts';
import { labImage, rgbToLab } from '../../../imaging/colour.ts';
import { PartLabel, type Keypoint, type Point, type Pose } from '../types.ts';
import { along, MIN_SCORE, type BodyGeometry } from './geometry.ts';
import { boundingRect, hypot2, type Rect } from './grid.ts';
import { SKIN_THRESHOLD } from './parsing.ts';
import { looksLikeSkin } from './skin.ts';
import { fillSmallHoles } from '../garment/components.ts';
import { boxBlurPlane } from '../render/blur.ts';
import { dilateMask, erodeMask } from '../render/masks.ts';
import { labelMask } from '../layers.ts';

/** Share of the person's pixels around a wrist that must be skin for the hand to count as seen. */
const HIDDEN_HAND_MAX_SKIN = 0.1;
/** The hand is looked for from the wrist to this far past it, in forearm lengths. */
const HAND_REACH = 0.4;
/** Radius of the hand search, as a share of the shoulder width. */
const HAND_RADIUS = 0.15;
/** Radius of a forearm sample disc, as a share of the shoulder width (a forearm's half width). */
const FOREARM_RADIUS = 0.07;
/** Share of a forearm sample disc's person pixels that must be skin for the forearm to show there. */
const FOREARM_MIN_SKIN = 0.3;
/** Half width of a forearm in front of the body (BodyFrame's arm capsule), as a share of the shoulder width. */
const FOREARM_HALF_WIDTH = 0.1;
/** Samples along elbow → wrist. */
const FOREARM_STEPS = 20;
/** A hand search region less than this share inside the image says nothing (cut by the frame). */
const MIN_IN_FRAME = 0.6;

/** Skin share among the person's pixels within `radius` of the segment a→b, and the share of the region inside the image. */
function skinShare(a: Point, b: Point, radius: number, skin: Float32Array, person: Mask): { share: number; inFrame: number } {
  const { width, height, data } = person;
  const x0 = Math.floor(Math.min(a.x, b.x) - radius);
  const x1 = Math.ceil(Math.max(a.x, b.x) + radius);
  const y0 = Math.floor(Math.min(a.y, b.y) - radius);
  const y1 = Math.ceil(Math.max(a.y, b.y) + radius);
  const vx = b.x - a.x;
  const vy = b.y - a.y;
  const len2 = vx * vx + vy * vy;
  let all = 0;
  let inside = 0;
  let personPixels = 0;
  let skinPixels = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a.x) * vx + (y - a.y) * vy) / len2));
      if (hypot2(x - a.x - t * vx, y - a.y - t * vy) > radius) continue;
      all++;
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      inside++;
      const i = y * width + x;
      if (data[i] < 128) continue;
      personPixels++;
      if (skin[i] >= SKIN_THRESHOLD) skinPixels++;
    }
  }
  return { share: personPixels === 0 ? 0 : skinPixels / personPixels, inFrame: all === 0 ? 0 : inside / all };
}

/**
 * Where a bare forearm stops showing, as t along elbow → wrist: the end of the run of skin that
 * starts at the elbow. Undefined when the forearm shows no skin next to the elbow (a sleeve
 * covers it, so its extent cannot be read from skin).
 */
function visibleForearmEnd(elbow: Point, wrist: Point, radius: number, skin: Float32Array, person: Mask): number | undefined {
  const shows = (t: number) => skinShare(along(elbow, wrist, t), along(elbow, wrist, t), radius, skin, person).share >= FOREARM_MIN_SKIN;
  const firstBare = [1, 2, 3].find((k) => shows(k / FOREARM_STEPS));
  if (firstBare === undefined) return undefined;
  let last = firstBare;
  for (let k = firstBare + 1; k <= FOREARM_STEPS; k++) {
    if (!shows(k / FOREARM_STEPS)) break;
    last = k;
  }
  return last / FOREARM_STEPS;
}

/** Lowest pose confidence of a wrist that its forearm's skin can confirm (confirmSeenForearms): below it the model's guess says nothing. */
const UNSURE_WRIST_MIN_SCORE = 0.15;
/** Share of the forearm sample discs from elbow to wrist that must show skin (FOREARM_MIN_SKIN) for an unsure wrist to be taken as seen. */
const CONFIRMING_FOREARM_SHARE = 0.8;

/**
 * The pose with each wrist the model is unsure of (UNSURE_WRIST_MIN_SCORE up to MIN_SCORE) taken as
 * seen (its score raised to MIN_SCORE) where a bare forearm runs from the seen elbow to it
 * (CONFIRMING_FOREARM_SHARE of the way): crossed arms put one forearm under the other, the model
 * doubts that wrist, and the forearm, extrapolated straight down from the elbow, was laid over the
 * torso where no arm is, while the forearm across the body got no sleeve and no place in front of
 * the new top (wide 37, 38). Its hand is taken as hidden (`handHidden`): the skin round such a
 * wrist is the other arm's, and kept as a hand it showed as brown patches in a long sleeve.
 */
export function confirmSeenForearms(pose: Pose, body: BodyGeometry, skin: Float32Array, person: Mask): Pose {
  let keypoints: Keypoint[] | undefined;
  for (const side of ['left', 'right'] as const) {
    const elbow = pose.keypoints.find((k) => k.name === `${side}_elbow`);
    const wrist = pose.keypoints.find((k) => k.name === `${side}_wrist`);
    if (!elbow || !wrist || elbow.score < MIN_SCORE || wrist.score >= MIN_SCORE || wrist.score < UNSURE_WRIST_MIN_SCORE) continue;
    const radius = body.shoulderWidth * FOREARM_RADIUS;
    let shows = 0;
    for (let k = 1; k <= FOREARM_STEPS; k++) {
      const at = along(elbow, wrist, k / FOREARM_STEPS);
      if (skinShare(at, at, radius, skin, person).share >= FOREARM_MIN_SKIN) shows++;
    }
    if (shows < CONFIRMING_FOREARM_SHARE * FOREARM_STEPS) continue;
    keypoints ??= pose.keypoints.map((k) => ({ ...k }));
    const confirmed = keypoints.find((k) => k.name === wrist.name);
    if (!confirmed) continue;
    confirmed.score = MIN_SCORE;
    // The forearm shows and the model still doubts its end: the hand is what it does not see
    // (tucked under the other arm). Its skin around the wrist is the other arm's, not a hand.
    confirmed.handHidden = true;
  }
  return keypoints ? { ...pose, keypoints } : pose;
}

/**
 * The pose with each hidden hand marked (`handHidden` on its wrist) and, where the forearm is
 * bare, its wrist moved to where the forearm's skin ends. `skin` is the skin likelihood per pixel
 * of the analysed image.
 */
export function hideUnseenHands(pose: Pose, body: BodyGeometry, skin: Float32Array, person: Mask): Pose {
  const keypoints = pose.keypoints.map((k) => ({ ...k }));
  const find = (name: string): Keypoint | undefined => keypoints.find((k) => k.name === name);
  let changed = false;
  for (const side of ['left', 'right'] as const) {
    const elbow = find(`${side}_elbow`);
    const wrist = find(`${side}_wrist`);
    if (!elbow || !wrist || elbow.score < MIN_SCORE || wrist.score < MIN_SCORE) continue;
    const sw = body.shoulderWidth;
    const hand = skinShare(wrist, along(elbow, wrist, 1 + HAND_REACH), sw * HAND_RADIUS, skin, person);
    if (hand.inFrame < MIN_IN_FRAME || hand.share >= HIDDEN_HAND_MAX_SKIN) continue;
    wrist.handHidden = true;
    changed = true;
    const end = visibleForearmEnd(elbow, wrist, sw * FOREARM_RADIUS, skin, person);
    if (end === undefined || end >= 1) continue;
    // The forearm's round end reaches a half width past its wrist: drawn in front of the body
    // there, it would cut a hole showing the clothes behind it.
    const length = Math.hypot(wrist.x - elbow.x, wrist.y - elbow.y);
    const moved = along(elbow, wrist, Math.max(0, end - (sw * FOREARM_HALF_WIDTH) / Math.max(1, length)));
    wrist.x = moved.x;
    wrist.y = moved.y;
  }
  return changed ? { ...pose, keypoints } : pose;
}

/** Whether the pose's wrist at `end` (a limb's end joint, as the body frame took it from the pose) is a hand out of sight. */
export function handHiddenAt(pose: Pose, end: Point): boolean {
  return pose.keypoints.some((k) => k.handHidden === true && k.x === end.x && k.y === end.y);
}

/**
 * Gaps inside a hand the parsing leaves out of it, as a share of the shoulder width: the dark
 * creases between fingers resting on trousers, a ring, a knuckle's shadow.
 */
const HAND_GAP = 0.02;
/** The hand's soft rim past its label (pixels that still look like skin), as a share of the shoulder width. */
const HAND_RIM = 0.01;

/**
 * Width of the band along a hand's outline (inside its closed label and its rim) whose pixels are
 * told apart by colour, as a share of the shoulder width: the parsing's hand reaches a few pixels
 * over what lies beside it (a strip of white trousers down a wrist, beige chinos beside the
 * fingertips), and those pixels, kept as the photo shows them, stood round the hand as a pale
 * ragged halo over the new garment drawn behind it (wide 21, 96).
 */
const HAND_EDGE_BAND = 0.025;
/** How far past the band (px) the hand's and its surround's local colours are averaged. */
const HAND_EDGE_WINDOW_PX = 3;
/**
 * Least CIELAB distance between a hand's local colour and its surround's for the edge to be
 * decided by colour: a hand over skin or a skin-coloured fabric keeps its label's outline.
 */
const HAND_EDGE_MIN_CONTRAST = 12;

/** Squared CIELAB distance between a pixel and a local mean. */
function squaredLabDistance(lab: Float32Array, o: number, l: number, a: number, b: number): number {
  return (lab[o] - l) ** 2 + (lab[o + 1] - a) ** 2 + (lab[o + 2] - b) ** 2;
}

/**
 * The hands as whole shapes (255), for keeping them as the photo shows them: the Hand label
 * closed over gaps up to HAND_GAP, and its rim up to HAND_RIM where the photo's pixel looks like
 * skin. The label alone left the creases between fingers and the fingers' antialiased edges to
 * the garment underneath: repainted with the new trousers, a hand resting on the thigh was
 * striped with the trousers' colour across its fingers and cut along its edge (wide 15, 32).
 * Along the outline (HAND_EDGE_BAND) a pixel is the hand's only where its colour is nearer the
 * hand's own colour close by than that of what lies beside the hand there (see HAND_EDGE_BAND).
 */
export function wholeHands(labels: Uint8Array, image: Raster, shoulderWidth: number): Mask {
  const { width, height, data, channels } = image;
  const hand = labelMask(labels, width, height, [PartLabel.Hand]);
  if (!hand.data.includes(255)) return hand;
  const gap = Math.max(1, Math.round(HAND_GAP * shoulderWidth));
  const closed = erodeMask(dilateMask(hand, gap), gap);
  const rimPx = Math.max(1, Math.round(HAND_RIM * shoulderWidth));
  const rim = dilateMask(closed, rimPx);
  const band = Math.max(1, Math.round(HAND_EDGE_BAND * shoulderWidth));
  const core = erodeMask(closed, band);
  const reach = band + rimPx + HAND_EDGE_WINDOW_PX;
  // The hands' box, grown by the window: the local means are box sums over it.
  // (The rim holds the hand, so the box exists; x1 and y1 inclusive below.)
  const box = boundingRect(rim.data, width, height, reach, (v) => v !== 0) as Rect;
  const { x0, y0 } = box;
  const x1 = box.x1 - 1;
  const y1 = box.y1 - 1;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const lab = labImage(image, { x0, y0, x1: x1 + 1, y1: y1 + 1 });
  // Planes over the box: count and CIELAB sums of the hand's core, then of what lies past its rim.
  const planes = Array.from({ length: 8 }, () => new Float32Array(bw * bh));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      const k = (y - y0) * bw + (x - x0);
      const base = core.data[i] !== 0 ? 0 : rim.data[i] === 0 ? 4 : -1;
      if (base < 0) continue;
      planes[base][k] = 1;
      for (let c = 0; c < 3; c++) planes[base + 1 + c][k] = lab[i * 3 + c];
    }
  }
  const tmp = new Float32Array(bw * bh);
  for (const plane of planes) boxBlurPlane(plane, plane, tmp, bw, bh, reach);
  const out = createMask(width, height);
  const one = [0, 0, 0];
  const minContrast2 = HAND_EDGE_MIN_CONTRAST * HAND_EDGE_MIN_CONTRAST;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (rim.data[i] === 0) continue;
      if (core.data[i] !== 0) {
        out.data[i] = 255;
        continue;
      }
      const inLabel = closed.data[i] !== 0;
      if (!inLabel) {
        const p = i * channels;
        rgbToLab(data[p], data[p + 1], data[p + 2], one);
        if (!looksLikeSkin(one)) continue;
      }
      const k = (y - y0) * bw + (x - x0);
      const nHand = planes[0][k];
      const nBeside = planes[4][k];
      // (Means as box averages: the counts' own averages divide out.)
      if (nHand > 0 && nBeside > 0) {
        const hl = planes[1][k] / nHand;
        const ha = planes[2][k] / nHand;
        const hb = planes[3][k] / nHand;
        const sl = planes[5][k] / nBeside;
        const sa = planes[6][k] / nBeside;
        const sb = planes[7][k] / nBeside;
        if ((hl - sl) ** 2 + (ha - sa) ** 2 + (hb - sb) ** 2 >= minContrast2) {
          if (squaredLabDistance(lab, i * 3, hl, ha, hb) < squaredLabDistance(lab, i * 3, sl, sa, sb)) out.data[i] = 255;
          continue;
        }
      }
      out.data[i] = 255;
    }
  }
  // A highlight or a speck of shadow inside the band can read nearer the surround's colour; the
  // hand is whole there (left out, a pale dot of backdrop or garment showed on a knuckle).
  fillSmallHoles(out.data, width, height);
  return out;
}
