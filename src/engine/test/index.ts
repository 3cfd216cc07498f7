/**
 * The test engine (`FITROOM_ENGINE=test`): cheap and deterministic, so service tests and the
 * service benchmark measure the service, not an engine. Behaviour (fixed in
 * scratch/shared-service-facts.md; black-box tests depend on it):
 * - API 1: the model image with a centred rectangle (middle third of the width, rows 30%..70% of the
 *   height) filled with the garment image's mean colour; the repaint mask is that rectangle.
 * - A garment image of one flat colour (every channel's standard deviation < 2) throws
 *   EngineInputError("garment image is blank: no garment found") → 20001 at the API.
 * - API 2: the same rectangle filled with a colour hashed from prompt, seed, guidance scale and steps,
 *   so equal requests give equal pixels and changing any parameter changes them.
 * - API 1 with `garmentDesc` `hold:N`: the engine first keeps its thread busy on the CPU for N ms
 *   (at most HOLD_MAX_MS): a stand-in for a slow, CPU-bound engine (a worker killed mid-job in the
 *   integration tier; throughput per worker process in the scale-out benchmark).
 */
import type { Mask, Raster } from '../../imaging/raster.ts';
import { EngineInputError } from '../types.ts';
import type { Engine, EngineResult, PromptRequest, TryOnRequest } from '../types.ts';

export const TEST_ENGINE_ID = 'test';
export const TEST_ENGINE_VERSION = '1';

/** Longest `hold:N` the test engine honours, ms. */
const HOLD_MAX_MS = 10_000;

/** Busy-waits (CPU, not a timer) for the `hold:N` of a garment description, if it has one. */
function hold(garmentDesc: string | undefined): void {
  const m = /^hold:(\d{1,6})$/.exec(garmentDesc ?? '');
  if (!m) return;
  const until = performance.now() + Math.min(Number(m[1]), HOLD_MAX_MS);
  while (performance.now() < until) {
    // spin: the point is to occupy the CPU like real engine work
  }
}

/** Below this standard deviation in every channel a garment photo counts as one flat colour. */
const BLANK_STD_LIMIT = 2;

export type Rgb = [number, number, number];

/** The painted rectangle, half-open: columns [x0, x1), rows [y0, y1). */
export function testEngineRect(width: number, height: number): { x0: number; x1: number; y0: number; y1: number } {
  return {
    x0: Math.floor(width / 3),
    x1: Math.floor((2 * width) / 3),
    y0: Math.floor(height * 0.3),
    y1: Math.floor(height * 0.7),
  };
}

/** Mean and standard deviation of R, G, B over all pixels (a grey image counts as R = G = B). */
export function colourStats(image: Raster): { mean: Rgb; std: Rgb } {
  const { data, channels } = image;
  const pixels = image.width * image.height;
  // Plain local accumulators: this loop is most of the engine's cost (~2.4 M bytes at 768x1024).
  let r = 0, g = 0, b = 0, rr = 0, gg = 0, bb = 0;
  for (let i = 0, end = pixels * channels; i < end; i += channels) {
    const vr = data[i];
    const vg = channels === 1 ? vr : data[i + 1];
    const vb = channels === 1 ? vr : data[i + 2];
    r += vr;
    g += vg;
    b += vb;
    rr += vr * vr;
    gg += vg * vg;
    bb += vb * vb;
  }
  const n = Math.max(pixels, 1);
  const mean: Rgb = [r / n, g / n, b / n];
  const squares = [rr / n, gg / n, bb / n];
  const std = mean.map((m, c) => Math.sqrt(Math.max(squares[c] - m * m, 0))) as Rgb;
  return { mean, std };
}

/** FNV-1a, 32 bits: a small stable hash (not for security). */
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The API 2 fill colour: a hash of every parameter that should change the output. */
export function promptColour(request: Pick<PromptRequest, 'prompt' | 'seed' | 'guidanceScale' | 'steps'>): Rgb {
  const key = [request.prompt, request.seed, request.guidanceScale, request.steps].join('\u0000');
  const hash = fnv1a(new TextEncoder().encode(key));
  return [(hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff];
}

/** An RGB copy of `model` with the rectangle filled with `colour`, and the rectangle as mask. */
function paintRectangle(model: Raster, colour: Rgb): { image: Raster; repaintMask: Mask } {
  const { width, height } = model;
  let rgb: Uint8Array;
  if (model.channels === 3) {
    rgb = new Uint8Array(model.data);
  } else {
    rgb = new Uint8Array(width * height * 3);
    for (let i = 0, n = width * height; i < n; i++) {
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = model.data[model.channels === 1 ? i : i * model.channels + c];
    }
  }
  const mask = new Uint8Array(width * height);
  const { x0, x1, y0, y1 } = testEngineRect(width, height);
  const fill = new Uint8Array(Math.max(x1 - x0, 0) * 3);
  for (let i = 0; i < fill.length; i += 3) {
    fill[i] = Math.round(colour[0]);
    fill[i + 1] = Math.round(colour[1]);
    fill[i + 2] = Math.round(colour[2]);
  }
  for (let y = y0; y < y1; y++) {
    mask.fill(255, y * width + x0, y * width + x1);
    rgb.set(fill, (y * width + x0) * 3);
  }
  return { image: { width, height, channels: 3, data: rgb }, repaintMask: { width, height, data: mask } };
}

export function createTestEngine(): Engine {
  return {
    id: TEST_ENGINE_ID,
    version: TEST_ENGINE_VERSION,
    async init(): Promise<void> {
      // Nothing to load.
    },
    async tryOn(request: TryOnRequest): Promise<EngineResult> {
      const started = performance.now();
      hold(request.garmentDesc);
      const { mean, std } = colourStats(request.garment);
      if (std.every((s) => s < BLANK_STD_LIMIT)) {
        throw new EngineInputError('garment image is blank: no garment found');
      }
      const analysed = performance.now();
      const painted = paintRectangle(request.model, mean);
      return { ...painted, timings: { garment: analysed - started, paint: performance.now() - analysed } };
    },
    async editByPrompt(request: PromptRequest): Promise<EngineResult> {
      const started = performance.now();
      const painted = paintRectangle(request.model, promptColour(request));
      return { ...painted, timings: { paint: performance.now() - started } };
    },
  };
}
