/**
 * Typed hand-offs between the classic engine's stages. Every stage works at the *analysis
 * resolution* (the model photo scaled so its longer side is ANALYSIS_LONG_SIDE px, aspect kept)
 * unless a field says otherwise; only the final composite runs at full resolution.
 *
 * Image-space convention: x grows to the right, y grows down, coordinates in pixels of the image
 * the structure describes. "Left"/"right" in garment landmarks mean image-left/image-right
 * (smaller/larger x). Pose keypoints keep MoveNet's anatomical names (a frontal person's
 * left_shoulder is on the image's right).
 */
import type { Category } from '../types.ts';
import type { Mask, Raster } from '../../imaging/raster.ts';

export const ANALYSIS_LONG_SIDE = 1024;

export interface Point {
  x: number;
  y: number;
}

export const KEYPOINT_NAMES = [
  'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
  'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist',
  'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
] as const;
export type KeypointName = (typeof KEYPOINT_NAMES)[number];

export interface Keypoint extends Point {
  name: KeypointName;
  /** 0..1 confidence from the pose model. */
  score: number;
  /**
   * Wrists only: the photo shows no hand past this wrist (behind the back, in a pocket); a bare
   * forearm's wrist is then where its skin stops showing (person/hands.ts).
   */
  handHidden?: boolean;
}

export interface Pose {
  /** All 17, in KEYPOINT_NAMES order, in pixels of the analysed image. */
  keypoints: Keypoint[];
  /** Mean confidence of the keypoints that matter for try-on (shoulders, hips). */
  score: number;
}

/** Per-pixel labels of the person parsing (values of `PersonParsing.labels`). */
export const enum PartLabel {
  Background = 0,
  Hair = 1,
  Face = 2,
  Neck = 3,
  /** Bare skin of the torso (midriff, chest above a low neckline). */
  TorsoSkin = 4,
  /** Bare skin of the upper arm (shoulder to elbow). */
  UpperArm = 5,
  /** Bare skin of the forearm (elbow to wrist). */
  LowerArm = 6,
  Hand = 7,
  /** Bare skin of the legs. */
  Leg = 8,
  /** Feet and shoes. */
  Foot = 9,
  /** Top, shirt, jacket, sleeves included; the upper part of a dress is also this label. */
  UpperGarment = 10,
  /** Trousers, skirt, shorts; the lower part of a dress is also this label. */
  LowerGarment = 11,
  /** Bags, belts and anything else on the person that is none of the above. */
  Accessory = 12,
}

export interface SkinModel {
  /** Mean skin colour in CIELAB (L 0..100), sampled from face and neck. */
  lab: [number, number, number];
  /** Per-channel standard deviation in CIELAB. */
  labStd: [number, number, number];
  /** Mean skin colour in sRGB 0..255. */
  rgb: [number, number, number];
}

export interface PersonParsing {
  width: number;
  height: number;
  /** One PartLabel per pixel, row-major. */
  labels: Uint8Array;
}

export interface PersonAnalysis {
  /** The analysed image (RGB) at analysis resolution. */
  image: Raster;
  /** analysis px = full px * scale. */
  scale: number;
  pose: Pose;
  /** Soft person silhouette, 0..255. */
  personMask: Mask;
  parsing: PersonParsing;
  skin: SkinModel;
  /** 'full_body' when knees/ankles are in frame, else 'half_body'. */
  framing: 'full_body' | 'half_body';
  /** True when the upper and lower garment are one piece (a dress or jumpsuit). */
  wearsOnePiece: boolean;
  timings: Record<string, number>;
}

export type SleeveLength = 'none' | 'short' | 'elbow' | 'three_quarter' | 'long';
export type LowerKind = 'trousers' | 'shorts' | 'skirt';

/** Where one sleeve is on the product shot. */
export interface SleeveLandmarks {
  /** Shoulder seam point, top of the sleeve. */
  shoulder: Point;
  /** Armpit (underarm) point where the sleeve meets the body panel. */
  armpit: Point;
  /** The two corners of the sleeve opening (cuff): outer (away from body) and inner. */
  cuffOuter: Point;
  cuffInner: Point;
}

export interface UpperLandmarks {
  neckLeft: Point;
  neckRight: Point;
  /** Lowest point of the front neckline. */
  neckDip: Point;
  shoulderLeft: Point;
  shoulderRight: Point;
  armpitLeft: Point;
  armpitRight: Point;
  hemLeft: Point;
  hemRight: Point;
  /** Undefined when the garment is sleeveless. */
  sleeveLeft?: SleeveLandmarks;
  sleeveRight?: SleeveLandmarks;
}

export interface LowerLandmarks {
  waistLeft: Point;
  waistRight: Point;
  /** Undefined for skirts. */
  crotch?: Point;
  hemLeft: Point;
  hemRight: Point;
  /** Trouser/shorts leg openings (outer and inner corners); undefined for skirts. */
  legLeft?: { outer: Point; inner: Point };
  legRight?: { outer: Point; inner: Point };
}

export interface DressLandmarks extends UpperLandmarks {
  /** Narrowest row of the body panel between armpits and hem. */
  waistLeft: Point;
  waistRight: Point;
}

export interface GarmentAnalysis {
  category: Category;
  /** The garment photo cut out: RGBA, alpha = garment coverage; the garment photo at its working size (longest side at most GARMENT_WORK_LONG_SIDE). */
  cutout: Raster;
  /** Hard garment mask (alpha > 127), same size as `cutout`. */
  mask: Mask;
  /** Tight bounding box of the mask. */
  bbox: { x: number; y: number; width: number; height: number };
  /** Was the garment photographed worn by a person rather than flat / on a ghost mannequin? */
  worn: boolean;
  upper?: UpperLandmarks;
  lower?: LowerLandmarks;
  dress?: DressLandmarks;
  sleeve: SleeveLength;
  lowerKind?: LowerKind;
  /** Trousers the shop's description says are full length (see saidFullLengthTrousers): their legs reach the ankles whatever their flat proportions say. */
  fullLength?: boolean;
  /**
   * Length measurements normalised so the body panel's shoulder width (upper, dresses) or waist
   * width (lower) is 1: sleeve length from shoulder to cuff, garment length from shoulder line
   * (or waist) to hem.
   */
  sleeveLengthRatio: number;
  lengthRatio: number;
  /** Dominant colours of the garment (sRGB), most common first, for colour harmony and metrics. */
  palette: Array<[number, number, number]>;
  /**
   * The inside of the back seen through a flat lay's neckline (255), at the cutout's size; still
   * drawn in `cutout`. Worn, it is behind the neck: the try-on cuts it out where the photo shows
   * the wearer's neck, and keeps it where a hood or high collar hides the neck (a fill there
   * would be a flesh-coloured slab).
   */
  neckOpening?: Mask;
  /**
   * A sleeveless top made to be worn over another (a sweater vest, a waistcoat, a gilet; see
   * wornOverAnotherTop): the person's own top stays where this one does not cover it.
   */
  wornOver: boolean;
  timings: Record<string, number>;
}
