/**
 * Garment placement: where each part of the product shot goes on the body. Produces warp pieces
 * (thin-plate splines: one for the body panel, one per sleeve) mapping garment-photo pixels to
 * analysis pixels of the person photo. Pure geometry: no pixels are touched here.
 *
 * The garment is first scaled rigidly (a similarity transform taking its shoulder line, or waist
 * line for bottoms, onto the body's), so lengths keep the garment's own proportions (a cropped top
 * stays cropped, a maxi dress stays long). Widths are then fitted to the body: a flat-lay's width
 * is roughly what shows from the front plus ease, so the visible half-width is the body's plus half
 * of whatever the garment has in excess (loose garments stay loose, tight ones hug).
 */
import type { Category } from '../../types.ts';
import { pelvisTurned, turnedPelvisSpan, type BodyFrame, type Limb } from '../body/index.ts';
import type { GarmentAnalysis, Point, SleeveLandmarks } from '../types.ts';
import { sleeveEdgePoints, sleeveFromMask, sleeveSideTest } from './sleeve.ts';
import { openingCorners } from '../garment/neckline.ts';
import { inSleeve, type PieceSource, type SleeveRegion } from '../layers.ts';

export interface TpsPiece {
  kind: 'tps';
  name: string;
  /** Control points in garment-photo pixels. */
  from: Point[];
  /** Where each control point goes, in analysis pixels. */
  to: Point[];
  /** Which pixels of the garment photo this piece draws. */
  source: PieceSource;
  /** Sleeves dress the arms and are drawn over them; body panels are behind arms held in front. */
  overArms: boolean;
  /**
   * Where the piece belongs on the body (the polygon its control points trace) and how far past
   * it it may reach (gathers, puffs, a loose fit). A spline extrapolates beyond its control
   * points: garment pixels out there (a drop shoulder, the top of a puff sleeve that fell to the
   * panel) come out as flaps, and are cut off.
   */
  outline?: { polygon: Point[]; margin: number };
  /**
   * A sleeve's stretch of its arm: which arm (image side, as in BodyFrame.arm) and the arm arc
   * lengths (see armArc) from its armhole's middle to its cuff.
   */
  dresses?: { arm: 'l' | 'r'; fromArc: number; toArc: number };
}

export type WarpPiece = TpsPiece;

export interface Placement {
  /** Drawn in order: later pieces cover earlier ones. */
  pieces: WarpPiece[];
  /** Garment px → body px scale used for lengths. */
  scale: number;
  /** Lowest body row the garment reaches (for the fill of what the old garment leaves bare). */
  hemY: number;
}

const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const lerp = (a: Point, b: Point, t: number): Point => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });

/** Similarity transform mapping garment segment (g0,g1) onto body segment (b0,b1). */
function similarity(g0: Point, g1: Point, b0: Point, b1: Point): { apply(p: Point): Point; scale: number } {
  const gx = g1.x - g0.x;
  const gy = g1.y - g0.y;
  const bx = b1.x - b0.x;
  const by = b1.y - b0.y;
  const gl = Math.hypot(gx, gy) || 1;
  const bl = Math.hypot(bx, by) || 1;
  const scale = bl / gl;
  // Rotation limited to the body's tilt; garments are photographed level.
  let angle = Math.atan2(by, bx) - Math.atan2(gy, gx);
  if (angle > Math.PI) angle -= 2 * Math.PI;
  if (angle < -Math.PI) angle += 2 * Math.PI;
  angle = Math.max(-0.35, Math.min(0.35, angle));
  const cos = Math.cos(angle) * scale;
  const sin = Math.sin(angle) * scale;
  const gm = mid(g0, g1);
  const bm = mid(b0, b1);
  return {
    scale,
    apply: (p) => {
      const dx = p.x - gm.x;
      const dy = p.y - gm.y;
      return { x: bm.x + dx * cos - dy * sin, y: bm.y + dx * sin + dy * cos };
    },
  };
}

/**
 * The visible half-width of a garment on the body: the body's own plus half of the garment's
 * excess, never narrower than the body (a garment always covers what it is worn over).
 */
function fitHalf(bodyHalf: number, garmentHalf: number, ease = 1.04): number {
  const body = bodyHalf * ease;
  return garmentHalf > body ? body + (garmentHalf - body) * 0.5 : body;
}

/** Least share of a row's garment width on either side of the centre line (a very turned body, a centre line off the silhouette). */
const MIN_SIDE_SHARE = 0.3;

/**
 * The garment's edges at a row where the body spans bodyL..bodyR about the centre line cx: the
 * garment's width fitted to the body's mean half-width (fitHalf), shared between the sides as the
 * body's width is. A turned body (a three-quarter view) spans more on its near side than on its far
 * side of the line between its joints: the larger half-width taken on both sides carried the far
 * side of a top past the body and over the arm hanging beside it, burying the sleeve in a boxy
 * panel with a straight edge.
 */
function fitSides(cx: number, bodyL: number, bodyR: number, garmentHalf: number): [number, number] {
  const left = Math.max(0, cx - bodyL);
  const right = Math.max(0, bodyR - cx);
  const half = fitHalf((left + right) / 2, garmentHalf);
  const share = left + right > 0 ? Math.min(1 - MIN_SIDE_SHARE, Math.max(MIN_SIDE_SHARE, left / (left + right))) : 0.5;
  return [cx - 2 * half * share, cx + 2 * half * (1 - share)];
}

/** The garment's edges at a row as wide either side of the centre line cx as the body's wider side asks (fitHalf). */
function fitEvenly(cx: number, bodyL: number, bodyR: number, garmentHalf: number): [number, number] {
  const half = fitHalf(Math.max(cx - bodyL, bodyR - cx), garmentHalf);
  return [cx - half, cx + half];
}

/** A point at `length` along a polyline (extrapolating past its end along the last segment). */
function along(points: Point[], length: number): { point: Point; index: number } {
  let remaining = length;
  for (let i = 0; i < points.length - 1; i++) {
    const seg = dist(points[i], points[i + 1]);
    if (remaining <= seg || i === points.length - 2) {
      const t = seg === 0 ? 0 : remaining / seg;
      return { point: lerp(points[i], points[i + 1], t), index: i };
    }
    remaining -= seg;
  }
  return { point: points[points.length - 1], index: points.length - 2 };
}

/** Arc length down the arm (joint → elbow → wrist) of the point of its axis nearest to `p`. */
export function armArc(p: Point, joint: Point, elbow: Point, wrist: Point): number {
  const upper = dist(joint, elbow);
  const project = (a: Point, b: Point): { t: number; d: number } => {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy || 1;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
    return { t, d: Math.hypot(p.x - (a.x + dx * t), p.y - (a.y + dy * t)) };
  };
  const first = project(joint, elbow);
  const second = project(elbow, wrist);
  return first.d <= second.d ? first.t * upper : upper + second.t * dist(elbow, wrist);
}

/** The point of a path at arm arc length `arc`, the path's vertices lying at arm arcs `arcs` (increasing). */
function atArc(path: Point[], arcs: number[], arc: number): Point {
  if (arc <= arcs[0]) return path[0];
  for (let i = 0; i < path.length - 1; i++) {
    if (arc <= arcs[i + 1] || i === path.length - 2) {
      const span = arcs[i + 1] - arcs[i];
      return lerp(path[i], path[i + 1], span > 0 ? Math.min(1, (arc - arcs[i]) / span) : 1);
    }
  }
  return path[path.length - 1];
}

/** Slack around a sleeve's outline, as a share of its armhole's width on the body. */
const SLEEVE_SLACK = 0.12;

/** Slack around the body panel's outline, as a share of the shoulder width (loose fits, flares). */
const PANEL_SLACK = 0.08;

/** Furthest a collar's side is raised onto the shoulders' top (share of the shoulder width): more is a parsing error. */
const MAX_COLLAR_LIFT = 0.2;
/** Least drop of the shoulder seam below the collar, as a share of the shoulder width, for a sloping seam. */
const SEAM_SLOPE = 0.03;

/**
 * A cut-out neckline's drop below its corners worn, as a share of its flat drop. Laid flat, the
 * opening is measured from the back neckline and the front lies in the picture's plane; worn, the
 * back neckline sits behind the neck and the front below the collar leans back over the upper chest,
 * so the front dips less below the neck's sides than it lies. Kept whole, every crew neck read as
 * a scoop twice as deep as the product's, to the sternum (studio 12, 13, 0).
 */
const WORN_NECKLINE_DROP = 0.75;
/**
 * Flat openings at least this deep (share of their width) keep a little more of their drop, and
 * from DEEP_NECKLINE_ASPECT + NECKLINE_ASPECT_BLEND on all of it: a V or a vest's deep neckline
 * lies on the chest worn as it lies flat (shortened, it no longer read as the product's V), where a
 * crew neck's (0.3-0.6 of its width) is the one that stands off.
 */
const DEEP_NECKLINE_ASPECT = 0.6;
const NECKLINE_ASPECT_BLEND = 0.3;

/** The share of a cut-out neckline's flat drop that it dips worn (see WORN_NECKLINE_DROP), for a flat drop and width in the same units. */
function wornNecklineDrop(flatDrop: number, flatWidth: number): number {
  const aspect = flatWidth > 0 ? flatDrop / flatWidth : Infinity;
  const deep = Math.min(1, Math.max(0, (aspect - DEEP_NECKLINE_ASPECT) / NECKLINE_ASPECT_BLEND));
  return WORN_NECKLINE_DROP + (1 - WORN_NECKLINE_DROP) * deep;
}

/** A laid-flat neckline's width worn, as a share of its flat width, where it is about the neck's width: the opening wraps round the neck's base (a cross-section about as deep as wide), so its flat width, half its perimeter, shows as about 2/pi of 1.1 of it from the front. */
const WRAPPED_NECK_SHARE = 0.7;
/** Flat neckline width (share of the neck's) up to which it wraps round the neck's base (WRAPPED_NECK_SHARE). */
const WRAPS_NECK_UP_TO = 2;
/** Flat neckline width (share of the neck's) from which it lies on the shoulders' flat top and shows its whole flat width (a boat neck). */
const LIES_FLAT_FROM = 3;

/**
 * How much of a laid-flat neckline's width shows on the wearer, from the front (see
 * WRAPPED_NECK_SHARE): a crew neck wraps round the neck's base and shows narrower than it lies;
 * a wider opening rests lower, on the shoulders' flatter slope, and shows more of its width.
 */
