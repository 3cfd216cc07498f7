/**
 * Row-by-row view of a binary garment mask: the runs of garment pixels on every row, the top-most
 * garment pixel of every column, and the garment's central axis. Landmark finders read the
 * garment's shape through these profiles.
 */
import type { Point } from '../types.ts';
import { hypot2 } from '../person/grid.ts';

/** Inclusive run [x0, x1] of garment pixels on one row. */
export type Run = [number, number];

export interface MaskProfile {
  width: number;
  height: number;
  mask: Uint8Array;
  /** Runs per row, left to right. */
  runs: Run[][];
  /** Top-most garment row per column, -1 for an empty column. */
  top: Int32Array;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  /** Median x of the garment pixels: the axis the body panel is centred on. */
  cx: number;
  area: number;
}

export function profileMask(mask: Uint8Array, width: number, height: number): MaskProfile {
  const runs: Run[][] = [];
  const top = new Int32Array(width).fill(-1);
  const columnCounts = new Float64Array(width);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  let area = 0;
  for (let y = 0; y < height; y++) {
    const row: Run[] = [];
    let start = -1;
    const base = y * width;
    for (let x = 0; x <= width; x++) {
      const on = x < width && mask[base + x] !== 0;
      if (on) {
        if (start < 0) start = x;
        if (top[x] < 0) top[x] = y;
        columnCounts[x]++;
      } else if (start >= 0) {
        row.push([start, x - 1]);
        area += x - start;
        if (start < x0) x0 = start;
        if (x - 1 > x1) x1 = x - 1;
        if (y < y0) y0 = y;
        y1 = y;
        start = -1;
      }
    }
    runs.push(row);
  }
  let cx = 0;
  let seen = 0;
  for (let x = 0; x < width; x++) {
    seen += columnCounts[x];
    if (seen >= area / 2) {
      cx = x;
      break;
    }
  }
  return { width, height, mask, runs, top, bbox: { x0, y0, x1, y1 }, cx, area };
}

/** The run on row y that contains x, or undefined. */
export function runAt(profile: MaskProfile, y: number, x: number): Run | undefined {
  if (y < 0 || y >= profile.height) return undefined;
  for (const run of profile.runs[y]) if (run[0] <= x && x <= run[1]) return run;
  return undefined;
}

export function leftmost(profile: MaskProfile, y: number): number | undefined {
  const row = profile.runs[y];
  return row && row.length ? row[0][0] : undefined;
}

export function rightmost(profile: MaskProfile, y: number): number | undefined {
  const row = profile.runs[y];
  return row && row.length ? row[row.length - 1][1] : undefined;
}

export function point(x: number, y: number): Point {
  return { x, y };
}

export function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

export function distance(a: Point, b: Point): number {
  return hypot2(a.x - b.x, a.y - b.y);
}
