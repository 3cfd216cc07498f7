/**
 * A bared arm continued from the arm skin the photo shows below the old sleeve.
 *
 * The painted skin of a bared upper arm (the limb's tone, its measured light across, synthesised
 * grain) still read as a flat, soft slab beside the real forearm under it, with a step in colour
 * and outline at the old hem. Where the photo shows the arm's skin below the old sleeve over a long
 * enough stretch, the bared part above the hem is that skin carried up the arm: mirrored about
 * where the copied stretch starts (a little below the hem, past the sleeve's shadow), mirrored again
 * for a bared part longer than the stretch, and stretched across to the bared arm's width. It keeps
 * the photo's own grain and light across the arm. Near the shoulder it fades into the painted
 * skin, which joins the torso's. An arm that shows no skin of its own (a long sleeve or a jacket
 * down to the hand) takes the other arm's skin, or else a bare shin's: painted, it stood as a flat
 * tube beside the photo's real skin.
 */
import type { Mask, Raster } from '../../../imaging/raster.ts';
import { linearToSrgb, rgbToLab, SRGB_TO_LINEAR, srgbLuminance } from '../../../imaging/colour.ts';
import { looksLikeSkin } from '../person/skin.ts';
import { medianOf } from '../person/colour-model.ts';
import type { Point } from '../types.ts';
import { type ArmAtHem, type ArmCapsule, capsuleSegments, limbCoordinates, type LimbCoordinates, skinRunAcross } from './bare-skin.ts';

/**
 * Arm skin right below the hem left out of the copy, as a share of the arm's length (at least
 * 4 px): the sleeve's shadow and its soft edge lie there, and mirrored about the hem they made a
 * double streak across the bared arm.
 */
const SOURCE_SKIP = 0.05;
/** Least length of arm skin seen below the hem, as a share of the arm's length... */
const MIN_SOURCE = 0.08;
/** ...and in px. */
const MIN_SOURCE_PX = 8;
/** Shortest bone (px) an arm is continued along: a shorter one is a pose failure. */
const MIN_BONE_PX = 4;
/** Least half-width (px) assumed for the arm at its hem when the widest run across it is bounded. */
const MIN_HALF_PX = 2;
/** Margin of the box searched for an arm's bared pixels, as a share of its widest half-width (its soft rim lies out there). */
const BOX_MARGIN = 0.2;
/** Largest bend at the elbow (radians) at which the forearm's skin stands in for an upper arm's. */
const MAX_FOREARM_BEND = Math.PI / 6;
/** Pixels kept in from the seen run's ends whatever its width (a thin arm's bilinear read reaches the backdrop). */
const EDGE_INSET_PX = 1.5;
/** Longest stretch below the hem copied, as a share of the arm's length: skin further down is lit otherwise. */
const MAX_SOURCE = 0.3;
/** Half the length of arm around the elbow whose skin is never copied (its crease), as a share of the arm's length. */
const ELBOW_BAND = 0.06;
/** Share of the upper arm, from the shoulder joint down, over which the copied skin fades in from the painted shoulder. */
const SHOULDER_FADE = 0.3;
/** Samples (px along the arm) over which the seen skin's width and centre are smoothed: a run cut short by a stray pixel is not the arm narrowing. */
const RUN_SMOOTHING = 5;
/** Share of the stretch's median width from which a run across the arm is the arm's full width (not cut by a slanted hem). */
const FULL_RUN = 0.9;
/** Where across a row (shares of its half-width from its middle) it must look like skin: a strap, a cuff or the backdrop across it is not copied. */
const SKIN_SAMPLES = [-0.8, -0.5, 0, 0.5, 0.8];
/**
 * Furthest across the seen arm (share of its half-width) that is copied: its outermost pixels are
 * part backdrop, and on a bent arm they came out as pale tears at the elbow. The bared arm's soft
 * silhouette is its zone's rim over the backdrop fill.
 */