function wornNeckShare(flatToNeck: number): number {
  const t = Math.min(1, Math.max(0, (flatToNeck - WRAPS_NECK_UP_TO) / (LIES_FLAT_FROM - WRAPS_NECK_UP_TO)));
  return WRAPPED_NECK_SHARE + (1 - WRAPPED_NECK_SHARE) * t;
}

/** Whether a top's edge slopes from its collar down to its shoulder points (SEAM_SLOPE): an off-shoulder or bandeau top's straight edge does not. */
function edgeSlopesToShoulders(lm: Pick<NonNullable<GarmentAnalysis['upper']>, 'neckLeft' | 'neckRight' | 'shoulderLeft' | 'shoulderRight'>): boolean {
  const garmentWidth = dist(lm.shoulderLeft, lm.shoulderRight);
  return lm.shoulderLeft.y - lm.neckLeft.y >= SEAM_SLOPE * garmentWidth && lm.shoulderRight.y - lm.neckRight.y >= SEAM_SLOPE * garmentWidth;
}

/** Whether a top or dress rests on the shoulders (see edgeSlopesToShoulders), as placed. */
export function restsOnShoulders(g: GarmentAnalysis): boolean {
  const found = g.upper ?? g.dress;
  return found !== undefined && edgeSlopesToShoulders(withSeamShoulders(g, found));
}

/** The garment's top edge in the column of `p` (its first mask pixel from above), or null. */
function seamPoint(mask: GarmentAnalysis['mask'], p: Point): Point | null {
  const x = Math.round(p.x);
  if (x < 0 || x >= mask.width) return null;
  for (let y = 0; y < mask.height; y++) if (mask.data[y * mask.width + x] >= 128) return { x: p.x, y };
  return null;
}

/**
 * A sleeve as its own thin-plate spline: the armhole seam (shoulder→armpit) of the flat sleeve goes
 * onto the body's armhole, its top edge runs down the outer side of the arm and its underarm seam
 * down the inner side, so a sleeve photographed sticking out sideways hangs along the arm. A flat
 * sleeve shows half its circumference; worn, the visible width is a diameter (×2/π ≈ 0.64).
 */
function sleeveRegion(sleeve: SleeveLandmarks): SleeveRegion {
  return {
    shoulder: sleeve.shoulder,
    armpit: sleeve.armpit,
    axisFrom: mid(sleeve.shoulder, sleeve.armpit),
    axisTo: mid(sleeve.cuffOuter, sleeve.cuffInner),
  };
}

/** Where down the upper arm (a share of its length from the shoulder joint) a sleeve's edges are first held to the arm's silhouette: past where the armhole's edges start (at most half the upper arm), about where a short sleeve's cuff lies. */
const SLEEVE_NODE_ON_UPPER_ARM = 0.55;
/** How far a worn sleeve may stand off the arm's silhouette, as a share of the arm's radius there: a little ease, the fabric's own thickness. */
const SLEEVE_EASE_OFF_ARM = 0.3;
/** How far the arm's silhouette is looked for from the pose's axis, in arm radii: past the widest sleeve drawn (1.8 radii), so that a silhouette running on past it is not taken for the arm's edge. */
const SILHOUETTE_LOOK = 2.5;

/** Farthest from the pose's arm axis a sleeve's edge is moved out to cover the arm's silhouette, in arm radii: the widest sleeve drawn. A silhouette reaching farther is an old wide sleeve or a bag, not the arm. */
const SLEEVE_COVER_MAX = 1.8;

/**
 * How far (px) from the pose's arm axis at `at`, along the unit normal `n`, a sleeve's edge lies on
 * an arm of radius `radius` there, for an edge the flat sleeve puts `wanted` px out: on the arm's
 * silhouette the photo shows, at most SLEEVE_EASE_OFF_ARM radii past it, where the silhouette ends
 * on that side within SILHOUETTE_LOOK radii. The pose's axis lies off the arm's middle (the near arm
 * of a turned torso, a bent elbow): a sleeve laid about it at its flat width stood off the arm on one
 * side as a flat panel with the backdrop between (wide 4, 10, 51), and pulled in to the silhouette
 * alone it left a strip of the arm's skin outside it on the other. Moved out at most to
 * SLEEVE_COVER_MAX radii. Undefined where the silhouette runs on (over the torso beside a hanging
 * arm, an arm in front of the body) or the axis is off the person: the edge stays as wanted.
 */
export function sleeveEdgeOnArm(at: Point, n: Point, wanted: number, radius: number, silhouetteReach: BodyFrame['silhouetteReach']): number | undefined {
  const reach = silhouetteReach(at, n, SILHOUETTE_LOOK * radius);
  if (reach === undefined) return undefined;
  return Math.min(Math.max(wanted, Math.min(reach, SLEEVE_COVER_MAX * radius)), reach + SLEEVE_EASE_OFF_ARM * radius);
}

function sleevePiece(
  name: string,
  mask: GarmentAnalysis['mask'],
  sleeve: SleeveLandmarks,
  arm: Limb,
  bodyShoulder: Point,
  bodyArmpit: Point,
  scale: number,
  bodyCentreX: number,
  silhouetteReach: BodyFrame['silhouetteReach'],
): TpsPiece {
  const [joint, elbow, wrist] = arm.joints;
  const topHalf = (dist(sleeve.shoulder, sleeve.armpit) / 2) * scale * 0.64;
  const cuffHalf = (dist(sleeve.cuffOuter, sleeve.cuffInner) / 2) * scale * 0.64;

  // Unit normal of each arm segment on the sleeve's top side: for the upper arm the side away from
  // the armpit (away from the body's centre line where the armpit says nothing), and the forearm's on
  // the same side of the arm, turning with it at the elbow. Chosen segment by segment (away from the
  // centre line), an arm held out or raised with its forearm turned back had the two normals on
  // opposite sides of the arm: the sleeve twisted at the elbow, its width there collapsed to the
  // axis, and it stood off the arm as a wedge (wide 65, 36).
  const turn = (a: Point, b: Point): Point => {
    const len = dist(a, b) || 1;
    return { x: -(b.y - a.y) / len, y: (b.x - a.x) / len };
  };
  const upperTurn = turn(joint, elbow);
  const awayFromArmpit = upperTurn.x * (bodyArmpit.x - joint.x) + upperTurn.y * (bodyArmpit.y - joint.y);
  const side = awayFromArmpit !== 0 ? -Math.sign(awayFromArmpit) : Math.sign(upperTurn.x * ((joint.x + elbow.x) / 2 - bodyCentreX)) || 1;
  const normal = (a: Point, b: Point): Point => {
    const n = turn(a, b);
    return { x: n.x * side, y: n.y * side };
  };
  const nUpper = normal(joint, elbow);
  const nLower = normal(elbow, wrist);
  // Across the elbow along the bend's bisector, at the sleeve's full width.
  const bisector = { x: nUpper.x + nLower.x, y: nUpper.y + nLower.y };
  const bisectorLength = Math.hypot(bisector.x, bisector.y);
  const nElbow = bisectorLength > 1e-6 ? { x: bisector.x / bisectorLength, y: bisector.y / bisectorLength } : nUpper;
  // Worn, a sleeve is a little wider than the arm it dresses: at most 1.4x at the armhole, and a
  // flared cuff at most 1.8x; flat-lay armholes of drop-shoulder cuts would otherwise become flaps.
  const halfAt = (t: number): number => {
    const r = arm.radius * (1 - 0.2 * t);
    const garment = topHalf + (cuffHalf - topHalf) * t;
    return Math.min(r * (1.4 + 0.4 * t), Math.max(r * 1.1, garment));
  };
  const upperLength = dist(joint, elbow);
  const armLength = upperLength + dist(elbow, wrist);
  const elbowT = upperLength / armLength;
  const outerPath = [
    bodyShoulder,
    { x: elbow.x + nElbow.x * halfAt(elbowT), y: elbow.y + nElbow.y * halfAt(elbowT) },
    { x: wrist.x + nLower.x * halfAt(1), y: wrist.y + nLower.y * halfAt(1) },
  ];
  const innerPath = [
    bodyArmpit,
    { x: elbow.x - nElbow.x * halfAt(elbowT), y: elbow.y - nElbow.y * halfAt(elbowT) },
    { x: wrist.x - nLower.x * halfAt(1), y: wrist.y - nLower.y * halfAt(1) },
  ];
  // Positions along the arm are measured as arc length down its axis (shoulder joint → elbow →
  // wrist). The cuff is a line across the arm at the sleeve's own length (seam middle → cuff
  // middle) below the armhole's middle: measured along each edge separately, a flat lay's long top
  // edge and short underarm seam would put the cuff at a slant, and on a raised arm the sleeve
  // would fan out from the armpit into a flap.
  const arcOf = (p: Point): number => armArc(p, joint, elbow, wrist);
  const seamArc = arcOf(mid(bodyShoulder, bodyArmpit));
  const sleeveAxis = dist(mid(sleeve.shoulder, sleeve.armpit), mid(sleeve.cuffOuter, sleeve.cuffInner)) * scale;
  // Never past the wrist: a long sleeve bunches there, the hand stays visible.
  const cuffArc = Math.min(armLength, seamArc + sleeveAxis);
  const flatOuterArcs = [Math.min(arcOf(bodyShoulder), upperLength * 0.5), upperLength, armLength];
  const flatInnerArcs = [Math.min(arcOf(bodyArmpit), upperLength * 0.5), upperLength, armLength];
  // Each edge laid on the arm's silhouette (sleeveEdgeOnArm) at points down the arm: the upper
  // arm's middle, the elbow, the forearm's middle and the wrist, each moved across the arm.
  const nodes = [
    { arc: upperLength * SLEEVE_NODE_ON_UPPER_ARM, at: lerp(joint, elbow, SLEEVE_NODE_ON_UPPER_ARM), n: nUpper },
    { arc: upperLength, at: elbow, n: nElbow },
    { arc: (upperLength + armLength) / 2, at: mid(elbow, wrist), n: nLower },
    { arc: armLength, at: wrist, n: nLower },
  ];
  const onArm = (path: Point[], arcs: number[], side: 1 | -1): Point[] => [
    path[0],
    ...nodes.map(({ arc, at, n }) => {
      const p = atArc(path, arcs, arc);
      const along = { x: n.x * side, y: n.y * side };
      const wanted = (p.x - at.x) * along.x + (p.y - at.y) * along.y;
      const edge = sleeveEdgeOnArm(at, along, wanted, arm.radius * (1 - (0.2 * arc) / armLength), silhouetteReach);
      // Across the arm from the axis at the node's arc: the flat edge's point there can lie up or
      // down the arm (the straight line from an armpit far from an arm held out), and moved from it
      // the cuff ran at a slant.
      return edge === undefined ? p : { x: at.x + along.x * edge, y: at.y + along.y * edge };
    }),
  ];
  const nodeArcs = nodes.map((node) => node.arc);
  const outerArcs = [flatOuterArcs[0], ...nodeArcs];
  const innerArcs = [flatInnerArcs[0], ...nodeArcs];
  const outerEdge = onArm(outerPath, flatOuterArcs, 1);
  const innerEdge = onArm(innerPath, flatInnerArcs, -1);
  const ts = [0, 0.25, 0.5, 0.75, 1];
  const edges = sleeveEdgePoints(mask, sleeve, ts);
  const from: Point[] = [];
  const to: Point[] = [];
  ts.forEach((t, i) => {
    from.push(edges[i].outer, edges[i].inner);
    // An edge that starts below the cuff line (a cap sleeve on a hanging arm) stays a seam's
    // width short of it rather than folding back up the arm.
    const outerEnd = Math.max(cuffArc, outerArcs[0] + sleeveAxis * 0.25);
    const innerEnd = Math.max(cuffArc, innerArcs[0] + sleeveAxis * 0.25);
    to.push(
      atArc(outerEdge, outerArcs, outerArcs[0] + (outerEnd - outerArcs[0]) * t),
      atArc(innerEdge, innerArcs, innerArcs[0] + (innerEnd - innerArcs[0]) * t),
    );
  });
  // Down the outer edge and back up the inner one.
  const outer = to.filter((_, i) => i % 2 === 0);
  const inner = to.filter((_, i) => i % 2 === 1).reverse();
  return {
    kind: 'tps',
    name,
    overArms: true,
    from,
    to,
    // An eighth of the armhole's width of slack for gathers and puffs: more lets a flat lay's sleeve cap rise above the shoulder.
    outline: { polygon: [...outer, ...inner], margin: Math.max(3, SLEEVE_SLACK * dist(to[0], to[1])) },
    // Only the sleeve's own pixels: the far side of the shoulder→armpit seam from the panel.
    source: { only: sleeveRegion(sleeve) },
    dresses: { arm: name === 'sleeve-l' ? 'l' : 'r', fromArc: seamArc, toArc: cuffArc },
  };
}

