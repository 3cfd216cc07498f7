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
import { PartLabel, type Keypoint, type Point, type Pose } from '../types.ts';
import { isSkinColour } from './skin.ts';
import { dilate, erode, fillSmallHoles, labelComponents } from './components.ts';

/**
 * Keypoint confidence above which the quick look counts a body part as seen. Flat lays and ghost
 * mannequins read to MoveNet as shoulders, elbows and even hips (a sweater's outline is a torso's),
 * but never as a face or as knees: those tell a wearer apart.
 */
const WEARER_MIN_SCORE = 0.5;
/** Face keypoints (nose, eyes, ears) that must be seen for a face. */
const WEARER_FACE_POINTS = 2;
/** Keypoints where a wearer's skin usually shows (a face, hands, bare knees or ankles). */
const SKIN_PROBES = new Set(['nose', 'left_wrist', 'right_wrist', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle']);
/** Least confidence for a keypoint to be probed for skin. */
const SKIN_PROBE_MIN_SCORE = 0.3;
/** Radius of the skin probe around a keypoint, as a share of the shoulder distance. */
const SKIN_PROBE_RADIUS = 0.08;
/** Share of skin-coloured pixels the probe must find for the face or knees to be a wearer's. */
const WEARER_MIN_SKIN = 0.3;

/** Widest bridge (a parsed jaw line, a strand) between separate pieces of a worn garment's mask, as a share of the shoulder distance. */
const PIECE_BRIDGE = 0.01;

/** The garment labels of each category on a wearer. */
const WORN_LABELS: Record<Category, PartLabel[]> = {
  upper_body: [PartLabel.UpperGarment],
  lower_body: [PartLabel.LowerGarment],
  dresses: [PartLabel.UpperGarment, PartLabel.LowerGarment],
};

/** Does the pose show a person wearing something: both shoulders plus a face or both knees? */
export function showsWearer(pose: Pose): boolean {
  return wearerEvidence(pose) !== null;
}

/**
 * Where a wearer's skin would show (nose, wrists, knees, ankles, those the pose model places at
 * all), or null when the pose shows no wearer: both shoulders plus a face or both knees.
 */
function wearerEvidence(pose: Pose): Keypoint[] | null {
  const at = (name: string): Keypoint | undefined => pose.keypoints.find((k) => k.name === name);
  const seen = (name: string): boolean => (at(name)?.score ?? 0) >= WEARER_MIN_SCORE;
  if (!seen('left_shoulder') || !seen('right_shoulder')) return null;
  const face = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear'].filter(seen).length >= WEARER_FACE_POINTS;
  if (!face && !(seen('left_knee') && seen('right_knee'))) return null;
  return pose.keypoints.filter((k) => SKIN_PROBES.has(k.name) && k.score >= SKIN_PROBE_MIN_SCORE);
}

/** Share of skin-coloured pixels (see isSkinColour) in a disc of `radius` px around a point. */
export function skinShareAround(image: Raster, p: Point, radius: number): number {
  let skin = 0;
  let total = 0;
  const r = Math.max(1, Math.round(radius));
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      if (dx * dx + dy * dy > r * r) continue;
      const x = Math.round(p.x) + dx;
      const y = Math.round(p.y) + dy;
      if (x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
      const o = (y * image.width + x) * image.channels;
      total++;
      if (isSkinColour(image.data[o], image.data[o + 1], image.data[o + 2])) skin++;
    }
  }
  return total === 0 ? 0 : skin / total;
}

/**
 * In place: clears the pieces of a worn garment's mask (0/255) whose middle (centroid) lies
 * above the shoulders, apart from its largest piece. On a wearer cropped at the nose the parsing finds no
 * face to hang the hair from, and the hair's ends below the crop read as the top's cloth; they are
 * not connected to the garment (the neck lies between), and nothing worn on the body stands clear
 * of it above the shoulders (a collar or a hood is part of the garment's own piece).
 */
export function dropPiecesAboveShoulders(mask: Uint8Array, width: number, height: number, pose: Pose): void {
  const shoulders = pose.keypoints.filter((k) => k.name === 'left_shoulder' || k.name === 'right_shoulder');
  if (shoulders.length < 2) return;
  const shoulderY = Math.max(shoulders[0].y, shoulders[1].y);
  const binary = new Uint8Array(width * height);
  for (let i = 0; i < binary.length; i++) binary[i] = mask[i] ? 1 : 0;
  // Pieces are told apart after an opening: a jaw line or a strand parsed as cloth joins the hair
  // to the garment by a line a pixel or two wide.
  const bridge = Math.max(1, Math.round(PIECE_BRIDGE * Math.hypot(shoulders[0].x - shoulders[1].x, shoulders[0].y - shoulders[1].y)));
  const opened = dilate(erode(binary, width, height, bridge), width, height, bridge);
  const { labels, areas } = labelComponents(opened, width, height);
  let main = 0;
  for (let id = 1; id < areas.length; id++) if (areas[id] > (areas[main] ?? 0)) main = id;
  if (main === 0) return;
  const rowSum = new Float64Array(areas.length);
  for (let i = 0; i < labels.length; i++) if (labels[i]) rowSum[labels[i]] += Math.floor(i / width);
  const kept = new Uint8Array(width * height);
  for (let i = 0; i < labels.length; i++) {
    const id = labels[i];
    if (id && (id === main || rowSum[id] / areas[id] >= shoulderY)) kept[i] = 1;
  }
  // What the opening took off a kept piece's outline (a strap's edge, a thin hem) stays.
  const near = dilate(kept, width, height, bridge + 1);
  for (let i = 0; i < mask.length; i++) if (!near[i]) mask[i] = 0;
}

/**
 * The garment of `category` on the wearer in `image` as a 0/1 mask of the image's size, or null
 * when the photo shows no wearer (or the analysis cannot read one).
 */
export async function wornGarmentMask(image: Raster, category: Category): Promise<Uint8Array | null> {
  const quick = await detectPose(image, { model: 'lightning', refine: false });
  const evidence = wearerEvidence(quick);
  if (!evidence) return null;
  // A ghost mannequin can read as a face and knees too, but shows no skin anywhere a body would.
  const ls = quick.keypoints.find((k) => k.name === 'left_shoulder')!;
  const rs = quick.keypoints.find((k) => k.name === 'right_shoulder')!;
  const radius = Math.hypot(ls.x - rs.x, ls.y - rs.y) * SKIN_PROBE_RADIUS;
  if (!evidence.some((k) => skinShareAround(image, k, radius) >= WEARER_MIN_SKIN)) return null;
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
  dropPiecesAboveShoulders(analysed.data, width, height, person.pose);
  fillSmallHoles(analysed.data, width, height, (i) => labels[i] === PartLabel.Background);
  const full = resizeMask(analysed, image.width, image.height);
  const out = new Uint8Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) out[i] = full.data[i] >= 128 ? 1 : 0;
  return out;
}