const MAX_ACROSS = 0.85;
/** Where across a row (shares of its half-width from its middle) its light is read. */
const ROW_LIGHT_SAMPLES = [-0.6, -0.3, 0, 0.3, 0.6];
/** Largest departure of a copied row's light from the stretch's median row (share of it, linear light): a crease or a cast shadow is darker. */
const ROW_LIGHT_TOLERANCE = 0.12;
/** Widest run across the arm that counts as the arm, in the bared arm's half-widths at the hem (wider: the torso's skin beside it). */
const MAX_RUN_HALF = 1.6;

/** A point on an arm's skeleton and the unit normal of its bone there. */
interface SkeletonPoint {
  x: number;
  y: number;
  nx: number;
  ny: number;
}

/** The skeleton's point and its bone's unit normal at arc length `along` (clamped to the skeleton), written into `out`. */
function pointOnArm(joints: readonly Point[], along: number, out: SkeletonPoint = { x: 0, y: 0, nx: 0, ny: 0 }): SkeletonPoint {
  let rest = Math.max(0, along);
  for (let s = 0; s < joints.length - 1; s++) {
    const a = joints[s];
    const b = joints[s + 1];
    const len = Math.max(1e-6, Math.hypot(b.x - a.x, b.y - a.y));
    if (rest <= len || s === joints.length - 2) {
      const t = Math.min(1, rest / len);
      out.x = a.x + (b.x - a.x) * t;
      out.y = a.y + (b.y - a.y) * t;
      out.nx = -(b.y - a.y) / len;
      out.ny = (b.x - a.x) / len;
      return out;
    }
    rest -= len;
  }
  out.x = joints[0].x;
  out.y = joints[0].y;
  out.nx = 0;
  out.ny = 0;
  return out;
}

/** The seen arm below the hem: per px of arc length from `from`, the skin run's centre and half-width across the bone (px). */
interface SeenStretch {
  from: number;
  centre: Float32Array;
  half: Float32Array;
}

function movingMedian(values: number[], reach: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const window = values.slice(Math.max(0, k - reach), Math.min(values.length, k + reach + 1)).sort((a, b) => a - b);
    out[k] = window[window.length >> 1];
  }
  return out;
}

