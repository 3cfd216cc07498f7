/**
 * He et al.'s guided filter (2010) with a grey guide: the output is locally a linear function of
 * the guide, fitted to the input in each (2r+1)² window, so a blurred edge in the input (an
 * up-sampled network answer) snaps to the guide's edge (the photo's) within `radius` pixels.
 *
 * The one home of the filter: the person mask (src/engine/classic/person/mask.ts) and the garment
 * matte (matte.ts) both refine a coarse network answer with it. Box filters run in OpenCV.
 */
import type { OpenCV } from './opencv.ts';

/**
 * Filters `input` (floats, row-major `width` x `height`) guided by `guide` (0..1 luminance, same
 * size); `eps` is the regularisation (guide variance below it counts as noise). Borders reflect.
 */
export function guidedFilter(
  cv: OpenCV,
  guide: Float32Array,
  input: Float32Array,
  width: number,
  height: number,
  radius: number,
  eps: number,
): Float32Array {
  // Each OpenCV matrix is deleted as soon as it has been used: at most six full-size planes live
  // at once (twelve when all were kept to the end), and OpenCV's WASM heap, which never shrinks,
  // grows to the largest set a thread ever held. A matrix's `data32F` is a view into that heap,
  // which a later allocation may move: it is read only after the last allocation before its use.
  type Mat = InstanceType<typeof cv.Mat>;
  const live = new Set<Mat>();
  const mat = (data?: Float32Array): Mat => {
    const m = data ? cv.matFromArray(height, width, cv.CV_32FC1, data) : new cv.Mat();
    live.add(m);
    return m;
  };
  const drop = (...done: Mat[]) => {
    for (const m of done) {
      m.delete();
      live.delete(m);
    }
  };
  try {
    const size = new cv.Size(radius * 2 + 1, radius * 2 + 1);
    const box = (src: Mat) => {
      const result = mat();
      cv.blur(src, result, size, new cv.Point(-1, -1), cv.BORDER_REFLECT);
      return result;
    };
    const I = mat(guide);
    const p = mat(input);
    const ip = mat();
    cv.multiply(I, p, ip);
    const ii = mat();
    cv.multiply(I, I, ii);
    const meanI = box(I);
    const meanP = box(p);
    drop(I, p);
    const corrIP = box(ip);
    drop(ip);
    const corrII = box(ii);
    drop(ii);
    const n = width * height;
    const a = new Float32Array(n);
    const b = new Float32Array(n);
    const [mi, mp, cip, cii] = [meanI.data32F, meanP.data32F, corrIP.data32F, corrII.data32F];
    for (let k = 0; k < n; k++) {
      const variance = cii[k] - mi[k] * mi[k];
      a[k] = (cip[k] - mi[k] * mp[k]) / (variance + eps);
      b[k] = mp[k] - a[k] * mi[k];
    }
    drop(meanI, meanP, corrIP, corrII);
    const A = mat(a);
    const boxA = box(A);
    drop(A);
    const B = mat(b);
    const boxB = box(B);
    drop(B);
    const [meanA, meanB] = [boxA.data32F, boxB.data32F];
    const out = new Float32Array(n);
    for (let k = 0; k < n; k++) out[k] = meanA[k] * guide[k] + meanB[k];
    return out;
  } finally {
    for (const m of live) m.delete();
  }
}

/** Rec. 601 luma (0..1) of an RGB(A) or grey pixel buffer's window. */
export function lumaPlane(
  data: Uint8Array | Uint8ClampedArray,
  stride: number,
  channels: number,
  window: { x: number; y: number; width: number; height: number },
): Float32Array {
  const out = new Float32Array(window.width * window.height);
  for (let y = 0; y < window.height; y++) {
    for (let x = 0; x < window.width; x++) {
      const o = ((window.y + y) * stride + window.x + x) * channels;
      out[y * window.width + x] = channels >= 3
        ? (data[o] * 0.299 + data[o + 1] * 0.587 + data[o + 2] * 0.114) / 255
        : data[o] / 255;
    }
  }
  return out;
}
