/**
 * Deterministic grain: a seeded PRNG (the same inputs always give the same picture) and a robust
 * estimate of a photo's noise level. Filled and pasted regions look plastic without grain, and
 * grain that differs from the photo's shows the seam.
 */
import { kthSmallest } from '../person/colour-model.ts';

/**
 * Seeded uniform numbers in (0, 1), never 0 or 1 (mulberry32). The one PRNG of the engine: every
 * seeded random draw (grain, patch search) comes from here so a seed means the same thing everywhere.
 */
export function createUniformRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** Seeded normal-distributed numbers (mulberry32 + Box–Muller), mean 0, standard deviation 1. */
export function createGaussianRandom(seed: number): () => number {
  const uniform = createUniformRandom(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * Standard deviation of the pixel noise of an image (mean of its colour channels) over the pixels
 * where `include(index, x, y)` holds, for pixels whose 4 neighbours also qualify. Uses the high-pass
 * residual v − mean(4 neighbours), whose spread is √1.25 σ for white noise, and the median
 * absolute deviation so edges and texture (a minority of pixels) do not count as noise.
 * Returns 0 when fewer than 32 pixels qualify.
 */
export function estimateNoiseSigma(
  data: Uint8Array, channels: number, width: number, height: number,
  include: (index: number, x: number, y: number) => boolean, region?: { x0: number; y0: number; x1: number; y1: number },
): number {
  const x0 = Math.max(1, region?.x0 ?? 1);
  const y0 = Math.max(1, region?.y0 ?? 1);
  const x1 = Math.min(width - 1, region?.x1 ?? width - 1);
  const y1 = Math.min(height - 1, region?.y1 ?? height - 1);
  // Subsample large regions: the median needs a few thousand samples, not a million.
  const area = Math.max(1, (x1 - x0) * (y1 - y0));
  const stride = Math.max(1, Math.floor(Math.sqrt(area / 12000)));
  const residuals = new Float32Array(Math.ceil((x1 - x0) / stride) * Math.ceil((y1 - y0) / stride) + 1);
  let count = 0;
  const colour = channels >= 3 ? 3 : 1;
  const value = (i: number): number => {
    const p = i * channels;
    return colour === 3 ? (data[p] + data[p + 1] + data[p + 2]) / 3 : data[p];
  };
  for (let y = y0; y < y1; y += stride) {
    for (let x = x0; x < x1; x += stride) {
      const i = y * width + x;
      if (!include(i, x, y) || !include(i - 1, x - 1, y) || !include(i + 1, x + 1, y) || !include(i - width, x, y - 1) || !include(i + width, x, y + 1)) continue;
      const neighbours = (value(i - 1) + value(i + 1) + value(i - width) + value(i + width)) / 4;
      residuals[count++] = Math.abs(value(i) - neighbours);
    }
  }
  if (count < 32) return 0;
  const mad = kthSmallest(residuals.subarray(0, count), count >> 1);
  return (mad * 1.4826) / Math.sqrt(1.25);
}