/** The arm skin seen below the hem, from `from` (arc length) down the skeleton while every sample is on it. */
function seenStretch(
  joints: readonly Point[], from: number, to: number, maxLength: number, maxHalf: number,
  isArmSkin: (x: number, y: number) => boolean, photo: Raster,
): SeenStretch | null {
  const lab = new Float32Array(3);
  // The parsing's arm can be a cuff, a glove or a striped sleeve: every sample's middle and
  // quarters must look like skin.
  const skinAt = (x: number, y: number): boolean => {
    const p = (Math.round(y) * photo.width + Math.round(x)) * photo.channels;
    rgbToLab(photo.data[p], photo.data[p + 1], photo.data[p + 2], lab, 0);
    return looksLikeSkin(lab);
  };
  const lightAt = (x: number, y: number): number => {
    const p = (Math.round(y) * photo.width + Math.round(x)) * photo.channels;
    return srgbLuminance(photo.data[p], photo.data[p + 1], photo.data[p + 2]);
  };
  const lights: number[] = [];
  const centres: number[] = [];
  const halves: number[] = [];
  const reach = Math.ceil(maxHalf * 2);
  const p: SkeletonPoint = { x: 0, y: 0, nx: 0, ny: 0 };
  for (let d = from; d <= to && centres.length < maxLength; d++) {
    pointOnArm(joints, d, p);
    const skin = (k: number): boolean => isArmSkin(Math.round(p.x + p.nx * k), Math.round(p.y + p.ny * k));
    let seed: number | null = null;
    for (let k = 0; k <= reach && seed === null; k++) seed = skin(k) ? k : skin(-k) ? -k : null;
    const run = seed === null ? null : skinRunAcross(skin, seed, reach);
    if (!run) break;
    const half = (run.hi - run.lo + 1) / 2;
    const centre = (run.hi + run.lo) / 2;
    if (half > maxHalf || Math.abs(centre) >= half) break;
    if (!SKIN_SAMPLES.every((f) => skinAt(p.x + p.nx * (centre + f * half), p.y + p.ny * (centre + f * half)))) break;
    centres.push(centre);
    halves.push(half);
    let light = 0;
    for (const f of ROW_LIGHT_SAMPLES) light += lightAt(p.x + p.nx * (centre + f * half), p.y + p.ny * (centre + f * half));
    lights.push(light / ROW_LIGHT_SAMPLES.length);
  }
  if (centres.length === 0) return null;
  // A hem cut across the arm at a slant leaves the runs below it short on one side; a crease or
  // the sleeve's shadow darkens a few rows, and mirrored up the arm they were a second elbow. The
  // stretch is the longest one of full-width rows lit as the arm's middle row is.
  const full = FULL_RUN * medianOf(halves);
  const typical = medianOf(lights);
  const clean = (k: number): boolean => halves[k] >= full && Math.abs(lights[k] - typical) <= ROW_LIGHT_TOLERANCE * typical;
  let best = { first: 0, length: 0 };
  for (let k = 0; k < halves.length; ) {
    if (!clean(k)) {
      k++;
      continue;
    }
    let end = k;
    while (end < halves.length && clean(end)) end++;
    if (end - k > best.length) best = { first: k, length: end - k };
    k = end;
  }
  if (best.length === 0) return null;
  const { first, length } = best;
  return {
    from: from + first,
    centre: movingMedian(centres.slice(first, first + length), RUN_SMOOTHING >> 1),
    half: movingMedian(halves.slice(first, first + length), RUN_SMOOTHING >> 1),
  };
}

/**
 * In place on `canvas`: the bared skin of each arm (`skin` coverage 0..255, `armAt(i)` its arm's
 * index into `arms`) above its hem (`hems`, measured on the skeleton `arms[k].joints` runs along)
 * becomes the arm skin of `photo` seen below the hem, carried up as the header says. `light(i)`, if
 * given, multiplies the copied skin's linear light at pixel i (a new sleeve's contact shadow on it).
 */
export function continueSeenArms(
  canvas: Raster, photo: Raster, skin: Mask, arms: readonly ArmCapsule[], armAt: (i: number) => number,
  hems: readonly (ArmAtHem | null)[], isArmSkin: (x: number, y: number) => boolean, light?: (i: number) => number,
  legs?: SeenLegs,
): void {
  const sources = arms.map((capsule, k) => ownSource(capsule, hems[k], isArmSkin, photo));
  let shins: (ArmSource | null)[] | undefined;
  for (let k = 0; k < arms.length; k++) {
    const capsule = arms[k];
    if (capsule.joints.length < 3) continue;
    // An arm that shows no skin of its own below its sleeve (a long sleeve or a glove down to the
    // hand, a bent arm whose forearm is lit otherwise) takes the other arm's: the same person's
    // skin in the same light, where the painted tone read as a flat slab. Across it is copied as
    // it lies in the picture (both arms are lit from the same side).
    const own = sources[k];
    // Else a bare shin's: a limb lit as the arms are, standing as they hang.
    const otherArm = own ? null : sources.find((source, j) => j !== k && source !== null) ?? null;
    if (!own && !otherArm && legs) shins ??= legs.legs.map((leg) => shinSource(leg, legs.isLegSkin, photo));
    // (A shin's only if it is coloured as the person's skin is painted: see DONOR_MAX_DE.)
    const shin = otherArm ? undefined : shins?.find((source) => source !== null && skinMatches(canvas, photo, skin, k, armAt, source));
    const donor = own ? null : otherArm ?? shin ?? null;
    const source = own ?? donor;
    if (!source) continue;
    copyArmSkin(canvas, photo, skin, capsule, k, armAt, source, own ? null : lowestBared(skin, capsule, k, armAt), light);
  }
}

