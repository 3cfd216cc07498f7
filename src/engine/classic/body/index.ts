/**
 * Body frame: the measurements of the person that garment placement needs, derived from the pose
 * keypoints and the person mask. Everything is in analysis pixels and uses image sides: `l` is the
 * side with the smaller x (a frontal person's right), `r` the larger x.
 *
 * Keypoints the pose model is unsure of (half-body photos have no knees or ankles, arms can be cut
 * off) are extrapolated from average human proportions relative to the torso, so every field is
 * always defined; `visible` says which joints were really seen.
 */
import type { Mask } from '../../../imaging/raster.ts';
import { PartLabel, type Keypoint, type KeypointName, type PersonAnalysis, type Point } from '../types.ts';
import { bodyGeometry, faceEllipse } from '../person/geometry.ts';

/** Below this confidence a keypoint is treated as not seen. */
export const KEYPOINT_MIN_SCORE = 0.3;

export interface Limb {
  /** Joint chain from the body outward: shoulder→elbow→wrist or hip→knee→ankle. */
  joints: [Point, Point, Point];
  /** Whether each joint was seen by the pose model (else extrapolated). */
  visible: [boolean, boolean, boolean];
  /** Half-width of the limb near its root, in px (from the person mask where possible). */
  radius: number;
}

export interface BodyFrame {
  width: number;
  height: number;
  /** Outer shoulder points, where a garment's shoulder seam sits. */
  shoulder: { l: Point; r: Point };
  /** Base of the neck, left and right edges, and its centre. */
  neck: { l: Point; r: Point; centre: Point };
  armpit: { l: Point; r: Point };
  /** Narrowest torso row between armpits and hips. */
  waist: { l: Point; r: Point };
  /** Outer hip points at the hip-joint row. */
  hip: { l: Point; r: Point };
  arm: { l: Limb; r: Limb };
  leg: { l: Limb; r: Limb };
  /** Distance between the outer shoulder points. */
  shoulderWidth: number;
  /** Vertical distance from the shoulder line to the hip line. */
  torsoLength: number;
  /** Body centre line x at a given row (linear between the shoulder and hip midpoints). */
  centreX(y: number): number;
  /** Torso extent at a row, arms excluded, from the person mask: [left x, right x]. */
  torsoSpan(y: number): [number, number];
  /**
   * How far (px) the person's silhouette reaches from `from` along the unit direction `dir`, when it
   * ends within `max`: a limb's edge seen from its axis. Undefined when it runs on past `max` (the
   * limb merges with the torso or another limb there) or when `from` is off the person.
   */
  silhouetteReach(from: Point, dir: Point, max: number): number | undefined;
  /** Is the point inside an arm capsule (shoulder→elbow→wrist, widened by `grow` px)? */
  inArm(x: number, y: number, grow?: number): boolean;
  /** Is the pixel parsed as a bare arm's skin near an arm's axis (see BARE_ARM_REACH), capsule or not? */
  onBareArm(x: number, y: number): boolean;
  /**
   * The person's top silhouette in column x near row `near` (the shoulders' slope), or `near`
   * itself when the mask does not show it within reach (hair over the shoulder).
   */
  topContour(x: number, near: number): number;
  /**
   * The top of the torso (bare skin or the old top, never hair or face) in column x, searched from
   * the chin down to a little below the shoulder joints: where a collar's side or a shoulder seam
   * lies in that column. Undefined when the column shows no torso there or hair covers it.
   */
  collarY(x: number): number | undefined;
  /**
   * The crotch's row where the photo shows it: the top of the backdrop seen between the legs
   * (measured up the line midway between the thighs from the knees), or undefined when the legs
   * touch or a skirt or dress hides the gap.
   */
  crotchY?: number;
}

function kp(keypoints: Keypoint[], name: KeypointName): Keypoint {
  const found = keypoints.find((k) => k.name === name);
  if (!found) throw new Error(`pose lacks keypoint ${name}`);
  return found;
}

const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const add = (a: Point, dx: number, dy: number): Point => ({ x: a.x + dx, y: a.y + dy });

/** Distance from p to the segment ab. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const vx = b.x - a.x;
  const vy = b.y - a.y;
  const len2 = vx * vx + vy * vy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * vx + (p.y - a.y) * vy) / len2));
  const ex = p.x - (a.x + t * vx);
  const ey = p.y - (a.y + t * vy);
  // sqrt, not Math.hypot: this runs per pixel in inArm, and hypot is several times slower.
  return Math.sqrt(ex * ex + ey * ey);
}

/** Orders a left/right keypoint pair by image x. */
function sides(a: Keypoint, b: Keypoint): { l: Keypoint; r: Keypoint; swapped: boolean } {
  return a.x <= b.x ? { l: a, r: b, swapped: false } : { l: b, r: a, swapped: true };
}

