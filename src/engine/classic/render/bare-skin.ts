/**
 * Where skin shows once the old garment is gone, and how it is lit.
 *
 * The old garment hid the body, so its outline says nothing about the limb underneath: a sweater
 * sleeve is twice as wide as the forearm in it. The bare body is therefore drawn from the skeleton
 * with anatomical widths: arms as tapered capsules (shoulder → elbow → wrist, never wider than the
 * arm measured in the photo), the torso between its measured edges, the neck as a column under the
 * chin, legs as tapered capsules. Everything else the old garment covered is background.
 *
 * Lighting: a limb is a cylinder lit from the front, so skin is brightest along its axis and
 * darkens towards the silhouette. The photo's own shading there belongs to the old garment's folds
 * and must not be reused.
 */
import { createFloatMap, createMask, type FloatMap, type Mask, type Raster } from '../../../imaging/raster.ts';
import type { BodyFrame } from '../body/index.ts';
import { normalisedWideBlurPlane } from './blur.ts';
import { labSaturation, labToRgb, rgbToLab, SRGB_TO_LINEAR, srgbLuminance } from '../../../imaging/colour.ts';
import { medianLab, skinLikeLab } from '../person/skin.ts';
import { kthSmallest, medianOf } from '../person/colour-model.ts';
import { labelMask } from '../layers.ts';
import { dilateMask, squaredDistanceToSet, subtractMask } from './masks.ts';
import { boundingRect, type Rect } from '../person/grid.ts';
import { silhouetteShading } from './shading.ts';
import { PartLabel, type PersonAnalysis, type Point } from '../types.ts';

export interface BareSkinModel {
  /** Skin coverage 0..255 inside `within`; soft over about two pixels at the limb's silhouette. */
  zone: Mask;
  /** Multiplier on the skin tone (linear light), 1 on a limb's axis. */
  shading: FloatMap;
  /**
   * The albedo (linear RGB) of the limb a bared pixel belongs to, as its seen skin near the bared
   * part shows it (the forearm just below a removed sleeve), or undefined (torso, neck, a limb the
   * photo shows no skin of). A bared upper arm is the same skin as the forearm below it, however
   * far from the hem.
   */
  limbToneAt: (i: number) => readonly [number, number, number] | undefined;
  /** Whether a bared pixel is the torso's or the neck's skin (not a limb's). */
  onTorso: (i: number) => boolean;
  /**
   * The bared arms as drawn, left and right as in `body.arm`: joints shoulder, elbow, wrist and the
   * point past the wrist the bare forearm runs on to (moved onto the skin seen below the hem), and
   * the half-widths (px) there.
   */
  arms: readonly ArmCapsule[];
  /** Index into `arms` of the arm a bared pixel is the skin of (not the torso's or the neck's), else −1. */
  armAt: (i: number) => number;
}

/** A bared arm's tapered capsule (see BareSkinModel.arms). */
export interface ArmCapsule {
  joints: readonly Point[];
  radii: readonly number[];
}

/**
 * Arm half-widths as shares of the shoulder-joint distance at the shoulder, elbow and wrist
 * (adult proportions: upper arm ≈ 0.22, elbow ≈ 0.19, wrist ≈ 0.15 of the shoulder span).
 */
const ARM_PROFILE = [0.11, 0.095, 0.075] as const;
/** Half the waist's width on an average build, as a share of the shoulder-joint distance. */
const AVERAGE_WAIST_HALF = 0.45;
/** How far past the wrist keypoint the bare forearm runs, as a share of the forearm's length. */
const WRIST_REACH = 0.3;
/**
 * Leg half-widths at hip joint, knee, calf and ankle as shares of the measured thigh radius. The
 * calf, CALF_AT of the way from knee to ankle, stands out past the knee (front widths of an adult
 * leg: knee about 10 cm, calf 11.5, ankle 7): tapered straight from knee to ankle, a bared shin
 * was a stick.
 */
const LEG_PROFILE = [0.85, 0.62, 0.71, 0.42] as const;
/** Where the calf is widest, as a share of the way from knee to ankle. */
const CALF_AT = 0.28;
/** Widest bare torso half-width as a share of the shoulder-joint distance (a broad chest). */
const TORSO_HALF = 0.58;
/** Neck half-width as a share of the shoulder-joint distance. */
const NECK_HALF = 0.15;
/** Half the width, in normalised radius, of the soft rim at a limb's silhouette. */
const RIM = 0.06;
/** Blur of the light model, as a share of the shoulder-joint distance. */
const SMOOTHING = 0.02;
/** Axis-to-silhouette darkening of a front-lit cylinder (the torso, the neck). */
const ROLL_OFF = 0.38;
/**
 * Axis-to-silhouette darkening of a bared limb the photo shows no skin of, falling as the fourth
 * power of the normalised radius: a real forearm in soft front light stays within a few percent
 * of its axis's light over its middle half and loses about half of it at the silhouette (read
 * across a bare forearm of the wide photos, in linear light: 0.92 of the axis at 70 % of the
 * radius, 0.75 at 85 %, 0.35-0.6 at the rim). The torso's square law painted arms as a gentle
 * hump with no edge to them: flat tubes.
 */
const LIMB_ROLL_OFF = 0.55;
/** Largest share by which side light brightens one silhouette of a limb and darkens the other. */
const MAX_SIDE_LIGHT = 0.25;
/**
 * Darkening of the torso's skin right beside an arm in front of it (share of its light): the arm
 * hides the sky from the side of the chest and casts its soft shadow there. Without it a bared
 * upper arm and the chest behind it were one evenly lit slab.
 */
const ARM_OCCLUSION_DEPTH = 0.35;
/** How far the arm's occlusion reaches onto the torso (1/e distance), as a share of the shoulder-joint distance. */
const ARM_OCCLUSION_REACH = 0.03;
/**
 * Depth below the shoulder joints, as a share of the shoulder-joint distance, over which the
 * arm's occlusion grows from none to full: at the shoulder the deltoid flows into the trapezius
 * without a crease; from the armpit down the arm stands in front of the chest's side.
 */
const ARMPIT_DROP = 0.3;
/** Widest gap between the torso's span and an arm's capsule that is the body's side, in the arm's half-widths there. */
const BODY_SIDE_GAP = 1;
/** Largest angle (radians) of an upper arm from straight down for it to hang against the body's side (see BODY_SIDE_GAP). */
const HANGING_ARM = Math.PI / 6;
/** Where across the torso's cylinder (0 axis, 1 silhouette) the body's side beside an arm is lit: near its silhouette. */
const BODY_SIDE_DEPTH = 0.9;
/**
 * How far from the shoulder joints' midpoint the shoulders' slope starts to bound the torso, as a
 * share of their distance. Nearer the middle the neck stands beside it, and the neck the photo
 * shows leans and turns with the head (the column drawn for it here does not): cut to the slope,
 * a tilted neck's side became a notch of backdrop (wide 22, 33).
 */
const SLOPE_FROM = 0.3;
/** Half the width (px) of the soft edge along the shoulders' slope, as a limb's silhouette is soft over about two pixels. */
const SLOPE_RIM_PX = 1;
/** bareSkinModel's owner of a pixel the torso or the neck claims. */
const TORSO_OWNER = -2;
/**
 * Height of the shoulder's top above its joint, as a share of the shoulder-joint distance, and how
 * much higher the trapezius's outline stands for each pixel further in towards the neck (a slope,
 * rise over run). Read off the top outline (skin or the top worn; hair over it left out) of 153
 * shoulders of the 82 people of both photo sets that show one: medians 0.10 above the joint
 * straight over it, 0.15 at 0.4 of the span from the middle, 0.19 at 0.3 and 0.22 at 0.25 (a
 * worn top stands a little above the skin), close to a straight line of slope 0.5. Bared up to the old garment's outline, a shirt's or a jacket's square
 * shoulders and collar line gave the chest a square top edge: a slab, not shoulders.
 */
const SHOULDER_TOP = 0.1;
const TRAPEZIUS_SLOPE = 0.5;

/** Where a forearm bared down to the hand ends: WRIST_REACH of the forearm past the wrist keypoint. */
export function handEnd(elbow: Point, wrist: Point): Point {
  return { x: wrist.x + (wrist.x - elbow.x) * WRIST_REACH, y: wrist.y + (wrist.y - elbow.y) * WRIST_REACH };
}

interface TaperedLimb {
  /** Root, middle and end joints, and a point past the end the limb runs on to (an arm) or the calf between knee and ankle (a leg). */
  joints: [Point, Point, Point] | [Point, Point, Point, Point];
  /** Half-widths at the joints. */
  radii: number[];
}

