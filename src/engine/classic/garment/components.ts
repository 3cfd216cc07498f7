/** Connected components and small morphology on binary masks (1 byte per pixel, 0 or 1). */
import { boundingRect } from '../person/grid.ts';

export interface Components {
  /** Component id per pixel, 0 = background, ids start at 1. */
  labels: Int32Array;
  /** Pixel count per id (index 0 unused). */
  areas: number[];
  /** Bounding boxes per id: [minX, minY, maxX, maxY]. */
  boxes: Array<[number, number, number, number]>;
}

/**
 * 8-connected components of the pixels where `binary` is non-zero.
 *
 * Works on horizontal runs of set pixels: runs that touch (8-connected) across neighbouring rows
 * are merged with a union-find whose root is always the component's first run in raster order,
 * so ids come out numbered by each component's first pixel in raster order, as a pixel flood from
 * a raster scan numbers them. Much faster than visiting each pixel's eight neighbours.
 */
export function labelComponents(binary: Uint8Array, width: number, height: number): Components {
  const labels = new Int32Array(width * height);
  const areas = [0];
  const boxes: Array<[number, number, number, number]> = [[0, 0, 0, 0]];
  // Every run lies in the set's bounding box (found skipping words of zeros): the scans below stay
  // inside it. A run still ends where it did, at its first unset pixel, which is at x1 at the latest.
  const extent = boundingRect(binary, width, height, 0, (v) => v !== 0);
  if (!extent) return { labels, areas, boxes };
  const { x0, y0, x1, y1 } = extent;
  // Count the runs, then record each one's row, start and end (exclusive).
  let runCount = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    let prev = 0;
    for (let x = x0; x < x1; x++) {
      const set = binary[row + x] ? 1 : 0;
      if (set && !prev) runCount++;
      prev = set;
    }
  }
  if (runCount === 0) return { labels, areas, boxes };
  const runY = new Int32Array(runCount);
  const runStart = new Int32Array(runCount);
  const runEnd = new Int32Array(runCount);
  const parent = new Int32Array(runCount);
  const find = (r: number): number => {
    let root = r;
    while (parent[root] !== root) root = parent[root];
    while (parent[r] !== root) {
      const up = parent[r];
      parent[r] = root;
      r = up;
    }
    return root;
  };
  let k = 0;
  // Runs of the previous row: [prevFirst, prevLast).
  let prevFirst = 0;
  let prevLast = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    const rowFirst = k;
    let x = x0;
    let scan = prevFirst;
    while (x < x1) {
      while (x < x1 && !binary[row + x]) x++;
      if (x === x1) break;
      const start = x;
      while (x < x1 && binary[row + x]) x++;
      runY[k] = y;
      runStart[k] = start;
      runEnd[k] = x;
      parent[k] = k;
      // Runs above that touch this one, including diagonally (their end >= start, their start <= end).
      // `scan` stays at the first of them: the next run of this row may touch it too.
      while (scan < prevLast && runEnd[scan] < start) scan++;
      for (let q = scan; q < prevLast && runStart[q] <= x; q++) {
        const a = find(q);
        const b = find(k);
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
      }
      k++;
    }
    prevFirst = rowFirst;
    prevLast = k;
  }
  // Number the components by their root (first) run and accumulate areas and boxes.
  const idOf = new Int32Array(runCount);
  let next = 1;
  for (let r = 0; r < runCount; r++) {
    const root = find(r);
    let id = idOf[root];
    if (id === 0) {
      id = next++;
      idOf[root] = id;
      areas.push(0);
      boxes.push([width, height, -1, -1]);
    }
    const y = runY[r], s = runStart[r], e = runEnd[r];
    areas[id] += e - s;
    const box = boxes[id];
    if (s < box[0]) box[0] = s;
    if (y < box[1]) box[1] = y;
    if (e - 1 > box[2]) box[2] = e - 1;
    if (y > box[3]) box[3] = y;
    labels.fill(id, y * width + s, y * width + e);
  }
  return { labels, areas, boxes };
}

/** Square dilation (radius r) of a binary mask, separable. */
export function dilate(binary: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return squareFilter(binary, width, height, r, true);
}

/** Square erosion (radius r) of a binary mask, separable; pixels beyond the image count as background. */
export function erode(binary: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return squareFilter(binary, width, height, r, false);
}

function squareFilter(binary: Uint8Array, width: number, height: number, r: number, isDilate: boolean): Uint8Array {
  if (r <= 0) return binary.slice();
  // Only the set's bounding box (grown by r for a dilation) can come out set: the filter runs on
  // that crop. Its result there is the same, since the windows it clips at the crop's edge hold
  // no set pixel beyond it (a dilation's) or are not wholly set anyway (an erosion's).
  const out = new Uint8Array(width * height);
  const box = boundingRect(binary, width, height, isDilate ? r : 0, (v) => v !== 0);
  if (!box) return out;
  const { x0, y0 } = box;
  const cw = box.x1 - x0;
  const ch = box.y1 - y0;
  if (cw === width && ch === height) return squareFilterWhole(binary, width, height, r, isDilate);
  const crop = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) crop.set(binary.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + cw), y * cw);
  const filtered = squareFilterWhole(crop, cw, ch, r, isDilate);
  for (let y = 0; y < ch; y++) out.set(filtered.subarray(y * cw, (y + 1) * cw), (y0 + y) * width + x0);
  return out;
}

