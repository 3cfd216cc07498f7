/**
 * Small pixel operations the orchestrator needs between stages: label masks, clipping warp maps to
 * a garment part, stacking RGBA layers, occluding a layer. Everything at analysis resolution.
 */
import { createMask, type Mask, type Raster } from '../../imaging/raster.ts';
import type { PartLabel, Point } from './types.ts';
import type { WarpMap } from './warp/backward-map.ts';

/** 255 where the parsing label is one of `labels`. */
export function labelMask(labels: Uint8Array, width: number, height: number, wanted: readonly PartLabel[]): Mask {
  const mask = createMask(width, height);
  const lookup = new Uint8Array(256);
  for (const l of wanted) lookup[l] = 255;
  for (let i = 0; i < labels.length; i++) mask.data[i] = lookup[labels[i]];
  return mask;
}

/**
 * Forgets the source pixels of a warp map that lie on the wrong side of any clip line, so a piece
 * only draws its own part of the garment photo (the body panel without its sleeves, a sleeve
 * without the panel).
 */
export function clipWarpMap(map: WarpMap, clip: Array<{ a: Point; b: Point; keep: Point }>): void {
  if (clip.length === 0) return;
  const lines = clip.map(({ a, b, keep }) => {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const side = Math.sign(dx * (keep.y - a.y) - dy * (keep.x - a.x)) || 1;
    return { ax: a.x, ay: a.y, dx, dy, side };
  });
  const { x, y } = map;
  for (let i = 0; i < x.length; i++) {
    const sx = x[i];
    if (Number.isNaN(sx)) continue;
    const sy = y[i];
    for (const l of lines) {
      if (Math.sign(l.dx * (sy - l.ay) - l.dy * (sx - l.ax)) === -l.side) {
        x[i] = Number.NaN;
        y[i] = Number.NaN;
        break;
      }
    }
  }
}

/** Multiplies a layer's alpha by (1 - occluder), in place: things in front of the garment. */
export function occlude(layer: Raster, occluder: Mask): void {
  const d = layer.data;
  const o = occluder.data;
  for (let i = 0, p = 3; i < o.length; i++, p += 4) {
    if (o[i] !== 0) d[p] = Math.round((d[p] * (255 - o[i])) / 255);
  }
}

/** The alpha channel of an RGBA layer as a mask. */
export function alphaMask(layer: Raster): Mask {
  const mask = createMask(layer.width, layer.height);
  for (let i = 0, p = 3; i < mask.data.length; i++, p += 4) mask.data[i] = layer.data[p];
  return mask;
}

/** Binary (0/255) mask from a predicate over pixel coordinates, evaluated only inside `within`. */
export function maskWhere(within: Mask, predicate: (x: number, y: number) => boolean): Mask {
  const { width, height } = within;
  const out = createMask(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (within.data[i] >= 128 && predicate(x, y)) out.data[i] = 255;
    }
  }
  return out;
}

/** Binary threshold of a soft mask. */
export function binarise(mask: Mask, threshold = 128): Mask {
  const out = createMask(mask.width, mask.height);
  for (let i = 0; i < mask.data.length; i++) out.data[i] = mask.data[i] >= threshold ? 255 : 0;
  return out;
}
