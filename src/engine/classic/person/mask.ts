/**
 * Step 1: the person mask. The segmentation network's prior is coarse (soft edges, clipped hair
 * and flared skirts), so it is refined on the photo with grabCut at half resolution, seeded with
 * the skeleton (sure person), pixels the prior rejects far from the skeleton (sure background) and
 * the prior's own opinion everywhere else (probable person / probable background). Studio photos
 * have plain backgrounds, so grabCut's colour models separate hair and loose garments well.
 */
import { createMask, type Mask, type Raster } from '../../../imaging/raster.ts';
import { guidedFilter, lumaPlane } from '../../../vision/guided-filter.ts';
import { loadOpenCV, type OpenCV } from '../../../vision/opencv.ts';
import type { KeypointName, Point, Pose } from '../types.ts';
import { bodyGeometry, mid, type BodyGeometry } from './geometry.ts';
import { boundingRect, neighbours4, neighbours8 } from './grid.ts';

const GC_BGD = 0;
const GC_FGD = 1;
const GC_PR_BGD = 2;
const GC_PR_FGD = 3;

/** The skeleton's bones, drawn as sure foreground. */
const BONES: Array<[KeypointName, KeypointName]> = [
  ['left_shoulder', 'right_shoulder'], ['left_hip', 'right_hip'],
  ['left_shoulder', 'left_hip'], ['right_shoulder', 'right_hip'],
  ['left_shoulder', 'left_elbow'], ['left_elbow', 'left_wrist'],
  ['right_shoulder', 'right_elbow'], ['right_elbow', 'right_wrist'],
  ['left_hip', 'left_knee'], ['left_knee', 'left_ankle'],
  ['right_hip', 'right_knee'], ['right_knee', 'right_ankle'],
];

export interface PersonMaskOptions {
  /** grabCut iterations (default 2). */
  iterations?: number;
  /** Longer side of the grid grabCut runs on (default 256: its cost grows with the pixel count; the
   * guided filter restores full-resolution edges afterwards). */
  workingLongSide?: number;
}

/**
 * Soft person mask (0..255) at the image's size. `prior` is the segmentation network's
 * probability mask (same size as `image`).
 */