function squareFilterWhole(binary: Uint8Array, width: number, height: number, r: number, isDilate: boolean): Uint8Array {
  // Rows padded to whole 32-bit words, so the vertical pass combines four pixels at a time.
  const stride = (width + 3) & ~3;
  const rows = new Uint8Array(stride * height);
  // Horizontal pass over each row's runs of set pixels: a dilation sets each run grown by r (clipped
  // to the row), an erosion the run shrunk by r (a run ending at the image's edge shrinks from it
  // too: pixels beyond the image are background). The same pixels as a window count of 2r+1.
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = y * stride;
    let x = 0;
    while (x < width) {
      while (x < width && !binary[src + x]) x++;
      if (x === width) break;
      const start = x;
      while (x < width && binary[src + x]) x++;
      const from = isDilate ? Math.max(0, start - r) : start + r;
      const to = isDilate ? Math.min(width, x + r) : x - r;
      if (to > from) rows.fill(1, dst + from, dst + to);
    }
  }
  const filtered = verticalWindow(rows, stride, height, r, isDilate);
  if (stride === width) return filtered;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) out.set(filtered.subarray(y * stride, y * stride + width), y * width);
  return out;
}

/**
 * Vertical pass: each pixel becomes the OR (dilation) or AND (erosion) of its column's 2r+1 rows
 * around it, on 0/1 bytes four at a time (van Herk / Gil-Werman: per block of 2r+1 rows, running
 * ORs or ANDs down from the block's top and up from its end; a window is the end part of one
 * block joined with the top part of the next). Rows past the image are background: a dilation's
 * window is clipped there, an erosion's is not whole and gives 0. `stride` is a multiple of 4.
 */
function verticalWindow(rows: Uint8Array, stride: number, height: number, r: number, isDilate: boolean): Uint8Array {
  const out = new Uint8Array(stride * height);
  const words = stride >> 2;
  const src = new Int32Array(rows.buffer, rows.byteOffset, words * height);
  const dst = new Int32Array(out.buffer, out.byteOffset, words * height);
  const side = 2 * r + 1;
  // down[y]: rows from y's block top to y; up[y]: rows from y to its block's end (or the last row).
  const down = new Int32Array(words * height);
  const up = new Int32Array(words * height);
  for (let y = 0; y < height; y++) {
    const row = y * words;
    if (y % side === 0) {
      for (let k = 0; k < words; k++) down[row + k] = src[row + k];
    } else if (isDilate) {
      for (let k = 0; k < words; k++) down[row + k] = down[row - words + k] | src[row + k];
    } else {
      for (let k = 0; k < words; k++) down[row + k] = down[row - words + k] & src[row + k];
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    const row = y * words;
    if (y % side === side - 1 || y === height - 1) {
      for (let k = 0; k < words; k++) up[row + k] = src[row + k];
    } else if (isDilate) {
      for (let k = 0; k < words; k++) up[row + k] = up[row + words + k] | src[row + k];
    } else {
      for (let k = 0; k < words; k++) up[row + k] = up[row + words + k] & src[row + k];
    }
  }
  for (let y = 0; y < height; y++) {
    let a = y - r;
    let b = y + r;
    if (!isDilate && (a < 0 || b > height - 1)) continue; // the window is not whole: 0
    if (a < 0) a = 0;
    if (b > height - 1) b = height - 1;
    const row = y * words;
    const ar = a * words;
    const br = b * words;
    if (Math.floor(a / side) === Math.floor(b / side)) {
      // One block: the window runs from the block's top (clipped at the image's top, or whole) or
      // to its end (clipped at the image's bottom).
      const from = a % side === 0 ? down : up;
      const at = a % side === 0 ? br : ar;
      for (let k = 0; k < words; k++) dst[row + k] = from[at + k];
    } else if (isDilate) {
      for (let k = 0; k < words; k++) dst[row + k] = up[ar + k] | down[br + k];
    } else {
      for (let k = 0; k < words; k++) dst[row + k] = up[ar + k] & down[br + k];
    }
  }
  return out;
}

/** Largest hole of a garment's mask that is filled, as a share of the garment's area. */
const MAX_HOLE_SHARE = 0.005;

/**
 * In place: sets to `on` the small holes of a garment's mask (0 and `on`), those it wholly encloses,
 * parsed as backdrop (`isBackdrop`) and smaller than MAX_HOLE_SHARE of it. Cloth close to the
 * backdrop's colour (cream stripes before a beige wall, a white tee on a white sweep) is parsed as
 * the backdrop in patches; the gap a bent arm leaves against the body, a keyhole, are larger and stay.
 */
export function fillSmallHoles(mask: Uint8Array, width: number, height: number, isBackdrop: (i: number) => boolean = () => true, on = 255): void {
  const outside = new Uint8Array(width * height);
  let area = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) area++;
    else outside[i] = 1;
  }
  const { labels, areas, boxes } = labelComponents(outside, width, height);
  // Only holes parsed as backdrop throughout: fingers, a pendant or a phone in front of the
  // garment are not its cloth.
  const notBackdrop = new Uint8Array(areas.length);
  for (let i = 0; i < mask.length; i++) if (labels[i] && !isBackdrop(i)) notBackdrop[labels[i]] = 1;
  const fill = new Uint8Array(areas.length);
  for (let id = 1; id < areas.length; id++) {
    const [x0, y0, x1, y1] = boxes[id];
    const touchesEdge = x0 === 0 || y0 === 0 || x1 === width - 1 || y1 === height - 1;
    if (!touchesEdge && !notBackdrop[id] && areas[id] <= MAX_HOLE_SHARE * area) fill[id] = 1;
  }
  for (let i = 0; i < mask.length; i++) if (fill[labels[i]]) mask[i] = on;
}