/**
 * The shoulder line alone sets the scale, but shoulder landmarks are the least certain ones
 * (straps, off-shoulder and puff cuts put them at the neckline). A flat-lay's chest width is half
 * the garment's circumference: about 1.25x the body's frontal chest width for a fitted garment and
 * up to ~1.7x for a loose one. A scale that puts the chest outside [1.05, 1.7]x the body's is
 * pulled back to that range, keeping the rigid transform's rotation and centre.
 */
function boundedByChest(
  rigid: ReturnType<typeof similarity>,
  lm: NonNullable<GarmentAnalysis['upper']>,
  body: BodyFrame,
  fit: { anchor: Point; bodyChest: number; max: number } = { anchor: mid(body.shoulder.l, body.shoulder.r), bodyChest: chestSpan(body), max: LOOSE_CHEST_MAX },
): ReturnType<typeof similarity> {
  const garmentChest = dist(lm.armpitLeft, lm.armpitRight);
  const { anchor, bodyChest } = fit;
  if (garmentChest <= 0 || bodyChest <= 0) return rigid;
  const ratio = (garmentChest * rigid.scale) / bodyChest;
  const bounded = Math.max(FITTED_CHEST_MIN, Math.min(fit.max, ratio));
  if (bounded === ratio) return rigid;
  const factor = bounded / ratio;
  // Rescale about the point where the rigid transform anchors the garment's shoulder line.
  return {
    scale: rigid.scale * factor,
    apply: (p) => {
      const q = rigid.apply(p);
      return { x: anchor.x + (q.x - anchor.x) * factor, y: anchor.y + (q.y - anchor.y) * factor };
    },
  };
}

/** Narrowest and widest flat-lay chest (half the circumference) as a share of the body's frontal chest width: fitted to loose (see boundedByChest). */
const FITTED_CHEST_MIN = 1.05;
const LOOSE_CHEST_MAX = 1.7;
/**
 * Widest flat-lay chest of a garment hung from straps, as a share of the body's frontal chest: a
 * vest's or a jersey's armholes lie at the armpits and its sides along the torso. Bounded as loose
 * as a sleeved top (1.7), a knit vest or a basketball jersey was scaled half again the torso's width
 * and laid over both arms (wide 8, 11, 82, 0).
 */
const STRAPPED_CHEST_MAX = 1.35;

/** The body's frontal chest width: the torso's span at the armpits' row. */
function chestSpan(body: BodyFrame): number {
  const [l, r] = body.torsoSpan(body.armpit.l.y);
  return r - l;
}

/** The shoulder joints (where the pose puts them), outermost point of the arms' roots. */
function shoulderJoints(body: BodyFrame): { l: Point; r: Point } {
  return { l: body.arm.l.joints[0], r: body.arm.r.joints[0] };
}

/** How far above the shoulder joint the shoulders' top is looked for, as a share of the joints' span (as the body frame seats the shoulder seam). */
const JOINT_TO_TOP = 0.04;

/**
 * Where the outer ends of a sleeveless top's straps sit: on the shoulders' top straight above the
 * shoulder joints. The outer shoulder points (a sleeve's seam, past the joints by a tenth of their
 * span) are the deltoids, which an armhole leaves bare.
 */
function strapSeats(body: BodyFrame): { l: Point; r: Point } {
  const joints = shoulderJoints(body);
  const lift = JOINT_TO_TOP * dist(joints.l, joints.r);
  const seat = (j: Point): Point => ({ x: j.x, y: body.topContour(j.x, j.y - lift) });
  return { l: seat(joints.l), r: seat(joints.r) };
}

/**
 * Whether a top or dress hangs from straps over the shoulders: no sleeves, and an edge sloping from
 * the collar down to its outer top corners (a tank, a vest, a jersey). Its outer top corners are the
 * straps' ends, not shoulder seams; a bandeau's or an off-shoulder top's level edge is neither.
 */
function hangsFromStraps(g: GarmentAnalysis, found: NonNullable<GarmentAnalysis['upper']>): boolean {
  return g.sleeve === 'none' && !found.sleeveLeft && !found.sleeveRight && edgeSlopesToShoulders(found);
}

/**
 * A set-in sleeve's seam sits on the top edge straight above the armpit. On drop-shoulder and
 * raglan cuts the top edge slopes from collar to cuff without a corner, and a corner detector can
 * put the "shoulder" next to the collar, which would shrink the garment's shoulder width and so
 * blow the whole garment up. When the landmark sits well inside the armpit, move it onto the top
 * edge above the armpit.
 */
function seamShoulder(mask: GarmentAnalysis['mask'], shoulder: Point, armpit: Point, panelWidth: number): Point {
  if (Math.abs(shoulder.x - armpit.x) < panelWidth * 0.08) return shoulder;
  const x = Math.round(Math.max(0, Math.min(mask.width - 1, armpit.x)));
  for (let y = 0; y < Math.round(armpit.y); y++) {
    if (mask.data[y * mask.width + x] >= 128) return { x, y };
  }
  return shoulder;
}

/**
 * Largest share of the garment's pixels one sleeve may hold: a long sleeve spread out or hanging
 * beside the body holds 10-30 %; more is a landmark failure.
 */
const MAX_SLEEVE_SHARE = 0.34;

/**
 * A sleeve whose region would hold the panel's centre or more than MAX_SLEEVE_SHARE of the garment
 * is a landmark failure (a seam line facing the wrong way, an "armpit" at the cuff): drawing it
 * would tear the body panel apart. Such a sleeve is dropped and the panel draws those pixels
 * instead. The share is measured on the pixels the sleeve can hold as `sleeveFromMask` reads them
 * (beyond the armhole seam, outside the side seam below the armpit): under a sleeve hanging at a
 * slant the seam line's half-plane also takes in the panel's side below the armpit.
 */
function plausibleSleeve(
  g: GarmentAnalysis, sleeve: SleeveLandmarks | undefined, panelCentre: Point, panelInside: Point, hemCorner: Point,
): SleeveLandmarks | undefined {
  if (!sleeve) return undefined;
  if (inSleeve(sleeveRegion(sleeve), panelCentre.x, panelCentre.y)) return undefined;
  const isSleeve = sleeveSideTest(sleeve, panelInside, hemCorner);
  let total = 0;
  let claimed = 0;
  const { mask } = g;
  for (let y = 0; y < mask.height; y += 4) {
    for (let x = 0; x < mask.width; x += 4) {
      if (mask.data[y * mask.width + x] < 128) continue;
      total++;
      if (isSleeve(x, y)) claimed++;
    }
  }
  return total > 0 && claimed / total > MAX_SLEEVE_SHARE ? undefined : sleeve;
}

function withSeamShoulders<T extends NonNullable<GarmentAnalysis['upper']>>(g: GarmentAnalysis, found: T): T {
  const panelCentre = {
    x: (found.armpitLeft.x + found.armpitRight.x + found.hemLeft.x + found.hemRight.x) / 4,
    y: (found.armpitLeft.y + found.armpitRight.y + found.hemLeft.y + found.hemRight.y) / 4,
  };
  const panelInside = { x: (found.armpitLeft.x + found.armpitRight.x) / 2, y: (found.armpitLeft.y + found.hemLeft.y) / 2 };
  const lm = {
    ...found,
    sleeveLeft: plausibleSleeve(g, found.sleeveLeft, panelCentre, panelInside, found.hemLeft),
    sleeveRight: plausibleSleeve(g, found.sleeveRight, panelCentre, panelInside, found.hemRight),
  };
  if (!lm.sleeveLeft && !lm.sleeveRight) return lm;
  const panelWidth = Math.abs(lm.armpitRight.x - lm.armpitLeft.x);
  const shoulderLeft = lm.sleeveLeft ? seamShoulder(g.mask, lm.shoulderLeft, lm.armpitLeft, panelWidth) : lm.shoulderLeft;
  const shoulderRight = lm.sleeveRight ? seamShoulder(g.mask, lm.shoulderRight, lm.armpitRight, panelWidth) : lm.shoulderRight;
  return {
    ...lm,
    shoulderLeft,
    shoulderRight,
    sleeveLeft: lm.sleeveLeft && sleeveFromMask(g.mask, { ...lm.sleeveLeft, shoulder: shoulderLeft }, panelInside, lm.hemLeft),
    sleeveRight: lm.sleeveRight && sleeveFromMask(g.mask, { ...lm.sleeveRight, shoulder: shoulderRight }, panelInside, lm.hemRight),
  };
}

