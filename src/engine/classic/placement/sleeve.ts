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

/** Band outside the body panel's side seam (share of the seam's length) still counted as the panel. */
const SIDE_SEAM_MARGIN = 0.03;

/**
 * The pixels a sleeve can hold: the far side of its armhole seam's line (shoulder→armpit) from the
 * body panel, less, below the armpit, what lies inside the body panel's side seam (armpit → hem
 * corner). Below the armpit the far side of the seam's line also holds the body panel's side (a
 * tee's hem flares past its armpits; a sleeve hanging at a slant leaves a wedge of panel beyond the
 * line): only what lies outside the side seam can be a sleeve hanging there.
 */
export function sleeveSideTest(sleeve: Pick<SleeveLandmarks, 'shoulder' | 'armpit'>, panelInside: Point, hemCorner?: Point): (x: number, y: number) => boolean {
  const { shoulder: s, armpit: a } = sleeve;
  const dx = a.x - s.x;
  const dy = a.y - s.y;
  const panelSide = Math.sign(dx * (panelInside.y - s.y) - dy * (panelInside.x - s.x)) || 1;
  const hx = hemCorner ? hemCorner.x - a.x : 0;
  const hy = hemCorner ? hemCorner.y - a.y : 0;
  const seamSide = Math.sign(hx * (panelInside.y - a.y) - hy * (panelInside.x - a.x)) || 1;
  const sideLength = Math.hypot(hx, hy) || 1;
  // The panel's antialiased edge lies along the side seam: a sleeve stands clear of it.
  const seamMargin = Math.max(2, SIDE_SEAM_MARGIN * sideLength);
  return (x: number, y: number): boolean =>
    Math.sign(dx * (y - s.y) - dy * (x - s.x)) === -panelSide &&
    !(hemCorner && y > a.y && ((hx * (y - a.y) - hy * (x - a.x)) / sideLength) * seamSide > -seamMargin);
}

export function sleeveFromMask(mask: Mask, sleeve: SleeveLandmarks, panelInside: Point, hemCorner?: Point): SleeveLandmarks {
  const seamLength = dist(sleeve.shoulder, sleeve.armpit);
  if (dist(sleeve.cuffOuter, sleeve.cuffInner) >= seamLength * 0.25) return sleeve;
  const { shoulder: s, armpit: a } = sleeve;
  const isSleeve = sleeveSideTest(sleeve, panelInside, hemCorner);
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  const step = 2;
  for (let y = 0; y < mask.height; y += step) {
    for (let x = 0; x < mask.width; x += step) {
      if (mask.data[y * mask.width + x] < 128 || !isSleeve(x, y)) continue;
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
      if (mask.data[y * mask.width + x] < 128 || !isSleeve(x, y)) continue;
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
      if (mask.data[y * mask.width + x] < 128 || !isSleeve(x, y)) continue;
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

/**
 * Points on the sleeve's two long edges at fractions `ts` of its axis (seam midpoint → cuff
 * midpoint), found by walking across the axis to the mask's edge. The straight shoulder→cuff line
 * is not the sleeve's edge on hanging or curved sleeves: mapping it would leave part of the sleeve
 * outside the spline's frame, where it extrapolates into flaps. At t = 0 the seam ends are used.
 */
export function sleeveEdgePoints(mask: Mask, sleeve: SleeveLandmarks, ts: number[]): Array<{ outer: Point; inner: Point }> {
  const seamMid = { x: (sleeve.shoulder.x + sleeve.armpit.x) / 2, y: (sleeve.shoulder.y + sleeve.armpit.y) / 2 };
  const cuffMid = { x: (sleeve.cuffOuter.x + sleeve.cuffInner.x) / 2, y: (sleeve.cuffOuter.y + sleeve.cuffInner.y) / 2 };
  const len = dist(seamMid, cuffMid) || 1;
  const ux = (cuffMid.x - seamMid.x) / len;
  const uy = (cuffMid.y - seamMid.y) / len;
  // Across-axis unit vector pointing to the outer (shoulder) side.
  let nx = -uy;
  let ny = ux;
  if ((sleeve.shoulder.x - seamMid.x) * nx + (sleeve.shoulder.y - seamMid.y) * ny < 0) {
    nx = -nx;
    ny = -ny;
  }
  // The sleeve is on the far side of the seam line from the body panel; a hanging sleeve touches
  // the panel, and the walk must not run on into it.
  const sdx = sleeve.armpit.x - sleeve.shoulder.x;
  const sdy = sleeve.armpit.y - sleeve.shoulder.y;
  const sleeveSide = Math.sign(sdx * (cuffMid.y - sleeve.shoulder.y) - sdy * (cuffMid.x - sleeve.shoulder.x)) || 1;
  const inside = (x: number, y: number): boolean => {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (Math.sign(sdx * (y - sleeve.shoulder.y) - sdy * (x - sleeve.shoulder.x)) === -sleeveSide) return false;
    return xi >= 0 && yi >= 0 && xi < mask.width && yi < mask.height && mask.data[yi * mask.width + xi] >= 128;
  };
  const seamHalf = dist(sleeve.shoulder, sleeve.armpit) / 2;
  const cuffHalf = dist(sleeve.cuffOuter, sleeve.cuffInner) / 2;
  return ts.map((t) => {
    if (t <= 0) return { outer: sleeve.shoulder, inner: sleeve.armpit };
    const c = { x: seamMid.x + (cuffMid.x - seamMid.x) * t, y: seamMid.y + (cuffMid.y - seamMid.y) * t };
    const expected = seamHalf + (cuffHalf - seamHalf) * t;
    // Walk outward from the axis; a hanging sleeve can touch the body panel on its inner side, so
    // the walk is bounded by twice the width the landmarks imply.
    const limit = Math.max(4, expected * 2);
    const walk = (sx: number, sy: number): Point => {
      let d = 0;
      while (d < limit && inside(c.x + sx * (d + 1), c.y + sy * (d + 1))) d++;
      if (d === 0) d = expected;
      return { x: c.x + sx * d, y: c.y + sy * d };
    };
    if (!inside(c.x, c.y)) {
      return {
        outer: { x: c.x + nx * expected, y: c.y + ny * expected },
        inner: { x: c.x - nx * expected, y: c.y - ny * expected },
      };
    }
    return { outer: walk(nx, ny), inner: walk(-nx, -ny) };
  });
}