/** Where an arm's skin is copied from: the skeleton it is measured along and the stretch seen on it. */
interface ArmSource {
  joints: readonly Point[];
  seen: SeenStretch;
}

/** The legs, and which pixels show their skin: another source for an arm that shows none. */
export interface SeenLegs {
  legs: readonly { joints: readonly Point[]; radius: number }[];
  isLegSkin: (x: number, y: number) => boolean;
}

/** Share of the shin, from the knee and from the ankle, never copied (the kneecap, the ankle's bones and the shoe's shadow). */
const SHIN_MARGIN = 0.15;
/** Widest run across a shin that counts as the shin, in the leg's root half-widths (wider: both legs together or a skirt's edge). */
const MAX_SHIN_HALF = 1.2;

/** A bare shin's skin (knee to ankle, its ends left out), seen as an arm's is below its hem, or null. */
function shinSource(leg: { joints: readonly Point[]; radius: number }, isLegSkin: (x: number, y: number) => boolean, photo: Raster): ArmSource | null {
  const [hip, knee, ankle] = leg.joints;
  const thigh = Math.hypot(knee.x - hip.x, knee.y - hip.y);
  const shin = Math.hypot(ankle.x - knee.x, ankle.y - knee.y);
  if (thigh < MIN_BONE_PX || shin < MIN_BONE_PX) return null;
  const joints = leg.joints.slice(0, 3);
  const seen = seenStretch(joints, thigh + SHIN_MARGIN * shin, thigh + (1 - SHIN_MARGIN) * shin, Math.round(shin), MAX_SHIN_HALF * Math.max(leg.radius, MIN_HALF_PX), isLegSkin, photo);
  return seen && seen.centre.length >= Math.max(MIN_SOURCE_PX, MIN_SOURCE * (thigh + shin)) ? { joints, seen } : null;
}

/** The arm's own skin seen below its hem (see continueSeenArms), or null. */
function ownSource(capsule: ArmCapsule, hem: ArmAtHem | null, isArmSkin: (x: number, y: number) => boolean, photo: Raster): ArmSource | null {
  if (!hem || capsule.joints.length < 3) return null;
  const lengths = [0, 1].map((s) => Math.hypot(capsule.joints[s + 1].x - capsule.joints[s].x, capsule.joints[s + 1].y - capsule.joints[s].y));
  const armLength = lengths[0] + lengths[1];
  if (lengths[0] < MIN_BONE_PX || lengths[1] < MIN_BONE_PX) return null;
  const hemAlong = hem.at <= 1 ? hem.at * lengths[0] : lengths[0] + (hem.at - 1) * lengths[1];
  const mirror = hemAlong + Math.max(4, Math.round(SOURCE_SKIP * armLength));
  const minLength = Math.max(MIN_SOURCE_PX, MIN_SOURCE * armLength);
  const joints = capsule.joints.slice(0, 3);
  const stretch = (from: number, to: number): SeenStretch | null => {
    const found = seenStretch(joints, from, to, Math.round(MAX_SOURCE * armLength), MAX_RUN_HALF * Math.max(hem.halfWidth, MIN_HALF_PX), isArmSkin, photo);
    return found && found.centre.length >= minLength ? found : null;
  };
  // Not the elbow: its crease, mirrored up the arm, was a second elbow. The upper arm's skin
  // below the hem if enough of it shows, else the forearm's below the elbow if the arm is
  // nearly straight (the light across a bent forearm falls otherwise than across the upper arm).
  const elbowBand = ELBOW_BAND * armLength;
  const [shoulder, elbow, wrist] = joints;
  const bend = Math.abs(Math.atan2(
    (elbow.x - shoulder.x) * (wrist.y - elbow.y) - (elbow.y - shoulder.y) * (wrist.x - elbow.x),
    (elbow.x - shoulder.x) * (wrist.x - elbow.x) + (elbow.y - shoulder.y) * (wrist.y - elbow.y),
  ));
  const fromUpperArm = mirror < lengths[0] - elbowBand ? stretch(mirror, lengths[0] - elbowBand) : null;
  const seen = fromUpperArm ?? (bend <= MAX_FOREARM_BEND ? stretch(Math.max(mirror, lengths[0] + elbowBand), armLength) : null);
  return seen ? { joints, seen } : null;
}

