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

/**
 * Writes the 8-neighbours of pixel i (those inside the grid, the pixel itself left out) into `out`
 * (length ≥ 8) and returns how many there are, in raster order. Reuse one `out` per loop.
 */
export function neighbours8(i: number, w: number, h: number, out: Int32Array): number {
  const x = i % w;
  const y = (i - x) / w;
  let n = 0;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= h) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if ((dx === 0 && dy === 0) || xx < 0 || xx >= w) continue;
      out[n++] = yy * w + xx;
    }
  }
  return n;
}

/**
 * How many whole 32-bit words byte arrays may be read and written as (mask loops skip runs of 0
 * four pixels at a time): all must be word-aligned (a mask made by createMask is; a view into a
 * larger buffer may not be) and of one length, else 0 and they go byte by byte.
 */
export function wordCount(...arrays: Uint8Array[]): number {
  const length = arrays[0].length;
  for (const a of arrays) if (a.byteOffset % 4 !== 0 || a.length !== length) return 0;
  return length >> 2;
}

/** Bounding rectangle of the pixels where `inside(value)` holds, grown by `margin`; undefined when none. */
export function boundingRect(values: ArrayLike<number>, w: number, h: number, margin: number, inside: (v: number) => boolean): Rect | undefined {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  // Masks are mostly 0 and every caller's test rejects 0: when it does, zeros are skipped by a
  // plain comparison instead of a call per pixel (the callers' different tests make that call
  // megamorphic, and it dominated the scan). Same box either way.
  const skipZeros = !inside(0);
  // Byte masks (nearly every caller) go through a loop of their own: one element type keeps its
  // reads monomorphic, where this loop sees bytes, floats and ints from different callers.
  if (skipZeros && values instanceof Uint8Array) return byteBoundingRect(values, w, h, margin, inside);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    // Only a row's first and last hit can move the box: scan in from both ends, not across.
    let first = 0;
    while (first < w && ((skipZeros && values[row + first] === 0) || !inside(values[row + first]))) first++;
    if (first === w) continue;
    let last = w - 1;
    while ((skipZeros && values[row + last] === 0) || !inside(values[row + last])) last--;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
    if (y < y0) y0 = y;
    y1 = y;
  }
  if (x1 < 0) return undefined;
  return { x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin), x1: Math.min(w, x1 + 1 + margin), y1: Math.min(h, y1 + 1 + margin) };
}

/**
 * boundingRect for a byte array whose test rejects 0 (the same box). A mask's rows are mostly
 * zeros either side of the set: those are skipped four at a time, as 32-bit words (when the
 * bytes start on a word boundary), and only non-zero bytes are put to the test.
 */
function byteBoundingRect(values: Uint8Array, w: number, h: number, margin: number, inside: (v: number) => boolean): Rect | undefined {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  const wordsLength = wordCount(values);
  const words = wordsLength > 0 ? new Uint32Array(values.buffer, values.byteOffset, wordsLength) : null;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const first = firstInside(values, words, row, row + w, inside) - row;
    if (first === w) continue;
    const last = lastInside(values, words, row + first, row + w, inside) - row;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
    if (y < y0) y0 = y;
    y1 = y;
  }
  if (x1 < 0) return undefined;
  return { x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin), x1: Math.min(w, x1 + 1 + margin), y1: Math.min(h, y1 + 1 + margin) };
}

/** The first index in [from, to) whose byte is non-zero and passes `inside`; `to` when none. `words`: the bytes as aligned 32-bit words, or null. */
function firstInside(values: Uint8Array, words: Uint32Array | null, from: number, to: number, inside: (v: number) => boolean): number {
  let i = from;
  while (i < to) {
    if (words !== null && (i & 3) === 0) {
      while (i + 4 <= to && words[i >> 2] === 0) i += 4;
      if (i === to) break;
    }
    const v = values[i];
    if (v !== 0 && inside(v)) return i;
    i++;
  }
  return to;
}

/** The last index in [from, to) whose byte is non-zero and passes `inside`; from − 1 when none. */
function lastInside(values: Uint8Array, words: Uint32Array | null, from: number, to: number, inside: (v: number) => boolean): number {
  let i = to - 1;
  while (i >= from) {
    if (words !== null && (i & 3) === 3) {
      while (i - 3 >= from && words[i >> 2] === 0) i -= 4;
      if (i < from) break;
    }
    const v = values[i];
    if (v !== 0 && inside(v)) return i;
    i--;
  }
  return from - 1;
}

/**
 * Math.hypot(x, y), bit for bit for finite inputs, without the builtin's call overhead (it is several times slower
 * than this in hot loops). V8 computes hypot as max · sqrt(Σ (|v| / max)²) with Kahan summation
 * in argument order; for two arguments the compensation is exactly zero. A plain
 * sqrt(x² + y²) differs from it in the last bit for about a third of inputs, which would move
 * pixels that sit on a threshold.
 */
export function hypot2(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const max = ax > ay ? ax : ay;
  if (max === Infinity) return Infinity;
  if (max === 0) return 0;
  const nx = ax / max;
  const ny = ay / max;
  return Math.sqrt(nx * nx + ny * ny) * max;
}

/** Math.hypot(x, y, z), bit for bit (see hypot2): the same scaling and Kahan summation. */
export function hypot3(x: number, y: number, z: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const az = Math.abs(z);
  let max = ax > ay ? ax : ay;
  if (az > max) max = az;
  if (max === Infinity) return Infinity;
  if (max === 0) return 0;
  const nx = ax / max;
  const ny = ay / max;
  const nz = az / max;
  const first = nx * nx;
  const second = ny * ny;
  const sum = first + second;
  const compensation = sum - first - second;
  return Math.sqrt(sum + (nz * nz - compensation)) * max;
}
