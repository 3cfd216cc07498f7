/**
 * Garments photographed worn (a shop's model shot, cropped at the neck or the thighs): the garment
 * is cut off its wearer with the same person analysis the try-on runs on the model photo, so the
 * wearer's face, arms, legs and other clothes never come along with it.
 *
 * A quick look first (MoveNet lightning, ~0.1 s): only a photo whose pose shows a body (both
 * shoulders and a face or both knees) gets the full person analysis. Flat lays and ghost
 * mannequins have no such pose and pay only the quick look.
 */
import type { Category } from '../../types.ts';
import type { Raster } from '../../../imaging/raster.ts';
import { detectPose } from '../../../vision/pose.ts';
import { resizeMask } from '../../../vision/resample.ts';
import { PartLabel, type Pose } from '../types.ts';

/**
 * Keypoint confidence above which the quick look counts a body part as seen. Flat lays and ghost
 * mannequins read to MoveNet as shoulders, elbows and even hips (a sweater's outline is a torso's),
 * but never as a face or as knees: those tell a wearer apart.
 */
const WEARER_MIN_SCORE = 0.5;
/** Face keypoints (nose, eyes, ears) that must be seen for a face. */
const WEARER_FACE_POINTS = 2;

/** The garment labels of each category on a wearer. */
const WORN_LABELS: Record<Category, PartLabel[]> = {
  upper_body: [PartLabel.UpperGarment],
  lower_body: [PartLabel.LowerGarment],
  dresses: [PartLabel.UpperGarment, PartLabel.LowerGarment],
};

/** Does the pose show a person wearing something: both shoulders plus a face or both knees? */
export function showsWearer(pose: Pose): boolean {
  const seen = (name: string): boolean => (pose.keypoints.find((k) => k.name === name)?.score ?? 0) >= WEARER_MIN_SCORE;
  if (!seen('left_shoulder') || !seen('right_shoulder')) return false;
  const face = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear'].filter(seen).length >= WEARER_FACE_POINTS;
  const knees = seen('left_knee') && seen('right_knee');
  return face || knees;
}

/**
 * The garment of `category` on the wearer in `image` as a 0/1 mask of the image's size, or null
 * when the photo shows no wearer (or the analysis cannot read one).
 */
export async function wornGarmentMask(image: Raster, category: Category): Promise<Uint8Array | null> {
  const quick = await detectPose(image, { model: 'lightning', refine: false });
  if (!showsWearer(quick)) return null;
  // Imported here: person analysis loads the segmentation model, which flat lays never need.
  const { analysePerson } = await import('../person/index.ts');
  let person;
  try {
    person = await analysePerson(image);
  } catch {
    return null;
  }
  const { width, height, labels } = person.parsing;
  const wanted = new Uint8Array(256);
  for (const label of WORN_LABELS[category]) wanted[label] = 1;
  const analysed = { width, height, data: new Uint8Array(width * height) };
  let area = 0;
  for (let i = 0; i < labels.length; i++) {
    if (!wanted[labels[i]]) continue;
    analysed.data[i] = 255;
    area++;
  }
  if (area === 0) return null;
  const full = resizeMask(analysed, image.width, image.height);
  const out = new Uint8Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) out[i] = full.data[i] >= 128 ? 1 : 0;
  return out;
}