/**
 * Largest colour difference (ΔE, CIELAB) between a shin's skin and the tone the arm was painted
 * in (the person's seen skin, their hands' or face's) for it to be this person's skin in this
 * light: a shin in sheer black tights parses as skin, and copied onto a pale woman's forearms it
 * made them brown (studio 27: 16-20 apart). A bare shin and the painted arms of the same person
 * measured 5-9 apart. (The other arm's skin is this person's skin whatever the paint says.)
 */
const DONOR_MAX_DE = 14;

/** Whether `source`'s seen skin is within DONOR_MAX_DE of the mean colour arm `k`'s bared pixels are painted in on `canvas`. */
function skinMatches(canvas: Raster, photo: Raster, skin: Mask, k: number, armAt: (i: number) => number, source: ArmSource): boolean {
  const lab = new Float32Array(3);
  const painted = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < skin.data.length; i++) {
    if (skin.data[i] < 255 || armAt(i) !== k) continue;
    const p = i * canvas.channels;
    rgbToLab(canvas.data[p], canvas.data[p + 1], canvas.data[p + 2], lab, 0);
    for (let c = 0; c < 3; c++) painted[c] += lab[c];
    n++;
  }
  if (n === 0) return false;
  const seen = [0, 0, 0];
  const { seen: stretch } = source;
  const at: SkeletonPoint = { x: 0, y: 0, nx: 0, ny: 0 };
  // Across the whole of what is copied: sheer tights are skin-coloured along the shin's front.
  let m = 0;
  for (let d = 0; d < stretch.centre.length; d++) {
    pointOnArm(source.joints, stretch.from + d, at);
    for (const f of ROW_LIGHT_SAMPLES) {
      const across = stretch.centre[d] + f * stretch.half[d];
      const x = Math.round(at.x + at.nx * across);
      const y = Math.round(at.y + at.ny * across);
      const p = (Math.min(photo.height - 1, Math.max(0, y)) * photo.width + Math.min(photo.width - 1, Math.max(0, x))) * photo.channels;
      rgbToLab(photo.data[p], photo.data[p + 1], photo.data[p + 2], lab, 0);
      for (let c = 0; c < 3; c++) seen[c] += lab[c];
      m++;
    }
  }
  return Math.hypot(seen[0] / m - painted[0] / n, seen[1] / m - painted[1] / n, seen[2] / m - painted[2] / n) <= DONOR_MAX_DE;
}

/** The furthest arc length along arm `k`'s capsule of any of its bared pixels (its bared part's lower end), or 0. */
function lowestBared(skin: Mask, capsule: ArmCapsule, k: number, armAt: (i: number) => number): number {
  const { width } = skin;
  const segments = capsuleSegments(capsule);
  const at: LimbCoordinates = { along: 0, across: 0, radius: 1 };
  let lowest = 0;
  for (let i = 0; i < skin.data.length; i++) {
    if (skin.data[i] === 0 || armAt(i) !== k) continue;
    if (limbCoordinates(i % width, Math.floor(i / width), segments, at) && at.along > lowest) lowest = at.along;
  }
  return lowest;
}

/**
 * Copies `source`'s seen skin onto arm `k`'s bared pixels. The arm's own skin is mirrored about
 * where its stretch starts (`anchor` null); another arm's is laid from the bared part's lower end
 * (`anchor`, arc length on arm k) upwards, so that the skin next to the hand or the hem below is
 * the skin right below the other arm's hem.
 */
