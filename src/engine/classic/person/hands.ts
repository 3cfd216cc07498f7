/**
 * Hands out of sight. A pose model places a wrist even when the hand is behind the back or in a
 * pocket: it guesses the joint over the torso or the hip, and everything built on it (the forearm
 * as an occluder in front of the new garment, a long sleeve's length, the hand's protected
 * region) then lands on the clothes. Bare hands are skin: where the photo shows no skin around a
 * wrist, the hand is hidden, and a bare forearm is seen only as far as its skin runs from the
 * elbow. The wrist is moved there, so the forearm ends where it disappears.
 */
import type { Mask, Raster } from '../../../imaging/raster.ts';
import { rgbToLab } from '../../../imaging/colour.ts';
import { PartLabel, type Keypoint, type Point, type Pose } from '../types.ts';
import { along, MIN_SCORE, type BodyGeometry } from './geometry.ts';
import { hypot2 } from './grid.ts';
import { SKIN_THRESHOLD } from './parsing.ts';
import { looksLikeSkin } from './skin.ts';
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

/**
 * Gaps inside a hand the parsing leaves out of it, as a share of the shoulder width: the dark
 * creases between fingers resting on trousers, a ring, a knuckle's shadow.
 */
const HAND_GAP = 0.02;
/** The hand's soft rim past its label (pixels that still look like skin), as a share of the shoulder width. */
const HAND_RIM = 0.01;

/**
 * The hands as whole shapes (255), for keeping them as the photo shows them: the Hand label
 * closed over gaps up to HAND_GAP, and its rim up to HAND_RIM where the photo's pixel looks like
 * skin. The label alone left the creases between fingers and the fingers' antialiased edges to
 * the garment underneath: repainted with the new trousers, a hand resting on the thigh was
 * striped with the trousers' colour across its fingers and cut along its edge (wide 15, 32).
 */
export function wholeHands(labels: Uint8Array, image: Raster, shoulderWidth: number): Mask {
  const { width, height, data, channels } = image;
  const hand = labelMask(labels, width, height, [PartLabel.Hand]);
  if (!hand.data.includes(255)) return hand;
  const gap = Math.max(1, Math.round(HAND_GAP * shoulderWidth));
  const closed = erodeMask(dilateMask(hand, gap), gap);
  const rim = dilateMask(closed, Math.max(1, Math.round(HAND_RIM * shoulderWidth)));
  const lab = [0, 0, 0];
  for (let i = 0; i < rim.data.length; i++) {
    if (rim.data[i] === 0 || closed.data[i] !== 0) continue;
    const p = i * channels;
    rgbToLab(data[p], data[p + 1], data[p + 2], lab);
    if (looksLikeSkin(lab)) closed.data[i] = 255;
  }
  return closed;
}