/**
 * Builds a limb chain, extrapolating unseen joints: an unseen elbow/knee continues straight down
 * from the root by `segment`, an unseen wrist/ankle continues the root→middle direction.
 */
function limb(root: Keypoint, middle: Keypoint, end: Keypoint, segment: number, radius: number): Limb {
  const seenMid = middle.score >= KEYPOINT_MIN_SCORE;
  const seenEnd = end.score >= KEYPOINT_MIN_SCORE && seenMid;
  const m: Point = seenMid ? { x: middle.x, y: middle.y } : add(root, 0, segment);
  let e: Point;
  if (seenEnd) e = { x: end.x, y: end.y };
  else {
    const dx = m.x - root.x;
    const dy = m.y - root.y;
    const len = Math.hypot(dx, dy) || 1;
    e = add(m, (dx / len) * segment, (dy / len) * segment);
  }
  return { joints: [{ x: root.x, y: root.y }, m, e], visible: [true, seenMid, seenEnd], radius };
}

/**
 * Whole pixels walked from `from` along the unit direction (dx, dy) while still on the person mask,
 * at most `max`; null when `from` itself is off the mask.
 */
function maskRun(mask: Mask, from: Point, dx: number, dy: number, max: number): number | null {
  const inside = (t: number): boolean => {
    const x = Math.round(from.x + dx * t);
    const y = Math.round(from.y + dy * t);
    if (x < 0 || y < 0 || x >= mask.width || y >= mask.height) return false;
    return mask.data[y * mask.width + x] >= 128;
  };
  if (!inside(0)) return null;
  let t = 0;
  while (t < max && inside(t + 1)) t++;
  return t;
}

/** Width of mask runs crossing a segment's midpoint perpendicular to it (for limb radii). */
function crossWidth(mask: Mask, a: Point, b: Point, maxHalf: number): number | null {
  const c = mid(a, b);
  const len = dist(a, b);
  if (len < 1) return null;
  const nx = -(b.y - a.y) / len;
  const ny = (b.x - a.x) / len;
  const lo = maskRun(mask, c, -nx, -ny, maxHalf);
  const hi = maskRun(mask, c, nx, ny, maxHalf);
  if (lo === null || hi === null) return null;
  // A run reaching maxHalf on a side means the limb merges with the torso there: trust the other side.
  const halfLo = lo >= maxHalf ? hi : lo;
  const halfHi = hi >= maxHalf ? lo : hi;
  return (halfLo + halfHi) / 2;
}

const BARE_ARM_LABELS = new Set<number>([PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Hand]);
/**
 * How far from an arm's axis (in arm radii) pixels parsed as its bare skin are the arm, past its
 * capsule: the capsule is the pose's guess at the arm's width, about the pose's axis, and misses the
 * inner side of an arm thicker than measured or whose axis lies off its middle: a panel laid over
 * that side cut the arm hanging beside the body along a ragged line (wide 10, 51). Farther out, skin
 * is the torso's or the other arm's.
 */
const BARE_ARM_REACH = 1.5;

/** Hip-joint distance as a share of the shoulder-joint distance (adult average). */
const HIP_TO_SHOULDER_JOINTS = 0.72;
/** Shoulder-line to hip-line distance as a multiple of the shoulder-joint distance (adult average). */
const TORSO_TO_SHOULDER_JOINTS = 1.45;

/**
 * Hip keypoints closer than this share of the average build's spacing (for the torso's length)
 * show a pelvis turned towards profile: the width of the hips and thighs is then not their
 * spacing (a waist seen from the side still shows about 70 % of its frontal width). Lower than
 * that, because torso lengths vary: a slim, long-waisted person facing the camera measures ~0.7.
 */
const TURNED_PELVIS_SHARE = 0.55;

/**
 * The least hip-joint spacing taken for a torso `torsoLength` long: TURNED_PELVIS_SHARE of an
 * average build's facing the camera. Closer hip keypoints show a pelvis turned towards profile.
 */
export function turnedPelvisSpan(torsoLength: number): number {
  return (TURNED_PELVIS_SHARE * torsoLength * HIP_TO_SHOULDER_JOINTS) / TORSO_TO_SHOULDER_JOINTS;
}