export async function refinePersonMask(image: Raster, pose: Pose, prior: Mask, options: PersonMaskOptions = {}): Promise<Mask> {
  if (image.channels !== 3) throw new Error('refinePersonMask expects an RGB raster');
  const cv = await loadOpenCV();
  const body = bodyGeometry(pose);
  const shrink = Math.min(1, (options.workingLongSide ?? 256) / Math.max(image.width, image.height));
  const w = Math.max(1, Math.round(image.width * shrink));
  const h = Math.max(1, Math.round(image.height * shrink));
  const small: Raster = { width: w, height: h, channels: 3, data: cvResize(cv, image.data, image.width, image.height, 3, w, h, cv.INTER_AREA) };
  const smallPrior: Mask = { width: w, height: h, data: cvResize(cv, prior.data, prior.width, prior.height, 1, w, h, cv.INTER_AREA) };
  const seeds = await seedMask(body, smallPrior, w / image.width);
  const hard = new Uint8Array(w * h);
  for (let i = 0; i < hard.length; i++) hard[i] = seeds[i] === GC_FGD || seeds[i] === GC_PR_FGD ? 1 : 0;

  // grabCut only where something is undecided: the bounding box of the non-sure-background
  // pixels, with a margin of sure background for its colour model.
  const roi = undecidedBox(seeds, w, h, Math.round(Math.max(w, h) * 0.03));
  if (roi) {
    const img = new cv.Mat(roi.height, roi.width, cv.CV_8UC3);
    const gc = new cv.Mat(roi.height, roi.width, cv.CV_8UC1);
    const bgd = new cv.Mat();
    const fgd = new cv.Mat();
    try {
      for (let y = 0; y < roi.height; y++) {
        const src = ((roi.y + y) * w + roi.x);
        img.data.set(small.data.subarray(src * 3, (src + roi.width) * 3), y * roi.width * 3);
        gc.data.set(seeds.subarray(src, src + roi.width), y * roi.width);
      }
      const labels = gc.data;
      const hasBackground = labels.some((v) => v === GC_BGD || v === GC_PR_BGD);
      const hasPerson = labels.some((v) => v === GC_FGD || v === GC_PR_FGD);
      if (hasBackground && hasPerson) {
        // grabCut seeds its colour models with k-means drawn from OpenCV's global RNG, whose state
        // would carry over from the previous call: reset it so the same photo gives the same mask.
        (cv as unknown as { setRNGSeed(seed: number): void }).setRNGSeed(0x5eed);
        cv.grabCut(img, gc, new cv.Rect(0, 0, roi.width, roi.height), bgd, fgd, options.iterations ?? 2, cv.GC_INIT_WITH_MASK);
        const out = gc.data;
        for (let y = 0; y < roi.height; y++) {
          for (let x = 0; x < roi.width; x++) {
            const v = out[y * roi.width + x];
            hard[(roi.y + y) * w + roi.x + x] = v === GC_FGD || v === GC_PR_FGD ? 1 : 0;
          }
        }
      }
    } finally {
      img.delete();
      gc.delete();
      bgd.delete();
      fgd.delete();
    }
  }
  dropBackgroundColoured(hard, seeds, small);
  keepConnectedToSeeds(hard, seeds, w, h);
  fillSmallHoles(hard, w, h, Math.round(w * h * 0.0015));

  // Soft edge: a 3x3 box blur on the working grid, then the linear up-sampling spreads it over a
  // few pixels at full resolution.
  const soft = createMask(w, h);
  const around = new Int32Array(8);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      // The pixel and its neighbours inside the grid (whole numbers: the order of the sum is free).
      const count = neighbours8(i, w, h, around);
      let sum = hard[i];
      for (let k = 0; k < count; k++) sum += hard[around[k]];
      soft.data[i] = Math.round((sum / (count + 1)) * 255);
    }
  }
  const up: Mask = { width: image.width, height: image.height, data: cvResize(cv, soft.data, w, h, 1, image.width, image.height, cv.INTER_LINEAR) };
  return guidedRefine(cv, image, up, Math.max(2, Math.round(2 / shrink)));
}

/** OpenCV's resize of an 8-bit interleaved buffer (INTER_AREA to shrink, INTER_LINEAR to enlarge). */
function cvResize(cv: OpenCV, data: Uint8Array, width: number, height: number, channels: 1 | 3, outWidth: number, outHeight: number, interpolation: number): Uint8Array {
  const src = new cv.Mat(height, width, channels === 3 ? cv.CV_8UC3 : cv.CV_8UC1);
  const dst = new cv.Mat();
  try {
    src.data.set(data.subarray(0, width * height * channels));
    cv.resize(src, dst, new cv.Size(outWidth, outHeight), 0, 0, interpolation);
    return dst.data.slice();
  } finally {
    src.delete();
    dst.delete();
  }
}

/**
 * He et al.'s guided filter with the photo's luminance as guide: the up-sampled coarse mask takes
 * the photo's edges (hair strands, hems) within `radius` pixels, at the cost of a few box filters.
 */
function guidedRefine(cv: OpenCV, image: Raster, coarse: Mask, radius: number): Mask {
  const out: Mask = { width: coarse.width, height: coarse.height, data: coarse.data.slice() };
  // Only the soft band can change: filter its bounding box (plus the filter's reach).
  const box = boundingRect(coarse.data, coarse.width, coarse.height, radius * 2 + 1, (v) => v > 0 && v < 255);
  if (!box) return out;
  const W = image.width;
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const window = { x: box.x0, y: box.y0, width: w, height: h };
  const guide = lumaPlane(image.data, W, image.channels, window);
  const input = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) input[y * w + x] = coarse.data[(box.y0 + y) * W + box.x0 + x] / 255;
  }
  const filtered = guidedFilter(cv, guide, input, w, h, radius, PERSON_GUIDE_EPS);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (box.y0 + y) * W + box.x0 + x;
      const c = coarse.data[i];
      // Pixels the coarse mask is sure about stay sure: the filter only moves the edge band.
      if (c === 0 || c === 255) continue;
      // The filter's output is a gentle ramp; steepen it so the edge is 1-2 px wide.
      const t = Math.min(1, Math.max(0, (filtered[y * w + x] - 0.3) / 0.4));
      out.data[i] = Math.round(t * t * (3 - 2 * t) * 255);
    }
  }
  return out;
}