/** One segment of a tapered capsule, prepared for the per-pixel loop. */
interface TaperedSegment {
  ax: number;
  ay: number;
  dx: number;
  dy: number;
  inverseLength2: number;
  /** Arc length (px) of the limb's skeleton before this segment. */
  start: number;
  /** Index of the limb the segment belongs to (arms first, then legs). */
  limb: number;
  r0: number;
  dr: number;
  /** Bounding box of the segment grown by its larger radius and the soft rim: nothing outside is near. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function segmentsOf(limb: { joints: readonly Point[]; radii: readonly number[] }, index: number): TaperedSegment[] {
  const out: TaperedSegment[] = [];
  let start = 0;
  for (let s = 0; s < limb.joints.length - 1; s++) {
    const a = limb.joints[s];
    const b = limb.joints[s + 1];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const reach = Math.max(limb.radii[s], limb.radii[s + 1]) * (1 + RIM) + 1;
    out.push({
      ax: a.x, ay: a.y, dx, dy, inverseLength2: len2 > 0 ? 1 / len2 : 0, start, limb: index,
      r0: limb.radii[s], dr: limb.radii[s + 1] - limb.radii[s],
      x0: Math.min(a.x, b.x) - reach, y0: Math.min(a.y, b.y) - reach, x1: Math.max(a.x, b.x) + reach, y1: Math.max(a.y, b.y) + reach,
    });
    start += Math.sqrt(len2);
  }
  return out;
}

/** The segments of one limb's tapered capsule (an arm of BareSkinModel.arms), for limbCoordinates. */
export function capsuleSegments(capsule: ArmCapsule): readonly TaperedSegment[] {
  return segmentsOf(capsule, 0);
}

/** Where a pixel lies on a limb: arc length along its skeleton, offset across its bone and the capsule's half-width there (px). */
export interface LimbCoordinates {
  along: number;
  across: number;
  radius: number;
}

/**
 * Writes into `out` where (x, y) lies on the limb of `segments` (its nearest bone, by distance in
 * half-widths); false, and `out` untouched, when no segment is near (outside the capsule's soft rim).
 */
export function limbCoordinates(x: number, y: number, segments: readonly TaperedSegment[], out: LimbCoordinates): boolean {
  if (taperedDistance(x, y, segments) === Infinity) return false;
  out.along = across.along;
  out.across = across.perpendicular * across.radius;
  out.radius = across.radius;
  return true;
}

/**
 * Where a pixel lies across its nearest limb: image-x offset from the axis in radii (−1 left
 * silhouette … 1 right), the offset across the limb's own direction in radii (−1 … 1, the same
 * side of the limb along its whole length), which limb it is (−1 for none), and the arc length
 * (px) along its skeleton.
 */
const across = { x: 0, perpendicular: 0, limb: -1, radius: 1, along: 0 };

/**
 * Normalised distance (0 on the axis, 1 at the silhouette) from the nearest tapered segment; its
 * horizontal component (signed, in radii) is left in `across.x`, the rest in `across`.
 */
function taperedDistance(x: number, y: number, segments: readonly TaperedSegment[]): number {
  let best = Infinity;
  across.x = 0;
  across.perpendicular = 0;
  across.limb = -1;
  across.radius = 1;
  for (const s of segments) {
    if (x < s.x0 || x > s.x1 || y < s.y0 || y > s.y1) continue;
    const px = x - s.ax;
    const py = y - s.ay;
    let t = (px * s.dx + py * s.dy) * s.inverseLength2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = px - s.dx * t;
    const ey = py - s.dy * t;
    const radius = s.r0 + s.dr * t;
    const d = Math.sqrt(ex * ex + ey * ey) / (radius > 1 ? radius : 1);
    if (d < best) {
      best = d;
      across.x = ex / (radius > 1 ? radius : 1);
      across.perpendicular = ((ey * s.dx - ex * s.dy) * Math.sqrt(s.inverseLength2)) / (radius > 1 ? radius : 1);
      across.limb = s.limb;
      across.radius = radius > 1 ? radius : 1;
      across.along = s.start + t / Math.sqrt(s.inverseLength2 || 1);
    }
  }
  return best;
}

/**
 * A pixel's normalised distance from its arm's axis (`best`, as taperedDistance left it with
 * `across`) once the arm is fitted inside its removed sleeve: where the capsule reaches past the
 * sleeve's span at the pixel's arc (`spans`, see sleeveSpans), the arm is the overlap of the two,
 * its middle and half-width; `across` is updated to match (its offset across the fitted arm, its
 * half-width), so the arm's rim and its roll-off lie at its fitted silhouette.
 */
function fitInSleeve(best: number, spans: readonly (SleeveSpan | null)[]): number {
  const span = spans[Math.round(across.along)];
  if (!span) return best;
  const r = across.radius;
  const lo = Math.max(-r, span.lo);
  const hi = Math.min(r, span.hi);
  if (lo <= -r && hi >= r) return best;
  if (hi - lo < MIN_SLEEVE_FIT * 2 * r) return best;
  const centre = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  const offset = across.perpendicular * r;
  // (Past a segment's end the distance runs along the bone too: kept as it is.)
  const alongBone2 = Math.max(0, best * best * r * r - offset * offset);
  across.perpendicular = (offset - centre) / half;
  across.x = (across.x * r) / half;
  across.radius = half;
  return Math.sqrt(alongBone2 + (offset - centre) ** 2) / half;
}

/**
 * Skin model for the pixels of `within` (the part of the old garment the new one leaves bare).
 * The shading is also given for `border` px around it, where the visible skin that sets the fill's
 * tone is, so that the tone can be taken with the same lighting divided out.
 */
/**
 * Half-widths (px) of each arm's forearm where the photo shows it as skin (the median of the
 * labelled runs across it), left and right as in `body.arm`; null where too little of it shows.
 */
export type SeenForearms = { l: number | null; r: number | null };

/**
 * The run of skin across a limb through offset `seed` (px along the limb's normal; `skin(k)` says
 * whether the pixel k px along it is skin), out to `reach` either way: its ends' offsets, or null
 * when it runs on to `reach` (wider than the limb: the torso's skin beside it, or the mask failed).
 */
export function skinRunAcross(skin: (k: number) => boolean, seed: number, reach: number): { lo: number; hi: number } | null {
  const { lo, hi } = runAcross(skin, seed, reach);
  return hi < reach && lo > -reach ? { lo, hi } : null;
}

/** The run of `inRun` across a limb through offset `seed` (see skinRunAcross): its ends' offsets, ±`reach` where it runs on that far. */
function runAcross(inRun: (k: number) => boolean, seed: number, reach: number): { lo: number; hi: number } {
  let hi = seed;
  while (hi < reach && inRun(hi + 1)) hi++;
  let lo = seed;
  while (lo > -reach && inRun(lo - 1)) lo--;
  return { lo, hi };
}

/**
 * Calls `visit` at each of FOREARM_SAMPLES along an arm's forearm with the point `k` px across it
 * (along the forearm's normal) and how far across to look (2.5x the arm's radius); nothing for a
 * forearm under 4 px (a pose failure).
 */
function acrossForearm(arm: BodyFrame['arm']['l'], visit: (across: (k: number) => Point, reach: number) => void): void {
  const [, elbow, wrist] = arm.joints;
  const len = Math.hypot(wrist.x - elbow.x, wrist.y - elbow.y);
  if (len < 4) return;
  const nx = -(wrist.y - elbow.y) / len;
  const ny = (wrist.x - elbow.x) / len;
  const reach = Math.ceil(arm.radius * 2.5);
  for (const t of FOREARM_SAMPLES) {
    const cx = elbow.x + (wrist.x - elbow.x) * t;
    const cy = elbow.y + (wrist.y - elbow.y) * t;
    visit((k) => ({ x: cx + nx * k, y: cy + ny * k }), reach);
  }
}

/** Rows across a forearm sampled for its seen width, as fractions from elbow to wrist. */
const FOREARM_SAMPLES = [0.3, 0.4, 0.5, 0.6, 0.7];
/** Runs across the forearm that must be seen (of FOREARM_SAMPLES) for its width to count. */
const MIN_FOREARM_RUNS = 3;
/** Mid-forearm half-width as a share of the shoulder-joint span, between ARM_PROFILE's elbow and wrist. */
const MID_FOREARM_PROFILE = 0.085;

/**
 * The forearms' half-widths where the photo shows them bare (`isArmSkin` true on their pixels):
 * the run of arm skin through each sample point, perpendicular to the forearm, measured out to
 * 2.5x the body's arm radius. A bare forearm says how thick this person's arms are; the arm
 * radius measured on the mask is the sleeve's, and the build read from the waist is the old
 * garment's (a loose jacket gave bared upper arms the jacket sleeve's width).
 */
export function seenForearms(body: BodyFrame, isArmSkin: (x: number, y: number) => boolean): SeenForearms {
  const measure = (arm: BodyFrame['arm']['l']): number | null => {
    const halves: number[] = [];
    acrossForearm(arm, (across, reach) => {
      if (!isArmSkin(Math.round(across(0).x), Math.round(across(0).y))) return;
      const run = skinRunAcross((k) => isArmSkin(Math.round(across(k).x), Math.round(across(k).y)), 0, reach);
      if (run) halves.push((run.hi - run.lo + 1) / 2);
    });
    if (halves.length < MIN_FOREARM_RUNS) return null;
    halves.sort((x, y) => x - y);
    return halves[halves.length >> 1];
  };
  return { l: measure(body.arm.l), r: measure(body.arm.r) };
}

/**
 * Where an arm's skin starts to show below its sleeve (the old garment's hem), and how the arm
 * lies there: `at` along the skeleton from the shoulder (0 … 1 upper arm, 1 … 2 forearm),
 * `halfWidth` (px) of the skin across the arm there, and `offset` (px) of its centre from the
 * skeleton's axis along the axis's normal (the joints sit where the pose model put them, a few
 * pixels off the arm's middle, and a capsule drawn on them stepped out of the forearm at the hem).
 */
export interface ArmAtHem {
  at: number;
  halfWidth: number;
  offset: number;
}

/** Samples along the arm (share of its length) over which the seen arm is measured below its hem. */
const HEM_SPAN = 0.06;
/** Fewest samples in HEM_SPAN, and the least run of skin across the arm (px) that counts as the arm. */
const MIN_HEM_SAMPLES = 4;
const MIN_HEM_RUN = 4;
/** How far below the hem the arm is measured, as a share of the arm's length: the sleeve's soft edge and shadow lie above. */
const HEM_EDGE = 0.02;
/** Narrowest the arm right below the hem may measure, as a share of its width a little further down, to be the width the bared arm takes. */
const MIN_NEAR_HEM_WIDTH = 0.85;

/** Each arm's hem (see ArmAtHem), left and right as in `body.arm`; null where no arm skin shows below a sleeve. */
export function armsAtHem(body: BodyFrame, isArmSkin: (x: number, y: number) => boolean): { l: ArmAtHem | null; r: ArmAtHem | null } {
  const measure = (arm: BodyFrame['arm']['l']): ArmAtHem | null => {
    const [shoulder, elbow, wrist] = arm.joints;
    const upper = Math.hypot(elbow.x - shoulder.x, elbow.y - shoulder.y);
    const lower = Math.hypot(wrist.x - elbow.x, wrist.y - elbow.y);
    if (upper < 4 || lower < 4) return null;
    const reach = Math.ceil(arm.radius * 2.5);
    const span = Math.max(MIN_HEM_SAMPLES, Math.round(HEM_SPAN * (upper + lower)));
    // One sample per pixel along the skeleton: the run of skin across it nearest the axis.
    const samples: ({ at: number; half: number; centre: number } | null)[] = [];
    for (let d = 0; d <= upper + lower; d++) {
      const onUpper = d <= upper;
      const [a, b, len] = onUpper ? [shoulder, elbow, upper] : [elbow, wrist, lower];
      const t = onUpper ? d / upper : (d - upper) / lower;
      const cx = a.x + (b.x - a.x) * t;
      const cy = a.y + (b.y - a.y) * t;
      const nx = -(b.y - a.y) / len;
      const ny = (b.x - a.x) / len;
      const skin = (k: number): boolean => isArmSkin(Math.round(cx + nx * k), Math.round(cy + ny * k));
      // The run through the skin pixel nearest the axis, out to `reach` either way.
      let seed: number | null = null;
      for (let k = 0; k <= reach && seed === null; k++) seed = skin(k) ? k : skin(-k) ? -k : null;
      let sample: { at: number; half: number; centre: number } | null = null;
      const run = seed === null ? null : skinRunAcross(skin, seed, reach);
      if (run) {
        const half = (run.hi - run.lo + 1) / 2;
        const centre = (run.hi + run.lo) / 2;
        // A run wide enough to be the arm, and one the axis passes through (not the torso's skin beside it).
        if (run.hi - run.lo + 1 >= MIN_HEM_RUN && Math.abs(centre) < half) sample = { at: onUpper ? t : 1 + t, half, centre };
      }
      samples.push(sample);
    }
    // The hem: the first stretch of 2 × `span` samples all on the arm's skin; measured over
    // `span` samples from HEM_EDGE below it (the hem's own shadow and the soft edge of the sleeve
    // left out): the bared arm continues the arm right below the hem, and the arm further down
    // bends, widens to the elbow or meets the body.
    const edge = Math.max(2, Math.round(HEM_EDGE * (upper + lower)));
    for (let d = 0; d + 2 * span <= samples.length; d++) {
      if (samples[d] === null) continue;
      const stretch = samples.slice(d, d + 2 * span);
      if (stretch.some((x) => x === null)) continue;
      type Sample = { at: number; half: number; centre: number };
      const near = stretch.slice(Math.min(span, edge), Math.min(span, edge) + span) as Sample[];
      const far = stretch.slice(span) as Sample[];
      // Right below the hem the run can be cut short (a scalloped hem's shadow, the elbow's crease
      // beside a sleeve ending at it): the bared arm drawn that narrow stepped in at the hem.
      const [nearHalf, farHalf] = [medianOf(near.map((x) => x.half)), medianOf(far.map((x) => x.half))];
      const below = nearHalf >= MIN_NEAR_HEM_WIDTH * farHalf ? near : far;
      return { at: samples[d]!.at, halfWidth: below === near ? nearHalf : farHalf, offset: medianOf(below.map((x) => x.centre)) };
    }
    return null;
  };
  return { l: measure(body.arm.l), r: measure(body.arm.r) };
}

/** The person's limb skin the photo shows (arms, legs; not what the old garment leaves bare), and the photo. */
export interface SeenLimbSkin {
  image: Raster;
  /** Whether pixel `i` (row-major index) is visible arm or leg skin. */
  isLimbSkin: (i: number) => boolean;
}

/** Bins across a limb (silhouette to silhouette) in which its seen light is measured. */
const PROFILE_BINS = 8;
/** Fewest seen skin pixels for a bin to count. */
const MIN_BIN_PIXELS = 12;
/** Fewest bins (of PROFILE_BINS) that must count for a limb's light to be measured. */
const MIN_PROFILE_BINS = 6;
/** How far from the bared part, as a share of the shoulder-joint distance, a limb's seen skin sets its tone. */
const LIMB_TONE_REACH = 0.12;
/** Fewest seen skin pixels that near for the tone to be taken there (else on all of the limb's seen skin). */
const MIN_NEAR_TONE_PIXELS = 40;
/** Range of the measured light relative to the limb's mean: a print or a shadow cast across it is not its roundness. */
const PROFILE_RANGE = [0.7, 1.25] as const;

/**
 * Each limb's light across it, measured on the skin the photo shows of that limb (a forearm below a
 * removed sleeve, a shin below removed trousers): the mean luminance in PROFILE_BINS bins from one
 * silhouette to the other, relative to the limb's mean. A bared upper arm lit by this continues the
 * forearm below it (brighter on the side the key light falls, darker on the other), where the
 * front-lit cylinder made a seam at the old hem. Undefined where too little of the limb shows.
 */
function limbLightProfiles(
  segments: TaperedSegment[], limbCount: number, seen: SeenLimbSkin, nearBared: Mask,
): { profiles: (Float32Array | undefined)[]; tones: ([number, number, number] | undefined)[] } {
  const { width, height, data, channels } = seen.image;
  const profiles: (Float32Array | undefined)[] = [];
  const tones: ([number, number, number] | undefined)[] = [];
  for (let limb = 0; limb < limbCount; limb++) {
    const own = segments.filter((s) => s.limb === limb);
    const sum = new Float64Array(PROFILE_BINS);
    const count = new Uint32Array(PROFILE_BINS);
    // The limb's colour on its seen skin near the bared part (`nearBared`), and on all of it: the
    // forearm's lit end by the hand is lighter than its skin just below the hem.
    const colour = [0, 0, 0];
    const colourNear = [0, 0, 0];
    let near = 0;
    const x0 = Math.max(0, Math.floor(Math.min(...own.map((s) => s.x0))));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(...own.map((s) => s.x1))));
    const y0 = Math.max(0, Math.floor(Math.min(...own.map((s) => s.y0))));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(...own.map((s) => s.y1))));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * width + x;
        if (!seen.isLimbSkin(i) || taperedDistance(x, y, own) >= 1) continue;
        const bin = Math.min(PROFILE_BINS - 1, Math.max(0, Math.floor(((across.perpendicular + 1) / 2) * PROFILE_BINS)));
        sum[bin] += srgbLuminance(data[i * channels], data[i * channels + 1], data[i * channels + 2]);
        count[bin]++;
        for (let c = 0; c < 3; c++) colour[c] += SRGB_TO_LINEAR[data[i * channels + c]];
        if (nearBared.data[i]) {
          for (let c = 0; c < 3; c++) colourNear[c] += SRGB_TO_LINEAR[data[i * channels + c]];
          near++;
        }
      }
    }
    const filled: number[] = [];
    for (let b = 0; b < PROFILE_BINS; b++) if (count[b] >= MIN_BIN_PIXELS) filled.push(b);
    if (filled.length < MIN_PROFILE_BINS) {
      profiles.push(undefined);
      tones.push(undefined);
      continue;
    }
    const seenPixels = count.reduce((a, b) => a + b, 0);
    // The limb's mean colour: its light across (the profile, mean 1) multiplies it back.
    const [toneSum, toneCount] = near >= MIN_NEAR_TONE_PIXELS ? [colourNear, near] : [colour, seenPixels];
    tones.push([toneSum[0] / toneCount, toneSum[1] / toneCount, toneSum[2] / toneCount]);
    let total = 0;
    let n = 0;
    for (const b of filled) {
      total += sum[b];
      n += count[b];
    }
    const mean = Math.max(1e-4, total / n);
    const profile = new Float32Array(PROFILE_BINS);
    for (let b = 0; b < PROFILE_BINS; b++) {
      // A bin seen too little takes the nearest counted bin's light.
      const from = filled.reduce((best, f) => (Math.abs(f - b) < Math.abs(best - b) ? f : best), filled[0]);
      profile[b] = Math.min(PROFILE_RANGE[1], Math.max(PROFILE_RANGE[0], sum[from] / count[from] / mean));
    }
    profiles.push(profile);
  }
  return { profiles, tones };
}

