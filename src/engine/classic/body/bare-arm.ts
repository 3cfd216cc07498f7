/**
 * Where the photo shows that an arm is not, although its capsule reaches there.
 *
 * The arm capsules (BodyFrame.inArm) are the skeleton's guess at an arm's extent: a joint chain
 * with one radius. On a three-quarter view or an arm hanging behind the hip, the capsule lies
 * half over the torso, and a body panel occluded by it loses a band down its side (a tee's logo
 * cut by a vertical line, the sleeve drawn where the panel should be). Under a sleeve the
 * parsing cannot tell arm from torso (both are garment), so there the capsule is all there is;
 * but where the arm is bare, its cross-section shows skin, and the garment or torso pixels of
 * that cross-section are the torso, with the arm beside or behind it.
 */
import { createMask, type Mask } from '../../../imaging/raster.ts';
import { PartLabel, type Point } from '../types.ts';
import type { BodyFrame } from './index.ts';
import { dilateMask, erodeMask, subtractMask } from '../render/masks.ts';

/** Cross-sections an arm's capsule is cut into along its axis (shoulder → elbow → wrist). */
const SECTIONS = 24;
/**
 * Least share of a cross-section's person pixels that must be arm skin for the arm to count as
 * bare there: an arm hanging behind the torso shows as a strip about a sixth of its capsule wide.
 */
const BARE_SECTION_SKIN_SHARE = 0.08;
/** Least arm-skin pixels in a cross-section for it to count as bare (a few stray labels are not an arm). */
const BARE_SECTION_MIN_PIXELS = 12;

/** Narrowest band of an arm's capsule (half-width, as a share of the arm's radius) that counts as torso beside the arm. */
const MIN_ABSENT_BAND = 0.35;

const ARM_SKIN = new Set<number>([PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Hand]);

interface Capsule {
  points: [Point, Point, Point];
  /** Half-width of the upper arm (px) and of the forearm (a little thinner, as BodyFrame.inArm). */
  radii: [number, number];
  /** Arc length at the elbow and in all. */
  elbowAt: number;
  length: number;
}

/** Arc length along the capsule's axis of the nearest axis point, or -1 outside the capsule. */
function along(c: Capsule, x: number, y: number): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let s = 0; s < 2; s++) {
    const a = c.points[s];
    const b = c.points[s + 1];
    const vx = b.x - a.x;
    const vy = b.y - a.y;
    const len2 = vx * vx + vy * vy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a.x) * vx + (y - a.y) * vy) / len2));
    const ex = x - (a.x + t * vx);
    const ey = y - (a.y + t * vy);
    const d = Math.sqrt(ex * ex + ey * ey);
    if (d > c.radii[s] || d >= bestDistance) continue;
    bestDistance = d;
    best = (s === 0 ? 0 : c.elbowAt) + t * Math.sqrt(len2);
  }
  return best;
}

/**
 * Pixels below `fromY` inside an arm's capsule (grown by `grow` px) that the parsing labels as
 * something other than arm skin, at a place along the arm where the arm shows bare: the arm is
 * not there. Empty for sleeved arms.
 */
export function armAbsentMask(body: BodyFrame, labels: Uint8Array, personMask: Mask, fromY: number, grow = 1): Mask {
  return withoutSlivers(body, absentPixels(body, labels, personMask, fromY, grow).absent);
}

function withoutSlivers(body: BodyFrame, absent: Mask): Mask {
  // Only a band as wide as a good part of the arm is torso beside it: the slivers along a bare
  // forearm crossing the body are the capsule overreaching the parsed arm by a few pixels, and a
  // sleeve held back behind a panel drawn there showed as stripes across it.
  const radius = Math.max(1, MIN_ABSENT_BAND * Math.min(body.arm.l.radius, body.arm.r.radius));
  return dilateMask(erodeMask(absent, radius), radius);
}

/**
 * Rows of pixels (analysis px) round a bare arm's parsed skin that a body panel still leaves to the
 * arm: the parsing's arm edge lies about a soft edge's width inside the arm's outline.
 */
const ARM_EDGE_PX = 2;

/**
 * What a body panel is not held back by, of a bare arm's capsule: every pixel armAbsentMask finds,
 * slivers included, less ARM_EDGE_PX round the arm's skin. A bare forearm crossing the body (crossed
 * arms, hands at the waist) lies in a capsule a good deal wider than it; the slivers of the old top
 * or trousers between the arm's skin and the capsule's edge, held back from the panel, stayed in the
 * photo as strips of the old garment along the arm or were painted skin (wide 38, 13). The panel
 * is drawn up to the arm; the arm stays in front of it.
 */
