import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inpaintPatches, transferDetail } from '../../../src/engine/classic/synthesis/inpaint.ts';
import { createGaussianRandom } from '../../../src/engine/classic/render/noise.ts';
import { createMask, createRaster, type Mask, type Raster } from '../../../src/imaging/raster.ts';

const DARK = 60;
const LIGHT = 200;

/** A grey checkerboard of `cell` px squares (DARK / LIGHT), the same value in every channel. */
function checker(width: number, height: number, cell: number): Raster {
  const image = createRaster(width, height, 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0 ? DARK : LIGHT;
      image.data.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return image;
}

/** Vertical stripes of period `period` px (half DARK, half LIGHT). */
function stripes(width: number, height: number, period: number): Raster {
  const image = createRaster(width, height, 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = x % period < period / 2 ? DARK : LIGHT;
      image.data.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return image;
}

/** Seeded grain around a base colour: the texture of a backdrop or skin at 1 px scale, with some 3 px blobs. */
function grain(width: number, height: number, base: [number, number, number], sigma: number, seed: number): Raster {
  const image = createRaster(width, height, 3);
  const random = createGaussianRandom(seed);
  const blobs = new Float32Array(Math.ceil(width / 3) * Math.ceil(height / 3));
  for (let i = 0; i < blobs.length; i++) blobs[i] = random();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const blob = blobs[Math.floor(y / 3) * Math.ceil(width / 3) + Math.floor(x / 3)];
      const shared = sigma * (0.7 * blob + 0.5 * random());
      for (let k = 0; k < 3; k++) image.data[(y * width + x) * 3 + k] = clamp(base[k] + shared + 0.3 * sigma * random());
    }
  }
  return image;
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

function rectMask(width: number, height: number, x0: number, y0: number, x1: number, y1: number, value = 255): Mask {
  const mask = createMask(width, height);
  for (let y = y0; y < y1; y++) mask.data.fill(value, y * width + x0, y * width + x1);
  return mask;
}

/** Everything except `hole` (and except `exclude` when given). */
function everywhereBut(hole: Mask, exclude?: Mask): Mask {
  const mask = createMask(hole.width, hole.height);
  for (let i = 0; i < mask.data.length; i++) mask.data[i] = hole.data[i] > 0 || (exclude && exclude.data[i] > 0) ? 0 : 255;
  return mask;
}

function copy(image: Raster): Raster {
  return { ...image, data: image.data.slice() };
}

/** Mean absolute difference (first channel) between two images over the pixels where hole ≥ 128. */
function holeDifference(a: Raster, b: Raster, hole: Mask): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < hole.data.length; i++) {
    if (hole.data[i] < 128) continue;
    sum += Math.abs(a.data[i * a.channels] - b.data[i * b.channels]);
    n++;
  }
  return sum / n;
}

/** Mean and standard deviation of channel k over the pixels where mask ≥ 128. */
function stats(image: Raster, mask: Mask, k: number): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] < 128) continue;
    const v = image.data[i * image.channels + k];
    sum += v;
    sq += v * v;
    n++;
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

/** The hole painted with the texture's mean: what a smooth fill would give. */
function flatFill(truth: Raster, hole: Mask): Raster {
  const flat = copy(truth);
  const everywhere = rectMask(truth.width, truth.height, 0, 0, truth.width, truth.height);
  const mean = Math.round(stats(truth, everywhere, 0).mean);
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i] >= 128) flat.data.fill(mean, i * 3, i * 3 + 3);
  return flat;
}

/** A fill counts as texture when its error to the true texture is below this fraction of a flat fill's. */
const MAX_ERROR_VS_FLAT = 0.25;

test('a hole cut in a checkerboard is filled with the checkerboard, in phase with its surroundings', () => {
  const truth = checker(120, 100, 6);
  const hole = rectMask(120, 100, 45, 35, 75, 65);
  const image = copy(truth);
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) image.data.fill(255, i * 3, i * 3 + 3);
  inpaintPatches(image, hole, everywhereBut(hole), { seed: 3 });
  const error = holeDifference(image, truth, hole);
  const flatError = holeDifference(flatFill(truth, hole), truth, hole);
  assert.ok(error < MAX_ERROR_VS_FLAT * flatError, `fill error ${error.toFixed(1)} vs flat ${flatError.toFixed(1)}`);
});