/** A measured profile's light at `perpendicular` (−1 … 1 across the limb), linear between bin centres. */
function profileAt(profile: Float32Array, perpendicular: number): number {
  const t = Math.min(PROFILE_BINS - 1, Math.max(0, ((perpendicular + 1) / 2) * PROFILE_BINS - 0.5));
  const b = Math.floor(t);
  const f = t - b;
  return b + 1 < PROFILE_BINS ? profile[b] * (1 - f) + profile[b + 1] * f : profile[b];
}

/** The anatomical half-width (share of the shoulder-joint span) at `at` along the arm (see ArmAtHem). */
function armProfileAt(at: number): number {
  return at <= 1 ? ARM_PROFILE[0] + (ARM_PROFILE[1] - ARM_PROFILE[0]) * at : ARM_PROFILE[1] + (ARM_PROFILE[2] - ARM_PROFILE[1]) * Math.min(1, at - 1);
}

/** Largest shift of an arm onto its skin seen below the hem, in that skin's half-widths: further off, the skin is not this arm's. */
const MAX_HEM_SHIFT = 1;

/**
 * The shift (as ArmAtHem's, on the forearm) that puts a forearm of half-width `radius` at least
 * SLEEVE_EASE's margin inside a sleeve edge `edge` px from its axis (signed along the normal);
 * null where it lies that far inside already.
 */