export function armAbsentForPanel(body: BodyFrame, labels: Uint8Array, personMask: Mask, fromY: number, grow = 1): Mask {
  return forPanel(absentPixels(body, labels, personMask, fromY, grow));
}

function forPanel({ absent, skin }: { absent: Mask; skin: Mask }): Mask {
  return subtractMask(absent, dilateMask(skin, ARM_EDGE_PX));
}

/** armAbsentMask (what a sleeve is held back by) and armAbsentForPanel, from one pass over the capsules. */
export function armAbsentMasks(body: BodyFrame, labels: Uint8Array, personMask: Mask, fromY: number, grow = 1): { sleeve: Mask; panel: Mask } {
  const pixels = absentPixels(body, labels, personMask, fromY, grow);
  return { sleeve: withoutSlivers(body, pixels.absent), panel: forPanel(pixels) };
}

/** Pixels of armAbsentMask before its slivers are dropped, and the arm skin inside the capsules below `fromY`. */
function absentPixels(body: BodyFrame, labels: Uint8Array, personMask: Mask, fromY: number, grow: number): { absent: Mask; skin: Mask } {
  const { width, height } = personMask;
  // 1: inside a capsule where its arm shows bare and the pixel is not skin; 2: where an arm may be
  // (a sleeved section, or arm skin). Crossed arms: what one arm may hold is never absent.
  const state = new Uint8Array(width * height);
  const armSkin = createMask(width, height);
  const capsules: Capsule[] = [body.arm.l, body.arm.r].map((arm) => {
    const [s, e, w] = arm.joints;
    // As BodyFrame.inArm: the capsule starts a little out from the shoulder joint.
    const start = { x: s.x + (e.x - s.x) * 0.15, y: s.y + (e.y - s.y) * 0.15 };
    const upper = Math.hypot(e.x - start.x, e.y - start.y);
    const r = arm.radius + grow;
    return { points: [start, e, w], radii: [r, r * 0.85], elbowAt: upper, length: upper + Math.hypot(w.x - e.x, w.y - e.y) };
  });
  const y0 = Math.max(0, Math.ceil(fromY));
  for (const c of capsules) {
    if (c.length < 1) continue;
    const skin = new Float64Array(SECTIONS);
    const total = new Float64Array(SECTIONS);
    const section = (s: number): number => Math.min(SECTIONS - 1, Math.floor((s / c.length) * SECTIONS));
    const reach = Math.max(c.radii[0], c.radii[1]);
    const xs = c.points.map((p) => p.x);
    const ys = c.points.map((p) => p.y);
    const bx0 = Math.max(0, Math.floor(Math.min(...xs) - reach));
    const bx1 = Math.min(width - 1, Math.ceil(Math.max(...xs) + reach));
    const by0 = Math.max(y0, Math.floor(Math.min(...ys) - reach));
    const by1 = Math.min(height - 1, Math.ceil(Math.max(...ys) + reach));
    if (by1 < by0 || bx1 < bx0) continue;
    const bw = bx1 - bx0 + 1;
    const place = new Float32Array(bw * (by1 - by0 + 1)).fill(-1);
    for (let y = by0; y <= by1; y++) {
      for (let x = bx0; x <= bx1; x++) {
        const i = y * width + x;
        if (personMask.data[i] < 128) continue;
        const s = along(c, x, y);
        if (s < 0) continue;
        place[(y - by0) * bw + (x - bx0)] = s;
        const k = section(s);
        total[k]++;
        if (ARM_SKIN.has(labels[i])) skin[k]++;
      }
    }
    const bare = Array.from(skin, (n, k) => n >= BARE_SECTION_MIN_PIXELS && n >= BARE_SECTION_SKIN_SHARE * total[k]);
    for (let y = by0; y <= by1; y++) {
      for (let x = bx0; x <= bx1; x++) {
        const s = place[(y - by0) * bw + (x - bx0)];
        if (s < 0) continue;
        const i = y * width + x;
        if (ARM_SKIN.has(labels[i])) armSkin.data[i] = 255;
        if (bare[section(s)] && !ARM_SKIN.has(labels[i])) {
          if (state[i] === 0) state[i] = 1;
        } else state[i] = 2;
      }
    }
  }
  const absent = createMask(width, height);
  for (let i = 0; i < state.length; i++) if (state[i] === 1) absent.data[i] = 255;
  return { absent, skin: armSkin };
}
