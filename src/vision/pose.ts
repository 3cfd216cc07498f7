/**
 * 2D body keypoints with MoveNet (single pose; thunder by default, lightning when speed matters
 * more than precision). The photo is padded to a square (never stretched), then, as in MoveNet's
 * own demo, a second pass runs on a square crop around the person found by the first pass so a
 * small full-body figure is seen at a higher resolution.
 */
import type { Raster } from '../imaging/raster.ts';
import { KEYPOINT_NAMES, type Keypoint, type Pose } from '../engine/classic/types.ts';
import { windowSampler, type Window, type WindowSampler } from './resample.ts';
import { loadModel, loadTf } from './tf.ts';

export type PoseModel = 'thunder' | 'lightning';

export interface PoseOptions {
  /** Default 'thunder'. */
  model?: PoseModel;
  /** Run the crop refinement pass when it would enlarge the person (default true). */
  refine?: boolean;
  /** Resamples this image's windows (see windowSampler), shared with other models that read the same one. */
  sample?: WindowSampler;
}

const INPUT_SIZE: Record<PoseModel, number> = { thunder: 256, lightning: 192 };
/** Keypoints below this score do not steer the crop. */
const CROP_MIN_SCORE = 0.25;
/** Only refine when the crop is at most this fraction of the first pass's square side. */
const REFINE_MAX_RATIO = 0.8;

const I = Object.fromEntries(KEYPOINT_NAMES.map((name, i) => [name, i])) as Record<(typeof KEYPOINT_NAMES)[number], number>;
const TRY_ON_KEYPOINTS = [I.left_shoulder, I.right_shoulder, I.left_hip, I.right_hip];

export async function detectPose(image: Raster, options: PoseOptions = {}): Promise<Pose> {
  const model = options.model ?? 'thunder';
  const side = Math.max(image.width, image.height);
  const whole: Window = { x: (image.width - side) / 2, y: (image.height - side) / 2, width: side, height: side };
  const rgb = toRgb(image);
  const sample = options.sample ?? windowSampler(rgb.data, rgb.width, rgb.height, 3);
  let keypoints = await runMoveNet(sample, whole, model);
  if (options.refine ?? true) {
    const crop = personCrop(keypoints, image);
    if (crop && crop.width <= side * REFINE_MAX_RATIO) {
      const refined = await runMoveNet(sample, crop, model);
      // Per keypoint, the more confident of the two passes.
      keypoints = keypoints.map((k, i) => (refined[i].score >= k.score ? refined[i] : k));
    }
  }
  return { keypoints, score: poseScore(keypoints) };
}

/** Mean confidence of shoulders and hips. */
export function poseScore(keypoints: Keypoint[]): number {
  return TRY_ON_KEYPOINTS.reduce((sum, i) => sum + keypoints[i].score, 0) / TRY_ON_KEYPOINTS.length;
}

async function runMoveNet(sample: WindowSampler, window: Window, model: PoseModel): Promise<Keypoint[]> {
  const tf = await loadTf();
  const net = await loadModel(model === 'thunder' ? 'movenet-thunder' : 'movenet-lightning');
  const size = INPUT_SIZE[model];
  const pixels = sample(window, size, size);
  const ints = new Int32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) ints[i] = Math.round(pixels[i]);
  const input = tf.tensor4d(ints, [1, size, size, 3], 'int32');
  let output: ReturnType<typeof tf.tensor> | undefined;
  try {
    output = net.execute(input) as ReturnType<typeof tf.tensor>;
    const values = await output.data();
    return KEYPOINT_NAMES.map((name, i) => ({
      name,
      y: window.y + values[i * 3] * window.height,
      x: window.x + values[i * 3 + 1] * window.width,
      score: values[i * 3 + 2],
    }));
  } finally {
    input.dispose();
    output?.dispose();
  }
}

function toRgb(image: Raster): Raster {
  if (image.channels === 3) return image;
  const data = new Uint8Array(image.width * image.height * 3);
  for (let i = 0, n = image.width * image.height; i < n; i++) {
    for (let c = 0; c < 3; c++) data[i * 3 + c] = image.data[i * image.channels + (image.channels === 1 ? 0 : c)];
  }
  return { width: image.width, height: image.height, channels: 3, data };
}

/**
 * MoveNet's crop heuristic: a square centred on the hips (or shoulders) that holds the torso with
 * a 1.9x margin and every confident joint with a 1.2x margin, plus head room above the highest
 * head keypoint (the skull reaches well above the eyes). Undefined when the torso was not found.
 */
export function personCrop(keypoints: Keypoint[], image: Raster): Window | undefined {
  const ok = (i: number) => keypoints[i].score >= CROP_MIN_SCORE;
  const hips = [I.left_hip, I.right_hip].filter(ok);
  const shoulders = [I.left_shoulder, I.right_shoulder].filter(ok);
  const anchor = hips.length === 2 ? hips : shoulders.length === 2 ? shoulders : undefined;
  if (!anchor) return undefined;
  const cx = (keypoints[anchor[0]].x + keypoints[anchor[1]].x) / 2;
  const cy = (keypoints[anchor[0]].y + keypoints[anchor[1]].y) / 2;
  let torsoRange = 0;
  for (const i of [...hips, ...shoulders]) {
    torsoRange = Math.max(torsoRange, Math.abs(keypoints[i].x - cx), Math.abs(keypoints[i].y - cy));
  }
  let bodyRange = 0;
  keypoints.forEach((k, i) => {
    if (ok(i)) bodyRange = Math.max(bodyRange, Math.abs(k.x - cx), Math.abs(k.y - cy));
  });
  let half = Math.max(torsoRange * 1.9, bodyRange * 1.2);
  const headTop = Math.min(...[I.nose, I.left_eye, I.right_eye].filter(ok).map((i) => keypoints[i].y), cy);
  half = Math.max(half, cy - headTop + torsoRange * 0.6);
  half = Math.min(half, Math.max(cx, image.width - cx, cy, image.height - cy));
  return { x: cx - half, y: cy - half, width: half * 2, height: half * 2 };
}
