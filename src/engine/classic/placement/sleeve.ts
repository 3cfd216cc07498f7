/**
 * Sleeve geometry measured on the garment mask itself: the pixels on the far side of the armhole
 * seam (shoulder→armpit) are the sleeve; its axis runs from the seam's midpoint to their centroid,
 * its cuff is the far end along that axis. Used when the landmark detector's cuff corners are
 * degenerate (a cuff narrower than a quarter of the armhole), which happens on sleeves whose cuff
 * edge is not a clean corner-to-corner line.
 */
import type { Mask } from '../../../imaging/raster.ts';
import type { Point, SleeveLandmarks } from '../types.ts';

const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

export function sleeveFromMask(mask: Mask, sleeve: SleeveLandmarks, panelInside: Point): SleeveLandmarks {
  const seamLength = dist(sleeve.shoulder, sleeve.armpit);
  if (dist(sleeve.cuffOuter, sleeve.cuffInner) >= seamLength * 0.25) return sleeve;
  const { shoulder: s, armpit: a } = sleeve;
  const dx = a.x - s.x;
  const dy = a.y - s.y;
  const panelSide = Math.sign(dx * (panelInside.y - s.y) - dy * (panelInside.x - s.x)) || 1;
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  const step = 2;
  for (let y = 0; y < mask.height; y += step) {
    for (let x = 0; x < mask.width; x += step) {
      if (mask.data[y * mask.width + x] < 128) continue;
      if (Math.sign(dx * (y - s.y) - dy * (x - s.x)) !== -panelSide) continue;
      count++;
      sumX += x;
      sumY += y;
    }
  }
  if (count < 20) return sleeve;
  const seamMid = { x: (s.x + a.x) / 2, y: (s.y + a.y) / 2 };
  const centroid = { x: sumX / count, y: sumY / count };
  const axisLength = dist(seamMid, centroid) || 1;
  const ux = (centroid.x - seamMid.x) / axisLength;
  const uy = (centroid.y - seamMid.y) / axisLength;
  // Far end along the axis, then the extremes across it within a thin band at that end.
  let tMax = 0;
  for (let y = 0; y < mask.height; y += step) {
    for (let x = 0; x < mask.width; x += step) {
      if (mask.data[y * mask.width + x] < 128) continue;
      if (Math.sign(dx * (y - s.y) - dy * (x - s.x)) !== -panelSide) continue;
      tMax = Math.max(tMax, (x - seamMid.x) * ux + (y - seamMid.y) * uy);
    }
  }
  const band = Math.max(4, tMax * 0.06);
  // The side of the axis the shoulder lies on is the sleeve's outer (top) edge.
  const outerSign = Math.sign((s.x - seamMid.x) * -uy + (s.y - seamMid.y) * ux) || 1;
  let outer: Point | null = null;
  let inner: Point | null = null;
  let outerBest = -Infinity;
  let innerBest = -Infinity;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x] < 128) continue;
      const t = (x - seamMid.x) * ux + (y - seamMid.y) * uy;
      if (t < tMax - band) continue;
      const across = ((x - seamMid.x) * -uy + (y - seamMid.y) * ux) * outerSign;
      if (across > outerBest) {
        outerBest = across;
        outer = { x, y };
      }
      if (-across > innerBest) {
        innerBest = -across;
        inner = { x, y };
      }
    }
  }
  if (!outer || !inner) return sleeve;
  return { ...sleeve, cuffOuter: outer, cuffInner: inner };
}