test('a hole in stripes keeps the stripes\' period: autocorrelation at one period stays high, at half a period negative', () => {
  const period = 10;
  const truth = stripes(140, 90, period);
  const hole = rectMask(140, 90, 50, 25, 90, 65);
  const image = copy(truth);
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) image.data.fill(0, i * 3, i * 3 + 3);
  inpaintPatches(image, hole, everywhereBut(hole), { seed: 5 });
  const correlation = (shift: number): number => {
    let sum = 0;
    let sa = 0;
    let sb = 0;
    for (let y = 25; y < 65; y++) {
      for (let x = 50; x + shift < 90; x++) {
        const a = image.data[(y * 140 + x) * 3] - 130;
        const b = image.data[(y * 140 + x + shift) * 3] - 130;
        sum += a * b;
        sa += a * a;
        sb += b * b;
      }
    }
    return sum / Math.sqrt(sa * sb);
  };
  assert.ok(correlation(period) > 0.8, `autocorrelation at the period ${correlation(period).toFixed(2)}`);
  assert.ok(correlation(period / 2) < -0.5, `autocorrelation at half the period ${correlation(period / 2).toFixed(2)}`);
  const { std } = stats(image, hole, 0);
  assert.ok(std > 0.8 * 70, `fill contrast ${std.toFixed(1)} (the stripes have 70)`);
});

test('pixels where the hole is 0 are unchanged bit for bit, also around a soft hole edge', () => {
  const image = grain(90, 80, [120, 140, 90], 14, 11);
  const before = image.data.slice();
  const hole = createMask(90, 80);
  // A disc with a soft 4 px ramp.
  for (let y = 0; y < 80; y++) {
    for (let x = 0; x < 90; x++) {
      const d = Math.hypot(x - 45, y - 40);
      hole.data[y * 90 + x] = clamp(255 * Math.min(1, Math.max(0, (18 - d) / 4)));
    }
  }
  inpaintPatches(image, hole, everywhereBut(hole), { seed: 2 });
  let changedInside = 0;
  for (let i = 0; i < hole.data.length; i++) {
    for (let k = 0; k < 3; k++) {
      if (hole.data[i] === 0) assert.equal(image.data[i * 3 + k], before[i * 3 + k], `pixel ${i} changed outside the hole`);
      else if (image.data[i * 3 + k] !== before[i * 3 + k]) changedInside++;
    }
  }
  assert.ok(changedInside > 0, 'the hole was not filled at all');
});

test('no pixel of the fill takes a colour found only outside the source (a red region beside the hole)', () => {
  const w = 100;
  const h = 90;
  const image = grain(w, h, [90, 150, 80], 10, 21);
  // Red block touching the hole's left side, outside the source.
  const red = rectMask(w, h, 20, 30, 40, 60);
  for (let i = 0; i < red.data.length; i++) if (red.data[i]) image.data.set([230, 20, 25], i * 3);
  const hole = rectMask(w, h, 40, 25, 70, 65);
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) image.data.set([230, 20, 25], i * 3);
  inpaintPatches(image, hole, everywhereBut(hole, red), { seed: 4 });
  let reddish = 0;
  for (let i = 0; i < hole.data.length; i++) {
    if (hole.data[i] < 128) continue;
    const [r, g] = [image.data[i * 3], image.data[i * 3 + 1]];
    if (r > g + 30) reddish++;
  }
  assert.equal(reddish, 0, `${reddish} reddish pixels in the fill`);
  // The fill is the grass-like texture, not a flat colour.
  assert.ok(stats(image, hole, 1).std > 3, 'fill is flat');
});

