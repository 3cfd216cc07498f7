/**
 * A drawn standing figure (frontal, arms down, 300x600) with known joints: the person mask is the
 * union of a head disc, a torso box, arm and leg capsules. Used to test body measurement and
 * garment placement without any model.
 */
import { createMask, createRaster } from '../../../src/imaging/raster.ts';
import { KEYPOINT_NAMES, PartLabel, type Keypoint, type PersonAnalysis, type Point } from '../../../src/engine/classic/types.ts';

export const FIGURE = {
  width: 300,
  height: 600,
  // anatomical left = image right for a frontal person
  joints: {
    nose: { x: 150, y: 60 },
    left_eye: { x: 160, y: 52 },
    right_eye: { x: 140, y: 52 },
    left_ear: { x: 170, y: 58 },
    right_ear: { x: 130, y: 58 },
    left_shoulder: { x: 195, y: 120 },
    right_shoulder: { x: 105, y: 120 },
    left_elbow: { x: 210, y: 210 },
    right_elbow: { x: 90, y: 210 },
    left_wrist: { x: 215, y: 290 },
    right_wrist: { x: 85, y: 290 },
    left_hip: { x: 180, y: 290 },
    right_hip: { x: 120, y: 290 },
    left_knee: { x: 178, y: 420 },
    right_knee: { x: 122, y: 420 },
    left_ankle: { x: 176, y: 550 },
    right_ankle: { x: 124, y: 550 },
  } satisfies Record<string, Point>,
  torso: { x0: 108, x1: 192, y0: 112, y1: 300 },
  armRadius: 11,
  legRadius: 24,
};

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const vx = b.x - a.x;
  const vy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * vx + (p.y - a.y) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(p.x - (a.x + t * vx), p.y - (a.y + t * vy));
}

type FigureOptions = { hidden?: Array<(typeof KEYPOINT_NAMES)[number]>; joints?: Partial<Record<(typeof KEYPOINT_NAMES)[number], Point>> };

/** Figures drawn so far in this process, by their options. */
const drawn = new Map<string, PersonAnalysis>();

/**
 * The drawn figure for `options`: drawn once per process (a test file asks for it up to 20 times)
 * and handed out as a deep copy, so a caller that changes its figure changes only its own.
 */
export function drawnPerson(options: FigureOptions = {}): PersonAnalysis {
  const key = JSON.stringify(options);
  let figure = drawn.get(key);
  if (!figure) {
    figure = drawFigure(options);
    drawn.set(key, figure);
  }
  return structuredClone(figure);
}

function drawFigure(options: FigureOptions): PersonAnalysis {
  const { width, height, torso, armRadius, legRadius } = FIGURE;
  const joints = { ...FIGURE.joints, ...options.joints };
  const mask = createMask(width, height);
  const labels = new Uint8Array(width * height);
  const j = joints;
  // Each capsule's segment with its box grown by the radius: a pixel outside the box is farther
  // than the radius from the segment, so only the pixels inside it need the distance.
  const capsule = (a: Point, b: Point, radius: number) => ({
    a,
    b,
    radius,
    x0: Math.min(a.x, b.x) - radius,
    x1: Math.max(a.x, b.x) + radius,
    y0: Math.min(a.y, b.y) - radius,
    y1: Math.max(a.y, b.y) + radius,
  });
  const arms = [[j.left_shoulder, j.left_elbow], [j.left_elbow, j.left_wrist], [j.right_shoulder, j.right_elbow], [j.right_elbow, j.right_wrist]].map(([a, b]) => capsule(a, b, armRadius));
  const legs = [[j.left_hip, j.left_knee], [j.left_knee, j.left_ankle], [j.right_hip, j.right_knee], [j.right_knee, j.right_ankle]].map(([a, b]) => capsule(a, b, legRadius));
  const within = (c: ReturnType<typeof capsule>, p: Point) => p.x >= c.x0 && p.x <= c.x1 && p.y >= c.y0 && p.y <= c.y1 && distanceToSegment(p, c.a, c.b) <= c.radius;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = { x, y };
      let label: PartLabel = PartLabel.Background;
      if (Math.hypot(x - 150, y - 60) < 28) label = PartLabel.Face;
      else if (x >= torso.x0 && x <= torso.x1 && y >= torso.y0 && y <= torso.y1) label = y < 260 ? PartLabel.UpperGarment : PartLabel.LowerGarment;
      for (const arm of arms) {
        if (within(arm, p)) label = PartLabel.UpperArm;
      }
      for (const leg of legs) {
        if (label === PartLabel.Background && within(leg, p)) label = PartLabel.LowerGarment;
      }
      labels[y * width + x] = label;
      if (label !== PartLabel.Background) mask.data[y * width + x] = 255;
    }
  }
  const hidden = new Set(options.hidden ?? []);
  const keypoints: Keypoint[] = KEYPOINT_NAMES.map((name) => ({ name, ...joints[name], score: hidden.has(name) ? 0.05 : 0.9 }));
  const image = createRaster(width, height, 3);
  image.data.fill(200);
  return {
    image,
    scale: 1,
    pose: { keypoints, score: 0.9 },
    personMask: mask,
    parsing: { width, height, labels },
    skin: { lab: [70, 12, 18], labStd: [5, 3, 3], rgb: [220, 170, 140] },
    framing: 'full_body',
    wearsOnePiece: false,
    timings: {},
  };
}

/**
 * The drawn person with the arms held out from the body (nothing but backdrop beside the torso),
 * whose old top flares 26 px past each side of the torso over rows 215-257: those pixels are
 * labelled the top and added to the person mask. `flare` tells the flare's pixels.
 */
export function personInFlaredTop(): { person: PersonAnalysis; flare: (x: number, y: number) => boolean } {
  const person = drawnPerson({
    joints: { left_elbow: { x: 250, y: 190 }, left_wrist: { x: 285, y: 235 }, right_elbow: { x: 50, y: 190 }, right_wrist: { x: 15, y: 235 } },
  });
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  const flare = (x: number, y: number) => y >= 215 && y < 258 && ((x >= torso.x0 - 26 && x < torso.x0 - 2) || (x > torso.x1 + 2 && x <= torso.x1 + 26));
  for (let i = 0; i < width * height; i++) {
    if (flare(i % width, Math.floor(i / width)) && labels[i] === PartLabel.Background) {
      labels[i] = PartLabel.UpperGarment;
      person.personMask.data[i] = 255;
    }
  }
  return { person, flare };
}