function insideEdge(edge: number, radius: number): ArmAtHem | null {
  const room = Math.abs(edge) - radius / SLEEVE_EASE;
  return room >= 0 ? null : { at: 1.5, halfWidth: radius, offset: Math.sign(edge) * room };
}

/** The arm's joints moved across it by its hem's offset (within MAX_HEM_SHIFT), along the normal of the bone the hem is on. */
function shiftedArm(joints: readonly [Point, Point, Point], hem: ArmAtHem): [Point, Point, Point] {
  const [a, b] = hem.at <= 1 ? [joints[0], joints[1]] : [joints[1], joints[2]];
  const len = Math.max(1e-6, Math.hypot(b.x - a.x, b.y - a.y));
  const shift = Math.max(-MAX_HEM_SHIFT * hem.halfWidth, Math.min(MAX_HEM_SHIFT * hem.halfWidth, hem.offset));
  const dx = (-(b.y - a.y) / len) * shift;
  const dy = ((b.x - a.x) / len) * shift;
  return joints.map((p) => ({ x: p.x + dx, y: p.y + dy })) as [Point, Point, Point];
}

/**
 * Largest half-width of a bared forearm as a share of the half-width of the sleeve it was in (the
 * person's outline across it): a sleeve stands off the arm by its ease and its cloth. Capped only
 * by the sleeve's own width (and drawn on the pose's joints, which sit a few pixels off the
 * sleeve's middle), a bared forearm filled its removed sleeve to both edges: a slab with the
 * sleeve's straight outline and none of its own (wide 105, 19).
 */
const SLEEVE_EASE = 0.85;

/**
 * The sleeve round a forearm the photo shows no skin of, across the forearm, measured on the
 * person's outline (`outline` ≥ 128) at FOREARM_SAMPLES out to 2.5x the arm's radius either way:
 * its median half-width and its centre's offset from the axis (px, along the normal, as
 * ArmAtHem's) where it ends on both sides within that; else, where it ends on one side only (an
 * arm hanging against the torso merges with it on the other), the median offset of that edge;
 * else null.
 */
function sleeveAcrossForearm(arm: BodyFrame['arm']['l'], outline: Mask): { halfWidth: number; offset: number } | { edge: number } | null {
  const { width, height, data } = outline;
  const inside = (p: Point): boolean => {
    const px = Math.round(p.x);
    const py = Math.round(p.y);
    return px >= 0 && py >= 0 && px < width && py < height && data[py * width + px] >= 128;
  };
  const halves: number[] = [];
  const centres: number[] = [];
  const edges: { lo: number[]; hi: number[] } = { lo: [], hi: [] };
  acrossForearm(arm, (across, reach) => {
    if (!inside(across(0))) return;
    const { lo, hi } = runAcross((k) => inside(across(k)), 0, reach);
    if (hi < reach && lo > -reach) {
      halves.push((hi - lo + 1) / 2);
      centres.push((hi + lo) / 2);
    } else if (hi < reach) edges.hi.push(hi + 0.5);
    else if (lo > -reach) edges.lo.push(lo - 0.5);
  });
  if (halves.length >= MIN_FOREARM_RUNS) return { halfWidth: medianOf(halves), offset: medianOf(centres) };
  if (edges.hi.length >= MIN_FOREARM_RUNS) return { edge: medianOf(edges.hi) };
  if (edges.lo.length >= MIN_FOREARM_RUNS) return { edge: medianOf(edges.lo) };
  return null;
}

/**
 * Share of its removed sleeve's width a bared arm takes at most, anywhere along it (see
 * fitInSleeve): a sleeve stands off the arm it holds. Looser than SLEEVE_EASE, which sets a
 * forearm's thickness from its sleeve: here the arm keeps its own width unless its capsule would
 * reach past the sleeve's edge.
 */
const SLEEVE_FIT_EASE = 0.9;
/**
 * Narrowest the fitted arm may become, as a share of its capsule's width there: a sleeve narrower
 * still is not the arm's (the pose's joint is off the sleeve, or the outline failed), and the
 * capsule stays as it is.
 */
const MIN_SLEEVE_FIT = 0.5;
/**
 * Along the upper arm (shares of its length from the shoulder joint), where the fit to the sleeve
 * starts and where it holds fully: a garment's shoulder sits on the body's, the deltoid filling
 * its cap, so there the outline is the body's own (fitted from the joint down, the shoulder's
 * outer top was refilled as backdrop: a notch between the new strap and the arm, wide 69).
 */
const SLEEVE_FIT_FROM = 0.15;
const SLEEVE_FIT_FULL = 0.4;

/** The span across an arm its removed sleeve leaves it at one point of its skeleton: offsets (px) along the bone's normal, ±Infinity where no edge is near. */
interface SleeveSpan {
  lo: number;
  hi: number;
}