/** Are the hip keypoints so close that the pelvis is turned towards profile (see turnedPelvisSpan)? */
export function pelvisTurned(body: BodyFrame): boolean {
  return dist(body.leg.l.joints[0], body.leg.r.joints[0]) < turnedPelvisSpan(body.torsoLength);
}

/**
 * The hip keypoints, or where they would be when the photo does not show them (chest-up and
 * portrait framings): below the shoulders along the torso's axis at average proportions. A pose
 * model still returns positions for unseen hips, but they are guesses that often land on the
 * shoulders or the frame's edge.
 */
export function hipKeypoints(keypoints: Keypoint[]): [Keypoint, Keypoint] {
  const lh = kp(keypoints, 'left_hip');
  const rh = kp(keypoints, 'right_hip');
  if (lh.score >= KEYPOINT_MIN_SCORE || rh.score >= KEYPOINT_MIN_SCORE) {
    if (lh.score >= KEYPOINT_MIN_SCORE && rh.score >= KEYPOINT_MIN_SCORE) return [lh, rh];
    // One hip seen: mirror it through the shoulders' centre line.
    const seen = lh.score >= rh.score ? lh : rh;
    const ls = kp(keypoints, 'left_shoulder');
    const rs = kp(keypoints, 'right_shoulder');
    const cx = (ls.x + rs.x) / 2;
    const other = { ...(seen === lh ? rh : lh), x: 2 * cx - seen.x, y: seen.y };
    return seen === lh ? [lh, other] : [other, rh];
  }
  const ls = kp(keypoints, 'left_shoulder');
  const rs = kp(keypoints, 'right_shoulder');
  const joints = Math.max(8, dist(ls, rs));
  const c = mid(ls, rs);
  // Down the torso, perpendicular to the shoulder line (a tilted or leaning person tilts it).
  const ux = (rs.x - ls.x) / joints;
  const uy = (rs.y - ls.y) / joints;
  let nx = -uy;
  let ny = ux;
  if (ny < 0) {
    nx = -nx;
    ny = -ny;
  }
  const down = joints * TORSO_TO_SHOULDER_JOINTS;
  const half = (joints * HIP_TO_SHOULDER_JOINTS) / 2;
  const hipMid = { x: c.x + nx * down, y: c.y + ny * down };
  return [
    { ...lh, x: hipMid.x - ux * half, y: hipMid.y - uy * half },
    { ...rh, x: hipMid.x + ux * half, y: hipMid.y + uy * half },
  ];
}

