/**
 * Foreground matte from U²-Net-p (Qin et al. 2020, Apache-2.0; `models/u2netp.onnx`): a salient
 * object network that cuts a garment off a product-shot backdrop (grey, white, shadows, props)
 * and a person off a photo's background.
 *
 * The one owner of the ONNX runtime (`onnxruntime-node`, CPU). The session is created lazily,
 * once per thread (a worker_thread gets its own), behind a memoised promise that forgets a failed
 * load so the next call can retry.
 *
 * The network sees the image squeezed to 320x320 (as it was trained: the aspect ratio is not kept)
 * and answers at 320x320; the answer is enlarged to the image's size and its edge band refined on
 * the image itself with a guided filter (He et al. 2010), so the outline follows the photo's
 * edges instead of the 320 px grid.
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { createMask, type Mask, type Raster } from '../imaging/raster.ts';
import { projectFloatMap, resampleWindow } from './resample.ts';
import { MODELS_DIR } from './tf.ts';
import { guidedFilter, lumaPlane } from './guided-filter.ts';
import { loadOpenCV } from './opencv.ts';

/** Intra-op threads of the matte session (see loadMatteSession). */
const MATTE_THREADS = 2;

/** The network's square input and output side (px). */
export const MATTE_INPUT_SIDE = 320;

/** ImageNet statistics the network was trained with (input scaled to 0..1 first). */
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/**
 * Guided filter radius per enlargement factor: the 320 px answer's edge is blurred over about one
 * input pixel, i.e. `factor` image pixels; the filter reaches a little further to find the edge.
 */
const GUIDE_RADIUS_PER_FACTOR = 1.5;
/** Guided filter regularisation (guide in 0..1): below it, local contrast counts as noise. */
const GUIDE_EPS = 1e-3;
/** Matte values (0..1) between these are the edge band the guided filter may move. */
const BAND_LOW = 0.02;
const BAND_HIGH = 0.98;

let session: Promise<ort.InferenceSession> | undefined;

/** The U²-Net-p session, created once per thread. */
export function loadMatteSession(): Promise<ort.InferenceSession> {
  session ??= ort.InferenceSession.create(path.join(MODELS_DIR, 'u2netp.onnx'), {
    // A fixed MATTE_THREADS, not the core count, so the work split is the same on every machine
    // (the answer measured bit-identical with 1 and 2 threads). Two halve a lone request's matte
    // (~0.8 s -> ~0.45 s here); when every worker is busy they only share the same cores.
    intraOpNumThreads: MATTE_THREADS,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // No arena: onnxruntime's CPU arena keeps every peak it has reached for the process's life
    // (hundreds of MB across a few calls), which the worker's memory budget cannot afford.
    enableCpuMemArena: false,
    enableMemPattern: false,
  }).catch((error: unknown) => {
    session = undefined;
    throw error;
  });
  return session;
}

/** The raw 320x320 foreground probability (0..1) of an RGB(A) image. */
export async function matteProbability(image: Raster): Promise<Float32Array> {
  const side = MATTE_INPUT_SIDE;
  const net = await loadMatteSession();
  const full = { x: 0, y: 0, width: image.width, height: image.height };
  const pixels = resampleWindow(image.data, image.width, image.height, image.channels, full, side, side);
  const c = image.channels;
  const planes = new Float32Array(3 * side * side);
  for (let p = 0; p < side * side; p++) {
    for (let k = 0; k < 3; k++) planes[k * side * side + p] = (pixels[p * c + (c >= 3 ? k : 0)] / 255 - MEAN[k]) / STD[k];
  }
  const input = new ort.Tensor('float32', planes, [1, 3, side, side]);
  const outputs = await net.run({ [net.inputNames[0]]: input });
  // d0, the fused side outputs, is the network's answer (already a sigmoid).
  const d0 = outputs[net.outputNames[0]];
  const probability = Float32Array.from(d0.data as Float32Array);
  for (const name of net.outputNames) outputs[name].dispose();
  input.dispose();
  return probability;
}

/**
 * Foreground alpha (0..255) at the image's size: U²-Net-p's answer enlarged and its edge band
 * refined on the image (guided filter with the image's luminance as guide).
 */
export async function matteForeground(image: Raster): Promise<Mask> {
  const side = MATTE_INPUT_SIDE;
  const probability = await matteProbability(image);
  const { width, height } = image;
  const up = projectFloatMap(probability, side, side, { x: 0, y: 0, width, height }, width, height);
  const factor = Math.max(width, height) / side;
  const radius = Math.max(1, Math.round(GUIDE_RADIUS_PER_FACTOR * factor));
  const cv = await loadOpenCV();
  const guide = lumaPlane(image.data, width, image.channels, { x: 0, y: 0, width, height });
  const refined = guidedFilter(cv, guide, up, width, height, radius, GUIDE_EPS);
  const mask = createMask(width, height);
  for (let p = 0; p < up.length; p++) {
    const coarse = up[p];
    // Only the edge band moves: what the network is sure of stays as it said.
    const value = coarse <= BAND_LOW || coarse >= BAND_HIGH ? coarse : refined[p];
    mask.data[p] = Math.round(Math.min(1, Math.max(0, value)) * 255);
  }
  return mask;
}