function placeUpper(g: GarmentAnalysis, body: BodyFrame, withWaist: boolean, hemFloorY?: number): Placement {
  const found = withWaist ? g.dress : g.upper;
  if (!found) throw new Error(`garment analysis lacks ${withWaist ? 'dress' : 'upper'} landmarks`);
  const lm = withSeamShoulders(g, found);
  // A top hung from straps has its straps' ends on the shoulders above the joints, and its size
  // from the chest: the straps' spacing is the cut's (a racer back's lie by the neck), not the
  // wearer's. Its chest is bounded by the torso's and by the joints' span: the torso's row at the
  // armpits also holds what an old garment's sleeves and the arms beside it add.
  const strapped = hangsFromStraps(g, found);
  const joints = shoulderJoints(body);
  const shoulderTo = strapped ? strapSeats(body) : body.shoulder;
  const rigid = boundedByChest(
    similarity(lm.shoulderLeft, lm.shoulderRight, shoulderTo.l, shoulderTo.r),
    lm,
    body,
    strapped
      ? { anchor: mid(shoulderTo.l, shoulderTo.r), bodyChest: Math.min(chestSpan(body), Math.abs(joints.r.x - joints.l.x)), max: STRAPPED_CHEST_MAX }
      : undefined,
  );
  const s = rigid.scale;
  const from: Point[] = [];
  const to: Point[] = [];

  // Shoulders exactly on the body's; straps where the chest's scale puts them, on the shoulders' top.
  const onTop = (p: Point): Point => ({ x: p.x, y: body.topContour(p.x, p.y) });
  from.push(lm.shoulderLeft, lm.shoulderRight);
  to.push(...(strapped ? [onTop(rigid.apply(lm.shoulderLeft)), onTop(rigid.apply(lm.shoulderRight))] : [body.shoulder.l, body.shoulder.r]));

  // Neckline: the garment's own shape, worn (wornNeckShare), but never narrower than the neck (it
  // would cover the chin).
  // A cut-out opening (the inside of the back removed) is the neckline the wearer shows: its
  // corners are its width, which can reach past the outline's neck points.
  const corners = g.neckOpening ? openingCorners(g.neckOpening) : null;
  const neckFromL = corners ? corners.left : lm.neckLeft;
  const neckFromR = corners ? corners.right : lm.neckRight;
  const neckL = rigid.apply(neckFromL);
  const neckR = rigid.apply(neckFromR);
  const bodyNeckHalf = (body.neck.r.x - body.neck.l.x) / 2;
  const flatNeckHalf = (neckR.x - neckL.x) / 2;
  const neckHalf = Math.max(bodyNeckHalf, flatNeckHalf * wornNeckShare(flatNeckHalf / bodyNeckHalf));
  const cx = body.neck.centre.x;
  from.push(neckFromL, neckFromR, lm.neckDip);
  const dip = rigid.apply(lm.neckDip);
  const neckSides = [{ x: cx - neckHalf, y: neckL.y }, { x: cx + neckHalf, y: neckR.y }];
  // A top whose collar rests on the shoulders (its edge slopes from the collar down to the
  // shoulder points) has its collar's sides on the shoulders' top beside the neck: scaled from the
  // shoulder joints alone, a close-up or a sloping pair of shoulders puts them lower and leaves a
  // band of bare shoulder above the new collar. The whole neckline rises with its sides.
  let lift = 0;
  if (edgeSlopesToShoulders(lm)) {
    const lifts = neckSides.map((p) => {
      const top = body.collarY(p.x);
      return top === undefined ? 0 : Math.min(Math.max(p.y - top, 0), MAX_COLLAR_LIFT * body.shoulderWidth);
    });
    neckSides.forEach((p, i) => (p.y -= lifts[i]));
    lift = (lifts[0] + lifts[1]) / 2;
  }
  to.push(neckSides[0], neckSides[1], { x: cx, y: Math.max(dip.y - lift, body.neck.centre.y) });

  // A sleeved top's shoulder seam slopes from the collar to the shoulder point and lies on the
  // body's shoulder contour, which bulges above the straight line between them (trapezius and
  // deltoid): pin the seam's middle to the contour, or a strip of bare shoulder shows above it.
  // A straight top edge (off-shoulder, bandeau) does not reach the shoulders and is left alone.
  const neckTargets = [to[2], to[3]];
  const seams = [
    { neck: neckFromL, shoulder: lm.shoulderLeft, neckTo: neckTargets[0], shoulderTo: body.shoulder.l, sleeve: lm.sleeveLeft },
    { neck: neckFromR, shoulder: lm.shoulderRight, neckTo: neckTargets[1], shoulderTo: body.shoulder.r, sleeve: lm.sleeveRight },
  ];
  const garmentShoulderWidth = dist(lm.shoulderLeft, lm.shoulderRight);
  let seamPoints = 0;
  for (const seam of seams) {
    if (!seam.sleeve || seam.shoulder.y - seam.neck.y < SEAM_SLOPE * garmentShoulderWidth) continue;
    const gp = seamPoint(g.mask, lerp(seam.neck, seam.shoulder, 0.5));
    if (!gp) continue;
    const target = lerp(seam.neckTo, seam.shoulderTo, 0.5);
    from.push(gp);
    to.push({ x: target.x, y: Math.min(target.y, body.collarY(target.x) ?? body.topContour(target.x, target.y)) });
    seamPoints++;
  }

  // Armpits → body armpits, at the garment's own (scaled) depth when it is looser.
  const apL = rigid.apply(lm.armpitLeft);
  const apR = rigid.apply(lm.armpitRight);
  const apY = Math.max(body.armpit.l.y, (apL.y + apR.y) / 2);
  const [asl, asr] = torsoSpanAt(body, apY, widestTorsoHalf(body));
  const apCx = body.centreX(apY);
  const [fitLeftX, fitRightX] = fitSides(apCx, asl, asr, Math.abs(apR.x - apL.x) / 2);
  // A strap top's armholes end at the armpits, never further out than below the shoulder joints:
  // the torso's span there also holds the arms hanging against it.
  const apLeftX = strapped ? Math.max(fitLeftX, Math.min(joints.l.x, apCx)) : fitLeftX;
  const apRightX = strapped ? Math.min(fitRightX, Math.max(joints.r.x, apCx)) : fitRightX;
  from.push(lm.armpitLeft, lm.armpitRight);
  to.push({ x: apLeftX, y: apY }, { x: apRightX, y: apY });

  // Side seams between armpit and hem, and the hem itself.
  const sidesLeft: Point[] = [];
  const sidesRight: Point[] = [];
  const waist = withWaist ? (lm as NonNullable<GarmentAnalysis['dress']>) : undefined;
  if (waist) {
    sidesLeft.push(lerp(lm.armpitLeft, waist.waistLeft, 0.5), waist.waistLeft, lerp(waist.waistLeft, lm.hemLeft, 0.5));
    sidesRight.push(lerp(lm.armpitRight, waist.waistRight, 0.5), waist.waistRight, lerp(waist.waistRight, lm.hemRight, 0.5));
  } else {
    sidesLeft.push(lerp(lm.armpitLeft, lm.hemLeft, 0.35), lerp(lm.armpitLeft, lm.hemLeft, 0.7));
    sidesRight.push(lerp(lm.armpitRight, lm.hemRight, 0.35), lerp(lm.armpitRight, lm.hemRight, 0.7));
  }
  sidesLeft.push(lm.hemLeft);
  sidesRight.push(lm.hemRight);
  // A top that is not cropped reaches the hips whatever the wearer's build: scaled by the shoulder
  // line alone, a regular tee ends at the navel of a long-torsoed man and leaves a band of his old
  // top (or a skin-coloured fill) between its hem and the trousers. Everything below the armpits
  // is stretched down until the hem reaches the hip line.
  const reach = withWaist ? undefined : topReach(g, body, rigid.apply(lm.hemLeft).y, rigid.apply(lm.hemRight).y, apY, hemFloorY);
  const place = reach ? (p: Point): Point => reach(rigid.apply(p)) : rigid.apply;
  const sides = sidePairsBelowHip(body, sidesLeft, sidesRight, place, widestTorsoHalf(body), withWaist);
  // A maxi dress ends just above the floor, not below the feet.
  const ankleY = Math.max(body.leg.l.joints[2].y, body.leg.r.joints[2].y);
  const hemLimit = ankleY + body.torsoLength * 0.04;
  const overshoot = Math.max(0, Math.max(...sides.to.map((p) => p.y)) - hemLimit);
  // Compress the skirt below the waist rather than cutting it, so its print keeps its proportion.
  const squashTop = body.waist.l.y;
  const squash = (y: number): number =>
    overshoot > 0 && y > squashTop ? squashTop + ((y - squashTop) * (hemLimit - squashTop)) / (hemLimit + overshoot - squashTop) : y;
  for (const p of sides.to) p.y = squash(p.y);
  from.push(...sides.from);
  to.push(...sides.to);

  // A centre line keeps prints upright and undistorted on the front.
  const gTop = mid(lm.neckLeft, lm.neckRight);
  const gBottom = mid(lm.hemLeft, lm.hemRight);
  for (const t of [0.3, 0.6]) {
    const gp = lerp(gTop, gBottom, t);
    const y = squash(place(gp).y);
    from.push(gp);
    to.push({ x: body.centreX(y), y });
  }

  // The front neckline's bottom keeps its depth below the corners: narrowed alone, the opening's
  // lower part would follow the panel's stretch instead. (Pushed last: the outline below indexes
  // the points above.)
  // Its sides on the way down are narrowed as its corners are, about the neck's middle.
  if (corners) {
    const cornersY = (neckL.y + neckR.y) / 2;
    const sidesY = (neckSides[0].y + neckSides[1].y) / 2;
    const flatCx = (neckL.x + neckR.x) / 2;
    // An opening one column wide has no width to narrow.
    const narrowing = flatNeckHalf > 0 ? neckHalf / flatNeckHalf : 1;
    const bottom = rigid.apply(corners.bottom);
    const drop = wornNecklineDrop(bottom.y - cornersY, neckR.x - neckL.x);
    from.push(corners.bottom);
    to.push({ x: cx, y: sidesY + (bottom.y - cornersY) * drop });
    for (const side of corners.sides) {
      for (const p of [side.left, side.right]) {
        const q = rigid.apply(p);
        from.push(p);
        to.push({ x: cx + (q.x - flatCx) * narrowing, y: sidesY + (q.y - cornersY) * drop });
      }
    }
  }

  const hemY = Math.max(...sides.to.slice(-2).map((p) => p.y));
  const without = [lm.sleeveLeft, lm.sleeveRight].filter((x): x is SleeveLandmarks => x !== undefined).map(sleeveRegion);
  // The panel's outline: shoulder, armhole, side seam and hem on each side, the neckline across.
  // Only when every sleeve the garment has is drawn by its own piece: a sleeve that was dropped
  // (implausible landmarks) is drawn by the panel, beyond its armhole.
  const sidesTo = sides.to;
  const leftSide = sidesTo.filter((_, i) => i % 2 === 0);
  const rightSide = sidesTo.filter((_, i) => i % 2 === 1);
  const everySleeveDrawn = (lm.sleeveLeft !== undefined) === (found.sleeveLeft !== undefined) && (lm.sleeveRight !== undefined) === (found.sleeveRight !== undefined);
  const outline = everySleeveDrawn
    ? {
      polygon: [to[0], to[5 + seamPoints], ...leftSide, ...rightSide.reverse(), to[6 + seamPoints], to[1], to[3], to[2]],
      margin: body.shoulderWidth * PANEL_SLACK,
    }
    : undefined;
  const pieces: WarpPiece[] = [{ kind: 'tps', name: 'panel', overArms: false, from, to, source: { without }, outline }];
  if (lm.sleeveLeft) {
    pieces.push(sleevePiece('sleeve-l', g.mask, lm.sleeveLeft, body.arm.l, body.shoulder.l, body.armpit.l, s, body.centreX(body.armpit.l.y), body.silhouetteReach));
  }
  if (lm.sleeveRight) {
    pieces.push(sleevePiece('sleeve-r', g.mask, lm.sleeveRight, body.arm.r, body.shoulder.r, body.armpit.r, s, body.centreX(body.armpit.r.y), body.silhouetteReach));
  }
  return { pieces, scale: s, hemY };
}

