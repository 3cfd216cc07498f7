/**
 * Fine texture (a detail layer: the image minus its blur) synthesised by random overlapping blocks.
 *
 * PatchMatch with EM voting (./patchmatch.ts) rebuilds structure: every pixel is the mean of the
 * patches that cover it, matched to what the hole already holds. On a detail layer that is wrong
 * twice over: the hole's detail starts at zero, so the flattest source patches match best, and the
 * vote's mean of a patch's worth of uncorrelated grain cancels it. Bared skin came out with a
 * twentieth of the face's grain (wide 105: detail RMS 0.23 against the face's 3.2 at 1 px): a flat
 * painted slab. Grain has no structure to continue, only statistics: each block of the hole takes
 * a random block of the source, the blocks overlap by half under a raised-cosine window, and the
 * sum is divided by the root of the windows' squared sum, so the grain keeps the source's strength
 * everywhere (image quilting without the seam search; Efros and Freeman 2001).
 */
import { boundingRect } from '../person/grid.ts';
import { createUniformRandom } from '../render/noise.ts';
import type { SynthesisLevel } from './patchmatch.ts';

/** Fewest source blocks for the grain to be drawn from: fewer repeat visibly. */
const MIN_GRAIN_BLOCKS = 16;
/**
 * Largest RMS of a source block's detail, as a multiple of the median block's, for it to be
 * copied: the smoother half. The face's grain is the source; its features (an eyelid's line, a
 * nostril's edge), a beard's stubble and strands of hair over a neck parsed as skin are its
 * roughest blocks, and copied they stood on a bared chest as stubble or blotches (wide 103, 62).
 */
const MAX_BLOCK_RMS_OVER_MEDIAN = 1;

/**
 * In place: the unknown pixels of `level` (a detail layer, zero-mean) get grain copied from blocks
 * of `block` px lying wholly on usable pixels. False, and the level untouched, when it holds fewer
 * than MIN_GRAIN_BLOCKS such blocks. Deterministic for a seed.
 */
export function quiltGrain(level: SynthesisLevel, block: number, seed: number): boolean {
  const { width: w, height: h, channels: c, values, unknown, usable } = level;
  const b = Math.max(2, Math.round(block));
  if (w < b || h < b) return false;
  // Integral images of unusable pixels and of squared detail: each candidate block in O(1).
  const iw = w + 1;
  const bad = new Int32Array(iw * (h + 1));
  const energy = new Float64Array(iw * (h + 1));
  for (let y = 0; y < h; y++) {
    let rowBad = 0;
    let rowEnergy = 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      rowBad += usable[i] ? 0 : 1;
      for (let k = 0; k < c; k++) rowEnergy += values[i * c + k] * values[i * c + k];
      bad[(y + 1) * iw + x + 1] = bad[y * iw + x + 1] + rowBad;
      energy[(y + 1) * iw + x + 1] = energy[y * iw + x + 1] + rowEnergy;
    }
  }
  const boxSum = (a: Int32Array | Float64Array, x: number, y: number): number =>
    a[(y + b) * iw + x + b] - a[y * iw + x + b] - a[(y + b) * iw + x] + a[y * iw + x];
  const candidates: number[] = [];
  const rms: number[] = [];
  for (let y = 0; y + b <= h; y++) {
    for (let x = 0; x + b <= w; x++) {
      if (boxSum(bad, x, y) !== 0) continue;
      candidates.push(y * w + x);
      rms.push(Math.sqrt(boxSum(energy, x, y) / (b * b * c)));
    }
  }
  if (candidates.length < MIN_GRAIN_BLOCKS) return false;
  const sorted = Float64Array.from(rms).sort();
  const limit = MAX_BLOCK_RMS_OVER_MEDIAN * sorted[sorted.length >> 1];
  const blocks = candidates.filter((_, k) => rms[k] <= limit);
  if (blocks.length < MIN_GRAIN_BLOCKS) return false;

  // The hole's box, covered by blocks every half block from half a block before it.
  const box = boundingRect(unknown, w, h, 0, (v) => v !== 0);
  if (!box) return false;
  const { x0, y0 } = box;
  const step = Math.max(1, b >> 1);
  // A raised cosine, sin²(π(i + ½)/b): at half-block overlap the windows sum to 1.
  const window = new Float32Array(b);
  for (let i = 0; i < b; i++) window[i] = Math.sin((Math.PI * (i + 0.5)) / b) ** 2;
  const sum = new Float32Array(w * h * c);
  const weight2 = new Float32Array(w * h);
  const random = createUniformRandom(seed);
  for (let by = y0 - step; by < box.y1; by += step) {
    for (let bx = x0 - step; bx < box.x1; bx += step) {
      const from = blocks[Math.min(blocks.length - 1, Math.floor(random() * blocks.length))];
      const sx = from % w;
      const sy = (from - sx) / w;
      for (let j = 0; j < b; j++) {
        const y = by + j;
        if (y < 0 || y >= h) continue;
        for (let i = 0; i < b; i++) {
          const x = bx + i;
          if (x < 0 || x >= w || !unknown[y * w + x]) continue;
          const wt = window[i] * window[j];
          const o = y * w + x;
          const s = (sy + j) * w + sx + i;
          weight2[o] += wt * wt;
          for (let k = 0; k < c; k++) sum[o * c + k] += wt * values[s * c + k];
        }
      }
    }
  }
  for (let o = 0; o < w * h; o++) {
    if (!unknown[o]) continue;
    const norm = weight2[o] > 0 ? 1 / Math.sqrt(weight2[o]) : 0;
    for (let k = 0; k < c; k++) values[o * c + k] = sum[o * c + k] * norm;
  }
  return true;
}
