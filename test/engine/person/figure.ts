/**
 * A drawn person for the person-analysis tests: skin-coloured head and arms, hair on top of the
 * head, a top, trousers (or a dress: the same colour top and bottom), shoes, on a plain wall, with
 * the exact keypoints it was drawn from. Every region's true label is known.
 */
import { createMask, createRaster, type Mask, type Raster } from '../../../src/imaging/raster.ts';
import { KEYPOINT_NAMES, type Pose } from '../../../src/engine/classic/types.ts';

export type RGB = [number, number, number];

export const SKIN: RGB = [222, 170, 138];
export const HAIR: RGB = [55, 38, 28];
export const WALL: RGB = [232, 232, 236];
export const TOP: RGB = [190, 40, 45];
export const TROUSERS: RGB = [40, 62, 150];
export const SHOES: RGB = [25, 25, 25];
export const BAG: RGB = [30, 140, 60];
export const CUFF: RGB = [120, 22, 28];
export const COAT: RGB = [150, 150, 120];
/** Chest skin in a collar's shadow: darker and greyer than SKIN, a weak skin likelihood. */
export const NECKLINE_SHADE: RGB = [141, 111, 97];

export interface FigureOptions {
  /** Colour of the bottom garment (default TROUSERS); pass TOP for a dress. */
  bottom?: RGB;
  /** Draw bare skin between the top and the trousers (a crop top). */
  midriff?: boolean;
  /** Bend the right arm so its forearm crosses in front of the torso. */
  armAcross?: boolean;
  /** Hair falling over the left shoulder onto the top. */
  longHair?: boolean;
  /** A green bag hanging from the right hand, beside the leg. */
  bag?: boolean;
  /** The bag in another colour (a black bag beside a black top). */
  bagColour?: RGB;
  /** Long sleeves of the top down to the wrists (held a little out), ending in a dark cuff at hip height. */
  longSleeves?: boolean;
  /** Folds in shade down the long sleeves' forearms, as dark as the bottom (its colour), inside the sleeve. */
  sleeveFolds?: boolean;
  /** Colour of the long sleeves (default the top's): tan leather sleeves on another colour's body. */
  sleeves?: RGB;
  /** Bare forearms in shadow: the skin's own hue, darker. */
  shadedForearms?: boolean;
  /** An open coat's skirts: the top's colour hanging below its hem over the outer thighs. */
  coatSkirts?: boolean;
  /** An open coat of another colour than the top under it: fronts at the torso's sides, long sleeves, skirts over the outer thighs. */
  openCoat?: boolean;
  /** The open coat's skirts below the top's hem in the shade of the body (COAT at this share of its light). */
  coatSkirtsShade?: number;
  /** A patch of the top's colour on a thigh, apart from the top (a highlight, a print on the trousers). */
  thighPatch?: boolean;
  /** The top in the hair's colour with a large print of the usual top colour across its chest (a black tee under dark hair). */
  hairColouredTop?: boolean;
  /** An open neckline: a V of the chest down the top, darkening into the collar's shadow (greyer skin). */
  openNeckline?: boolean;
  /** The bottom's waistband rising over the hips at the torso's sides, above the top's hem (high-cut jeans under a cropped top). */
  risingWaistband?: boolean;
  /** A beard in the hair's colour hanging below the chin over the neck, the neck's skin showing below it. */
  beard?: boolean;
  /** Colour of the top's body (default TOP; the sleeves keep TOP). */
  topColour?: RGB;
  /** A print of this colour across the top's chest (rows 100-150), its lower part plain. */
  chestPrint?: RGB;
  /** The bottom is a mini skirt to row 250 with a pale trim along its hem, bare legs below it. */
  miniSkirt?: boolean;
}

export interface Figure {
  image: Raster;
  /** True silhouette. */
  silhouette: Mask;
  pose: Pose;
  /** Named probe points of known label. */
  at: Record<string, { x: number; y: number }>;
}

export const WIDTH = 240;
export const HEIGHT = 400;