test('the same inputs and seed give the same bytes; another seed gives a different fill', () => {
  const base = grain(80, 80, [150, 120, 100], 12, 8);
  const hole = rectMask(80, 80, 25, 25, 55, 55);
  const source = everywhereBut(hole);
  const first = copy(base);
  const second = copy(base);
  const other = copy(base);
  inpaintPatches(first, hole, source, { seed: 9 });
  inpaintPatches(second, hole, source, { seed: 9 });
  inpaintPatches(other, hole, source, { seed: 10 });
  assert.deepEqual(first.data, second.data);
  assert.notDeepEqual(first.data, other.data);
  const a = copy(base);
  const b = copy(base);
  transferDetail(a, hole, source, { seed: 9 });
  transferDetail(b, hole, source, { seed: 9 });
  assert.deepEqual(a.data, b.data);
});

test('transferDetail keeps the hole\'s painted tone and gives it the source\'s grain', () => {
  const w = 110;
  const h = 100;
  const image = grain(w, h, [200, 150, 128], 9, 31);
  const hole = rectMask(w, h, 35, 30, 75, 70);
  const painted: [number, number, number] = [206, 146, 124];
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) image.data.set(painted, i * 3);
  const source = everywhereBut(hole);
  const sourceStd = stats(image, source, 0).std;
  transferDetail(image, hole, source, { seed: 1 });
  for (let k = 0; k < 3; k++) {
    const { mean, std } = stats(image, hole, k);
    assert.ok(Math.abs(mean - painted[k]) < 2, `channel ${k}: mean ${mean.toFixed(2)} drifted from ${painted[k]}`);
    assert.ok(std > 0.5 * sourceStd && std < 1.3 * sourceStd, `channel ${k}: grain ${std.toFixed(2)} vs source ${sourceStd.toFixed(2)}`);
  }
});

test('edge cases: an empty hole and an empty source leave the image as it was, without throwing', () => {
  const image = grain(40, 40, [100, 100, 100], 10, 1);
  const before = image.data.slice();
  inpaintPatches(image, createMask(40, 40), rectMask(40, 40, 0, 0, 40, 40));
  assert.deepEqual(image.data, before);
  const hole = rectMask(40, 40, 10, 10, 20, 20);
  inpaintPatches(image, hole, createMask(40, 40));
  transferDetail(image, hole, createMask(40, 40));
  assert.deepEqual(image.data, before);
  // A source made only of the hole itself is no source.
  inpaintPatches(image, hole, hole);
  assert.deepEqual(image.data, before);
  // An image smaller than a patch.
  const tiny = grain(5, 5, [100, 100, 100], 10, 1);
  const tinyBefore = tiny.data.slice();
  inpaintPatches(tiny, rectMask(5, 5, 1, 1, 3, 3), rectMask(5, 5, 0, 0, 5, 5));
  assert.deepEqual(tiny.data, tinyBefore);
});

test('a hole touching the image corner is filled with the texture', () => {
  const truth = checker(90, 80, 5);
  const hole = rectMask(90, 80, 0, 0, 24, 22);
  const image = copy(truth);
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) image.data.fill(0, i * 3, i * 3 + 3);
  inpaintPatches(image, hole, everywhereBut(hole), { seed: 6 });
  const error = holeDifference(image, truth, hole);
  const flatError = holeDifference(flatFill(truth, hole), truth, hole);
  assert.ok(error < MAX_ERROR_VS_FLAT * flatError, `fill error ${error.toFixed(1)} vs flat ${flatError.toFixed(1)}`);
});

test('a source far from the hole is still found (crop falls back to the whole image)', () => {
  const truth = stripes(200, 60, 8);
  const hole = rectMask(200, 60, 10, 20, 30, 40);
  // Only the far right end is source; the crop around the hole does not reach it.
  const source = rectMask(200, 60, 150, 0, 200, 60);
  const image = copy(truth);
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) image.data.fill(130, i * 3, i * 3 + 3);
  inpaintPatches(image, hole, source, { seed: 2 });
  assert.ok(stats(image, hole, 0).std > 40, `fill contrast ${stats(image, hole, 0).std.toFixed(1)}`);
});