/**
 * Longest top, shoulder line to hem in shoulder widths, that keeps its own short length: cropped
 * tops measure up to 1.1 (classify.ts's "cropped" range), peplum and boxy short tops up to about
 * 1.3; regular tees and shirts 1.45 and more.
 */
const CROPPED_MAX_LENGTH = 1.3;
/** Shortest top, shoulder line to hem in shoulder widths, that is a tunic or long-line top and keeps its own length. */
const LONG_LINE_MIN_LENGTH = 2.4;
/**
 * Where a regular top's hem lies, as shares of the torso below the shoulder line (the hip joints
 * are at 1): at least at the hips, at most a little below them. Scaled by the shoulder line alone
 * a flat lay's length says little about the wearer's: the same tee ends at a long-torsoed man's
 * navel and at a narrow-shouldered woman's mid-thigh.
 */
const REGULAR_TOP_MIN_HEM = 0.92;
const REGULAR_TOP_MAX_HEM = 1.2;

/** How far a top stretched down to the kept bottom overlaps its waistband, as a share of the torso length. */
const WAISTBAND_OVERLAP = 0.03;

/**
 * The vertical stretch or squash about the armpit row (rows above it untouched) that brings the
 * hem where it belongs, or undefined when the rigid hem already does: for a regular top (neither
 * cropped nor long-line) into [REGULAR_TOP_MIN_HEM, REGULAR_TOP_MAX_HEM]; for any top not above
 * `hemFloorY` (the kept bottom's waistband where the old top hid the midriff: a band of skin
 * painted where no skin was ever seen reads as a slab, a cropped top worn longer does not).
 */
function topReach(
  g: GarmentAnalysis, body: BodyFrame, hemLeftY: number, hemRightY: number, armpitY: number, hemFloorY?: number,
): ((p: Point) => Point) | undefined {
  const shoulderY = (body.shoulder.l.y + body.shoulder.r.y) / 2;
  const hem = (hemLeftY + hemRightY) / 2;
  const regular = g.lengthRatio > CROPPED_MAX_LENGTH && g.lengthRatio < LONG_LINE_MIN_LENGTH;
  let target = regular
    ? Math.min(Math.max(hem, shoulderY + body.torsoLength * REGULAR_TOP_MIN_HEM), shoulderY + body.torsoLength * REGULAR_TOP_MAX_HEM)
    : hem;
  if (hemFloorY !== undefined) target = Math.max(target, hemFloorY + body.torsoLength * WAISTBAND_OVERLAP);
  if (hem === target || hem <= armpitY + 1 || target <= armpitY + 1) return undefined;
  const factor = (target - armpitY) / (hem - armpitY);
  return (p) => (p.y <= armpitY ? p : { x: p.x, y: armpitY + (p.y - armpitY) * factor });
}

/**
 * Widest the torso's half-span is taken at a row (from the centre line), as a share of the body's
 * breadth (see torsoBreadth): the broadest hips measure about 1.1 outer shoulder widths. The
 * person's silhouette across a row also holds forearms and hands resting in front of the torso, a
 * table's edge or papers in them: a seated man's span at his hips read 1.5 shoulder widths and his
 * tee was laid over his arms and the table (wide 88).
 */
const MAX_TORSO_HALF_SPAN = 0.6;
/** A torso's length (shoulder line to hips) per unit of outer shoulder width, at average proportions: the breadth of a body turned to profile, whose shoulders show narrow. */
const TORSO_LENGTH_PER_BREADTH = 1.2;

/** The body's breadth: its outer shoulder width, or for a body turned towards profile what its torso's length implies. */
function torsoBreadth(body: BodyFrame): number {
  return Math.max(body.shoulderWidth, body.torsoLength / TORSO_LENGTH_PER_BREADTH);
}

/** Widest a top's or a dress's torso is taken either side of the centre line (px): see MAX_TORSO_HALF_SPAN. A skirt's rows are taken as the silhouette has them (bottoms keep their fit). */
function widestTorsoHalf(body: BodyFrame): number {
  return MAX_TORSO_HALF_SPAN * torsoBreadth(body);
}

/** The torso's span at row y (walked out from the centre line), at most `half` either side of that line. */
function torsoSpanAt(body: BodyFrame, y: number, half: number): [number, number] {
  const [l, r] = body.torsoSpan(y);
  const cx = body.centreX(y);
  return [Math.max(l, cx - half), Math.min(r, cx + half)];
}

/**
 * Side points whose rows may fall below the hips: there the torso span is replaced by the span of
 * both legs together (a dress or long top hangs over both thighs).
 */
function sidePairsBelowHip(
  body: BodyFrame,
  gLeft: Point[],
  gRight: Point[],
  rigid: (p: Point) => Point,
  /** Widest the torso and the hips are taken either side of the centre line (px; see widestTorsoHalf). */
  widestHalf = Infinity,
  /** A skirt or a dress: below the hips it spreads with the legs only as far as its own cut reaches (see hangingLegReach). */
  hangs = false,
): { from: Point[]; to: Point[] } {
  const from: Point[] = [];
  const to: Point[] = [];
  // The side seams and the hem lose, between armpits and hips, the rotation the fit gave the
  // garment (to the shoulder line, or a skirt to a level waistband): a hem hangs on the hips as it
  // hangs in its photo, level when photographed level, whatever the shoulders' tilt. A body
  // leaning or turned three-quarter tilts its shoulders far more than its pelvis (the body frame's
  // hip line is level), and the hem drawn at the shoulders' tilt ran diagonally across a level
  // waistband. The garment's own slant (an asymmetric hem) stays. (Taking out the body's shoulder
  // tilt instead put a slant into garments photographed worn on a tilted model: rated worse.)
  const armpitY = (body.armpit.l.y + body.armpit.r.y) / 2;
  const hipY = (body.hip.l.y + body.hip.r.y) / 2;
  const angle = (a: Point, b: Point): number => Math.atan2(b.y - a.y, b.x - a.x);
  const fitRotation = gLeft.length ? Math.tan(angle(rigid(gLeft[0]), rigid(gRight[0])) - angle(gLeft[0], gRight[0])) : 0;
  for (let i = 0; i < gLeft.length; i++) {
    const rl = rigid(gLeft[i]);
    const rr = rigid(gRight[i]);
    const y = (rl.y + rr.y) / 2;
    let bodyL: number;
    let bodyR: number;
    if (y <= body.hip.l.y) {
      [bodyL, bodyR] = torsoSpanAt(body, y, widestHalf);
    } else {
      const hipCx = body.centreX(body.hip.l.y);
      [bodyL, bodyR] = hipsAndLegsSpan(body, y, hipCx, widestHalf);
      // Below the knees the silhouette narrows to the legs themselves.
      const kneeY = (body.leg.l.joints[1].y + body.leg.r.joints[1].y) / 2;
      if (y > kneeY) {
        bodyL = legOuterX(body.leg.l, y, -1);
        bodyR = legOuterX(body.leg.r, y, 1);
      }
      if (hangs) [bodyL, bodyR] = hangingLegReach(body, hipCx, bodyL, bodyR, Math.abs(rr.x - rl.x) / 2, widestHalf);
    }
    const cx = body.centreX(Math.min(y, body.hip.l.y));
    // Over the legs a skirt hangs evenly about the centre line, however the legs stand.
    const fit = y <= body.hip.l.y ? fitSides : fitEvenly;
    const [left, right] = fit(cx, bodyL, bodyR, Math.abs(rr.x - rl.x) / 2);
    const garmentSlope = Math.abs(rr.x - rl.x) < 1 ? 0 : (rr.y - rl.y) / (rr.x - rl.x);
    const towardsHips = hipY > armpitY ? Math.min(1, Math.max(0, (y - armpitY) / (hipY - armpitY))) : 1;
    const slope = garmentSlope - fitRotation * towardsHips;
    const mx = (left + right) / 2;
    from.push(gLeft[i], gRight[i]);
    to.push({ x: left, y: y + slope * (left - mx) }, { x: right, y: y + slope * (right - mx) });
  }
  return { from, to };
}