export function measureBody(person: PersonAnalysis): BodyFrame {
  const { keypoints } = person.pose;
  const mask = person.personMask;
  const { width, height } = mask;

  const sh = sides(kp(keypoints, 'left_shoulder'), kp(keypoints, 'right_shoulder'));
  const hp = sides(...hipKeypoints(keypoints));
  // Keep each limb on the side of its own root joint (pose names are anatomical, ours are image sides).
  const armOf = (anatomical: 'left' | 'right') => ({
    elbow: kp(keypoints, `${anatomical}_elbow`),
    wrist: kp(keypoints, `${anatomical}_wrist`),
  });
  const legOf = (anatomical: 'left' | 'right') => ({
    knee: kp(keypoints, `${anatomical}_knee`),
    ankle: kp(keypoints, `${anatomical}_ankle`),
  });
  const armL = armOf(sh.l.name === 'left_shoulder' ? 'left' : 'right');
  const armR = armOf(sh.r.name === 'left_shoulder' ? 'left' : 'right');
  let legL = legOf(hp.l.name === 'left_hip' ? 'left' : 'right');
  let legR = legOf(hp.r.name === 'left_hip' ? 'left' : 'right');

  const jointShoulderWidth = Math.max(8, dist(sh.l, sh.r));
  const shoulderMid = mid(sh.l, sh.r);
  const hipMid = mid(hp.l, hp.r);
  const torsoLength = Math.max(jointShoulderWidth * 0.8, hipMid.y - shoulderMid.y);
  // A pelvis turned sideways puts the hip keypoints almost on top of each other, and which of
  // them is the image-left one is then noise: the legs are taken in the image order of their
  // knees, so that they do not cross between hip and knee.
  const turnedPelvis = dist(hp.l, hp.r) < turnedPelvisSpan(torsoLength);
  if (turnedPelvis && legL.knee.score >= KEYPOINT_MIN_SCORE && legR.knee.score >= KEYPOINT_MIN_SCORE && legL.knee.x > legR.knee.x) {
    [legL, legR] = [legR, legL];
  }

  // Limb radii: measured across the upper arm / thigh in the mask, bounded by proportions.
  const armRadiusGuess = jointShoulderWidth * 0.12;
  // Measured across the upper arm and the forearm; the smaller wins because an arm touching the
  // torso (or a hand on the hip) merges with it in the mask and reads too wide.
  const measureRadius = (limbJoints: [Point, Point, Point], guess: number): number => {
    const widths = [crossWidth(mask, limbJoints[0], limbJoints[1], Math.round(guess * 2.5)), crossWidth(mask, limbJoints[1], limbJoints[2], Math.round(guess * 2.5))]
      .filter((w): w is number => w !== null);
    const w = widths.length === 0 ? guess : Math.min(...widths) * (widths.length === 2 ? 1.1 : 1);
    return Math.min(guess * 1.35, Math.max(guess * 0.6, w));
  };
  const armSegment = torsoLength * 0.62;
  const upperArmL = limb(sh.l, armL.elbow, armL.wrist, armSegment, armRadiusGuess);
  const upperArmR = limb(sh.r, armR.elbow, armR.wrist, armSegment, armRadiusGuess);
  upperArmL.radius = measureRadius(upperArmL.joints, armRadiusGuess);
  upperArmR.radius = measureRadius(upperArmR.joints, armRadiusGuess);

  const legSegment = torsoLength * 0.95;
  // The thighs are as thick whichever way the pelvis is turned: sized by the hips' frontal spacing,
  // not below a share of the average build's for the torso (a turned pelvis's is too short).
  const legRadiusGuess = Math.max(6, Math.max(dist(hp.l, hp.r), turnedPelvisSpan(torsoLength)) * 0.34);
  const legLimbL = limb(hp.l, legL.knee, legL.ankle, legSegment, legRadiusGuess);
  const legLimbR = limb(hp.r, legR.knee, legR.ankle, legSegment, legRadiusGuess);

  const centreX = (y: number): number => {
    const t = (y - shoulderMid.y) / (hipMid.y - shoulderMid.y || 1);
    return shoulderMid.x + (hipMid.x - shoulderMid.x) * Math.max(-0.5, Math.min(1.5, t));
  };

  const arms = [upperArmL, upperArmR];
  // The root of the arm overlaps the torso at the shoulder: each capsule starts a little out.
  const armCapsules = arms.map((arm) => {
    const [s, e, w] = arm.joints;
    const start = { x: s.x + (e.x - s.x) * 0.15, y: s.y + (e.y - s.y) * 0.15 };
    // The joints' box: a point farther than the radius outside it is farther than that from both bones.
    const box = { x0: Math.min(start.x, e.x, w.x), y0: Math.min(start.y, e.y, w.y), x1: Math.max(start.x, e.x, w.x), y1: Math.max(start.y, e.y, w.y) };
    return { start, elbow: e, wrist: w, radius: arm.radius, box };
  });
  const inArm = (x: number, y: number, grow = 0): boolean => {
    const p = { x, y };
    for (const arm of armCapsules) {
      const r = arm.radius + grow;
      // Most pixels asked about are nowhere near an arm: the two distances only for those within
      // the radius of its box (plus a pixel, so rounding in the distance cannot matter).
      const reach = r + 1;
      const { box } = arm;
      if (x < box.x0 - reach || x > box.x1 + reach || y < box.y0 - reach || y > box.y1 + reach) continue;
      if (distanceToSegment(p, arm.start, arm.elbow) <= r || distanceToSegment(p, arm.elbow, arm.wrist) <= r * 0.85) return true;
    }
    return false;
  };

  const labels = person.parsing.labels;
  const bareArmGrow = (BARE_ARM_REACH - 1) * Math.max(upperArmL.radius, upperArmR.radius);
  const onBareArm = (x: number, y: number): boolean => BARE_ARM_LABELS.has(labels[y * width + x]) && inArm(x, y, bareArmGrow);

  const maxHalf = jointShoulderWidth * 1.2;
  // Walking a row calls inArm per pixel: rendering asks for the same rows many times over.
  const spans = new Map<number, [number, number]>();
  const torsoSpan = (y: number): [number, number] => {
    const row = Math.max(0, Math.min(height - 1, Math.round(y)));
    const known = spans.get(row);
    if (known) return [known[0], known[1]];
    const span = walkTorsoRow(row);
    spans.set(row, span);
    return [span[0], span[1]];
  };
  const walkTorsoRow = (row: number): [number, number] => {
    const cx = Math.round(centreX(row));
    const at = (x: number): boolean =>
      x >= 0 && x < width && mask.data[row * width + x] >= 128 && !inArm(x, row);
    let l = cx;
    while (cx - l < maxHalf && at(l - 1)) l--;
    let r = cx;
    while (r - cx < maxHalf && at(r + 1)) r++;
    if (r - l < jointShoulderWidth * 0.3) {
      // The mask failed here (or the centre is occluded by an arm): fall back to proportions.
      const half = jointShoulderWidth * 0.42;
      return [cx - half, cx + half];
    }
    return [l, r];
  };

  // Outer shoulder: the joint sits inside the deltoid; the seam sits ~ a quarter arm radius further out
  // and slightly higher.
  const outward = jointShoulderWidth * 0.1;
  // The seam lies on the shoulder's top contour: on the silhouette when the mask shows it within
  // reach above the joint (broad or sloping shoulders put it higher or lower than a fixed offset,
  // and a tee whose seam sits below the contour shows a strip of bare shoulder above it).
  const topContour = (x: number, near: number): number => {
    const column = Math.round(x);
    if (column < 0 || column >= width) return near;
    const lowest = Math.round(near + jointShoulderWidth * 0.04);
    const highest = Math.max(0, Math.round(near - jointShoulderWidth * 0.12));
    if (lowest < 0 || lowest >= height || mask.data[lowest * width + column] < 128) return near;
    let y = lowest;
    while (y > highest && mask.data[(y - 1) * width + column] >= 128) y--;
    // Reached the reach limit still inside the person (hair over the shoulder): keep the estimate.
    return y === highest ? near : y;
  };
  const onContour = (p: Point): Point => ({ x: p.x, y: topContour(p.x, p.y) });
  const shoulder = {
    l: onContour(add(sh.l, -outward, -jointShoulderWidth * 0.04)),
    r: onContour(add(sh.r, outward, -jointShoulderWidth * 0.04)),
  };
  const shoulderWidth = dist(shoulder.l, shoulder.r);

  // The neck's base: at average proportions a little above the shoulder joints, but never below
  // the collar line the photo shows (a close-up or sloping shoulders put the joints far lower).
  const collarY = collarContour(person, shoulderMid.y + jointShoulderWidth * COLLAR_SEARCH_BELOW_JOINTS);
  const neckSides = [-1, 1].map((side) => collarY(shoulderMid.x + side * NECK_SIDE_OFFSET * jointShoulderWidth));
  let neckY = shoulderMid.y - jointShoulderWidth * 0.08;
  if (neckSides[0] !== undefined && neckSides[1] !== undefined) {
    neckY = Math.min(neckY, (neckSides[0] + neckSides[1]) / 2 + jointShoulderWidth * COLLAR_DIP_BELOW_SIDES);
  }
  const neckCentre = { x: shoulderMid.x, y: neckY };
  const neckHalf = jointShoulderWidth * 0.2;
  const neck = { l: add(neckCentre, -neckHalf, 0), r: add(neckCentre, neckHalf, 0), centre: neckCentre };

  const armpitY = shoulderMid.y + torsoLength * 0.3;
  const [apl, apr] = torsoSpan(armpitY);
  const armpit = { l: { x: apl, y: armpitY }, r: { x: apr, y: armpitY } };

  // Waist: narrowest row between 45% and 80% of the torso.
  let waistY = shoulderMid.y + torsoLength * 0.65;
  let waistW = Infinity;
  for (let f = 0.45; f <= 0.8; f += 0.025) {
    const y = shoulderMid.y + torsoLength * f;
    const [a, b] = torsoSpan(y);
    if (b - a < waistW) {
      waistW = b - a;
      waistY = y;
    }
  }
  const [wl, wr] = torsoSpan(waistY);
  const waist = { l: { x: wl, y: waistY }, r: { x: wr, y: waistY } };

  const [hl, hr] = torsoSpan(hipMid.y);
  const hip = { l: { x: Math.min(hl, hp.l.x - legRadiusGuess * 0.6), y: hipMid.y }, r: { x: Math.max(hr, hp.r.x + legRadiusGuess * 0.6), y: hipMid.y } };

  return {
    width,
    height,
    shoulder,
    neck,
    armpit,
    waist,
    hip,
    arm: { l: upperArmL, r: upperArmR },
    leg: { l: legLimbL, r: legLimbR },
    shoulderWidth,
    torsoLength,
    centreX,
    torsoSpan,
    silhouetteReach: (from, dir, max) => {
      const run = maskRun(mask, from, dir.x, dir.y, Math.ceil(max));
      return run === null || run >= max ? undefined : run;
    },
    inArm,
    onBareArm,
    topContour,
    collarY,
    crotchY: seenCrotchY(mask, legLimbL, legLimbR),
  };
}