/**
 * Per pixel of arc length along an arm's skeleton (its segments, `segments`): the span across it
 * inside the person's outline (`outline` ≥ 128) where the axis lies in the bared region
 * (`within` ≥ 128), out to `reach` px either way, eased to SLEEVE_FIT_EASE of the sleeve's width
 * about its middle (one edge only: that edge moved in by the same ease of the arm's radius); null
 * where the axis is not bared; near the shoulder joint loosened (see SLEEVE_FIT_FROM). A median over a window of `window` px of arc on each side smooths
 * the outline's ragged edge.
 *
 * The arm was inside its sleeve, so its silhouette lies inside the sleeve's outline. The capsule
 * is drawn on the pose's joints with anatomical widths; where it reached past the removed
 * sleeve's edge it was cut there, the old outline standing as a straight, hard edge down a flat
 * slab and the capsule's rounded, darkening rim left outside (wide 69, 105).
 */
function sleeveSpans(segments: readonly TaperedSegment[], within: Mask, outline: Mask, reach: number, window: number): (SleeveSpan | null)[] {
  const { width, height } = outline;
  const inside = (m: Mask, x: number, y: number): boolean => {
    const px = Math.round(x);
    const py = Math.round(y);
    return px >= 0 && py >= 0 && px < width && py < height && m.data[py * width + px] >= 128;
  };
  const raw: (SleeveSpan | null)[] = [];
  for (const [index, s] of segments.entries()) {
    const len = 1 / Math.sqrt(s.inverseLength2 || 1);
    if (!(len > 0) || s.inverseLength2 === 0) continue;
    const nx = -s.dy / len;
    const ny = s.dx / len;
    for (let a = 0; a < len; a++) {
      const t = a / len;
      const cx = s.ax + s.dx * t;
      const cy = s.ay + s.dy * t;
      if (!inside(within, cx, cy) || !inside(outline, cx, cy)) {
        raw.push(null);
        continue;
      }
      const radius = s.r0 + s.dr * t;
      // (Loosened by up to a radius either way near the shoulder: none of the capsule is cut there.)
      const loose = index === 0 ? (1 - Math.min(1, Math.max(0, (t - SLEEVE_FIT_FROM) / (SLEEVE_FIT_FULL - SLEEVE_FIT_FROM)))) * radius : 0;
      const { lo, hi } = runAcross((k) => inside(outline, cx + nx * k, cy + ny * k), 0, reach);
      const hiEnd = hi < reach ? hi + 0.5 : Infinity;
      const loEnd = lo > -reach ? lo - 0.5 : -Infinity;
      if (Number.isFinite(hiEnd) && Number.isFinite(loEnd)) {
        const mid = (hiEnd + loEnd) / 2;
        const half = ((hiEnd - loEnd) / 2) * SLEEVE_FIT_EASE;
        raw.push({ lo: mid - half - loose, hi: mid + half + loose });
      } else {
        const inset = (1 - SLEEVE_FIT_EASE) * radius - loose;
        raw.push({ lo: loEnd + inset, hi: hiEnd - inset });
      }
    }
  }
  return raw.map((span, k) => {
    if (!span) return null;
    const los: number[] = [];
    const his: number[] = [];
    for (let j = Math.max(0, k - window); j <= Math.min(raw.length - 1, k + window); j++) {
      const other = raw[j];
      if (!other) continue;
      los.push(other.lo);
      his.push(other.hi);
    }
    return { lo: medianOf(los), hi: medianOf(his) };
  });
}

