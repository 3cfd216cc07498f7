/** Connected components and small morphology on binary masks (1 byte per pixel, 0 or 1). */

export interface Components {
  /** Component id per pixel, 0 = background, ids start at 1. */
  labels: Int32Array;
  /** Pixel count per id (index 0 unused). */
  areas: number[];
  /** Bounding boxes per id: [minX, minY, maxX, maxY]. */
  boxes: Array<[number, number, number, number]>;
}

/** 8-connected components of the pixels where `binary` is non-zero. */
export function labelComponents(binary: Uint8Array, width: number, height: number): Components {
  const labels = new Int32Array(width * height);
  const areas = [0];
  const boxes: Array<[number, number, number, number]> = [[0, 0, 0, 0]];
  const stack = new Int32Array(width * height);
  let next = 1;
  for (let start = 0; start < binary.length; start++) {
    if (!binary[start] || labels[start]) continue;
    const id = next++;
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    let area = 0;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    while (top > 0) {
      const p = stack[--top];
      area++;
      const x = p % width;
      const y = (p - x) / width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (binary[q] && !labels[q]) {
            labels[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    areas.push(area);
    boxes.push([minX, minY, maxX, maxY]);
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
  // Horizontal pass with a running count of set pixels in the window.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let count = 0;
    for (let x = 0; x < Math.min(r, width); x++) count += binary[row + x] ? 1 : 0;
    for (let x = 0; x < width; x++) {
      if (x + r < width) count += binary[row + x + r] ? 1 : 0;
      if (x - r - 1 >= 0) count -= binary[row + x - r - 1] ? 1 : 0;
      tmp[row + x] = (isDilate ? count > 0 : count === 2 * r + 1) ? 1 : 0;
    }
  }
  for (let x = 0; x < width; x++) {
    let count = 0;
    for (let y = 0; y < Math.min(r, height); y++) count += tmp[y * width + x];
    for (let y = 0; y < height; y++) {
      if (y + r < height) count += tmp[(y + r) * width + x];
      if (y - r - 1 >= 0) count -= tmp[(y - r - 1) * width + x];
      out[y * width + x] = (isDilate ? count > 0 : count === 2 * r + 1) ? 1 : 0;
    }
  }
  return out;
}