/** Half the width (px) of the strip midway between the thighs that must be backdrop for a row to lie below the crotch: a thin line of background between touching legs is not a gap. */
const CROTCH_GAP_HALF = 2;

/** See BodyFrame.crotchY. Hip and knee joints of both legs, as measured. */
function seenCrotchY(mask: Mask, legL: Limb, legR: Limb): number | undefined {
  const [hipL, kneeL] = legL.joints;
  const [hipR, kneeR] = legR.joints;
  const top = Math.max(0, Math.round(Math.min(hipL.y, hipR.y)));
  const bottom = Math.min(mask.height - 1, Math.round(Math.min(kneeL.y, kneeR.y)));
  if (bottom <= top) return undefined;
  // The thighs' axes at a row: hip to knee, straight.
  const axisX = (hip: Point, knee: Point, y: number): number => (knee.y === hip.y ? hip.x : hip.x + ((knee.x - hip.x) * (y - hip.y)) / (knee.y - hip.y));
  const gapAt = (y: number): boolean => {
    const cx = Math.round((axisX(hipL, kneeL, y) + axisX(hipR, kneeR, y)) / 2);
    for (let x = cx - CROTCH_GAP_HALF; x <= cx + CROTCH_GAP_HALF; x++) {
      if (x < 0 || x >= mask.width || mask.data[y * mask.width + x] >= 128) return false;
    }
    return true;
  };
  if (!gapAt(bottom)) return undefined;
  let y = bottom;
  while (y > top && gapAt(y - 1)) y--;
  return y === top ? undefined : y;
}

