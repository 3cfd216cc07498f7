/**
 * Backward warp maps: for every output pixel, where to read in the source (the garment product
 * shot). Backward rather than forward so every output pixel gets exactly one value, with no holes
 * or splat seams, and so maps from different warps (body panel, sleeves, trouser legs) can be
 * merged pixel by pixel before one sampling pass.
 *
 * Coordinates are pixel centres: (0, 0) is the centre of the top-left pixel (OpenCV's remap
 * convention). NaN means "nothing here" and samples as transparent.
 */
import { applyTpsTo, type Tps } from './tps.ts';

export interface WarpMap {
  width: number;
  height: number;
  /** Source x per output pixel, row-major; NaN where the output has nothing. */
  x: Float32Array;
  /** Source y per output pixel, row-major; NaN exactly where `x` is NaN. */
  y: Float32Array;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A map with nothing in it (all NaN). */
export function createWarpMap(width: number, height: number): WarpMap {
  return { width, height, x: new Float32Array(width * height).fill(NaN), y: new Float32Array(width * height).fill(NaN) };
}

/** Every output pixel reads its own position: sampling through it copies the source. */
export function identityWarpMap(width: number, height: number): WarpMap {
  const map = createWarpMap(width, height);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      map.x[i] = x;
      map.y[i] = y;
    }
  }
  return map;
}

/**
 * Evaluates `targetToSource` (fit from body targets to garment landmarks) for the output pixels of
 * `region` (default: the whole image; pixels outside it are NaN). Evaluating a spline with n
 * control points costs O(n) per pixel, so it is evaluated exactly on a grid every `gridStep` px
 * and bilinearly interpolated between: a TPS is smooth enough that the error stays well under a
 * pixel at step 8 for body-scale warps, at ~1/60 of the cost.
 */
export function tpsWarpMap(targetToSource: Tps, width: number, height: number, region?: Region, gridStep = 8): WarpMap {
  const map = createWarpMap(width, height);
  const box = clampRegion(region ?? { x: 0, y: 0, width, height }, width, height);
  if (box.width === 0 || box.height === 0) return map;
  const step = Math.max(1, Math.floor(gridStep));

  // Grid nodes: every `step` px from the region's first pixel, plus its last pixel, so the grid
  // covers the region exactly and no pixel is extrapolated.
  const nodesX = gridNodes(box.x, box.width, step);
  const nodesY = gridNodes(box.y, box.height, step);
  const gw = nodesX.length;
  const gh = nodesY.length;
  const gridX = new Float64Array(gw * gh);
  const gridY = new Float64Array(gw * gh);
  const out = { x: 0, y: 0 };
  for (let j = 0; j < gh; j++) {
    for (let i = 0; i < gw; i++) {
      applyTpsTo(targetToSource, nodesX[i], nodesY[j], out);
      gridX[j * gw + i] = out.x;
      gridY[j * gw + i] = out.y;
    }
  }

  // Per column / row: the grid cell and the fractional position inside it.
  const colCell = new Int32Array(box.width);
  const colT = new Float64Array(box.width);
  cellLookup(nodesX, box.x, box.width, colCell, colT);
  const rowCell = new Int32Array(box.height);
  const rowT = new Float64Array(box.height);
  cellLookup(nodesY, box.y, box.height, rowCell, rowT);

  // Row by row: blend the two grid rows around this row once, then each pixel is one lerp per
  // coordinate between its two neighbouring nodes.
  const rowX = new Float64Array(gw);
  const rowY = new Float64Array(gw);
  for (let yy = 0; yy < box.height; yy++) {
    const top = rowCell[yy] * gw;
    const bottom = Math.min(rowCell[yy] + 1, gh - 1) * gw;
    const t = rowT[yy];
    for (let i = 0; i < gw; i++) {
      rowX[i] = gridX[top + i] + (gridX[bottom + i] - gridX[top + i]) * t;
      rowY[i] = gridY[top + i] + (gridY[bottom + i] - gridY[top + i]) * t;
    }
    const rowOffset = (box.y + yy) * width + box.x;
    for (let xx = 0; xx < box.width; xx++) {
      const i0 = colCell[xx];
      const i1 = i0 + 1 < gw ? i0 + 1 : i0;
      const s = colT[xx];
      map.x[rowOffset + xx] = rowX[i0] + (rowX[i1] - rowX[i0]) * s;
      map.y[rowOffset + xx] = rowY[i0] + (rowY[i1] - rowY[i0]) * s;
    }
  }
  return map;
}

/**
 * Resamples the map onto a larger (or smaller) output grid, keeping source coordinates as they
 * are: warp at analysis resolution, then sample the full-resolution garment through the resized
 * map so the print stays as crisp as the product shot. Bilinear where all four neighbours are
 * defined; at the edge of the defined area the nearest defined neighbour, so the garment's
 * outline is not eaten by a pixel of NaN.
 */
export function resizeWarpMap(map: WarpMap, width: number, height: number): WarpMap {
  const out = createWarpMap(width, height);
  const sw = map.width;
  const sh = map.height;
  const scaleX = sw / width;
  const scaleY = sh / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), sw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const tx = fx - x0;
      const a = y0 * sw + x0;
      const b = y0 * sw + x1;
      const c = y1 * sw + x0;
      const d = y1 * sw + x1;
      const o = y * width + x;
      const xa = map.x[a];
      const xb = map.x[b];
      const xc = map.x[c];
      const xd = map.x[d];
      if (xa === xa && xb === xb && xc === xc && xd === xd) {
        const wa = (1 - tx) * (1 - ty);
        const wb = tx * (1 - ty);
        const wc = (1 - tx) * ty;
        const wd = tx * ty;
        out.x[o] = xa * wa + xb * wb + xc * wc + xd * wd;
        out.y[o] = map.y[a] * wa + map.y[b] * wb + map.y[c] * wc + map.y[d] * wd;
      } else {
        const nearest = (tx < 0.5 ? (ty < 0.5 ? a : c) : ty < 0.5 ? b : d);
        out.x[o] = map.x[nearest];
        out.y[o] = map.y[nearest];
      }
    }
  }
  return out;
}

function clampRegion(region: Region, width: number, height: number): Region {
  const x0 = Math.max(0, Math.floor(region.x));
  const y0 = Math.max(0, Math.floor(region.y));
  const x1 = Math.min(width, Math.ceil(region.x + region.width));
  const y1 = Math.min(height, Math.ceil(region.y + region.height));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

function gridNodes(start: number, length: number, step: number): Float64Array {
  const count = Math.ceil((length - 1) / step) + 1;
  const nodes = new Float64Array(count);
  for (let i = 0; i < count; i++) nodes[i] = start + Math.min(i * step, length - 1);
  return nodes;
}

function cellLookup(nodes: Float64Array, start: number, length: number, cell: Int32Array, frac: Float64Array): void {
  let c = 0;
  for (let k = 0; k < length; k++) {
    const p = start + k;
    while (c < nodes.length - 2 && p > nodes[c + 1]) c++;
    cell[k] = c;
    const span = nodes.length > 1 ? nodes[c + 1] - nodes[c] : 0;
    frac[k] = span > 0 ? (p - nodes[c]) / span : 0;
  }
}