/**
 * The body's span at a row below the hips, down to the knees: the legs' outer edges, never inside
 * the hips (each hip joint, at most `widestHalf` from the hips' centre line `cx`).
 */
function hipsAndLegsSpan(body: BodyFrame, y: number, cx: number, widestHalf: number): [number, number] {
  return [
    Math.min(legOuterX(body.leg.l, y, -1), Math.max(body.hip.l.x, cx - widestHalf)),
    Math.max(legOuterX(body.leg.r, y, 1), Math.min(body.hip.r.x, cx + widestHalf)),
  ];
}

/**
 * How much wider than its own cut (its half-width as placed, before the fit) a skirt or a dress is
 * pulled by legs standing apart: a hem gives a little when pulled taut (knits, slits, the bias). At
 * 1.05 a straight dress over legs standing a little apart left a sliver of calf beside its hem.
 */
const HEM_GIVE = 1.2;

/**
 * The span [l, r] of the legs at a row below the hips, as a skirt or a dress hanging over them
 * meets it: no wider either side of the centre line cx than the garment's own half-width at that
 * row (with HEM_GIVE), but always over the hips. Legs standing wide apart (a wide stance, a lunge)
 * took the garment out to the ankles: a dress flared into a trouser-like blob down to the shoes and
 * hid both legs. A hem hangs at its own width; the legs come out from under it.
 */
function hangingLegReach(body: BodyFrame, cx: number, l: number, r: number, garmentHalf: number, widestHalf: number): [number, number] {
  // The hips' span as the rows just below them take it.
  const [hipL, hipR] = hipsAndLegsSpan(body, body.hip.l.y, cx, widestHalf);
  const reach = Math.max(garmentHalf * HEM_GIVE, cx - hipL, hipR - cx);
  return [Math.max(l, cx - reach), Math.min(r, cx + reach)];
}

/**
 * Thigh angle from the vertical (degrees) past which a thigh points more sideways than down (seated
 * with a knee raised or a leg crossed over the other).
 */
const SIDEWAYS_THIGH_DEG = 45;

/**
 * Outer edge x of a leg at row y (direction -1 = image-left edge, +1 = right edge), as a garment
 * hanging from the hips meets it. A thigh pointing sideways is not followed out: its rows lie a
 * few pixels below the hip, and a skirt's or a dress's sides taken out to its knee ballooned the
 * garment over the backdrop on both sides (it hangs evenly about the centre line) and tore its
 * print across the gap. Nor is the shin below that knee: it is out beside the garment too, or
 * crossed back under it. The garment hangs down from the hip on that side, as over a lap; the
 * leg shows beside it.
 */
function legOuterX(leg: Limb, y: number, direction: -1 | 1): number {
  const [hip, knee, ankle] = leg.joints;
  const sideways = Math.abs(Math.atan2(knee.x - hip.x, knee.y - hip.y)) * (180 / Math.PI) > SIDEWAYS_THIGH_DEG;
  if (sideways) return hip.x + direction * leg.radius;
  const seg = y <= knee.y ? [hip, knee] : [knee, ankle];
  const t = Math.max(0, Math.min(1, (y - seg[0].y) / (seg[1].y - seg[0].y || 1)));
  const x = seg[0].x + (seg[1].x - seg[0].x) * t;
  const radius = leg.radius * (y <= knee.y ? 1 - 0.3 * t : 0.7 - 0.2 * t);
  return x + direction * radius;
}

/** Waist half-width bounds, as shares of the hip-joint distance (slim to broad builds). */
const WAIST_HALF_MIN = 0.6;
const WAIST_HALF_MAX = 0.9;
/** Widest trouser leg, in leg half-widths: at the thigh, plus this much more at the hem (flares). */
const TROUSER_EASE_MAX = 1.5;
/**
 * Lowest a trouser's crotch hangs below the hip joints, as a share of the higher knee's drop below
 * them: standing, a third of the thigh's drop is well below any rise; crouched or seated, it keeps
 * the crotch above the knees.
 */
const CROTCH_MAX_THIGH_DROP = 0.35;
/** How far below the crotch the photo shows a trouser's crotch may hang, as a share of the torso's length. */
const CROTCH_EASE = 0.03;
const TROUSER_FLARE_MAX = 1.0;

/** Least share of the body's inseam a full-length trouser leg covers on a pelvis turned towards profile. */
const TURNED_TROUSER_REACH = 0.95;
/**
 * Inseam of full-length trousers laid flat, in waistband widths: a flat waistband is half the
 * waist (35-45 cm) and a full inseam 75-85 cm; the development trousers measure 1.8-3.2, cropped
 * and culotte cuts 1.3-1.7. A shorter inseam reaches that share of the way down the leg.
 */
const FULL_LENGTH_INSEAM = 1.8;
/** Mid-rise waistband height above the hip joints, as a share of the torso length. */
const MID_RISE = 0.18;
/**
 * Highest waistband, above the hip joints as a share of the torso length: a high-waisted cut at
 * the natural waist. An old bottom parsed higher than that is a dress's or a jumpsuit's bodice.
 */
const HIGH_RISE = 0.4;

