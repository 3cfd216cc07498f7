/**
 * A soft person/background prior from MediaPipe's selfie segmentation (256x256, one sigmoid
 * channel) or meet segmentation (144x256 landscape, two logits). Both are coarse (trained on
 * webcam selfies): the person-analysis stage refines the result on the photo itself.
 *
 * meet's logits come without a softmax (the converted graph ends at the last Add; @vladmandic/human
 * applies one over the wrong axis), so it is applied here over the channel axis: person =
 * softmax(logits)[1] = sigmoid(l1 - l0).
 */
import { createMask, type Mask, type Raster } from '../imaging/raster.ts';
import { projectFloatMap, resampleWindow, type Window, type WindowSampler } from './resample.ts';
import { loadModel, loadTf } from './tf.ts';

export type SegmentationModel = 'selfie' | 'meet';

export interface SegmentationOptions {
  /** Default 'selfie' (square input suits portrait photos; meet's landscape input shrinks them). */
  model?: SegmentationModel;
  /**
   * The part of the image to run the network on, in image pixels (may reach past the edges:
   * padded black). Default: the whole image padded to the model's aspect ratio, centred.
   * Pixels outside the window read the window's nearest edge prediction.
   */
  window?: Window;
  /** Resamples this image's windows (see windowSampler), shared with other models that read the same one. */
  sample?: WindowSampler;
}

const INPUT: Record<SegmentationModel, { width: number; height: number }> = {
  selfie: { width: 256, height: 256 },
  meet: { width: 256, height: 144 },
};

/** Person probability per pixel (0..255), same size as `image`. */
export async function segmentPerson(image: Raster, options: SegmentationOptions = {}): Promise<Mask> {
  const model = options.model ?? 'selfie';
  const { width, height } = INPUT[model];
  const window = options.window ?? fitWindow(image, width / height);
  const tf = await loadTf();
  const net = await loadModel(model);
  if (image.channels !== 3) throw new Error('segmentPerson expects an RGB raster');
  const resampled = options.sample ? options.sample(window, width, height) : resampleWindow(image.data, image.width, image.height, 3, window, width, height);
  // (A shared resampling is only read.)
  const pixels = new Float32Array(resampled.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = resampled[i] / 255;
  const input = tf.tensor4d(pixels, [1, height, width, 3], 'float32');
  let output: ReturnType<typeof tf.tensor> | undefined;
  let probability: Float32Array;
  try {
    output = net.execute(input) as ReturnType<typeof tf.tensor>;
    const values = (await output.data()) as Float32Array;
    if (model === 'selfie') {
      probability = values;
    } else {
      probability = new Float32Array(width * height);
      for (let i = 0; i < probability.length; i++) {
        probability[i] = 1 / (1 + Math.exp(values[i * 2] - values[i * 2 + 1]));
      }
    }
  } finally {
    input.dispose();
    output?.dispose();
  }
  const full = projectFloatMap(probability, width, height, window, image.width, image.height);
  const mask = createMask(image.width, image.height);
  for (let i = 0; i < full.length; i++) mask.data[i] = Math.round(Math.min(1, Math.max(0, full[i])) * 255);
  return mask;
}

/** The smallest window of the given aspect ratio (width / height) that holds the image, centred. */
function fitWindow(image: Raster, aspect: number): Window {
  let width = image.width;
  let height = image.height;
  if (width / height > aspect) height = width / aspect;
  else width = height * aspect;
  return { x: (image.width - width) / 2, y: (image.height - height) / 2, width, height };
}