export function drawFigure(options: FigureOptions = {}): Figure {
  const image = createRaster(WIDTH, HEIGHT, 3);
  const silhouette = createMask(WIDTH, HEIGHT);
  const paint = (inside: (x: number, y: number) => boolean, colour: RGB, person = true) => {
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        if (!inside(x + 0.5, y + 0.5)) continue;
        image.data.set(colour, (y * WIDTH + x) * 3);
        if (person) silhouette.data[y * WIDTH + x] = 255;
      }
    }
  };
  const ellipse = (cx: number, cy: number, rx: number, ry: number) => (x: number, y: number) =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  const rect = (x0: number, y0: number, x1: number, y1: number) => (x: number, y: number) => x >= x0 && x < x1 && y >= y0 && y < y1;
  const capsule = (ax: number, ay: number, bx: number, by: number, r: number) => (x: number, y: number) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy) <= r;
  };
  // A faint vertical gradient on the wall, as in a studio.
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) image.data.set(WALL.map((c) => c - Math.round((y / HEIGHT) * 4)), (y * WIDTH + x) * 3);
  }
  const bottom = options.bottom ?? TROUSERS;
  // Keypoints (image-left is the person's right side).
  const k = {
    nose: [120, 52], left_eye: [128, 45], right_eye: [112, 45], left_ear: [138, 50], right_ear: [102, 50],
    left_shoulder: [152, 98], right_shoulder: [88, 98],
    left_elbow: [162, 160], right_elbow: options.armAcross ? [84, 160] : [78, 160],
    left_wrist: options.longSleeves ? [174, 215] : [166, 215], right_wrist: options.armAcross ? [128, 190] : options.longSleeves ? [66, 215] : [74, 215],
    left_hip: [138, 210], right_hip: [102, 210], left_knee: [138, 290], right_knee: [102, 290],
    left_ankle: [138, 365], right_ankle: [102, 365],
  } as Record<string, [number, number]>;
  // Hair first (behind the head), then the face over it.
  paint(ellipse(120, 40, 27, 30), HAIR);
  if (options.longHair) paint(rect(134, 40, 150, 150), HAIR);
  paint(ellipse(120, 52, 20, 26), SKIN);
  paint(rect(110, 70, 130, 100), SKIN); // neck
  // Legs and shoes.
  for (const side of ['left', 'right']) {
    const [hx, hy] = k[`${side}_hip`];
    const [ax, ay] = k[`${side}_ankle`];
    paint(capsule(hx, hy, ax, ay, 14), bottom);
    paint(ellipse(ax + (side === 'left' ? 6 : -6), ay + 12, 16, 9), SHOES);
  }
  // Torso: the top from the shoulders, the bottom garment from the hips up a little.
  paint(rect(84, 92, 156, 222), bottom);
  paint(rect(84, 92, 156, options.midriff ? 165 : 200), options.topColour ?? (options.hairColouredTop ? HAIR : TOP));
  if (options.hairColouredTop) paint(rect(92, 100, 148, 188), TOP);
  if (options.chestPrint) paint(rect(92, 100, 148, 150), options.chestPrint);
  if (options.beard) paint((x, y) => y >= 60 && y < 84 && Math.abs(x - 120) < 18 - 1.5 * Math.max(0, y - 76) && !ellipse(120, 48, 15, 15)(x, y), HAIR);
  if (options.midriff) paint(rect(88, 165, 152, 185), SKIN);
  if (options.openNeckline) {
    // Shadow deepening from the neck's tone over the V's first rows (a step would read as an
    // edge, not skin), then even down to its point.
    for (let row = 92; row < 140; row++) {
      const t = Math.min(1, (row - 92) / 16);
      const shade = SKIN.map((c, i) => Math.round(c + (NECKLINE_SHADE[i] - c) * t)) as RGB;
      paint((x, y) => y >= row && y < row + 1 && Math.abs(x - 120) < (12 * (140 - y)) / 48, shade);
    }
  }
  if (options.risingWaistband) {
    paint(rect(84, 186, 100, 200), bottom);
    paint(rect(140, 186, 156, 200), bottom);
  }
  if (options.miniSkirt) {
    for (const side of ['left', 'right']) {
      const [hx, hy] = k[`${side}_hip`];
      const [ax, ay] = k[`${side}_ankle`];
      const leg = capsule(hx, hy, ax, ay, 14);
      paint((x, y) => y >= 250 && leg(x, y), SKIN);
    }
    paint(rect(84, 200, 156, 250), bottom);
    paint(rect(84, 246, 156, 250), [225, 222, 214]);
  }
  if (options.thighPatch) paint(rect(130, 245, 146, 262), TOP);
  if (options.coatSkirts) {
    paint(rect(84, 200, 100, 262), TOP);
    paint(rect(140, 200, 156, 262), TOP);
  }
  if (options.openCoat) {
    paint(rect(84, 92, 100, 262), COAT);
    paint(rect(140, 92, 156, 262), COAT);
    if (options.coatSkirtsShade !== undefined) {
      const shade = COAT.map((c) => Math.round(c * options.coatSkirtsShade!)) as RGB;
      paint(rect(84, 200, 100, 262), shade);
      paint(rect(140, 200, 156, 262), shade);
    }
  }
  if (options.longHair) paint(rect(134, 92, 150, 150), HAIR);
  // Arms: short sleeves of the top over the upper arm, skin below, hands at the ends.
  for (const side of ['left', 'right']) {
    const [sx, sy] = k[`${side}_shoulder`];
    const [ex, ey] = k[`${side}_elbow`];
    const [wx, wy] = k[`${side}_wrist`];
    paint(capsule(sx, sy, ex, ey, 10), SKIN);
    paint(capsule(sx, sy, sx + (ex - sx) * 0.35, sy + (ey - sy) * 0.35, 12), TOP);
    paint(capsule(ex, ey, wx, wy, 8), options.shadedForearms ? (SKIN.map((c) => Math.round(c * 0.6)) as RGB) : SKIN);
    if (options.openCoat) {
      paint(capsule(sx, sy, ex, ey, 11), COAT);
      paint(capsule(ex, ey, wx, wy, 9), COAT);
    }
    if (options.longSleeves) {
      paint(capsule(sx, sy, ex, ey, 11), options.sleeves ?? TOP);
      paint(capsule(ex, ey, wx, wy, 9), options.sleeves ?? TOP);
      paint(capsule(wx - (wx - ex) * 0.2, wy - (wy - ey) * 0.2, wx, wy, 9), CUFF);
      if (options.sleeveFolds) paint(ellipse(ex + (wx - ex) * 0.72, ey + (wy - ey) * 0.72, 4, 4), bottom);
    }
    const hx = wx + (wx - ex) * 0.35;
    const hy = wy + (wy - ey) * 0.35;
    paint(ellipse(hx, hy, 9, 11), SKIN);
  }
  if (options.bag) paint(rect(48, 238, 78, 280), options.bagColour ?? BAG);
  const keypoints = KEYPOINT_NAMES.map((name) => ({ name, x: k[name][0], y: k[name][1], score: 0.9 }));
  const pose: Pose = { keypoints, score: 0.9 };
  const at = {
    face: { x: 120, y: 58 },
    hairTop: { x: 120, y: 15 },
    neck: { x: 120, y: 86 },
    chest: { x: 120, y: 130 },
    lowerTop: { x: 110, y: 194 },
    upperSleeve: { x: 155, y: 108 },
    upperArm: { x: 159, y: 140 },
    forearm: { x: 164, y: 190 },
    hand: { x: 168, y: 232 },
    thigh: { x: 138, y: 255 },
    shin: { x: 138, y: 335 },
    shoe: { x: 146, y: 378 },
    wall: { x: 20, y: 200 },
    midriff: { x: 145, y: 175 },
    hips: { x: 120, y: 212 },
    longHair: { x: 142, y: 125 },
    crossingForearm: { x: 110, y: 178 },
    bag: { x: 58, y: 265 },
    cuff: { x: 172, y: 211 },
    sleeveFold: { x: 171, y: 201 },
    coatSkirt: { x: 91, y: 245 },
    neckline: { x: 120, y: 128 },
    beard: { x: 120, y: 78 },
  };
  return { image, silhouette, pose, at };
}

export function labelAt(labels: Uint8Array, p: { x: number; y: number }): number {
  return labels[Math.round(p.y) * WIDTH + Math.round(p.x)];
}

/** A rectangle of one label: x0, y0, x1, y1 (exclusive ends), label. */
export type LabelRect = [number, number, number, number, number];

/** A label map `width` x `height` of background with `rects` painted over it in order. */
export function labelRects(width: number, height: number, rects: readonly LabelRect[]): Uint8Array {
  const labels = new Uint8Array(width * height);
  for (const [x0, y0, x1, y1, label] of rects) {
    for (let y = y0; y < y1; y++) labels.fill(label, y * width + x0, y * width + x1);
  }
  return labels;
}