function copyArmSkin(
  canvas: Raster, photo: Raster, skin: Mask, capsule: ArmCapsule, k: number, armAt: (i: number) => number,
  source: ArmSource, anchor: number | null, light?: (i: number) => number,
): void {
  const { width, height, channels, data } = canvas;
  const coordinates: LimbCoordinates = { along: 0, across: 0, radius: 1 };
  const onSkeleton: SkeletonPoint = { x: 0, y: 0, nx: 0, ny: 0 };
  const { seen } = source;
  const upperArm = Math.hypot(capsule.joints[1].x - capsule.joints[0].x, capsule.joints[1].y - capsule.joints[0].y);
  const period = seen.centre.length - 1;
  const fadeEnd = SHOULDER_FADE * upperArm;
  const start = anchor ?? seen.from;
  const segments = capsuleSegments(capsule);
  // The bared arm down to a little past where the seen stretch starts (beside a slanted hem): its
  // capsule's box (all of it for another arm's skin).
  const reach = Math.max(...capsule.radii) * (1 + BOX_MARGIN) + 2;
  const xs = [capsule.joints[0].x, capsule.joints[1].x];
  const ys = [capsule.joints[0].y, capsule.joints[1].y];
  const ends = anchor === null ? [pointOnArm(capsule.joints, seen.from + period)] : capsule.joints.slice(2);
  if (anchor === null && seen.from + period > upperArm) ends.push(capsule.joints[2]);
  for (const p of ends) {
    xs.push(p.x);
    ys.push(p.y);
  }
  const x0 = Math.max(0, Math.floor(Math.min(...xs) - reach));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...xs) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(...ys) - reach));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys) + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (skin.data[i] === 0 || armAt(i) !== k) continue;
      if (!limbCoordinates(x, y, segments, coordinates)) continue;
      const at = coordinates;
      const weight = (skin.data[i] / 255) * Math.min(1, at.along / Math.max(1, fadeEnd));
      if (weight <= 0) continue;
      // Mirrored about where the copied stretch starts, and back and forth over it. (A bared
      // pixel further down, beside a slanted hem, takes the seen skin across from it.)
      const phase = Math.abs(start - at.along) % (2 * Math.max(1, period));
      const offset = phase <= period ? phase : 2 * period - phase;
      const sample = Math.min(period, Math.max(0, Math.round(offset)));
      const u = Math.max(-1, Math.min(1, at.across / at.radius));
      const from = pointOnArm(source.joints, seen.from + offset, onSkeleton);
      // Never the seen run's outermost pixels (see MAX_ACROSS), however thin the arm.
      const half = seen.half[sample];
      const inset = Math.max(0, Math.min(MAX_ACROSS * half, half - EDGE_INSET_PX));
      const across = seen.centre[sample] + Math.max(-inset, Math.min(inset, u * half));
      const sx = from.x + from.nx * across;
      const sy = from.y + from.ny * across;
      const gain = light ? light(i) : 1;
      for (let c = 0; c < 3; c++) {
        const copied = linearToSrgb(bilinearLinear(photo, sx, sy, c) * gain);
        const p = i * channels + c;
        data[p] = Math.round(data[p] * (1 - weight) + copied * weight);
      }
    }
  }
}

/** Linear light of channel `c` of `image` at (x, y), bilinear, clamped to the image. */
function bilinearLinear(image: Raster, x: number, y: number, c: number): number {
  const { width, height, channels, data } = image;
  const cx = Math.min(width - 1, Math.max(0, x));
  const cy = Math.min(height - 1, Math.max(0, y));
  const ix = Math.min(width - 2, Math.floor(cx));
  const iy = Math.min(height - 2, Math.floor(cy));
  const fx = cx - ix;
  const fy = cy - iy;
  const at = (px: number, py: number): number => SRGB_TO_LINEAR[data[(py * width + px) * channels + c]];
  return (at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx) * (1 - fy) + (at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx) * fy;
}