export function bareSkinModel(
  body: BodyFrame, within: Mask, border = 8, sideLight = 0, forearms: SeenForearms = { l: null, r: null }, seen?: SeenLimbSkin,
  hems: { l: ArmAtHem | null; r: ArmAtHem | null } = { l: null, r: null }, outline?: Mask,
): BareSkinModel {
  const { width, height } = within;
  const zone = createMask(width, height);
  const around = dilateMask(within, border);
  const onBody = new Float32Array(width * height);
  const shading = createFloatMap(width, height);
  shading.data.fill(1);
  const jointSpan = Math.max(8, Math.hypot(body.arm.l.joints[0].x - body.arm.r.joints[0].x, body.arm.l.joints[0].y - body.arm.r.joints[0].y));
  const shoulderY = Math.min(body.shoulder.l.y, body.shoulder.r.y);
  // A fuller figure has fuller arms: the waist's width relative to the shoulders scales the
  // anatomical cap (1 for an average build, up to 1.4).
  const waistHalf = Math.abs(body.waist.r.x - body.waist.l.x) / 2;
  const build = Math.max(1, Math.min(1.4, waistHalf / (AVERAGE_WAIST_HALF * jointSpan)));
  const arms: TaperedLimb[] = ([[body.arm.l, forearms.l, hems.l], [body.arm.r, forearms.r, hems.r]] as const).map(([arm, seen, hem]) => {
    // The measured radius is the narrower of upper arm and forearm (×1.1), in whatever covered
    // them: it bounds the bare arm, anatomy shapes it. A forearm the photo shows bare sets the
    // arm's thickness outright (scaled up to the upper arm by the anatomical profile); the arm's
    // skin right below the sleeve sets it where it meets the bared part, and where the arm lies
    // (whatever the sleeve's outline measured: bounded by it, the bared arm stepped in at the hem).
    const atHem = hem ? hem.halfWidth * (ARM_PROFILE[0] / armProfileAt(hem.at)) : null;
    const anatomical = atHem ?? (seen === null ? ARM_PROFILE[0] * jointSpan * build : seen * (ARM_PROFILE[0] / MID_FOREARM_PROFILE));
    // A forearm bared inside its removed sleeve lies in the sleeve's middle, SLEEVE_EASE of its
    // width at most; where only the sleeve's outer edge shows, at least as far inside it as that
    // ease leaves.
    const sleeve = !hem && seen === null && outline ? sleeveAcrossForearm(arm, outline) : null;
    const inSleeve = sleeve && 'halfWidth' in sleeve ? SLEEVE_EASE * sleeve.halfWidth * (ARM_PROFILE[0] / MID_FOREARM_PROFILE) : Infinity;
    const root = atHem ?? Math.min(arm.radius * 1.05, anatomical, inSleeve);
    const midForearm = root * (MID_FOREARM_PROFILE / ARM_PROFILE[0]);
    const fitted = hem ?? (!sleeve ? null : 'halfWidth' in sleeve ? { at: 1.5, ...sleeve } : insideEdge(sleeve.edge, midForearm));
    const [shoulder, elbow, wrist] = fitted ? shiftedArm(arm.joints, fitted) : arm.joints;
    // The wrist keypoint sits at the crease, but a removed cuff bares the wrist down to the hand
    // (which is protected and covers whatever runs past it).
    const pastWrist = handEnd(elbow, wrist);
    const wristRadius = root * (ARM_PROFILE[2] / ARM_PROFILE[0]);
    return {
      joints: [shoulder, elbow, wrist, pastWrist],
      radii: [root, root * (ARM_PROFILE[1] / ARM_PROFILE[0]), wristRadius, wristRadius],
    };
  });
  const legs: TaperedLimb[] = [body.leg.l, body.leg.r].map((leg) => {
    const [hip, knee, ankle] = leg.joints;
    const calf = { x: knee.x + (ankle.x - knee.x) * CALF_AT, y: knee.y + (ankle.y - knee.y) * CALF_AT };
    return { joints: [hip, knee, calf, ankle], radii: LEG_PROFILE.map((share) => leg.radius * share) };
  });
  const segments = [...arms, ...legs].flatMap((limb, index) => segmentsOf(limb, index));
  // Each bared arm inside its removed sleeve's outline (see sleeveSpans), per pixel of arc.
  const spans = outline
    ? arms.map((limb, index) => sleeveSpans(segmentsOf(limb, index), within, outline, Math.ceil(Math.max(...limb.radii) * 2.5), Math.max(1, Math.round(limb.radii[0]))))
    : [];
  // Arms hanging beside the body (the upper arm within HANGING_ARM of straight down): only they
  // lie against its side.
  const hanging = arms.map(({ joints: [shoulder, elbow] }) => Math.atan2(Math.abs(elbow.x - shoulder.x), elbow.y - shoulder.y) <= HANGING_ARM);
  const { profiles, tones } = seen
    ? limbLightProfiles(segments, arms.length + legs.length, seen, dilateMask(within, Math.max(1, Math.round(LIMB_TONE_REACH * jointSpan))))
    : { profiles: [], tones: [] };
  // Which limb each pixel of `within` belongs to (TORSO_OWNER: torso or neck; −1: a leg the photo
  // shows no skin of, or none), for its tone and for the arms' continuation.
  const owner = new Int8Array(width * height).fill(-1);
  // Multiplier on the light of the torso's skin beside an arm (see ARM_OCCLUSION_DEPTH), applied
  // after the smoothing below: the crease is sharp where the arm meets the chest.
  const occlusion = new Float32Array(width * height).fill(1);
  // A bared limb's fall-off towards its silhouette (see LIMB_ROLL_OFF), applied after the
  // smoothing too: it lies in the outer sixth of the limb's radius, about the smoothing's own
  // reach, and blurred it was mostly lost (a forearm kept 0.9 of its axis's light at its rim, a
  // flat tube).
  const limbForm = new Float32Array(width * height).fill(1);
  const occlusionReach = Math.max(1, ARM_OCCLUSION_REACH * jointSpan);
  const neckHalf = NECK_HALF * jointSpan;
  // The torso reaches up to the shoulders' slope only (see SHOULDER_TOP); above it, what the old
  // garment covered is the neck's (its column), an arm's (the deltoid round its joint) or backdrop.
  // Signed distance (px, positive below) of a pixel from the slope on its side of the body.
  const shoulderJoints = [body.arm.l.joints[0], body.arm.r.joints[0]].sort((a, b) => a.x - b.x);
  const slopeNormal = Math.hypot(1, TRAPEZIUS_SLOPE);
  const belowSlope = (x: number, y: number): number => {
    const [left, right] = shoulderJoints;
    const middle = (left.x + right.x) / 2;
    if (Math.abs(x - middle) < SLOPE_FROM * jointSpan) return Infinity;
    const joint = x < middle ? left : right;
    const inward = joint === left ? x - joint.x : joint.x - x;
    return (y - (joint.y - SHOULDER_TOP * jointSpan - TRAPEZIUS_SLOPE * inward)) / slopeNormal;
  };
  const neckTop = body.neck.centre.y - 0.45 * jointSpan;
  for (let y = 0; y < height; y++) {
    // Only rows with something to classify: torsoSpan walks the mask and is not free.
    const row = around.data.subarray(y * width, (y + 1) * width);
    const first = firstNonZero(row);
    if (first < 0) continue;
    const last = lastNonZero(row);
    // From the neck down: above the shoulder joints the torso's silhouette is the slope of the
    // trapezius and the collarbones, which a crew neck covers and a V-neck bares.
    const inTorsoRows = y >= neckTop && y <= body.hip.l.y;
    let [tl, tr] = inTorsoRows ? body.torsoSpan(y) : [0, -1];
    if (inTorsoRows) {
      // The span is the old garment's silhouette: a loose top is far wider than the chest in it.
      const cx = body.centreX(y);
      tl = Math.max(tl, cx - TORSO_HALF * jointSpan);
      tr = Math.min(tr, cx + TORSO_HALF * jointSpan);
    }
    const inNeckRows = y >= neckTop && y < shoulderY + 0.1 * jointSpan;
    const neckX = body.centreX(y);
    for (let x = first; x <= last; x++) {
      const i = y * width + x;
      if (around.data[i] === 0) continue;
      let best = taperedDistance(x, y, segments);
      if (across.limb >= 0 && across.limb < spans.length) best = fitInSleeve(best, spans[across.limb]);
      let side = across.x;
      // The measured light of the limb this pixel belongs to, unless the torso or neck claims it.
      let profile = across.limb >= 0 ? profiles[across.limb] : undefined;
      const perpendicular = across.perpendicular;
      // Below the armpit an arm is in front of the torso: inside its silhouette it is the arm,
      // however central the pixel is to the torso's span (the torso took the arm's inner half, and
      // arm and chest were lit as one slab). Above, the shoulder flows into the chest.
      const belowShoulder = Math.min(1, Math.max(0, (y - shoulderY) / (ARMPIT_DROP * jointSpan)));
      const nearArm = across.limb >= 0 && across.limb < arms.length;
      const inArm = nearArm && best < 1 && belowShoulder === 1;
      const armGap = nearArm ? (best - 1) * across.radius : Infinity;
      let torsoClaims = false;
      // The limb's own coverage, kept where the torso's soft top edge claims the pixel (the
      // deltoid under the shoulders' slope): the torso's rim there must not notch the arm.
      const limbBest = best;
      // The torso's coverage at the shoulders' slope (1 below it).
      let slopeCover = 1;
      const slope = y < shoulderY + jointSpan ? belowSlope(x, y) : Infinity;
      if (!inArm && x >= tl - 2 && x <= tr + 2 && slope > -SLOPE_RIM_PX) {
        const torso = (x - (tl + tr) / 2) / Math.max(1, (tr - tl) / 2);
        if (Math.abs(torso) < best) {
          best = Math.abs(torso);
          side = torso;
          profile = undefined;
          torsoClaims = true;
          slopeCover = Math.min(1, (slope + SLOPE_RIM_PX) / (2 * SLOPE_RIM_PX));
        }
      }
      if (!inArm && inNeckRows && Math.abs(x - neckX) / neckHalf < best) {
        best = Math.abs(x - neckX) / neckHalf;
        side = (x - neckX) / neckHalf;
        profile = undefined;
        torsoClaims = true;
        slopeCover = 1;
      }
      // Between the torso's side and an arm hanging close beside it is the body's side, in the
      // arm's shadow (the torso's span is the old garment's, which a loose top hides the body
      // in; the arm's capsule is drawn on its skeleton): filled as backdrop, it stood as a pale
      // strip between the arm and the new garment. Further off, the arm is held away from the body.
      // (The whole gap or none of it: a strip of backdrop left beside the torso was the pale line.)
      // (The torso's own soft rim there too.)
      if (nearArm && hanging[across.limb] && inTorsoRows && y > shoulderY && armGap > 0 && (!torsoClaims || best > BODY_SIDE_DEPTH)) {
        const besideRight = x > (tl + tr) / 2 && across.x < 0;
        const besideLeft = x < (tl + tr) / 2 && across.x > 0;
        const gap = armGap + Math.max(0, besideRight ? x - tr : tl - x);
        if ((besideRight || besideLeft) && gap <= BODY_SIDE_GAP * across.radius) {
          best = BODY_SIDE_DEPTH;
          side = besideRight ? 1 : -1;
          profile = undefined;
          torsoClaims = true;
        }
      }
      if (torsoClaims && armGap < 4 * occlusionReach) {
        occlusion[i] = 1 - ARM_OCCLUSION_DEPTH * belowShoulder * Math.exp(-Math.max(0, armGap) / occlusionReach);
      }
      if (best >= 1 + RIM) continue;
      const u = Math.min(1, best);
      // A limb the photo shows bare elsewhere is lit as that skin is, across it; otherwise lit
      // from the front and, by `sideLight`, from one side: the lit side of each cylinder is
      // brighter, the other darker.
      const rollOff = torsoClaims ? ROLL_OFF * u * u : 0;
      if (!torsoClaims && !profile) limbForm[i] = 1 - LIMB_ROLL_OFF * u * u * u * u;
      shading.data[i] = profile ? profileAt(profile, perpendicular) : (1 - rollOff) * (1 + sideLight * Math.max(-1, Math.min(1, side)));
      onBody[i] = 1;
      if (within.data[i] === 0) continue;
      if (torsoClaims) owner[i] = TORSO_OWNER;
      else if (profile || nearArm) owner[i] = across.limb;
      const rim = (d: number): number => (d <= 1 - RIM ? 1 : Math.max(0, (1 + RIM - d) / (2 * RIM)));
      const coverage = slopeCover < 1 ? Math.max(rim(best) * slopeCover, rim(limbBest)) : rim(best);
      zone.data[i] = Math.round(255 * coverage);
    }
  }
  // Where the torso's span meets an arm's capsule, or a row's span jumps, the two cylinders
  // disagree: smooth the light over a few percent of the shoulders' width so it has no seams.
  // On the rows and columns that hold any of it, with room for the blur's reach.
  const sigma = SMOOTHING * jointSpan;
  const pad = Math.ceil(3 * sigma) + 1;
  const box = boundingRect(onBody, width, height, pad, (v) => v !== 0);
  const limbToneAt = (i: number): readonly [number, number, number] | undefined => (owner[i] >= 0 ? tones[owner[i]] : undefined);
  const onTorso = (i: number): boolean => owner[i] === TORSO_OWNER;
  const armAt = (i: number): number => (owner[i] >= 0 && owner[i] < arms.length ? owner[i] : -1);
  if (!box) return { zone, shading, limbToneAt, onTorso, arms, armAt };
  const { x0, y0 } = box;
  const cw = box.x1 - x0;
  const ch = box.y1 - y0;
  const { weight, weighted } = weightedCrop(onBody, shading.data, width, box);
  const smooth = normalisedWideBlurPlane(weighted, weight, cw, ch, sigma);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const i = (y0 + y) * width + x0 + x;
      if (onBody[i]) shading.data[i] = smooth[y * cw + x] * occlusion[i] * limbForm[i];
    }
  }
  return { zone, shading, limbToneAt, onTorso, arms, armAt };
}