function placeLower(g: GarmentAnalysis, body: BodyFrame, oldWaistbandY?: number): Placement {
  const lm = g.lower;
  if (!lm) throw new Error('garment analysis lacks lower landmarks');
  // Mid-rise waistband, a little above the hip joints; up to where the old bottom began (the
  // waist of high-waisted trousers, a dress's waist seam), since the body between was never seen
  // and a painted band of midriff reads as a slab.
  const midRiseY = body.hip.l.y - body.torsoLength * MID_RISE;
  const waistY = oldWaistbandY === undefined ? midRiseY : Math.min(midRiseY, Math.max(oldWaistbandY, body.hip.l.y - body.torsoLength * HIGH_RISE));
  // The silhouette at the waist also holds whatever hangs there (hands in pockets, an open coat's
  // skirts, a bag): bounded by the hip joints' spacing, which only the body sets.
  // A body turned three-quarter or sideways shows its hip keypoints almost on top of each other,
  // yet its waist still shows most of its width: the spacing is not taken below a share of the
  // average build's for the torso's length (it set a tiny scale, and the trousers ended at the knees).
  const hipJoints = Math.max(dist(body.leg.l.joints[0], body.leg.r.joints[0]), turnedPelvisSpan(body.torsoLength));
  const waistHalfAt = (y: number, widest: number): number => {
    const [l, r] = body.torsoSpan(y);
    const cx = body.centreX(y);
    return Math.min(Math.max(Math.max(cx - l, r - cx), hipJoints * WAIST_HALF_MIN), widest) * 1.03;
  };
  // Scale, crotch and legs follow the mid-rise waistband: a raised one stretches the rise, it does
  // not narrow the garment or lift its legs (the hem would stop short of the ankles).
  const midRiseHalf = waistHalfAt(midRiseY, hipJoints * WAIST_HALF_MAX);
  const midRiseCx = body.centreX(midRiseY);
  const rigid = similarity(lm.waistLeft, lm.waistRight, { x: midRiseCx - midRiseHalf, y: midRiseY }, { x: midRiseCx + midRiseHalf, y: midRiseY });
  // A raised waistband follows the body in (the natural waist is the narrowest row).
  const waistHalf = waistY === midRiseY ? midRiseHalf : waistHalfAt(waistY, midRiseHalf / 1.03);
  const wcx = body.centreX(waistY);
  const bodyWaistL = { x: wcx - waistHalf, y: waistY };
  const bodyWaistR = { x: wcx + waistHalf, y: waistY };
  const s = rigid.scale;
  const from: Point[] = [lm.waistLeft, lm.waistRight];
  const to: Point[] = [bodyWaistL, bodyWaistR];

  const ankleY = Math.max(body.leg.l.joints[2].y, body.leg.r.joints[2].y);
  const hemLimit = ankleY + body.torsoLength * 0.06;
  const kind = g.lowerKind ?? (lm.crotch ? 'trousers' : 'skirt');

  if (kind === 'skirt' || !lm.crotch || !lm.legLeft || !lm.legRight) {
    const sidesLeft = [lerp(lm.waistLeft, lm.hemLeft, 0.3), lerp(lm.waistLeft, lm.hemLeft, 0.65), lm.hemLeft];
    const sidesRight = [lerp(lm.waistRight, lm.hemRight, 0.3), lerp(lm.waistRight, lm.hemRight, 0.65), lm.hemRight];
    const sides = sidePairsBelowHip(body, sidesLeft, sidesRight, rigid.apply, Infinity, true);
    for (const p of sides.to) p.y = Math.min(p.y, hemLimit);
    from.push(...sides.from);
    to.push(...sides.to);
    const gTop = mid(lm.waistLeft, lm.waistRight);
    const gBottom = mid(lm.hemLeft, lm.hemRight);
    for (const t of [0.4, 0.8]) {
      const gp = lerp(gTop, gBottom, t);
      const rp = rigid.apply(gp);
      from.push(gp);
      to.push({ x: body.centreX(Math.min(rp.y, body.hip.l.y)), y: Math.min(rp.y, hemLimit) });
    }
    return { pieces: [{ kind: 'tps', name: 'skirt', overArms: false, from, to, source: { without: [] } }], scale: s, hemY: Math.max(...sides.to.map((p) => p.y)) };
  }

  // Trousers and shorts: each leg is its own spline (its half of the garment, from the waistband
  // down), so a bent or raised leg bends its trouser leg without dragging the other one along; the
  // two halves share the waistband's centre and the crotch, where they meet.
  const crotchRigid = rigid.apply(lm.crotch);
  const legTopY = body.hip.l.y;
  // The crotch hangs no lower than the one the photo shows (a little ease below it): the scale
  // comes from the waistband's width, and a garment's rise scaled by it (a flat lay's waist is
  // wider than a body's seen from the front) put the crotch at mid-thigh, fabric across the gap.
  // Nor lower than a share of the way down the higher thigh: crouched, seated or with a knee
  // raised, the knees come up level with the hips, and a crotch hung at a standing rise lay below
  // a knee (the trouser leg ran up the thigh from it and collapsed).
  const thighDrop = Math.max(0, Math.min(...[body.leg.l, body.leg.r].map((leg) => leg.joints[1].y - leg.joints[0].y)));
  const crotchY = Math.min(
    Math.max(crotchRigid.y, legTopY + body.torsoLength * 0.12),
    body.crotchY === undefined ? Infinity : body.crotchY + body.torsoLength * CROTCH_EASE,
    Math.max(body.leg.l.joints[0].y, body.leg.r.joints[0].y) + CROTCH_MAX_THIGH_DROP * thighDrop,
  );
  const crotchX = body.centreX(legTopY);
  const crotchTo = { x: crotchX, y: crotchY };
  const gWaistCentre = mid(lm.waistLeft, lm.waistRight);
  const bodyWaistCentre = mid(bodyWaistL, bodyWaistR);

  const gInseam = (dist(lm.crotch, lm.legLeft.inner) + dist(lm.crotch, lm.legRight.inner)) / 2;
  const turned = pelvisTurned(body);
  const legReach = g.fullLength ? 1 : Math.min(1, gInseam / Math.max(1, dist(lm.waistLeft, lm.waistRight)) / FULL_LENGTH_INSEAM);
  const legs: Array<[typeof lm.legLeft, Limb, -1 | 1, Point, Point, string]> = [
    [lm.legLeft, body.leg.l, -1, lm.waistLeft, bodyWaistL, 'leg-l'],
    [lm.legRight, body.leg.r, 1, lm.waistRight, bodyWaistR, 'leg-r'],
  ];
  let hemY = 0;
  const legSamples: LegSample[][] = [];
  const legsFrom: Point[][] = [];
  /** Per leg, the share of the inseam at which it is split at the knee, or null. */
  const kneeShares: Array<number | null> = [];
  for (const [gLeg, leg, dir, gWaist] of legs) {
    const legFrom: Point[] = [gWaist, gWaistCentre, lm.crotch];
    const samples: LegSample[] = [];
    const [hip, knee, ankle] = leg.joints;
    const bodyInseam = dist(crotchTo, knee) + dist(knee, ankle);
    // Turned towards profile, the waist shows narrower than the garment's front and the scale
    // from it is short: full-length trousers then still reach down the whole leg.
    const turnedLength = kind === 'trousers' && turned ? bodyInseam * TURNED_TROUSER_REACH : 0;
    // Nor does the scale from the waist hold on narrow hips, a jump or a crouch: trousers reach
    // down the leg as far as their own inseam is long for their waistband.
    const ownLength = kind === 'trousers' ? bodyInseam * legReach : 0;
    const inseam = Math.min(Math.max(gInseam * s, turnedLength, ownLength), bodyInseam + body.torsoLength * 0.06);
    const path = [{ x: hip.x, y: crotchY }, knee, ankle];
    // Sample the leg at fractions of its length; widths from the garment (scaled), at least the leg's.
    const gOpenHalf = dist(gLeg.outer, gLeg.inner) / 2;
    const gOpenMid = mid(gLeg.outer, gLeg.inner);
    const gTopMid = mid(gWaist, lm.crotch);
    const gTopHalf = dist(gWaist, lm.crotch) / 2;
    // A leg bent well at the knee (seated, a raised knee, a jump) gets a sample at the knee, and
    // is drawn as a thigh and a shin (see legPieces): one spline through a bend folded the inside
    // of the knee over itself and bowed the outside out.
    const kneeT = dist(path[0], path[1]) / Math.max(1, inseam);
    const split = kneeBendDegrees(leg) > SPLIT_KNEE_DEG && kneeT > KNEE_SPLIT_MIN && kneeT < KNEE_SPLIT_MAX;
    kneeShares.push(split ? kneeT : null);
    for (const t of split ? [kneeT / 2, kneeT, (1 + kneeT) / 2, 1] : [0.33, 0.66, 1]) {
      const along_ = along(path, inseam * t);
      const p = along_.point;
      const gMid = lerp(gTopMid, gOpenMid, t);
      const gHalf = gTopHalf + (gOpenHalf - gTopHalf) * t;
      const gDirX = gLeg.outer.x < gLeg.inner.x ? -1 : 1;
      const legHalf = leg.radius * (1 - 0.45 * t);
      // Wide-leg cuts stand off the leg, but a trouser leg several legs wide is a scale error.
      const half = Math.min(legHalf * (TROUSER_EASE_MAX + TROUSER_FLARE_MAX * t), Math.max(legHalf * 1.08, gHalf * s * 0.95));
      // Across the leg's own direction at that point (a raised thigh runs sideways); at the knee
      // along the bisector of the thigh's and the shin's, where the two pieces meet.
      const normals = split && t === kneeT
        ? [legNormal(path[0], path[1], dir), legNormal(path[1], path[2], dir)]
        : [legNormal(path[Math.min(path.length - 2, along_.index)], path[Math.min(path.length - 1, along_.index + 1)], dir)];
      const sumX = normals.reduce((a, n) => a + n.x, 0);
      const sumY = normals.reduce((a, n) => a + n.y, 0);
      const norm = Math.hypot(sumX, sumY) || 1;
      const nx = sumX / norm;
      const ny = sumY / norm;
      const gOuter = { x: gMid.x + gDirX * gHalf, y: t === 1 ? gLeg.outer.y : gMid.y };
      const gInner = { x: gMid.x - gDirX * gHalf, y: t === 1 ? gLeg.inner.y : gMid.y };
      legFrom.push(t === 1 ? gLeg.outer : gOuter, t === 1 ? gLeg.inner : gInner);
      samples.push({ centre: p, normal: { x: nx, y: ny }, outerHalf: half, innerHalf: half, legHalf, atKnee: split && t === kneeT });
      hemY = Math.max(hemY, p.y);
    }
    legSamples.push(samples);
    legsFrom.push(legFrom);
  }
  keepLegsApart(legSamples[0], legSamples[1]);
  const gCrotch = lm.crotch;
  const pieces: WarpPiece[] = legs.flatMap(([gLeg, , , gWaist, bodyWaist, name], k) => {
    const to = [bodyWaist, bodyWaistCentre, crotchTo, ...legSamples[k].flatMap(({ centre: p, normal: n, outerHalf, innerHalf }) => [
      { x: p.x + n.x * outerHalf, y: p.y + n.y * outerHalf },
      { x: p.x - n.x * innerHalf, y: p.y - n.y * innerHalf },
    ])];
    // Its half of the garment: the side of the centre line (waistband centre → crotch) its opening
    // is on, and a narrow band past it: the two legs' splines bend that line a little differently,
    // and cut exactly on it they left a slit of the photo down the fly.
    const across = dist(gWaist, gWaistCentre) || 1;
    const pastX = ((gWaistCentre.x - gWaist.x) / across) * CENTRE_SEAM_OVERLAP * 2 * across;
    const pastY = ((gWaistCentre.y - gWaist.y) / across) * CENTRE_SEAM_OVERLAP * 2 * across;
    const half: SleeveRegion = {
      shoulder: { x: gWaistCentre.x + pastX, y: gWaistCentre.y + pastY },
      armpit: { x: gCrotch.x + pastX, y: gCrotch.y + pastY },
      axisFrom: mid(gWaist, gWaistCentre),
      axisTo: mid(gLeg.outer, gLeg.inner),
    };
    const whole: TpsPiece = { kind: 'tps', name, overArms: false, from: legsFrom[k], to, source: { only: half }, outline: legOutline(to, 3) };
    return kneeShares[k] === null ? [whole] : legPieces(whole, legSamples[k].findIndex((x) => x.atKnee), gWaist, gWaistCentre);
  });
  // Hems lying against each other in the photo (flares, palazzo legs) leave no backdrop between
  // them to stretch over the gap between the person's ankles: one spline drew a band of the hems'
  // fabric across it. Each leg then draws only its own half.
  const hemParting = dist(lm.legLeft.inner, lm.legRight.inner) / Math.max(1, (dist(lm.legLeft.outer, lm.legLeft.inner) + dist(lm.legRight.outer, lm.legRight.inner)) / 2);
  if (legsBent(body) || hemParting < MIN_HEM_PARTING) return { pieces, scale: s, hemY };
  // Legs straight (standing, walking): one spline over the whole garment through the same points
  // holds the two halves together without a seam down the middle.
  const [left, right] = pieces as TpsPiece[];
  const outline = trousersOutline(left.to, right.to);
  return {
    pieces: [{
      kind: 'tps', name: 'trousers', overArms: false,
      from: [...left.from, ...right.from.slice(3), right.from[0]],
      to: [...left.to, ...right.to.slice(3), right.to[0]],
      source: { without: [] },
      ...(outline ? { outline } : {}),
    }],
    scale: s,
    hemY,
  };
}

/** Where a trouser leg's outline crosses the leg at one sample: the leg's axis point, its outward normal and the half-widths either side. */
interface LegSample {
  centre: Point;
  normal: Point;
  outerHalf: number;
  innerHalf: number;
  /** The leg's own half-width there (px). */
  legHalf: number;
  /** The sample at the knee of a leg drawn as a thigh and a shin. */
  atKnee: boolean;
}

/** Knee bend (degrees between thigh and shin) from which a trouser leg is drawn as a thigh and a shin. */
const SPLIT_KNEE_DEG = 35;
/** Shares of the trouser's inseam between which its knee may be split (a knee right below the crotch, or past the hem, is not). */
const KNEE_SPLIT_MIN = 0.15;
const KNEE_SPLIT_MAX = 0.9;

/** How far past the knee line a trouser leg's thigh and shin each take their fabric, as a share of the leg's width at the knee in the garment photo. */
const KNEE_SEAM_OVERLAP = 0.04;

/** How far past the garment's centre line each trouser leg drawn on its own takes its fabric, as a share of the waistband's width. */
const CENTRE_SEAM_OVERLAP = 0.02;

/** Unit normal of the leg segment a→b, pointing outward (direction -1 = image-left, +1 = right). */
function legNormal(a: Point, b: Point, dir: -1 | 1): Point {
  const len = dist(a, b) || 1;
  const n = { x: -(b.y - a.y) / len, y: (b.x - a.x) / len };
  return n.x * dir < 0 ? { x: -n.x, y: -n.y } : n;
}

/**
 * A whole trouser leg's piece (waistband corner, waistband centre, crotch, then an outer and an
 * inner point per sample) split at its knee sample into a thigh (waistband to knee) and a shin
 * (knee to hem). Each is near a rigid motion, which a spline follows without folding; they meet
 * along the knee's line (the bisector of thigh and shin), and each draws only its side of the
 * garment's knee line.
 */
