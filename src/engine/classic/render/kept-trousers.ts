/**
 * Trousers under a long top. A coat, a parka or a tunic hides the top of the person's trousers;
 * when a shorter new top bares that part, what shows there is the trousers running up to the
 * waistband, not bare thighs. This finds that part of the bared skin zone, for the caller to
 * synthesise from the trousers' own visible patches.
 */
import { createMask, type Mask } from '../../../imaging/raster.ts';
import { distanceToSegment, type BodyFrame } from '../body/index.ts';
import { handEnd } from './bare-skin.ts';
import { PartLabel } from '../types.ts';

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
  const waistband = Math.max(0, Math.round(body.hip.l.y - WAISTBAND_ABOVE_HIPS * body.torsoLength));
  const legs = [body.leg.l, body.leg.r];
  const kneeY = Math.min(height - 1, Math.round(Math.max(...legs.map((leg) => leg.joints[1].y))));
  const reach = Math.max(...legs.map((leg) => leg.radius));
  const x0 = Math.max(0, Math.floor(Math.min(...legs.flatMap((leg) => leg.joints.map((j) => j.x))) - reach));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...legs.flatMap((leg) => leg.joints.map((j) => j.x))) + reach));
  let trouserPixels = 0;
  let skinPixels = 0;
  for (let y = Math.max(0, Math.round(body.hip.l.y)); y <= kneeY; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (bare.data[i] !== 0) continue;
      if (labels[i] === PartLabel.LowerGarment) trouserPixels++;
      else if (labels[i] === PartLabel.Leg) skinPixels++;
    }
  }
  if (trouserPixels < MIN_TROUSER_PIXELS || trouserPixels < TROUSERS_OVER_SKIN * skinPixels) return null;
  // The arms hang in front of the trousers: a forearm bared down to the hand at hip height is an
  // arm, not trousers (drawn as trousers, it ended in a black block where the cuff was).
  const forearms = [body.arm.l, body.arm.r].map((arm) => {
    const [, elbow, wrist] = arm.joints;
    return { elbow, end: handEnd(elbow, wrist), radius: arm.radius };
  });
  const onArm = (x: number, y: number): boolean =>
    body.inArm(x, y) || forearms.some((f) => distanceToSegment({ x, y }, f.elbow, f.end) <= f.radius);
  return zonePart(bareSkin, waistband, height, (x, y) => !onArm(x, y));
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