/** Columns at this share of the joint shoulder width either side of the centre are beside the neck, on the trapezius. */
const NECK_SIDE_OFFSET = 0.25;
/** A crew collar's front lies this far (share of the joint shoulder width) below its sides. */
const COLLAR_DIP_BELOW_SIDES = 0.05;
/** Rows of backdrop a collar column must cross below the chin (it runs beside the neck, not in it). */
const MIN_BACKDROP_ROWS = 3;
/** The collar search runs down to this far (share of the joint shoulder width) below the shoulder joints. */
const COLLAR_SEARCH_BELOW_JOINTS = 0.1;

/**
 * Column → top of the torso below the chin (see BodyFrame.collarY), from the parsing labels. Hair
 * met first means the shoulder is hidden (long hair); the face met below the backdrop means the
 * head leans over the column. Either way the column says nothing and the caller keeps its estimate.
 */
function collarContour(person: PersonAnalysis, lowest: number): (x: number) => number | undefined {
  const { labels, width, height } = person.parsing;
  const head = bodyGeometry(person.pose).head;
  if (!head) return () => undefined;
  const chin = Math.max(0, Math.ceil(faceEllipse(head).chinY));
  const bottom = Math.min(height - 1, Math.floor(lowest));
  const cache = new Map<number, number | undefined>();
  return (x: number): number | undefined => {
    const column = Math.round(x);
    if (column < 0 || column >= width) return undefined;
    if (cache.has(column)) return cache.get(column);
    let found: number | undefined;
    // Only a column that passes beside the neck (backdrop first) meets the shoulder's top; one
    // that starts inside the neck would put the collar at the chin.
    let backdrop = 0;
    for (let y = chin; y <= bottom; y++) {
      const label = labels[y * width + column];
      if (label === PartLabel.Background) {
        backdrop++;
        continue;
      }
      // The jaw reaches below the estimated chin at the face's sides.
      if (label === PartLabel.Face && backdrop === 0) continue;
      if (label === PartLabel.Hair || label === PartLabel.Face || backdrop < MIN_BACKDROP_ROWS) break;
      if (label === PartLabel.Neck || label === PartLabel.TorsoSkin || label === PartLabel.UpperGarment || label === PartLabel.UpperArm) found = y;
      break;
    }
    cache.set(column, found);
    return found;
  };
}