// The next three are loops of bareSkinModel in functions of their own: in that large function V8
// ran them unoptimised (or, for a row's findIndex, called a closure per pixel) on every pair.

/** Index of the first non-zero value, -1 when there is none. */
function firstNonZero(values: Uint8Array): number {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return i;
  return -1;
}

/** Index of the last non-zero value, -1 when there is none. */
function lastNonZero(values: Uint8Array): number {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== 0) return i;
  return -1;
}

/** `weight` (the crop of `onBody` to `box`, row width `width`) and `weighted` (`values` there, 0 off the body). */
function weightedCrop(onBody: Float32Array, values: Float32Array, width: number, box: Rect): { weight: Float32Array; weighted: Float32Array } {
  const { x0, y0 } = box;
  const cw = box.x1 - x0;
  const ch = box.y1 - y0;
  const weight = new Float32Array(cw * ch);
  const weighted = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const i = (y0 + y) * width + x0 + x;
      weight[y * cw + x] = onBody[i];
      weighted[y * cw + x] = onBody[i] ? values[i] : 0;
    }
  }
  return { weight, weighted };
}


/** Darkening of bare skin right at the edge of the garment over it (share of its light). */
const CONTACT_SHADOW_DEPTH = 0.3;
/** How far the contact shadow reaches onto the skin (1/e distance), as a share of the shoulder-joint distance. */
const CONTACT_SHADOW_REACH = 0.035;

/** How far in from a bared limb's own outline its light falls off, as a share of the shoulder width (see roundLimbs). */
const LIMB_FORM_REACH = 0.05;
/** Share of a bared limb's light lost right at its own outline (see roundLimbs). */
const LIMB_FORM_DEPTH = 0.3;

/**
 * In place: darkens the bared limbs' light (`limbs` 1) towards their own outline, as a rounded
 * solid's (silhouetteShading), whatever lies beyond it: backdrop, the new garment, the torso. A
 * bared limb is painted inside the old garment's outline, which is often narrower than the limb's
 * model (a fitted sleeve, a trouser leg): the model's roll-off then barely reached the painted
 * edge, and an arm or a shin stood as a flat tube between straight lines. Where the limb goes on
 * as skin the photo shows (`seenLimbSkin` ≥ 128: a hand, an ankle) it has no edge.
 */
export function roundLimbs(shading: FloatMap, limbs: Uint8Array, seenLimbSkin: Mask, body: BodyFrame): void {
  const { width, height } = shading;
  const own = new Uint8Array(width * height);
  for (let i = 0; i < own.length; i++) own[i] = limbs[i] || seenLimbSkin.data[i] >= 128 ? 1 : 0;
  const form = silhouetteShading(own, width, height, LIMB_FORM_REACH * body.shoulderWidth, LIMB_FORM_DEPTH, limbs);
  for (let i = 0; i < limbs.length; i++) if (limbs[i]) shading.data[i] *= form.data[i];
}

/**
 * In place: darkens `shading` on the bared skin (`skin` ≥ 128) near the new garment (`garment` ≥
 * 128): fabric stands off the body and shades the skin just under a sleeve's hem, a crop top's hem
 * or a collar. Without it a bare arm below a new sleeve reads as a flat cut-out pasted under it.
 * The darkening falls off as exp(−d / reach) with the distance d to the garment.
 */
export function shadeUnderGarment(shading: FloatMap, skin: Mask, garment: Mask, body: BodyFrame): void {
  const { width, height } = skin;
  const jointSpan = Math.max(8, Math.hypot(body.arm.l.joints[0].x - body.arm.r.joints[0].x, body.arm.l.joints[0].y - body.arm.r.joints[0].y));
  const reach = Math.max(1, CONTACT_SHADOW_REACH * jointSpan);
  const pad = Math.ceil(reach * 4);
  const box = boundingRect(skin.data, width, height, pad, (v) => v >= 128);
  if (!box) return;
  const { x0, y0 } = box;
  const cw = box.x1 - x0;
  const ch = box.y1 - y0;
  const inGarment = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) inGarment[y * cw + x] = garment.data[(y0 + y) * width + x0 + x] >= 128 ? 1 : 0;
  const distance2 = squaredDistanceToSet(inGarment, cw, ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const i = (y0 + y) * width + x0 + x;
      const d2 = distance2[y * cw + x];
      if (skin.data[i] < 128 || d2 === Infinity || d2 > 16 * reach * reach) continue;
      shading.data[i] *= 1 - CONTACT_SHADOW_DEPTH * Math.exp(-Math.sqrt(d2) / reach);
    }
  }
}


/**
 * How much the photo is lit from one side, from the face: (right − left) / (right + left) of the
 * face's mean linear luminance either side of its centre, within ±MAX_SIDE_LIGHT (positive: light
 * from the image's right). 0 when the face is not seen.
 */
export function sideLightFromFace(image: Raster, labels: ArrayLike<number>, faceLabel: number, centreX: number): number {
  const { width, height, channels, data } = image;
  let left = 0;
  let right = 0;
  let nLeft = 0;
  let nRight = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] !== faceLabel) continue;
      const p = i * channels;
      const luminance = srgbLuminance(data[p], data[p + 1], data[p + 2]);
      if (x < centreX) {
        left += luminance;
        nLeft++;
      } else {
        right += luminance;
        nRight++;
      }
    }
  }
  if (nLeft < MIN_FACE_SIDE || nRight < MIN_FACE_SIDE) return 0;
  const l = left / nLeft;
  const r = right / nRight;
  return Math.max(-MAX_SIDE_LIGHT, Math.min(MAX_SIDE_LIGHT, (r - l) / Math.max(1e-6, r + l)));
}

/** Face pixels each side must have for the side light to be read. */
const MIN_FACE_SIDE = 200;

/** The body's visible skin whose fine detail counts as skin's (no face, no hands): the new garment's grain is matched to it. */
export const BODY_SKIN_DETAIL_LABELS: readonly PartLabel[] = [PartLabel.Neck, PartLabel.TorsoSkin, PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Leg];

/**
 * Visible skin whose fine detail is synthesised into bared skin: the body's and the face's cheeks
 * and forehead (the features' strokes are left out by the detail transfer's strength limit); not
 * the hands, whose fingers' outlines are not texture. Without the face, a person whose body shows
 * no skin (a shirt buttoned to the neck) had only the neck's shadowed, smooth skin to copy from,
 * and a bared chest came out as a blurred slab (wide 103: high-frequency energy 1.3 against the
 * forehead's 5.7).
 */
const SKIN_TEXTURE_LABELS: readonly PartLabel[] = [PartLabel.Face, ...BODY_SKIN_DETAIL_LABELS];

/** The skin the photo shows (SKIN_TEXTURE_LABELS, outside `bare`: not what the old garment leaves bare) whose detail bared skin takes. */
export function skinTextureSource(labels: Uint8Array, width: number, height: number, bare: Mask): Mask {
  return subtractMask(labelMask(labels, width, height, SKIN_TEXTURE_LABELS), bare);
}

/** Body skin (hands, arms, legs, torso) the photo shows, as a share of the analysed image, for its colour to count. */
const MIN_BODY_SKIN_SHARE = 0.002;
/**
 * Largest ratio (either way, unless a caller allows darker: see BODY_TONE_MIN_RATIO) of linear
 * luminance between the seen skin's median and the face's skin model for the seen skin's to be
 * trusted: within about half a stop it is lit otherwise than the face (a key light, make-up).
 */
const BODY_TONE_MAX_RATIO = 1.5;
/**
 * Darkest the limbs' skin median may be, as a share of the face's light, for its colour to count
 * as a bared limb's (see limbSkinTone). Arms, legs and hands often hang in the shade of a face lit
 * by the key light: on the 84 people of both photo sets, the 10 whose body skin showed darker than
 * 1/BODY_TONE_MAX_RATIO of the face's light were all real skin, at 0.39-0.65 (a forearm painted in
 * the face's tone stood as a pale slab beside them); a camel coat parsed as legs measured 0.25, a
 * pair of hands in shade 0.31.
 */