test('grey and RGBA images are filled too (every channel is synthesised), also from a single level', () => {
  for (const channels of [1, 4] as const) {
    const w = 90;
    const h = 70;
    const period = 8;
    const image = createRaster(w, h, channels);
    const hole = rectMask(w, h, 30, 20, 60, 50);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = hole.data[y * w + x] ? 0 : x % period < period / 2 ? DARK : LIGHT;
        image.data.fill(v, (y * w + x) * channels, (y * w + x + 1) * channels);
      }
    }
    for (const levels of [1, 6]) {
      const filled = copy(image);
      inpaintPatches(filled, hole, everywhereBut(hole), { seed: 2, levels });
      for (let k = 0; k < channels; k++) {
        // Every filled pixel is one of the two stripe values give or take the vote's averaging at stripe edges.
        let off = 0;
        for (let i = 0; i < hole.data.length; i++) {
          if (!hole.data[i]) continue;
          const v = filled.data[i * channels + k];
          if (Math.min(Math.abs(v - DARK), Math.abs(v - LIGHT)) > 30) off++;
        }
        assert.ok(off < 0.15 * 900, `${channels} channels, ${levels} level(s), channel ${k}: ${off} of 900 pixels between the stripe values`);
        assert.ok(stats(filled, hole, k).std > 50, `${channels} channels, ${levels} level(s): flat fill`);
      }
    }
  }
});

test('transferDetail with maxSourceDetail copies no strand or stripe from the source, only its faint grain', () => {
  // Skin with faint grain on the left; the rest of the source is hair over the skin (light and dark strands).
  const w = 120;
  const h = 100;
  const build = (): { image: Raster; hole: Mask } => {
    const image = grain(w, h, [200, 150, 128], 2.5, 7);
    for (let y = 0; y < h; y++) for (let x = 25; x < w; x++) image.data.fill(x % 6 < 3 ? 90 : 210, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const hole = rectMask(w, h, 30, 30, 70, 70);
    for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) image.data.set([206, 146, 124], i * 3);
    return { image, hole };
  };
  const gated = build();
  transferDetail(gated.image, gated.hole, everywhereBut(gated.hole), { seed: 3, maxSourceDetail: 15 });
  const plain = build();
  transferDetail(plain.image, plain.hole, everywhereBut(plain.hole), { seed: 3 });
  for (let k = 0; k < 3; k++) {
    const skinStd = stats(gated.image, rectMask(w, h, 0, 0, 25, h), k).std;
    assert.ok(stats(gated.image, gated.hole, k).std < 2 * skinStd, `channel ${k}: ${stats(gated.image, gated.hole, k).std.toFixed(2)} vs the skin's ${skinStd.toFixed(2)}`);
  }
  // Ungated, the strands are the larger part of the detail there is to copy.
  assert.ok(stats(plain.image, plain.hole, 0).std > 2 * stats(gated.image, gated.hole, 0).std, 'the strands are copied without the gate');
});

test('with a row prior a hole over a wall, a skirting board and a floor continues each layer across it (without, the wall ran down over the floor)', () => {
  // 200x200: a pale wall over a dark skirting board (rows 100-107) over a brown floor, each
  // grained; a skirt-shaped hole (narrow at the top, wide at the bottom) over all three.
  const width = 200;
  const height = 200;
  const wall = grain(width, height, [225, 222, 215], 3, 1);
  const floor = grain(width, height, [160, 125, 90], 8, 2);
  const image = createRaster(width, height, 3);
  for (let i = 0; i < width * height; i++) {
    const y = Math.floor(i / width);
    const from = y < 100 ? wall : y < 108 ? null : floor;
    for (let k = 0; k < 3; k++) image.data[i * 3 + k] = from ? from.data[i * 3 + k] : 35;
  }
  const hole = createMask(width, height);
  for (let y = 40; y < 170; y++) {
    const half = 10 + (y - 40) * 0.4;
    for (let x = Math.round(100 - half); x < Math.round(100 + half); x++) hole.data[y * width + x] = 255;
  }
  /** Mean red of the filled pixels on rows y0..y1. */
  const rowMean = (out: Raster, y0: number, y1: number): number => {
    let sum = 0;
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = 0; x < width; x++) if (hole.data[y * width + x]) { sum += out.data[(y * width + x) * 3]; n++; }
    return sum / n;
  };
  const fill = (rowPrior: number) => {
    const out = copy(image);
    inpaintPatches(out, hole, everywhereBut(hole), { seed: 3, rowPrior });
    return { wall: rowMean(out, 45, 95), board: rowMean(out, 101, 107), floor: rowMean(out, 112, 168) };
  };
  const layered = fill(4);
  assert.ok(Math.abs(layered.wall - 225) < 12, `the wall stays wall (mean red ${layered.wall.toFixed(0)})`);
  assert.ok(layered.board < 80, `the board runs on across the hole (mean red ${layered.board.toFixed(0)})`);
  assert.ok(Math.abs(layered.floor - 160) < 15, `the floor stays floor (mean red ${layered.floor.toFixed(0)})`);
});

