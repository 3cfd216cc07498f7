/** Connected components and small morphology on binary masks (1 byte per pixel, 0 or 1). */

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
  // Count the runs, then record each one's row, start and end (exclusive).
  let runCount = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let prev = 0;
    for (let x = 0; x < width; x++) {
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
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const rowFirst = k;
    let x = 0;
    let scan = prevFirst;
    while (x < width) {
      while (x < width && !binary[row + x]) x++;
      if (x === width) break;
      const start = x;
      while (x < width && binary[row + x]) x++;
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
  const tmp = new Uint8Array(width * height);
  const out = new Uint8Array(width * height);
  const full = 2 * r + 1;
  // Horizontal pass with a running count of set pixels in the window; the window's entering and
  // leaving pixels are tested against the edges once per row segment, not per pixel.
  const enterEnd = Math.max(0, width - r);
  const leaveStart = Math.min(width, r + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let count = 0;
    for (let x = 0; x < Math.min(r, width); x++) count += binary[row + x] ? 1 : 0;
    for (let x = 0; x < width; x++) {
      if (x < enterEnd) count += binary[row + x + r] ? 1 : 0;
      if (x >= leaveStart) count -= binary[row + x - r - 1] ? 1 : 0;
      tmp[row + x] = isDilate ? (count > 0 ? 1 : 0) : count === full ? 1 : 0;
    }
  }
  // Vertical pass: the same running count, one per column, advanced a row at a time (row-major
  // reads; a column-by-column walk strides through memory).
  const counts = new Int32Array(width);
  for (let y = 0; y < Math.min(r, height); y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) counts[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const add = y + r < height ? (y + r) * width : -1;
    const drop = y - r - 1 >= 0 ? (y - r - 1) * width : -1;
    for (let x = 0; x < width; x++) {
      let count = counts[x];
      if (add >= 0) count += tmp[add + x];
      if (drop >= 0) count -= tmp[drop + x];
      counts[x] = count;
      out[row + x] = isDilate ? (count > 0 ? 1 : 0) : count === full ? 1 : 0;
    }
  }
  return out;
}