/** Guided filter regularisation for the person mask (guide luminance 0..1). */
const PERSON_GUIDE_EPS = 0.0008;

function undecidedBox(seeds: Uint8Array, w: number, h: number, margin: number) {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (seeds[y * w + x] === GC_BGD) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return undefined;
  x0 = Math.max(0, x0 - margin);
  y0 = Math.max(0, y0 - margin);
  x1 = Math.min(w - 1, x1 + margin);
  y1 = Math.min(h - 1, y1 + margin);
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * grabCut's initial labels at the prior's size (image px * scale): the skeleton is sure person,
 * prior-rejected pixels far from the skeleton are sure background, the rest follows the prior.
 */
export async function seedMask(body: BodyGeometry, prior: Mask, scale: number): Promise<Uint8Array> {
  const cv = await loadOpenCV();
  const { width: w, height: h } = prior;
  const sw = body.shoulderWidth * scale;
  const s = (p: Point) => new cv.Point(Math.round(p.x * scale), Math.round(p.y * scale));
  const bones: Array<[Point, Point]> = [];
  const limbs: Array<[Point, Point]> = [];
  for (const [a, b] of BONES) {
    const pa = body.at(a);
    const pb = body.at(b);
    if (!pa || !pb) continue;
    bones.push([pa, pb]);
    if (/elbow|wrist|knee|ankle/.test(b)) limbs.push([pa, pb]);
  }
  if (body.head) bones.push([body.head.centre, body.head.centre], [body.head.centre, body.shoulderMid]);
  bones.push([body.shoulderMid, body.hipMid]);

  // The skeleton drawn thin (sure person) and its distance field (sure background beyond ~0.9
  // shoulder widths where the prior agrees: loose skirts and long hair stay within that reach).
  const skeleton = cv.Mat.zeros(h, w, cv.CV_8UC1);
  const notSkeleton = new cv.Mat();
  const distance = new cv.Mat();
  const polygon = new cv.MatVector();
  const seeds = new Uint8Array(w * h);
  try {
    const thickness = Math.max(2, Math.round(sw * 0.08));
    for (const [a, b] of bones) cv.line(skeleton, s(a), s(b), new cv.Scalar(255), thickness);
    const core = torsoPolygon(body, 0.2);
    if (core) {
      const pts = cv.matFromArray(core.length, 1, cv.CV_32SC2, core.flatMap((p) => [Math.round(p.x * scale), Math.round(p.y * scale)]));
      polygon.push_back(pts);
      pts.delete();
      cv.fillPoly(skeleton, polygon, new cv.Scalar(255));
    }
    // The limbs' and torso's flesh (wider than the bones) is probably person whatever the prior
    // says: a white sleeve on a white wall is where the prior fails first.
    const flesh = cv.Mat.zeros(h, w, cv.CV_8UC1);
    for (const [a, b] of limbs) cv.line(flesh, s(a), s(b), new cv.Scalar(255), Math.max(3, Math.round(sw * 0.12)));
    const fleshData = flesh.data.slice();
    flesh.delete();
    cv.threshold(skeleton, notSkeleton, 127, 255, cv.THRESH_BINARY_INV);
    cv.distanceTransform(notSkeleton, distance, cv.DIST_L2, 3);
    const sure = skeleton.data;
    const dist = distance.data32F;
    const far = sw * 0.9;
    for (let i = 0; i < seeds.length; i++) {
      if (sure[i]) seeds[i] = GC_FGD;
      else if (dist[i] > far && prior.data[i] < 64) seeds[i] = GC_BGD;
      else seeds[i] = prior.data[i] >= 128 || fleshData[i] ? GC_PR_FGD : GC_PR_BGD;
    }
  } finally {
    skeleton.delete();
    notSkeleton.delete();
    distance.delete();
    polygon.delete();
  }
  // The image border is background where the prior agrees (a half-body photo's bottom edge cuts
  // through the person and must stay open).
  const border = (i: number) => {
    if (prior.data[i] < 64 && seeds[i] !== GC_FGD) seeds[i] = GC_BGD;
  };
  for (let x = 0; x < w; x++) {
    border(x);
    border((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    border(y * w);
    border(y * w + w - 1);
  }
  return seeds;
}

/** The shoulder-hip quadrilateral shrunk towards its centre by `shrink` (0..1), scaled. */
function torsoPolygon(body: BodyGeometry, shrink: number): Point[] | undefined {
  const corners = (['left_shoulder', 'right_shoulder', 'right_hip', 'left_hip'] as const).map((n) => body.at(n));
  if (corners.some((p) => !p)) return undefined;
  const c = mid(body.shoulderMid, body.hipMid);
  return corners.map((p) => ({ x: c.x + (p!.x - c.x) * (1 - shrink), y: c.y + (p!.y - c.y) * (1 - shrink) }));
}

export function insidePolygon(x: number, y: number, polygon: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * Studio backgrounds are nearly one colour: pixels grabCut kept that match the sure-background
 * colour very closely (gaps between an arm and the waist, which the coarse grid closes) are
 * background. The tolerance adapts to how plain the background is; a textured one disables it.
 */
function dropBackgroundColoured(hard: Uint8Array, seeds: Uint8Array, image: Raster): void {
  const samples: number[] = [];
  for (let i = 0; i < seeds.length; i += 3) if (seeds[i] === GC_BGD) samples.push(i);
  if (samples.length < 50) return;
  const channel = (c: number) => {
    const v = samples.map((i) => image.data[i * 3 + c]).sort((a, b) => a - b);
    const median = v[v.length >> 1];
    const mad = v.map((x) => Math.abs(x - median)).sort((a, b) => a - b)[v.length >> 1];
    return { median, mad };
  };
  const stats = [channel(0), channel(1), channel(2)];
  const spread = Math.max(...stats.map((s) => s.mad));
  if (spread > 6) return;
  const tolerance = Math.max(5, spread * 3);
  for (let i = 0; i < hard.length; i++) {
    if (!hard[i] || seeds[i] === GC_FGD) continue;
    let far = false;
    for (let c = 0; c < 3 && !far; c++) far = Math.abs(image.data[i * 3 + c] - stats[c].median) > tolerance;
    if (!far) hard[i] = 0;
  }
}

/** Drops foreground blobs not connected (4-neighbour) to a sure-person seed. */
function keepConnectedToSeeds(hard: Uint8Array, seeds: Uint8Array, w: number, h: number): void {
  const keep = new Uint8Array(w * h);
  const stack: number[] = [];
  for (let i = 0; i < hard.length; i++) {
    if (seeds[i] === GC_FGD && hard[i]) {
      keep[i] = 1;
      stack.push(i);
    }
  }
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % w;
    const y = (i - x) / w;
    const visit = (j: number) => {
      if (hard[j] && !keep[j]) {
        keep[j] = 1;
        stack.push(j);
      }
    };
    if (x > 0) visit(i - 1);
    if (x < w - 1) visit(i + 1);
    if (y > 0) visit(i - w);
    if (y < h - 1) visit(i + w);
  }
  hard.set(keep);
}

/** Fills background holes smaller than `maxArea` pixels that do not touch the border. */
function fillSmallHoles(hard: Uint8Array, w: number, h: number, maxArea: number): void {
  const seen = new Uint8Array(w * h);
  const around = new Int32Array(4);
  for (let start = 0; start < hard.length; start++) {
    if (hard[start] || seen[start]) continue;
    const region: number[] = [start];
    seen[start] = 1;
    let touchesBorder = false;
    for (let k = 0; k < region.length; k++) {
      const i = region[k];
      const x = i % w;
      const y = (i - x) / w;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) touchesBorder = true;
      for (let m = 0, n = neighbours4(i, w, h, around); m < n; m++) {
        const j = around[m];
        if (!hard[j] && !seen[j]) {
          seen[j] = 1;
          region.push(j);
        }
      }
    }
    if (!touchesBorder && region.length <= maxArea) for (const i of region) hard[i] = 1;
  }
}
