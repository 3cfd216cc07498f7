/** Pixel-grid helpers shared by the person-analysis steps (allocation-free inner loops). */

/** A pixel rectangle, inclusive of x0/y0, exclusive of x1/y1. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Writes the 4-neighbours of pixel i (those inside the grid, rows >= minRow) into `out` and
 * returns how many there are. Reuse one `out` per loop: no allocation per pixel.
 */
export function neighbours4(i: number, w: number, h: number, out: Int32Array, minRow = 0): number {
  const x = i % w;
  const y = (i - x) / w;
  let n = 0;
  if (x > 0) out[n++] = i - 1;
  if (x < w - 1) out[n++] = i + 1;
  if (y > minRow) out[n++] = i - w;
  if (y < h - 1) out[n++] = i + w;
  return n;
}

/** Bounding rectangle of the pixels where `inside(value)` holds, grown by `margin`; undefined when none. */
export function boundingRect(values: ArrayLike<number>, w: number, h: number, margin: number, inside: (v: number) => boolean): Rect | undefined {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!inside(values[row + x])) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return undefined;
  return { x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin), x1: Math.min(w, x1 + 1 + margin), y1: Math.min(h, y1 + 1 + margin) };
}
