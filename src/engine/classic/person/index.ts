/**
 * Person analysis for the classic engine: pose, person mask, skin model, part parsing, framing.
 * Runs at ANALYSIS_LONG_SIDE; the heavy steps (segmentation, grabCut) run smaller internally.
 */
import { EngineInputError } from '../../types.ts';
import type { Mask, Raster } from '../../../imaging/raster.ts';
import { labImage } from '../../../imaging/colour.ts';
import { detectPose, type PoseModel } from '../../../vision/pose.ts';
import { resizeRaster, windowSampler } from '../../../vision/resample.ts';
import { segmentPerson } from '../../../vision/segmentation.ts';
import { ANALYSIS_LONG_SIDE, type PersonAnalysis, type Pose } from '../types.ts';
import { detectFraming } from './framing.ts';
import { bodyGeometry, MIN_SCORE } from './geometry.ts';
import { boundingRect } from './grid.ts';
import { refinePersonMask } from './mask.ts';
import { fillHolesInTop, parsePerson } from './parsing.ts';
import { sampleSkin, skinLikelihood } from './skin.ts';
import { confirmSeenForearms, hideUnseenHands } from './hands.ts';

export interface AnalysePersonOptions {
  /** MoveNet variant (default thunder). */
  poseModel?: PoseModel;
}

/** Below this mean shoulder/hip confidence there is no usable person. */
const MIN_POSE_SCORE = 0.2;

export async function analysePerson(image: Raster, options: AnalysePersonOptions = {}): Promise<PersonAnalysis> {
  const timings: Record<string, number> = {};
  let last = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - last) * 10) / 10;
    last = now;
  };
  if (image.channels !== 3) throw new Error('analysePerson expects an RGB raster');
  // Every stage works at ANALYSIS_LONG_SIDE (smaller photos are enlarged), so the pixel sizes
  // tuned on 768x1024 photos hold for any input.
  const scale = ANALYSIS_LONG_SIDE / Math.max(image.width, image.height);
  const analysed =
    scale !== 1 ? resizeRaster(image, Math.round(image.width * scale), Math.round(image.height * scale)) : image;
  lap('resize');

  // The pose's first pass and the segmentation read the same square window at the same size.
  const sample = windowSampler(analysed.data, analysed.width, analysed.height, 3);
  const pose = await detectPose(analysed, { model: options.poseModel, sample });
  lap('pose');
  checkPose(pose);

  const prior = await segmentPerson(analysed, { sample });
  lap('segmentation');
  // A product shot sent as the person photo: the pose model reads a shirt's outline as shoulders,
  // but the person segmentation sees no one under them.
  if (chestPrior(prior, pose) < MIN_CHEST_PRIOR) throw new EngineInputError('no person found in the model image (it looks like a garment on its own)');
  const posed = bodyGeometry(pose);
  const personMask = await refinePersonMask(analysed, pose, prior);
  lap('mask');

  // Colour work happens on the person only.
  const margin = 2;
  const region = boundingRect(personMask.data, analysed.width, analysed.height, margin, (v) => v > 0);
  if (!region) throw new EngineInputError('no person found in the model image');
  const lab = labImage(analysed, region);
  const skin = sampleSkin(lab, analysed, posed, personMask);
  const skinMap = skinLikelihood(lab, skin, personMask);
  lap('skin');
  const forearms = confirmSeenForearms(pose, posed, skinMap, personMask);
  const seen = hideUnseenHands(forearms, posed, skinMap, personMask);
  const body = seen === pose ? posed : bodyGeometry(seen);

  const { parsing, garments } = parsePerson({
    width: analysed.width,
    height: analysed.height,
    lab,
    personMask,
    skin: skinMap,
    pose: seen,
    body,
  });
  // (The top's enclosed holes are the top: see fillHolesInTop.)
  fillHolesInTop(personMask, parsing.labels, body);
  lap('parsing');

  return {
    image: analysed,
    scale,
    pose: seen,
    personMask,
    parsing,
    skin,
    framing: detectFraming(pose, analysed.height),
    wearsOnePiece: garments.wearsOnePiece,
    timings,
  };
}

/** Mean person-segmentation confidence (0..1) on the chest below which the photo shows no person. */
const MIN_CHEST_PRIOR = 0.3;

/** Mean of the segmentation prior over the chest: a box below the shoulder line, half the shoulders wide. */
export function chestPrior(prior: Mask, pose: Pose): number {
  const ls = pose.keypoints.find((k) => k.name === 'left_shoulder');
  const rs = pose.keypoints.find((k) => k.name === 'right_shoulder');
  if (!ls || !rs) return 0;
  const span = Math.max(4, Math.hypot(ls.x - rs.x, ls.y - rs.y));
  const cx = (ls.x + rs.x) / 2;
  const cy = (ls.y + rs.y) / 2;
  let sum = 0;
  let n = 0;
  for (let y = Math.max(0, Math.round(cy)); y < Math.min(prior.height, Math.round(cy + span * 0.6)); y++) {
    for (let x = Math.max(0, Math.round(cx - span * 0.25)); x < Math.min(prior.width, Math.round(cx + span * 0.25)); x++) {
      sum += prior.data[y * prior.width + x];
      n++;
    }
  }
  return n === 0 ? 0 : sum / n / 255;
}

/**
 * A person needs both shoulders: every garment is sized from the shoulder line. Hips are not
 * required here: a chest-up or portrait photo can wear a top (the body frame extrapolates the
 * torso); whether a bottom can be put on is the try-on's decision (`hipsVisible`).
 */
function checkPose(pose: Pose): void {
  const score = (name: string) => pose.keypoints.find((k) => k.name === name)?.score ?? 0;
  const shoulders = score('left_shoulder') >= MIN_SCORE && score('right_shoulder') >= MIN_SCORE;
  if (pose.score < MIN_POSE_SCORE && !shoulders) throw new EngineInputError('no person found in the model image');
  if (!shoulders) throw new EngineInputError("the person's shoulders are not visible");
}

/** Are the hips in the photo (at least one hip keypoint seen)? A bottom needs them. */
export function hipsVisible(pose: Pose): boolean {
  const score = (name: string) => pose.keypoints.find((k) => k.name === name)?.score ?? 0;
  return score('left_hip') >= MIN_SCORE || score('right_hip') >= MIN_SCORE;
}
