/**
 * The nsfwjs image classifier (MobileNetV2 "mid", a graph model vendored from the npm package
 * nsfwjs 4.4.0, MIT: see models/README.md). It scores an image over five classes that sum to 1:
 * drawing, hentai, neutral, porn, sexy. Only the decision of what to block lives elsewhere
 * (src/moderation); this module just runs the network.
 *
 * Pre-processing follows nsfwjs's own `infer()`: the whole image squashed to 224x224 (no aspect
 * kept, no crop), RGB scaled to 0..1. The service hands it images already shrunk to 224x224 by
 * sharp (src/moderation/classifier.ts `classifierInput`); any other size is resampled here with a
 * filter that averages the pixels it covers.
 */
import type { Raster } from '../imaging/raster.ts';
import { resampleWindow } from './resample.ts';
import { loadModel, loadTf } from './tf.ts';

/** Side of the square input the network was trained on, px. */
export const NSFW_INPUT_SIDE = 224;

/** The network's output classes, in output order. */
export const NSFW_CLASSES = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'] as const;
export type NsfwClass = (typeof NSFW_CLASSES)[number];
export type NsfwScores = Record<NsfwClass, number>;

/** Loads the runtime and the model (once per thread), so the first call does not pay for it. */
export async function loadNsfwModel(): Promise<void> {
  await loadModel('nsfw-mobilenet-v2-mid');
}

/** Class probabilities of an RGB image of any size. */
export async function classifyNsfw(image: Raster): Promise<NsfwScores> {
  if (image.channels !== 3) throw new Error('classifyNsfw expects an RGB raster');
  const tf = await loadTf();
  const net = await loadModel('nsfw-mobilenet-v2-mid');
  const side = NSFW_INPUT_SIDE;
  const whole = { x: 0, y: 0, width: image.width, height: image.height };
  const pixels =
    image.width === side && image.height === side
      ? Float32Array.from(image.data)
      : resampleWindow(image.data, image.width, image.height, 3, whole, side, side);
  for (let i = 0; i < pixels.length; i++) pixels[i] /= 255;
  const input = tf.tensor4d(pixels, [1, side, side, 3], 'float32');
  let output: ReturnType<typeof tf.tensor> | undefined;
  try {
    output = net.execute(input) as ReturnType<typeof tf.tensor>;
    const values = (await output.data()) as Float32Array;
    if (values.length !== NSFW_CLASSES.length) throw new Error(`nsfw model: expected ${NSFW_CLASSES.length} scores, got ${values.length}`);
    return Object.fromEntries(NSFW_CLASSES.map((name, i) => [name, values[i]])) as NsfwScores;
  } finally {
    input.dispose();
    output?.dispose();
  }
}