test('transferDetail gives a long bared limb far from a small patch of skin that skin\'s grain at its strength, not its smoothest part\'s', () => {
  // A face-sized patch of grained skin at the top, a fifth of it smoother (a cheek in shade); a
  // forearm-sized strip painted flat further down; between them only a flat garment, which is no
  // source. Matched to the flat paint, PatchMatch took the smoothest patches and its vote
  // averaged what grain they had.
  const w = 160;
  const h = 420;
  const image = createRaster(w, h, 3);
  for (let i = 0; i < w * h; i++) image.data.set([235, 235, 235], i * 3);
  const grained = grain(w, h, [200, 160, 140], 4, 41);
  const smooth = grain(w, h, [200, 160, 140], 1, 43);
  const source = rectMask(w, h, 40, 10, 120, 70);
  for (let i = 0; i < w * h; i++) if (source.data[i]) image.data.set((i % w < 56 ? smooth : grained).data.subarray(i * 3, i * 3 + 3), i * 3);
  const hole = rectMask(w, h, 100, 120, 130, 410);
  const painted: [number, number, number] = [190, 150, 132];
  for (let i = 0; i < w * h; i++) if (hole.data[i]) image.data.set(painted, i * 3);
  const sourceStd = stats(image, source, 0).std;
  transferDetail(image, hole, source, { seed: 11, maxSourceDetail: 15 });
  for (let k = 0; k < 3; k++) {
    const { mean, std } = stats(image, hole, k);
    assert.ok(Math.abs(mean - painted[k]) < 2, `channel ${k}: mean ${mean.toFixed(2)} drifted from ${painted[k]}`);
    assert.ok(std > 0.6 * sourceStd, `channel ${k}: grain ${std.toFixed(2)} vs the skin's ${sourceStd.toFixed(2)}`);
  }
});

/** Mean absolute high-pass (channel 0 minus its 3x3 mean) over the pixels where mask ≥ 128, away from the image edge. */
function fineDetail(image: Raster, mask: Mask): number {
  const { width: w, height: h } = image;
  let sum = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      if (mask.data[y * w + x] < 128) continue;
      let local = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) local += image.data[((y + dy) * w + x + dx) * image.channels];
      sum += Math.abs(image.data[(y * w + x) * image.channels] - local / 9);
      n++;
    }
  }
  return sum / n;
}

test('with sharp, a textured backdrop\'s fill keeps the source\'s fine grain (the vote\'s average smeared it)', () => {
  const truth = grain(120, 120, [150, 140, 120], 24, 5);
  const hole = rectMask(120, 120, 40, 40, 84, 84);
  const inner = rectMask(120, 120, 44, 44, 80, 80);
  const source = everywhereBut(hole);
  const sourceDetail = fineDetail(truth, source);
  const voted = copy(truth);
  inpaintPatches(voted, hole, source, { seed: 3 });
  const sharp = copy(truth);
  inpaintPatches(sharp, hole, source, { seed: 3, sharp: true });
  const votedDetail = fineDetail(voted, inner);
  const sharpDetail = fineDetail(sharp, inner);
  assert.ok(sharpDetail >= 0.85 * sourceDetail, `sharp fill's grain ${sharpDetail.toFixed(2)} vs the source's ${sourceDetail.toFixed(2)} (voted ${votedDetail.toFixed(2)})`);
  assert.ok(sharpDetail > votedDetail, `sharp ${sharpDetail.toFixed(2)} above voted ${votedDetail.toFixed(2)}`);
});