const BODY_TONE_MIN_RATIO = 0.35;
/** Labels of visible body skin: the face is left out (make-up, its own light). */
const BODY_SKIN_LABELS: readonly PartLabel[] = [PartLabel.TorsoSkin, PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Hand, PartLabel.Leg];

/**
 * The tone of bared skin that borders no visible skin (fillSkin's `skin`): the median colour of
 * the body skin the photo shows outside `bare` (hands, arms, legs), else the skin model's
 * (sampled on the face). A face lit by the photographer's key light or made up is lighter or
 * pinker than the body: bared forearms took the face's tone and read as pale slabs beside tanned
 * hands and legs. Only within BODY_TONE_MAX_RATIO of the face's light.
 */
export function bodySkinTone(person: PersonAnalysis, bare: Mask): { rgb: [number, number, number] } {
  const rgb = seenSkinTone(person, bare, BODY_SKIN_LABELS);
  return rgb ? { rgb } : person.skin;
}

/** The limbs' skin (arms, hands, legs): a bared limb's tone when they show enough of it (see limbSkinTone). */
const LIMB_TONE_LABELS: readonly PartLabel[] = [PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Hand, PartLabel.Leg];

/**
 * The tone of a bared arm or leg the photo shows no skin of its own: the median of the limbs' skin
 * the photo shows, taken down to BODY_TONE_MIN_RATIO of the face's light (limbs hang in shade);
 * null when they show too little of it or it does not count (bodySkinTone's then). Not the
 * midriff's: a midriff in a jacket's shade painted a woman's arms a dark brown beside her pale
 * chest (wide 94, 95); nor does the chest take it (it faces the light as the face does).
 */
export function limbSkinTone(person: PersonAnalysis, bare: Mask): [number, number, number] | null {
  return seenSkinTone(person, bare, LIMB_TONE_LABELS, BODY_TONE_MIN_RATIO);
}

/**
 * The median colour (sRGB) of the skin of `labels` the photo shows outside `bare`, or null when it
 * shows too little of it (MIN_BODY_SKIN_SHARE) or its light is not from `darkest` to BODY_TONE_MAX_RATIO of the
 * face's light (see bodySkinTone).
 */
export function seenSkinTone(person: PersonAnalysis, bare: Mask, labels: readonly PartLabel[], darkest = 1 / BODY_TONE_MAX_RATIO): [number, number, number] | null {
  const { width, height, data, channels } = person.image;
  const shown = labelMask(person.parsing.labels, width, height, labels);
  const pixels: number[] = [];
  for (let i = 0; i < shown.data.length; i++) if (shown.data[i] && bare.data[i] < 128) pixels.push(i);
  if (pixels.length < MIN_BODY_SKIN_SHARE * shown.data.length) return null;
  const lab = new Float32Array(pixels.length * 3);
  pixels.forEach((i, k) => rgbToLab(data[i * channels], data[i * channels + 1], data[i * channels + 2], lab, k * 3));
  const [l, a, b] = medianLab(lab, pixels.map((_, k) => k));
  const rgb = labToRgb(l, a, b);
  const ratio = srgbLuminance(...rgb) / Math.max(1e-4, srgbLuminance(...person.skin.rgb));
  return ratio <= BODY_TONE_MAX_RATIO && ratio >= darkest ? rgb : null;
}

/**
 * Lightness percentile of the face's skin that a bared chest the photo does not show is given. The
 * neck, the skin a bared chest borders, often lies in the chin's shadow: on the 32 people of the
 * wide photos whose chest skin shows, the chest's median lightness differed from the neck's by
 * -41 to +36 L (median +3; a chest painted in a shadowed neck's tone read as a dark, ruddy slab),
 * and from the face's upper quartile (the lit forehead and cheeks, which face the light about as
 * a chest does) by a median of 4.5 L either way.
 */
const LIT_FACE_PERCENTILE = 0.75;
/** Half the band of lightness percentiles around LIT_FACE_PERCENTILE whose hue the lit tone takes (their median a*, b*). */
const LIT_FACE_BAND = 0.15;
/** Fewest face pixels that look like skin for the lit face's tone to be read. */
const MIN_LIT_FACE_PIXELS = 200;

/**
 * The face's lit skin (sRGB): lightness at LIT_FACE_PERCENTILE of its skin-like pixels, hue and
 * chroma the median of those around it; null when the face shows too little skin, or is not
 * within BODY_TONE_MAX_RATIO of the skin model's light (see bodySkinTone).
 */
export function litFaceTone(person: PersonAnalysis): [number, number, number] | null {
  const labels = person.parsing.labels;
  const face: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === PartLabel.Face) face.push(i);
  // In single precision throughout, as the percentiles below are: compared with doubles, the
  // band's own pixels fell outside it.
  const lab = skinLikeLab(person.image, face);
  const n = lab.length / 3;
  if (n < MIN_LIT_FACE_PIXELS) return null;
  const lightness = new Float32Array(n);
  for (let k = 0; k < n; k++) lightness[k] = lab[k * 3];
  const at = (share: number): number => kthSmallest(lightness.slice(), Math.min(n - 1, Math.floor(share * n)));
  const l = at(LIT_FACE_PERCENTILE);
  const lo = at(LIT_FACE_PERCENTILE - LIT_FACE_BAND);
  const hi = at(LIT_FACE_PERCENTILE + LIT_FACE_BAND);
  const a: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < n; k++) {
    if (lab[k * 3] < lo || lab[k * 3] > hi) continue;
    a.push(lab[k * 3 + 1]);
    b.push(lab[k * 3 + 2]);
  }
  const median = (v: number[]): number => kthSmallest(Float32Array.from(v), v.length >> 1);
  const rgb = labToRgb(l, median(a), median(b));
  const ratio = srgbLuminance(...rgb) / Math.max(1e-4, srgbLuminance(...person.skin.rgb));
  return ratio <= BODY_TONE_MAX_RATIO && ratio >= 1 / BODY_TONE_MAX_RATIO ? rgb : null;
}

/** The skin whose saturation painted skin is brought up to (seenSkinSaturation): the face's and the body's, not the hands' (their backs and palms differ). */
const SKIN_SATURATION_LABELS: readonly PartLabel[] = [PartLabel.Face, PartLabel.Neck, PartLabel.TorsoSkin, PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Leg];
/**
 * Band of lightness percentiles of the seen skin whose saturation counts (seenSkinSaturation): its
 * half-tones. The lightest are specular highlights (a nose bridge, a forehead: white light on
 * skin, near grey), the darkest hair at the face's edge, eyebrows or a crease's shadow.
 */
const SKIN_SATURATION_BAND: readonly [number, number] = [0.25, 0.75];

/**
 * The saturation (labSaturation: chroma over lightness, which shade leaves as it is) of the skin
 * the photo shows outside `bare` (face and body, see SKIN_SATURATION_LABELS): the median of its
 * skin-like pixels' in the lightness band SKIN_SATURATION_BAND; null when fewer than
 * MIN_LIT_FACE_PIXELS look like skin. Bared skin far from the skin it borders is painted in tones
 * sampled on the face's lit skin (the skin model, the lit face), near grey: on the wide photos the
 * painted chests and arms measured 0.6 to 0.9 of the neck's and face's chroma (wide 95, 42, 29,
 * 62), greyish-beige slabs beside a warm face. fillSkin brings them up to this
 * (SkinFillOptions.skinSaturation).
 */
export function seenSkinSaturation(person: PersonAnalysis, bare: Mask): number | null {
  const { width, height } = person.image;
  const shown = labelMask(person.parsing.labels, width, height, SKIN_SATURATION_LABELS);
  const pixels: number[] = [];
  for (let i = 0; i < shown.data.length; i++) if (shown.data[i] && bare.data[i] < 128) pixels.push(i);
  const lab = skinLikeLab(person.image, pixels);
  const n = lab.length / 3;
  if (n < MIN_LIT_FACE_PIXELS) return null;
  const lightness = new Float32Array(n);
  for (let k = 0; k < n; k++) lightness[k] = lab[k * 3];
  const lo = kthSmallest(lightness.slice(), Math.floor(SKIN_SATURATION_BAND[0] * (n - 1)));
  const hi = kthSmallest(lightness.slice(), Math.floor(SKIN_SATURATION_BAND[1] * (n - 1)));
  const saturation: number[] = [];
  for (let k = 0; k < n; k++) if (lab[k * 3] >= lo && lab[k * 3] <= hi) saturation.push(labSaturation(lab[k * 3], lab[k * 3 + 1], lab[k * 3 + 2]));
  return saturation.length ? kthSmallest(Float32Array.from(saturation), saturation.length >> 1) : null;
}