function legPieces(whole: TpsPiece, knee: number, gWaist: Point, gWaistCentre: Point): TpsPiece[] {
  const kneeAt = 3 + 2 * knee;
  const gOuter = whole.from[kneeAt];
  const gInner = whole.from[kneeAt + 1];
  const gKnee = mid(gOuter, gInner);
  const gHem = mid(whole.from[whole.from.length - 2], whole.from[whole.from.length - 1]);
  const half = 'only' in whole.source ? whole.source.only : undefined;
  // Each piece takes a narrow band past the knee line, towards the other piece: the two splines
  // map the pixels along the line a little differently, and cut exactly on it they left a crack of
  // the photo across the knee.
  const kneeWidth = dist(gOuter, gInner) || 1;
  const downX = ((gHem.x - gKnee.x) / (dist(gHem, gKnee) || 1)) * KNEE_SEAM_OVERLAP * kneeWidth;
  const downY = ((gHem.y - gKnee.y) / (dist(gHem, gKnee) || 1)) * KNEE_SEAM_OVERLAP * kneeWidth;
  const side = (axisTo: Point, shift: 1 | -1): PieceSource => ({
    only: {
      shoulder: { x: gOuter.x + shift * downX, y: gOuter.y + shift * downY },
      armpit: { x: gInner.x + shift * downX, y: gInner.y + shift * downY },
      axisFrom: gKnee,
      axisTo,
    },
    ...(half ? { within: half } : {}),
  });
  const thighTo = whole.to.slice(0, kneeAt + 2);
  const shinTo = whole.to.slice(kneeAt);
  return [
    { ...whole, name: `${whole.name}-thigh`, from: whole.from.slice(0, kneeAt + 2), to: thighTo, source: side(mid(gWaist, gWaistCentre), 1), outline: legOutline(thighTo, 3) },
    { ...whole, name: `${whole.name}-shin`, from: whole.from.slice(kneeAt), to: shinTo, source: side(gHem, -1), outline: legOutline(shinTo, 0) },
  ];
}

/** Slack around a trouser leg piece's outline, as a share of its width where it starts (waistband half or knee). */
const LEG_OUTLINE_SLACK = 0.15;

/**
 * The outline a trouser leg piece's targets trace: after `head` points along its top (waistband
 * corner, waistband centre, crotch; none for a shin) come outer and inner points per sample. A
 * leg bent or raised sends the spline far past them (slabs beside a sideways thigh); the piece is
 * drawn within it.
 */
function legOutline(to: Point[], head: number): { polygon: Point[]; margin: number } {
  const { outer, inner } = legEdges(to, head);
  // Waistband corner, down the outside, back up the inside to the crotch and the waistband centre.
  const polygon = head === 3 ? [to[0], ...outer, ...inner.reverse(), to[2], to[1]] : [...outer, ...inner.reverse()];
  return { polygon, margin: Math.max(3, LEG_OUTLINE_SLACK * dist(to[0], to[1])) };
}

/** A trouser leg piece's outer and inner edge points, from its waistband down (see legOutline for `to`'s layout). */
function legEdges(to: Point[], head: number): { outer: Point[]; inner: Point[] } {
  const outer: Point[] = [];
  const inner: Point[] = [];
  for (let i = head; i + 1 < to.length; i += 2) {
    outer.push(to[i]);
    inner.push(to[i + 1]);
  }
  return { outer, inner };
}

/**
 * The outline both trouser legs' targets trace together (see legOutline: each leg's `to` has its
 * waistband corner, the waistband centre and the crotch, then an outer and an inner point per
 * sample): down the left leg's outside, up its inside to the crotch, down the right leg's inside
 * and up its outside. One spline over the whole garment carries the flat lay's fabric wherever it
 * lies: trouser legs laid touching below their crotch (slim jeans, a drop of the rise the garment
 * analysis puts higher) bridged the person's legs with a web of denim down to the knees, a
 * drop-crotch or a dress's silhouette over legs standing apart under an old skirt or dress (wide
 * 109, 68). Cut to this outline, each leg shows on its own leg and the photo between them is
 * filled as what it is. Undefined where the legs' inner edges cross (legs overlapping in the
 * photo, one before the other): the outline would fold over itself there and the trousers are
 * drawn as the spline has them.
 */
function trousersOutline(left: Point[], right: Point[]): { polygon: Point[]; margin: number } | undefined {
  const { outer: leftOuter, inner: leftInner } = legEdges(left, 3);
  const { outer: rightOuter, inner: rightInner } = legEdges(right, 3);
  if (leftInner.length !== rightInner.length) return undefined;
  // The inner edges, sample by sample, must stay in image order (a leg split at its knee has
  // another sample count, and comes here only when drawn as pieces anyway).
  for (let k = 0; k < leftInner.length; k++) if (leftInner[k].x >= rightInner[k].x) return undefined;
  const polygon = [left[0], ...leftOuter, ...[...leftInner].reverse(), left[2], ...rightInner, ...rightOuter.reverse(), right[0]];
  return { polygon, margin: Math.max(3, LEG_OUTLINE_SLACK * Math.min(dist(left[0], left[1]), dist(right[0], right[1]))) };
}

/**
 * Least backdrop between a flat lay's two hems, as a share of a leg opening's width, for one spline
 * over both legs: closer, the hems lie against each other (flares, palazzo legs) and there is no
 * backdrop between them to stretch over the gap between the ankles.
 */
const MIN_HEM_PARTING = 0.25;

/**
 * In place: a trouser leg's inner edge reaches at most to the middle between the two legs' axes,
 * at each pair of samples (matched from the hems up), but never inside the leg itself. Wide legs on legs standing close (heels
 * together, a walking step) have more fabric than room: past the middle the two inner edges
 * crossed, the spline folded the hems over each other and drew them inside out. Touching there,
 * they meet as a real pair does. (Legs that overlap in the photo, one before the other, keep
 * their legs covered: the trouser legs overlap as they do.)
 */
function keepLegsApart(left: LegSample[], right: LegSample[]): void {
  // From the hems up (a leg split at its knee has a sample more).
  for (let k = 1; k <= Math.min(left.length, right.length); k++) {
    const l = left[left.length - k];
    const r = right[right.length - k];
    const span = dist(l.centre, r.centre);
    if (span < 1e-6) continue;
    const ux = (r.centre.x - l.centre.x) / span;
    const uy = (r.centre.y - l.centre.y) / span;
    // How far each inner edge reaches towards the other leg per unit of its half-width.
    for (const [sample, toOther] of [[l, -(l.normal.x * ux + l.normal.y * uy)], [r, r.normal.x * ux + r.normal.y * uy]] as const) {
      if (toOther <= 0) continue;
      sample.innerHalf = Math.min(sample.innerHalf, Math.max(sample.legHalf, span / 2 / toOther));
    }
  }
}

/** Knee bend (degrees between thigh and shin) from which a leg counts as bent. */
const BENT_KNEE_DEG = 25;
/** Thigh angle from the vertical (degrees) from which a leg counts as raised or spread. */
const RAISED_THIGH_DEG = 30;

/** Is either leg bent at the knee, raised or spread (seated, jumping, striding wide)? */
export function legsBent(body: BodyFrame): boolean {
  return [body.leg.l, body.leg.r].some((leg) => {
    const [hip, knee] = leg.joints;
    const thigh = Math.atan2(knee.x - hip.x, knee.y - hip.y);
    return kneeBendDegrees(leg) > BENT_KNEE_DEG || (Math.abs(thigh) * 180) / Math.PI > RAISED_THIGH_DEG;
  });
}

/** Angle between a leg's thigh and shin, in degrees (0 straight). */
function kneeBendDegrees(leg: Limb): number {
  const [hip, knee, ankle] = leg.joints;
  const thigh = Math.atan2(knee.x - hip.x, knee.y - hip.y);
  const shin = Math.atan2(ankle.x - knee.x, ankle.y - knee.y);
  let bend = Math.abs(thigh - shin);
  if (bend > Math.PI) bend = 2 * Math.PI - bend;
  return (bend * 180) / Math.PI;
}

/**
 * The failsafe placement, used when the landmark-driven one leaves the torso uncovered (landmark
 * detection failed on an unusual cut): the garment photo's bounding box scaled by shoulder width
 * and hung from the neck line (tops, dresses) or the waist (bottoms) in one piece. It loses the
 * fit to the arms but never tears the garment apart.
 */
export function fallbackPlacement(garment: GarmentAnalysis, body: BodyFrame, category: Category): Placement {
  const { x, y, width, height } = garment.bbox;
  const lower = category === 'lower_body';
  const top = lower ? body.hip.l.y - body.torsoLength * MID_RISE : body.neck.centre.y;
  // A flat top or dress is about 1.5x the shoulder width across (sleeves spread); bottoms ~1.3x the hips.
  const targetWidth = lower ? (body.hip.r.x - body.hip.l.x) * 1.3 : body.shoulderWidth * 1.5;
  const scale = targetWidth / Math.max(1, width);
  const cx = body.centreX(top);
  const from = [
    { x, y }, { x: x + width, y }, { x, y: y + height }, { x: x + width, y: y + height },
    { x: x + width / 2, y: y + height / 2 },
  ];
  const to = from.map((p) => ({ x: cx + (p.x - (x + width / 2)) * scale, y: top + (p.y - y) * scale }));
  return {
    pieces: [{ kind: 'tps', name: 'fallback', overArms: false, from, to, source: { without: [] } }],
    scale,
    hemY: top + height * scale,
  };
}

/** What the photo says about where the new garment must reach, beyond the body's proportions. */
export interface PlacementHints {
  /**
   * Top edge (y, analysis px) of the lower garment the person wears, where it meets the top: a new
   * bottom's waistband rises to it, so that no band of body the old clothes hid is bared.
   */
  oldWaistbandY?: number;
  /**
   * Lowest row (y, analysis px) a new top's hem may end above: the kept bottom's waistband, given
   * when the old top hid the midriff.
   */
  hemFloorY?: number;
}

export function placeGarment(garment: GarmentAnalysis, body: BodyFrame, category: Category, hints: PlacementHints = {}): Placement {
  switch (category) {
    case 'upper_body':
      return placeUpper(garment, body, false, hints.hemFloorY);
    case 'dresses':
      return placeUpper(garment, body, true);
    case 'lower_body':
      return placeLower(garment, body, hints.oldWaistbandY);
  }
}

// Exposed for tests of the width rule.
export { fitHalf };
