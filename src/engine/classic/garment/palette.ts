/**
 * Dominant colours of the cut-out: k-means in Lab over a deterministic sample of garment pixels,
 * clusters closer than a just-visible difference merged, tiny ones dropped.
 */
import type { Raster } from '../../../imaging/raster.ts';
import { rgbToLab } from './color.ts';

const MAX_SAMPLES = 4000;
const K = 5;
const MERGE_DELTA_E = 10;
const MIN_SHARE = 0.03;

export function dominantColours(image: Raster, mask: Uint8Array): Array<[number, number, number]> {
  const { channels, data } = image;
  let count = 0;
  for (let p = 0; p < mask.length; p++) count += mask[p] ? 1 : 0;
  if (count === 0) return [];
  // Every stride-th pixel of the image, about MAX_SAMPLES of them on the garment: a deterministic
  // sample. An odd stride that does not divide the row width keeps it from sampling fixed columns.
  let stride = Math.max(1, Math.floor(count / MAX_SAMPLES)) | 1;
  while (stride > 1 && image.width % stride === 0) stride += 2;
  const lab: number[] = [];
  const rgb: number[] = [];
  for (let p = 0; p < mask.length; p += stride) {
    if (!mask[p]) continue;
    const r = data[p * channels], g = data[p * channels + 1], b = data[p * channels + 2];
    const [l, aa, bb] = rgbToLab(r, g, b);
    lab.push(l, aa, bb);
    rgb.push(r, g, b);
  }
  const n = lab.length / 3;
  const dist2 = (i: number, c: number[], j: number): number => {
    const dl = lab[i * 3] - c[j * 3], da = lab[i * 3 + 1] - c[j * 3 + 1], db = lab[i * 3 + 2] - c[j * 3 + 2];
    return dl * dl + da * da + db * db;
  };
  // Farthest-point initialisation from the first sample: deterministic and spreads the seeds.
  const centres: number[] = [lab[0], lab[1], lab[2]];
  const nearest = new Float64Array(n).fill(Infinity);
  while (centres.length / 3 < Math.min(K, n)) {
    const last = centres.length / 3 - 1;
    let farI = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i], dist2(i, centres, last));
      if (nearest[i] > nearest[farI]) farI = i;
    }
    if (nearest[farI] < 1) break;
    centres.push(lab[farI * 3], lab[farI * 3 + 1], lab[farI * 3 + 2]);
  }
  const k = centres.length / 3;
  const assign = new Int32Array(n);
  for (let iteration = 0; iteration < 10; iteration++) {
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let j = 0; j < k; j++) {
        const d = dist2(i, centres, j);
        if (d < bestD) { bestD = d; best = j; }
      }
      assign[i] = best;
    }
    const sums = new Float64Array(k * 4);
    for (let i = 0; i < n; i++) {
      const j = assign[i];
      sums[j * 4] += lab[i * 3]; sums[j * 4 + 1] += lab[i * 3 + 1]; sums[j * 4 + 2] += lab[i * 3 + 2]; sums[j * 4 + 3]++;
    }
    for (let j = 0; j < k; j++) {
      if (sums[j * 4 + 3] === 0) continue;
      for (let c = 0; c < 3; c++) centres[j * 3 + c] = sums[j * 4 + c] / sums[j * 4 + 3];
    }
  }
  // Clusters as (count, rgb sum, lab centre); merge close ones, largest first.
  const clusters = Array.from({ length: k }, (_, j) => ({ count: 0, r: 0, g: 0, b: 0, lab: [centres[j * 3], centres[j * 3 + 1], centres[j * 3 + 2]] }));
  for (let i = 0; i < n; i++) {
    const c = clusters[assign[i]];
    c.count++; c.r += rgb[i * 3]; c.g += rgb[i * 3 + 1]; c.b += rgb[i * 3 + 2];
  }
  clusters.sort((a, b) => b.count - a.count);
  const merged: typeof clusters = [];
  for (const c of clusters) {
    if (c.count === 0) continue;
    const into = merged.find((m) => Math.hypot(m.lab[0] - c.lab[0], m.lab[1] - c.lab[1], m.lab[2] - c.lab[2]) < MERGE_DELTA_E);
    if (into) {
      into.count += c.count; into.r += c.r; into.g += c.g; into.b += c.b;
    } else {
      merged.push({ ...c });
    }
  }
  return merged
    .filter((c) => c.count >= MIN_SHARE * n)
    .sort((a, b) => b.count - a.count)
    .slice(0, K)
    .map((c) => [Math.round(c.r / c.count), Math.round(c.g / c.count), Math.round(c.b / c.count)]);
}
