/**
 * The body parts as capsules (segments with a radius) and the torso quadrilateral, built from the
 * pose. Skin pixels go to the part they are nearest to relative to its radius; non-skin pixels
 * inside an arm capsule are sleeve candidates. Keypoints the pose model is unsure of are left out,
 * so a half-body photo simply has no leg parts below the frame.
 */
import type { Point, Pose } from '../types.ts';
import { PartLabel } from '../types.ts';
import { along, faceEllipse, type BodyGeometry } from './geometry.ts';
import { hypot2 } from './grid.ts';

export interface Capsule {
  label: PartLabel;
  a: Point;
  b: Point;
  radius: number;
  /** For the forearm capsule: where along elbow→wrist (t = 1) the hand begins. */
  handFrom?: { elbow: Point; wrist: Point; t: number };
}

export interface BodyParts {
  capsules: Capsule[];
  /** Shoulders and hips (left shoulder, right shoulder, right hip, left hip), widened a little. */
  torso?: Point[];
  /** Arm capsules only (upper arms, forearms with hands), for sleeves and occlusion. */
  arms: Capsule[];
}

/** Hands start a little past the wrist keypoint (MoveNet puts it on the joint itself). */
export const HAND_START = 1.05;

export function bodyParts(body: BodyGeometry, pose: Pose, imageHeight: number): BodyParts {
  const sw = body.shoulderWidth;
  const loose = (name: Parameters<BodyGeometry['at']>[0], minScore: number): Point | undefined => {
    const k = pose.keypoints.find((p) => p.name === name);
    return k && k.score >= minScore ? { x: k.x, y: k.y } : undefined;
  };
  const capsules: Capsule[] = [];
  const arms: Capsule[] = [];
  if (body.head) {
    const chin = faceEllipse(body.head).chinY - body.head.width * 0.05;
    capsules.push({ label: PartLabel.Neck, a: { x: body.head.centre.x, y: chin }, b: body.shoulderMid, radius: sw * 0.2 });
  } else {
    capsules.push({ label: PartLabel.Neck, a: { x: body.shoulderMid.x, y: body.shoulderMid.y - sw * 0.35 }, b: body.shoulderMid, radius: sw * 0.2 });
  }
  for (const side of ['left', 'right'] as const) {
    const s = body.at(`${side}_shoulder`);
    const e = body.at(`${side}_elbow`);
    const w = body.at(`${side}_wrist`);
    if (s && e) {
      const upper: Capsule = { label: PartLabel.UpperArm, a: s, b: e, radius: sw * 0.16 };
      capsules.push(upper);
      arms.push(upper);
    }
    if (e && w) {
      // The forearm capsule's end cap past the wrist is already hand; the hand capsule (wider:
      // spread fingers, a fist) runs about 80 % of a forearm past the wrist.
      const handFrom = { elbow: e, wrist: w, t: HAND_START };
      const fore: Capsule = { label: PartLabel.LowerArm, a: e, b: w, radius: sw * 0.13, handFrom };
      capsules.push(fore);
      arms.push(fore);
      // A hidden hand (person/hands.ts) claims nothing: past its wrist lie the clothes.
      if (!pose.keypoints.find((k) => k.name === `${side}_wrist`)?.handHidden) {
        const hand: Capsule = { label: PartLabel.Hand, a: along(e, w, HAND_START), b: along(e, w, 1.8), radius: sw * 0.17, handFrom };
        capsules.push(hand);
        arms.push(hand);
      }
    }
    const hip = body.at(`${side}_hip`);
    // Legs use weaker keypoints too: a knee at the frame's edge still tells the thigh's direction.
    const knee = loose(`${side}_knee`, 0.15);
    const ankle = loose(`${side}_ankle`, 0.3);
    if (hip) {
      const kneeOrBelow = knee ?? { x: hip.x, y: Math.min(imageHeight * 1.5, hip.y + body.torsoLength * 1.2) };
      capsules.push({ label: PartLabel.Leg, a: hip, b: kneeOrBelow, radius: sw * 0.3 });
      if (knee && ankle) capsules.push({ label: PartLabel.Leg, a: knee, b: ankle, radius: sw * 0.22 });
    }
  }
  const corners = (['left_shoulder', 'right_shoulder', 'right_hip', 'left_hip'] as const).map((n) => body.at(n));
  let torso: Point[] | undefined;
  if (corners.every((p) => p)) {
    const cx = (body.shoulderMid.x + body.hipMid.x) / 2;
    torso = corners.map((p) => ({ x: cx + (p!.x - cx) * 1.1, y: p!.y }));
  } else {
    const [ls, rs] = corners;
    const down = body.torsoLength;
    torso = [ls!, rs!, { x: rs!.x, y: rs!.y + down }, { x: ls!.x, y: ls!.y + down }];
  }
  return { capsules, torso, arms };
}

/** Distance from (x, y) to the capsule's axis divided by its radius (< 1 inside). */
export function capsuleScore(c: Capsule, x: number, y: number): number {
  const dx = c.b.x - c.a.x;
  const dy = c.b.y - c.a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - c.a.x) * dx + (y - c.a.y) * dy) / len2)) : 0;
  return hypot2(x - c.a.x - t * dx, y - c.a.y - t * dy) / c.radius;
}

/** Bounding boxes of the capsules' axes, [minX, maxX, minY, maxY] per capsule, for `mayScoreBelow`. */
export function capsuleBoxes(capsules: Capsule[]): Float64Array {
  const boxes = new Float64Array(capsules.length * 4);
  capsules.forEach((c, k) => {
    boxes[k * 4] = Math.min(c.a.x, c.b.x);
    boxes[k * 4 + 1] = Math.max(c.a.x, c.b.x);
    boxes[k * 4 + 2] = Math.min(c.a.y, c.b.y);
    boxes[k * 4 + 3] = Math.max(c.a.y, c.b.y);
  });
  return boxes;
}

/**
 * False when capsule k (of `capsuleBoxes`) surely scores at least `limit` at (x, y): the point lies
 * farther than limit · radius plus a pixel outside its axis's bounding box along x or y, a lower
 * bound on its distance to the axis with a margin far beyond rounding. Lets hot loops skip
 * capsuleScore without changing any comparison of it with `limit`.
 */
export function mayScoreBelow(boxes: Float64Array, k: number, radius: number, x: number, y: number, limit: number): boolean {
  const reach = limit * radius + 1;
  const o = k * 4;
  return x >= boxes[o] - reach && x <= boxes[o + 1] + reach && y >= boxes[o + 2] - reach && y <= boxes[o + 3] + reach;
}

/** The label a skin pixel inside capsule `c` gets (forearm capsules split into arm and hand). */
export function capsuleLabel(c: Capsule, x: number, y: number): PartLabel {
  if (!c.handFrom) return c.label;
  const { elbow, wrist, t } = c.handFrom;
  const dx = wrist.x - elbow.x;
  const dy = wrist.y - elbow.y;
  const len2 = dx * dx + dy * dy || 1;
  return ((x - elbow.x) * dx + (y - elbow.y) * dy) / len2 > t ? PartLabel.Hand : PartLabel.LowerArm;
}
