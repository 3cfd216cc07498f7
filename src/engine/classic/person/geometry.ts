/**
 * Body measurements derived from the pose, shared by the person-analysis steps: which keypoints
 * can be trusted, the shoulder width every size is expressed in, the head's centre and size, and
 * point-to-segment distances for the limb capsules.
 */
import { hipKeypoints } from '../body/index.ts';
import { KEYPOINT_NAMES, type KeypointName, type Point, type Pose } from '../types.ts';
import { hypot2 } from './grid.ts';

/** Keypoints below this score are treated as not visible. */
export const MIN_SCORE = 0.3;

export interface BodyGeometry {
  /** The keypoint when confidently visible. */
  at(name: KeypointName): Point | undefined;
  /** Distance between the shoulders (the body's unit of size), in pixels. */
  shoulderWidth: number;
  shoulderMid: Point;
  /** Midpoint of the hips; estimated below the shoulders when the hips are not visible. */
  hipMid: Point;
  /** Vertical shoulder-to-hip distance. */
  torsoLength: number;
  /** Centre of the face and its width (ear to ear), when the head is in frame. */
  head?: { centre: Point; width: number; /** Highest reliable face point (eyes or nose). */ top: number };
}

export function bodyGeometry(pose: Pose): BodyGeometry {
  const byName = new Map(pose.keypoints.map((k) => [k.name, k]));
  const at = (name: KeypointName): Point | undefined => {
    const k = byName.get(name);
    return k && k.score >= MIN_SCORE ? { x: k.x, y: k.y } : undefined;
  };
  const ls = at('left_shoulder');
  const rs = at('right_shoulder');
  if (!ls || !rs) throw new Error('bodyGeometry needs both shoulders');
  const shoulderWidth = Math.max(1, Math.hypot(ls.x - rs.x, ls.y - rs.y));
  const shoulderMid = mid(ls, rs);
  // Seen hips, or where average proportions put them (chest-up framings).
  const [lh, rh] = hipKeypoints(pose.keypoints);
  const hipMid = mid(lh, rh);
  const torsoLength = Math.max(shoulderWidth * 0.5, hipMid.y - shoulderMid.y);

  let head: BodyGeometry['head'];
  const face = (['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear'] as const).map(at);
  const [nose, le, re, lear, rear] = face;
  const visible = face.filter((p): p is Point => p !== undefined);
  if (nose || visible.length >= 2) {
    let width = shoulderWidth * 0.45;
    if (lear && rear) width = Math.max(width * 0.7, Math.hypot(lear.x - rear.x, lear.y - rear.y) * 1.1);
    else if (le && re) width = Math.max(width * 0.7, Math.hypot(le.x - re.x, le.y - re.y) * 2.3);
    width = Math.min(width, shoulderWidth * 0.8);
    const eyes = [le, re].filter((p): p is Point => p !== undefined);
    // Horizontally: the nose and eyes lean towards where the face turns, the ears stay with the
    // skull; average them.
    const xs: number[] = [];
    if (nose) xs.push(nose.x);
    if (eyes.length === 2) xs.push((eyes[0].x + eyes[1].x) / 2);
    if (lear && rear) xs.push((lear.x + rear.x) / 2);
    const cx = xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : visible.reduce((s, p) => s + p.x, 0) / visible.length;
    // The face's centre sits a little below the eye line and about at the nose.
    const eyeY = eyes.length ? eyes.reduce((s, p) => s + p.y, 0) / eyes.length : undefined;
    const cy = nose && eyeY !== undefined ? (nose.y * 2 + eyeY) / 3 + width * 0.1 : nose ? nose.y : visible[0].y + width * 0.2;
    head = { centre: { x: cx, y: cy }, width, top: Math.min(...visible.map((p) => p.y)) };
  }
  return { at, shoulderWidth, shoulderMid, hipMid, torsoLength, head };
}

export function mid(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

/** Distance from (x, y) to segment a-b, and t in 0..1, the projection's position along it. */
export function segmentDistance(x: number, y: number, a: Point, b: Point): { d: number; t: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const raw = len2 > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / len2 : 0;
  const t = Math.min(1, Math.max(0, raw));
  return { d: hypot2(x - (a.x + t * dx), y - (a.y + t * dy)), t: raw };
}

/** a + (b - a) * t */
export function along(a: Point, b: Point, t: number): Point {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

export const KEYPOINT_INDEX = Object.fromEntries(KEYPOINT_NAMES.map((n, i) => [n, i])) as Record<KeypointName, number>;

/**
 * The face as an ellipse (hairline to chin, cheek to cheek) from the head estimate: the chin sits
 * about 0.4 head widths below the head centre (which is a little below the eyes).
 */
export function faceEllipse(head: NonNullable<BodyGeometry['head']>): { cx: number; cy: number; rx: number; ry: number; chinY: number } {
  const ry = head.width * 0.55;
  const cy = head.centre.y - head.width * 0.17;
  return { cx: head.centre.x, cy, rx: head.width * 0.5, ry, chinY: cy + ry };
}
