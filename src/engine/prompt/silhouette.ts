/**
 * The requested garment's silhouette on the body: a soft coverage mask at analysis resolution,
 * built from the body frame (keypoints + person mask), with garment-space coordinates for the
 * texture so patterns follow the body (stripes run round the torso and the sleeves, pinstripes
 * down each trouser leg).
 *
 * Parts:
 * - body panel: neckline (crew / v / scoop / high / collar / straps / strapless / off-shoulder /
 *   halter) down to the hem; its sides follow the person's own torso (BodyFrame.torsoSpan, smoothed)
 *   plus ease for the fit; below the hips (tunics, coats, dresses, skirts) it becomes a skirt
 *   profile: pencil narrows, straight keeps the hip width, a-line and flared widen, never narrower
 *   than the legs it covers.
 * - sleeves: along the arm's shoulder→elbow→wrist chain to the requested length (cap, short, elbow,
 *   three-quarter, long), a little wider than the arm for the fit, cut square to the arm.
 * - trouser legs: along the hip→knee→ankle chain to the requested length (shorts, bermuda, capri,
 *   full), tapering by cut (skinny, straight, wide, flared), joined by a seat panel above the crotch.
 * Dresses are bodice + skirt, jumpsuits bodice + trousers, overalls a bib with straps + trousers.
 * A recolour ('recolor' mode) uses the current garment's own parsing region instead.
 *
 * Hem heights (in body terms; TL = torso length shoulder→hip line, thigh = hip→knee, shin = knee→ankle):
 *   cropped shoulder+0.56 TL · waist: the waist row · hip: hip+0.08 TL · tunic: hip+0.4 TL ·
 *   mini: hip+0.45 thigh · above_knee: hip+0.8 thigh · knee: knee+0.05 shin · midi: knee+0.5 shin ·
 *   maxi: ankle+0.08 shin; trouser legs shorts: hip+0.45 thigh · bermuda: knee−0.08 thigh ·
 *   capri: knee+0.55 shin · full: ankle+0.05 shin.
 * Sleeve ends (U = shoulder→elbow, F = elbow→wrist, along the arm): cap 0.22 U · short 0.5 U ·
 *   elbow U+0.05 F · three_quarter U+0.55 F · long U+1.04 F.
 * The seed varies hem height, sleeve end, neckline depth and ease by a few per cent.
 */
import { createMask, type Mask } from '../../imaging/raster.ts';
import type { BodyFrame, Limb } from '../classic/body/index.ts';
import { PartLabel, type PersonAnalysis, type Point } from '../classic/types.ts';
import type { GarmentSpec, Length, Sleeve } from './parser.ts';
import type { Random } from './random.ts';

export const enum Part {
  None = 0,
  /** Body panel: torso, bodice, skirt, coat skirt, trouser seat. */
  Panel = 1,
  SleeveL = 2,
  SleeveR = 3,
  LegL = 4,
  LegR = 5,
}

export interface Silhouette {
  width: number;
  height: number;
  /** Soft coverage 0..255. */
  coverage: Mask;
  /** Which part each covered pixel belongs to (Part). */
  part: Uint8Array;
  /** Garment-space coordinates in px: `u` across the part (signed, from its centre line), `v` along it (down the body / along the limb). */
  u: Float32Array;
  v: Float32Array;
  /** `u` divided by the panel's half-width at that row (-1..1), for prints that fan out with a skirt (pleats). */
  across: Float32Array;
  /** Pattern scale: the shoulder width in px, so prints have the same size on every photo. */
  unit: number;
  /** Rows of the main landmarks actually used (for tests and debugging). */
  rows: { top: number; hem: number; waist: number; sleeveEnd: [Point, Point] | null; legEnd: number | null };
}

/** Seed-driven shape variation, drawn once per garment. */
interface Variation {
  hem: number;
  sleeve: number;
  neck: number;
  ease: number;
}

function drawVariation(rng: Random): Variation {
  return { hem: rng.range(-0.02, 0.02), sleeve: rng.range(-0.03, 0.03), neck: rng.range(-0.1, 0.1), ease: rng.range(-0.01, 0.01) };
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
const mean = (a: number, b: number): number => (a + b) / 2;

/** Main rows of the body, for hems and waistbands. */
interface BodyRows {
  shoulder: number;
  armpit: number;
  waist: number;
  hip: number;
  knee: number;
  ankle: number;
  torso: number;
  thigh: number;
  shin: number;
}

function bodyRows(body: BodyFrame): BodyRows {
  const shoulder = mean(body.shoulder.l.y, body.shoulder.r.y);
  const hip = body.hip.l.y;
  const knee = mean(body.leg.l.joints[1].y, body.leg.r.joints[1].y);
  const ankle = mean(body.leg.l.joints[2].y, body.leg.r.joints[2].y);
  return {
    shoulder,
    armpit: mean(body.armpit.l.y, body.armpit.r.y),
    waist: body.waist.l.y,
    hip,
    knee,
    ankle,
    torso: body.torsoLength,
    thigh: Math.max(1, knee - hip),
    shin: Math.max(1, ankle - knee),
  };
}

/** The row of a hem of the given length. */
export function hemRow(length: Length, r: BodyRows): number {
  switch (length) {
    case 'cropped': return r.shoulder + 0.56 * r.torso;
    case 'waist': return Math.max(r.waist, r.shoulder + 0.6 * r.torso);
    case 'hip': return r.hip + 0.08 * r.torso;
    case 'tunic': return r.hip + 0.4 * r.torso;
    case 'mini': return r.hip + 0.45 * r.thigh;
    case 'above_knee': return r.hip + 0.8 * r.thigh;
    case 'knee': return r.knee + 0.05 * r.shin;
    case 'midi': return r.knee + 0.5 * r.shin;
    case 'maxi': return r.ankle + 0.08 * r.shin;
    case 'shorts': return r.hip + 0.45 * r.thigh;
    case 'bermuda': return r.knee - 0.08 * r.thigh;
    case 'capri': return r.knee + 0.55 * r.shin;
    case 'full': return r.ankle + 0.05 * r.shin;
  }
}

/** Distance along the arm (from the shoulder joint) where a sleeve of this length ends. */
export function sleeveEnd(sleeve: Sleeve, arm: Limb): number {
  const [s, e, w] = arm.joints;
  const upper = Math.hypot(e.x - s.x, e.y - s.y);
  const fore = Math.hypot(w.x - e.x, w.y - e.y);
  switch (sleeve) {
    case 'none': return 0;
    case 'cap': return 0.22 * upper;
    case 'short': return 0.5 * upper;
    case 'elbow': return upper + 0.05 * fore;
    case 'three_quarter': return upper + 0.55 * fore;
    case 'long': return upper + 1.04 * fore;
  }
}

/** Result of `projectOnChain` (module scratch: the per-pixel loops allocate nothing). */
const projection = { a: 0, d: 0, dist: 0 };

/**
 * Projection of (px, py) onto a joint chain: arc length `a` (negative before the first joint,
 * beyond the total after the last: the end segments extend so ends can be cut square) and signed
 * distance `d`, written into `projection`.
 */
function projectOnChain(px: number, py: number, chain: Point[], lengths: number[]): void {
  projection.dist = Infinity;
  let start = 0;
  const last = chain.length - 2;
  for (let k = 0; k <= last; k++) {
    const ax = chain[k].x;
    const ay = chain[k].y;
    const vx = chain[k + 1].x - ax;
    const vy = chain[k + 1].y - ay;
    const len = lengths[k] || 1;
    let t = ((px - ax) * vx + (py - ay) * vy) / (len * len);
    if (k > 0 && t < 0) t = 0;
    if (k < last && t > 1) t = 1;
    const qx = px - (ax + vx * t);
    const qy = py - (ay + vy * t);
    const dist = Math.sqrt(qx * qx + qy * qy);
    if (dist < projection.dist) {
      projection.dist = dist;
      projection.a = start + t * len;
      projection.d = (vx * (py - ay) - vy * (px - ax)) / len;
    }
    start += len;
  }
}

function chainLengths(chain: Point[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < chain.length - 1; k++) out.push(Math.hypot(chain[k + 1].x - chain[k].x, chain[k + 1].y - chain[k].y));
  return out;
}

/** Accumulates parts: each pixel keeps the part with the highest coverage and takes the union. */
class Canvas {
  readonly coverage: Float32Array;
  readonly part: Uint8Array;
  readonly u: Float32Array;
  readonly v: Float32Array;
  readonly across: Float32Array;
  constructor(readonly width: number, readonly height: number) {
    const n = width * height;
    this.coverage = new Float32Array(n);
    this.part = new Uint8Array(n);
    this.u = new Float32Array(n);
    this.v = new Float32Array(n);
    this.across = new Float32Array(n);
  }
  put(i: number, cov: number, part: Part, u: number, v: number, across: number): void {
    if (cov <= 0) return;
    const old = this.coverage[i];
    // Ties go to the part drawn later (sleeves and legs over the body panel they join).
    if (cov >= old) {
      this.part[i] = part;
      this.u[i] = u;
      this.v[i] = v;
      this.across[i] = across;
    }
    // Union of soft coverages (probabilistic OR), so overlapping parts have no seam.
    this.coverage[i] = old + cov - old * cov;
  }
}

interface PanelSpec {
  /** Top edge of the panel at column x. */
  top: (x: number) => number;
  hem: number;
  /** Panel sides at row y: [left, right] in px, before anti-aliasing. */
  sides: (y: number) => [number, number];
  centre: (y: number) => number;
  /** Optional 0..1 factor on coverage (a waistband stays on the body, off the gap beside it). */
  clip?: (i: number, y: number) => number;
}

function drawPanel(canvas: Canvas, panel: PanelSpec, yOrigin: number): void {
  const { width, height } = canvas;
  const topEdge = new Float32Array(width);
  let yMin = Infinity;
  for (let x = 0; x < width; x++) {
    topEdge[x] = panel.top(x);
    yMin = Math.min(yMin, topEdge[x]);
  }
  const y0 = clamp(Math.floor(yMin) - 1, 0, height - 1);
  const y1 = clamp(Math.ceil(panel.hem) + 1, 0, height - 1);
  for (let y = y0; y <= y1; y++) {
    const [l, r] = panel.sides(y);
    if (!(r > l)) continue;
    const cx = panel.centre(y);
    const half = Math.max(1, (r - l) / 2);
    const hemCov = clamp(panel.hem - y + 0.5, 0, 1);
    if (hemCov <= 0) continue;
    const x0 = clamp(Math.floor(l) - 1, 0, width - 1);
    const x1 = clamp(Math.ceil(r) + 1, 0, width - 1);
    for (let x = x0; x <= x1; x++) {
      const side = Math.min(clamp(x - l + 0.5, 0, 1), clamp(r - x + 0.5, 0, 1));
      const topCov = clamp(y - topEdge[x] + 0.5, 0, 1);
      let cov = Math.min(side, topCov, hemCov);
      if (panel.clip && cov > 0) cov *= panel.clip(y * width + x, y);
      if (cov <= 0) continue;
      canvas.put(y * width + x, cov, Part.Panel, x - cx, y - yOrigin, (x - (l + r) / 2) / half);
    }
  }
}

/** Moving average over rows, ignoring rows outside [from, to]. */
function smoothRows(values: Float32Array, from: number, to: number, radius: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = from; y <= to; y++) {
    let sum = 0;
    let n = 0;
    for (let k = Math.max(from, y - radius); k <= Math.min(to, y + radius); k++) {
      sum += values[k];
      n++;
    }
    out[y] = sum / n;
  }
  return out;
}

/** Horizontal extent of the legs at row y (outer edges), from the leg chains. */
function legsExtent(body: BodyFrame, y: number): [number, number] {
  let l = Infinity;
  let r = -Infinity;
  for (const leg of [body.leg.l, body.leg.r]) {
    const [h, k, a] = leg.joints;
    const seg = y <= k.y ? [h, k] : [k, a];
    const t = clamp((y - seg[0].y) / (seg[1].y - seg[0].y || 1), 0, 1.2);
    const cx = seg[0].x + (seg[1].x - seg[0].x) * t;
    const rad = leg.radius * (y <= k.y ? 1 - 0.3 * t : 0.7 - 0.2 * Math.min(1, t));
    l = Math.min(l, cx - rad);
    r = Math.max(r, cx + rad);
  }
  return [l, r];
}

/**
 * The body's hip sides: the measured ones (the person mask at the hip row), but no further out than
 * 0.45 of the hip-joint distance beyond each joint. Under a dress or a wide skirt the mask shows
 * the old garment, not the hips, and trousers cut to it would look like a skirt.
 */
export function hipSides(body: BodyFrame): [number, number] {
  const jl = body.leg.l.joints[0];
  const jr = body.leg.r.joints[0];
  const d = Math.max(1, jr.x - jl.x);
  return [Math.max(body.hip.l.x, jl.x - 0.45 * d), Math.min(body.hip.r.x, jr.x + 0.45 * d)];
}

/** Widening of a skirt or long top below the hips, per thigh length, per side (fraction of the hip half-width). */
function flareSlope(spec: GarmentSpec): number {
  const base = { skinny: -0.05, pencil: -0.04, straight: 0.06, a_line: 0.38, flared: 0.75, wide: 0.45 }[spec.cut];
  const fit = spec.fit === 'loose' ? 0.08 : spec.fit === 'tight' ? -0.03 : 0;
  return base + fit + (spec.pleated ? 0.1 : 0);
}

/** Ease added on each side of the torso, in shoulder widths. */
function ease(spec: GarmentSpec, variation: Variation): number {
  const fit = spec.fit === 'loose' ? 0.07 : spec.fit === 'tight' ? -0.005 : 0.025;
  const outer = spec.type === 'coat' || spec.type === 'puffer jacket' || spec.type === 'jacket' || spec.type === 'blazer' ? 0.03 : 0;
  return fit + outer + variation.ease;
}

/**
 * The body panel: torso from the neckline, continuing as a skirt below the hips when the hem is
 * lower. `topRow` replaces the neckline with a straight waistband (skirts, trouser seats).
 */
function bodyPanel(
  spec: GarmentSpec,
  body: BodyFrame,
  person: PersonAnalysis,
  rows: BodyRows,
  hem: number,
  variation: Variation,
  waistband: number | null,
): PanelSpec {
  const sw = body.shoulderWidth;
  const e = ease(spec, variation) * sw;
  const height = body.height;
  const top = waistband ?? Math.min(body.neck.centre.y - 0.15 * sw, rows.shoulder - 0.1 * sw);
  const from = clamp(Math.floor(top), 0, height - 1);
  const to = clamp(Math.ceil(hem) + 1, 0, height - 1);

  // Measured torso sides (arms excluded), smoothed over rows; below the hips a skirt profile.
  const rawL = new Float32Array(height);
  const rawR = new Float32Array(height);
  const [hipL, hipR] = hipSides(body);
  const hipHalf = (hipR - hipL) / 2;
  const slope = flareSlope(spec);
  const tight = spec.fit === 'tight';
  for (let y = from; y <= to; y++) {
    if (y <= rows.hip) {
      let [l, r] = body.torsoSpan(Math.max(y, rows.armpit));
      if (y > rows.armpit) {
        // A hand resting on the hip is not torso: no wider than the armpits or the hips allow.
        l = Math.max(l, Math.min(body.armpit.l.x, hipL) - 0.06 * sw);
        r = Math.min(r, Math.max(body.armpit.r.x, hipR) + 0.06 * sw);
      }
      if (y > rows.waist) {
        // Below the waist, towards the hips: never wider than the body's hips (see hipSides).
        const t = clamp((y - rows.waist) / Math.max(1, rows.hip - rows.waist), 0, 1);
        l = Math.max(l, lerp(l, hipL, t));
        r = Math.min(r, lerp(r, hipR, t));
      }
      rawL[y] = l;
      rawR[y] = r;
    } else {
      const t = (y - rows.hip) / rows.thigh;
      const cx = mean(...legsExtent(body, y));
      const half = hipHalf * (1 + slope * t);
      const [ll, lr] = legsExtent(body, y);
      // Never narrower than the legs underneath (plus a little room to walk).
      const need = Math.max(cx - ll, lr - cx) + 0.03 * sw;
      const h = Math.max(half, need, tight ? 0 : hipHalf * 0.95);
      rawL[y] = cx - h;
      rawR[y] = cx + h;
    }
  }
  const smoothL = smoothRows(rawL, from, to, Math.max(2, Math.round(sw * 0.06)));
  const smoothR = smoothRows(rawR, from, to, Math.max(2, Math.round(sw * 0.06)));

  const neckHalf = (body.neck.r.x - body.neck.l.x) / 2;
  const neckY = body.neck.centre.y;
  const cxNeck = body.neck.centre.x;
  const neckline = spec.neckline ?? 'crew';
  const depth = 1 + variation.neck;
  const shoulderStrap = spec.sleeve === 'none' || spec.sleeve === null;

  const sides = (y: number): [number, number] => {
    const row = clamp(Math.round(y), from, to);
    let l = smoothL[row] - e;
    let r = smoothR[row] + e;
    if (waistband === null && y < rows.armpit) {
      // Between the shoulder seam and the armpit: a sleeved garment reaches the shoulder point, a
      // sleeveless one has an armhole that curves in from a narrower shoulder strap.
      const t = clamp((y - rows.shoulder) / Math.max(1, rows.armpit - rows.shoulder), 0, 1);
      const shoulderL = shoulderStrap ? lerp(body.shoulder.l.x, body.neck.l.x, 0.45) : body.shoulder.l.x - e * 0.5;
      const shoulderR = shoulderStrap ? lerp(body.shoulder.r.x, body.neck.r.x, 0.45) : body.shoulder.r.x + e * 0.5;
      const k = shoulderStrap ? Math.sqrt(t) : t;
      l = lerp(shoulderL, Math.min(l, body.armpit.l.x - e), k);
      r = lerp(shoulderR, Math.max(r, body.armpit.r.x + e), k);
      if (y < rows.shoulder) {
        l = shoulderL;
        r = shoulderR;
      }
    }
    return [l, r];
  };

  const shoulderLine = (x: number): number => {
    // Neck base to the shoulder seam, straight; flat beyond.
    if (x < cxNeck) {
      const t = clamp((body.neck.l.x - x) / Math.max(1, body.neck.l.x - body.shoulder.l.x), 0, 1);
      return lerp(neckY, body.shoulder.l.y, t);
    }
    const t = clamp((x - body.neck.r.x) / Math.max(1, body.shoulder.r.x - body.neck.r.x), 0, 1);
    return lerp(neckY, body.shoulder.r.y, t);
  };

  const strapless = rows.armpit - 0.02 * rows.torso;
  const topEdge = (x: number): number => {
    if (waistband !== null) return waistband;
    const dx = Math.abs(x - cxNeck);
    switch (neckline) {
      case 'strapless':
        return strapless + 0.04 * sw * (1 - clamp(dx / (0.25 * sw), 0, 1)) * depth;
      case 'off_shoulder':
        return rows.armpit - 0.12 * rows.torso;
      case 'straps': {
        // A straight edge above the bust with two thin straps to the shoulders.
        const strapX = neckHalf + 0.12 * sw;
        const strapW = 0.035 * sw;
        if (Math.abs(dx - strapX) <= strapW) return shoulderLine(x);
        return rows.armpit - 0.08 * rows.torso;
      }
      case 'halter': {
        // From the neck down to the armpits in a straight diagonal.
        const t = clamp((dx - neckHalf * 0.7) / Math.max(1, hipHalf - neckHalf * 0.7), 0, 1);
        return lerp(neckY - 0.04 * sw, rows.armpit, t);
      }
      default: {
        const base = shoulderLine(x);
        const wide = neckline === 'scoop' ? 1.35 : neckline === 'high' ? 0.85 : 1;
        const half = neckHalf * wide;
        if (dx >= half) return base;
        const s = dx / half;
        switch (neckline) {
          case 'v':
            return base + 0.4 * sw * depth * (1 - s);
          case 'scoop':
            return base + 0.22 * sw * depth * (1 - s * s);
          case 'high':
            return base - 0.14 * sw * (1 - s ** 4);
          case 'collar':
            return base + 0.05 * sw * depth * (1 - s) - 0.05 * sw * Math.max(0, 1 - 2 * Math.abs(s - 0.7)) ;
          default:
            return base + 0.09 * sw * depth * (1 - s * s);
        }
      }
    }
  };

  const centre = (y: number): number => (y <= rows.hip ? body.centreX(y) : mean(...legsExtent(body, y)));
  // A waistband above the hips stays on the person: the gap between arm and waist is background.
  const clip = waistband === null ? undefined : (i: number, y: number): number => (y < rows.hip ? person.personMask.data[i] / 255 : 1);
  // Closed necklines (crew, collar, high) also reach up to where the current top's neckline is,
  // within 0.15 shoulder widths: a new crew neck lower than the old one would leave a band of the
  // old garment to be filled.
  const closed = waistband === null && (neckline === 'crew' || neckline === 'collar' || neckline === 'high');
  const labels = person.parsing.labels;
  const { width } = person.personMask;
  const topFollowingOld = !closed
    ? topEdge
    : (x: number): number => {
        const own = topEdge(x);
        const xi = Math.round(x);
        if (xi < 0 || xi >= width) return own;
        // Up from the new edge while the current top continues, unbroken (a stray label higher up
        // on the neck or in the hair is not a neckline).
        const limit = Math.max(0, own - 0.15 * sw);
        let y = Math.floor(own);
        while (y - 1 >= limit && labels[(y - 1) * width + xi] === PartLabel.UpperGarment) y--;
        return Math.min(own, y);
      };
  return { top: topFollowingOld, hem, sides, centre, clip };
}

/**
 * The arm radius a sleeve is built on: the measured one, but within 0.045..0.085 of the shoulder
 * width and at most 1.25x the other arm's (a measurement across an arm pressed to the torso or
 * holding a bag comes out far too wide).
 */
function armRadius(arm: Limb, other: Limb, sw: number): number {
  const r = Math.min(arm.radius, other.radius * 1.25);
  return clamp(r, 0.045 * sw, 0.085 * sw);
}

function drawSleeve(canvas: Canvas, arm: Limb, radius: number, end: number, spec: GarmentSpec, part: Part, person: PersonAnalysis, sw: number): Point {
  const chain = [...arm.joints];
  // Continue a little past the wrist so long sleeves can reach it.
  const lengths = chainLengths(chain);
  const total = lengths[0] + lengths[1];
  const widen = spec.fit === 'loose' ? 1.5 : spec.fit === 'tight' ? 1.08 : 1.28;
  const r0 = radius * widen + 0.01 * sw;
  // Short sleeves flare a little at the opening; long ones taper to the cuff.
  const rEnd = end <= lengths[0] ? r0 * 1.08 : r0 * (spec.fit === 'loose' ? 0.95 : 0.78);
  const radiusAt = (a: number): number => lerp(r0, rEnd, clamp(a / Math.max(1, end), 0, 1));
  const rMax = Math.max(r0, rEnd) * 1.3 + 2;
  // Only the part of the arm the sleeve covers.
  const endPoint = pointAlong(chain, lengths, end);
  const covered = end <= lengths[0] ? [chain[0], endPoint] : [chain[0], chain[1], endPoint];
  const xs = covered.map((p) => p.x);
  const ys = covered.map((p) => p.y);
  const { width, height } = canvas;
  const x0 = clamp(Math.floor(Math.min(...xs) - rMax), 0, width - 1);
  const x1 = clamp(Math.ceil(Math.max(...xs) + rMax), 0, width - 1);
  const y0 = clamp(Math.floor(Math.min(...ys) - rMax), 0, height - 1);
  const y1 = clamp(Math.ceil(Math.max(...ys) + rMax), 0, height - 1);
  const mask = person.personMask.data;
  const labels = person.parsing.labels;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      projectOnChain(x, y, chain, lengths);
      const { a, d } = projection;
      if (a > end + 1 || a > total + rMax) continue;
      const r = radiusAt(a);
      const i = y * width + x;
      // Like trouser legs: the old sleeve's own width between 0.9x and 1.3x the modelled sleeve.
      let cov = Math.min(clamp(r * 0.9 - Math.abs(d) + 0.5, 0, 1), clamp(end - a + 0.5, 0, 1));
      if (cov < 1 && a >= 0 && a <= end && Math.abs(d) <= r * 1.3 && labels[i] === PartLabel.UpperGarment) cov = 1;
      if (a < 0) {
        // The rounded sleeve head over the shoulder: only where the person is (no bump above the shoulder line).
        cov = Math.min(cov, clamp(r - Math.hypot(a, d) + 0.5, 0, 1), mask[y * width + x] / 255);
      }
      if (cov <= 0) continue;
      canvas.put(i, cov, part, d, a, d / r);
    }
  }
  return endPoint;
}

/** The point at arc length `a` along a 3-joint chain (extrapolated past the last joint). */
function pointAlong(chain: Point[], lengths: number[], a: number): Point {
  const [s, e, w] = chain;
  if (a <= lengths[0]) {
    const t = a / (lengths[0] || 1);
    return { x: lerp(s.x, e.x, t), y: lerp(s.y, e.y, t) };
  }
  const t = (a - lengths[0]) / (lengths[1] || 1);
  return { x: lerp(e.x, w.x, t), y: lerp(e.y, w.y, t) };
}

/**
 * One trouser leg along the hip→knee→ankle chain. Unless the fit is tight, the leg also takes in
 * the current lower garment's pixels within 1.35x its own radius: new trousers on a person in
 * trousers keep about the old width, instead of leaving a strip of the old ones to be filled.
 */
function drawLeg(canvas: Canvas, leg: Limb, hem: number, spec: GarmentSpec, part: Part, body: BodyFrame, hipOuter: number, labels: Uint8Array): number {
  const [h, k, a] = leg.joints;
  // Extend past the ankle so a full-length hem below it is reachable.
  const ext = { x: a.x + (a.x - k.x) * 0.3, y: a.y + (a.y - k.y) * 0.3 };
  const chain = [h, k, ext];
  const lengths = chainLengths(chain);
  // Arc length where the leg reaches the hem row.
  let end: number;
  if (hem <= k.y) end = lengths[0] * clamp((hem - h.y) / ((k.y - h.y) || 1), 0, 1);
  else end = lengths[0] + lengths[1] * clamp((hem - k.y) / ((ext.y - k.y) || 1), 0, 1);
  const sw = body.shoulderWidth;
  const fitK = spec.fit === 'loose' ? 1.12 : spec.fit === 'tight' ? 0.92 : 1;
  // The thigh's outer edge meets the hip's outer edge (measured), so trousers do not bulge past the hips.
  const top = Math.max(0.75 * leg.radius, Math.abs(hipOuter - h.x)) * fitK + 0.01 * sw;
  const profile = { skinny: [0.55, 0.42], pencil: [0.55, 0.42], straight: [0.7, 0.62], a_line: [0.72, 0.7], flared: [0.64, 0.95], wide: [0.95, 1.0] }[spec.cut];
  const kneeLen = lengths[0];
  const ankleLen = lengths[0] + Math.hypot(a.x - k.x, a.y - k.y);
  const radiusAt = (s: number): number => {
    if (s <= kneeLen) return lerp(top, top * profile[0], clamp(s / kneeLen, 0, 1));
    return lerp(top * profile[0], top * profile[1], clamp((s - kneeLen) / Math.max(1, ankleLen - kneeLen), 0, 1.3));
  };
  const adopt = spec.fit !== 'tight';
  const ADOPT = 1.35;
  const rMax = top * Math.max(1, profile[1] * 1.3) * (adopt ? ADOPT : 1) + 2;
  const { width, height } = canvas;
  const endPoint = pointAlong(chain, lengths, end);
  const covered = end <= lengths[0] ? [h, endPoint] : [h, k, endPoint];
  const x0 = clamp(Math.floor(Math.min(...covered.map((p) => p.x)) - rMax), 0, width - 1);
  const x1 = clamp(Math.ceil(Math.max(...covered.map((p) => p.x)) + rMax), 0, width - 1);
  const y0 = clamp(Math.floor(h.y - rMax), 0, height - 1);
  const y1 = clamp(Math.ceil(Math.min(hem + 2, endPoint.y + rMax)), 0, height - 1);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      projectOnChain(x, y, chain, lengths);
      const { a: s, d } = projection;
      if (s < 0) continue; // the seat panel covers above the hip joint
      const r = radiusAt(s);
      const i = y * width + x;
      // Adopting: the old trousers' own width between 0.85x and 1.35x the modelled leg, so the new
      // pair neither leaves a strip of the old one nor stands out past it (where the photo's
      // shading cannot follow).
      const own = adopt ? r * 0.85 : r;
      let cov = Math.min(clamp(own - Math.abs(d) + 0.5, 0, 1), clamp(end - s + 0.5, 0, 1));
      if (adopt && cov < 1 && s <= end && Math.abs(d) <= r * ADOPT && labels[i] === PartLabel.LowerGarment) cov = 1;
      if (cov <= 0) continue;
      canvas.put(i, cov, part, d, s, d / r);
    }
  }
  return end;
}

function finish(canvas: Canvas, unit: number, rows: Silhouette['rows']): Silhouette {
  const coverage = createMask(canvas.width, canvas.height);
  for (let i = 0; i < coverage.data.length; i++) coverage.data[i] = Math.round(canvas.coverage[i] * 255);
  return { width: canvas.width, height: canvas.height, coverage, part: canvas.part, u: canvas.u, v: canvas.v, across: canvas.across, unit, rows };
}

/** The silhouette of the current garment(s) of the spec's category, from the parsing labels (recolours). */
function currentGarment(spec: GarmentSpec, body: BodyFrame, person: PersonAnalysis, rows: BodyRows): Silhouette {
  const { width, height } = person.personMask;
  const canvas = new Canvas(width, height);
  const labels = person.parsing.labels;
  const wanted = spec.category === 'upper_body' ? [PartLabel.UpperGarment] : spec.category === 'lower_body' ? [PartLabel.LowerGarment] : [PartLabel.UpperGarment, PartLabel.LowerGarment];
  const isWanted = new Uint8Array(256);
  for (const l of wanted) isWanted[l] = 1;
  let top = Infinity;
  let hem = -Infinity;
  for (let y = 0; y < height; y++) {
    const cx = body.centreX(Math.min(y, rows.hip));
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!isWanted[labels[i]]) continue;
      // Soft edge: count same-label neighbours (a 1-px anti-aliased rim).
      let same = 0;
      for (const j of [i - 1, i + 1, i - width, i + width]) if (j >= 0 && j < labels.length && isWanted[labels[j]]) same++;
      const cov = same === 4 ? 1 : 0.5 + same * 0.125;
      canvas.put(i, cov, Part.Panel, x - cx, y - rows.shoulder, 0);
      top = Math.min(top, y);
      hem = Math.max(hem, y);
    }
  }
  return finish(canvas, body.shoulderWidth, { top: Number.isFinite(top) ? top : 0, hem: Number.isFinite(hem) ? hem : 0, waist: rows.waist, sleeveEnd: null, legEnd: null });
}

/**
 * Where a skirt's or trousers' waistband goes: `natural` (just below the waist), raised to where
 * the current lower garment starts when that is higher (a dress split at the waist, high-waisted
 * trousers), but never above the waist by more than a third of the armpit-to-waist distance. A
 * new bottom that starts lower than the old one would leave a band of the old one to be filled.
 */
function lowerGarmentTop(body: BodyFrame, person: PersonAnalysis, rows: BodyRows, natural: number): number {
  const { width, height } = person.personMask;
  const labels = person.parsing.labels;
  const highest = rows.waist - (rows.waist - rows.armpit) / 3;
  const half = Math.max(2, Math.round(0.1 * body.shoulderWidth));
  for (let y = Math.max(0, Math.round(highest)); y < Math.min(height, Math.round(natural)); y++) {
    const cx = Math.round(body.centreX(y));
    let lower = 0;
    let n = 0;
    for (let x = Math.max(0, cx - half); x <= Math.min(width - 1, cx + half); x++) {
      n++;
      if (labels[y * width + x] === PartLabel.LowerGarment) lower++;
    }
    if (n > 0 && lower / n >= 0.5) return y;
  }
  return natural;
}

/** The garment's silhouette on this body. Same spec, body and random stream → the same silhouette. */
export function buildSilhouette(spec: GarmentSpec, body: BodyFrame, person: PersonAnalysis, rng: Random): Silhouette {
  const rows = bodyRows(body);
  if (spec.mode === 'recolor') return currentGarment(spec, body, person, rows);
  const variation = drawVariation(rng);
  const { width, height } = person.personMask;
  const canvas = new Canvas(width, height);
  const sw = body.shoulderWidth;
  const hemJitter = (row: number): number => row + variation.hem * rows.torso;

  let top = 0;
  let hem = 0;
  let sleeveEnds: [Point, Point] | null = null;
  let legEnd: number | null = null;

  const legsForm = spec.form === 'trousers' || spec.form === 'jumpsuit' || spec.form === 'overalls';
  const waistband = lowerGarmentTop(body, person, rows, rows.waist + 0.2 * (rows.hip - rows.waist));

  if (spec.form === 'top' || spec.form === 'dress') {
    hem = hemJitter(hemRow(spec.length, rows));
    const panel = bodyPanel(spec, body, person, rows, hem, variation, null);
    drawPanel(canvas, panel, rows.shoulder);
    top = Math.min(...[0.3, 0.5, 0.7].map((f) => panel.top(lerp(body.shoulder.l.x, body.shoulder.r.x, f))));
  } else if (spec.form === 'skirt') {
    hem = hemJitter(hemRow(spec.length, rows));
    const panel = bodyPanel(spec, body, person, rows, hem, variation, waistband);
    drawPanel(canvas, panel, waistband);
    top = waistband;
  } else if (legsForm) {
    const crotch = rows.hip + 0.22 * rows.thigh;
    hem = hemJitter(hemRow(spec.length, rows));
    if (spec.form === 'jumpsuit') {
      // Bodice down to the crotch; the legs continue below.
      const bodice = bodyPanel({ ...spec, cut: 'straight' }, body, person, rows, crotch, variation, null);
      drawPanel(canvas, bodice, rows.shoulder);
      top = Math.min(...[0.3, 0.5, 0.7].map((f) => bodice.top(lerp(body.shoulder.l.x, body.shoulder.r.x, f))));
    } else {
      const seat = bodyPanel({ ...spec, cut: 'straight', fit: spec.fit === 'tight' ? 'tight' : 'regular' }, body, person, rows, crotch, variation, waistband);
      drawPanel(canvas, seat, waistband);
      top = waistband;
      if (spec.form === 'overalls') top = drawBib(canvas, body, rows, waistband);
    }
    const easeOut = ease(spec, variation) * sw;
    const [hipL, hipR] = hipSides(body);
    const labels = person.parsing.labels;
    const endL = drawLeg(canvas, body.leg.l, hem, spec, Part.LegL, body, hipL - easeOut, labels);
    drawLeg(canvas, body.leg.r, hem, spec, Part.LegR, body, hipR + easeOut, labels);
    legEnd = endL;
  }

  if ((spec.form === 'top' || spec.form === 'dress' || spec.form === 'jumpsuit') && spec.sleeve && spec.sleeve !== 'none') {
    const endL = sleeveEnd(spec.sleeve, body.arm.l) * (1 + variation.sleeve);
    const endR = sleeveEnd(spec.sleeve, body.arm.r) * (1 + variation.sleeve);
    sleeveEnds = [
      drawSleeve(canvas, body.arm.l, armRadius(body.arm.l, body.arm.r, sw), endL, spec, Part.SleeveL, person, sw),
      drawSleeve(canvas, body.arm.r, armRadius(body.arm.r, body.arm.l, sw), endR, spec, Part.SleeveR, person, sw),
    ];
  }
  return finish(canvas, sw, { top, hem, waist: rows.waist, sleeveEnd: sleeveEnds, legEnd });
}

/** Overalls: a bib from mid-chest to the waistband and two straps to the shoulders. Returns the bib's top row. */
function drawBib(canvas: Canvas, body: BodyFrame, rows: BodyRows, waistband: number): number {
  const sw = body.shoulderWidth;
  const bibTop = rows.armpit + 0.12 * rows.torso;
  const panel: PanelSpec = {
    top: () => bibTop,
    hem: waistband + 2,
    sides: (y) => {
      const cx = body.centreX(y);
      const half = 0.26 * sw;
      return [cx - half, cx + half];
    },
    centre: (y) => body.centreX(y),
  };
  drawPanel(canvas, panel, bibTop);
  // Straps: from the bib's top corners to the shoulder line beside the neck.
  const { width, height } = canvas;
  const strapW = 0.045 * sw;
  for (const side of [-1, 1] as const) {
    const from = { x: body.centreX(bibTop) + side * 0.22 * sw, y: bibTop + 2 };
    const neck = side < 0 ? body.neck.l : body.neck.r;
    const shoulder = side < 0 ? body.shoulder.l : body.shoulder.r;
    const to = { x: lerp(neck.x, shoulder.x, 0.35), y: lerp(neck.y, shoulder.y, 0.35) };
    const lengths = chainLengths([to, from]);
    const y0 = clamp(Math.floor(to.y - strapW), 0, height - 1);
    const y1 = clamp(Math.ceil(from.y + strapW), 0, height - 1);
    const x0 = clamp(Math.floor(Math.min(to.x, from.x) - strapW), 0, width - 1);
    const x1 = clamp(Math.ceil(Math.max(to.x, from.x) + strapW), 0, width - 1);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        projectOnChain(x, y, [to, from], lengths);
        const { a, d } = projection;
        if (a < 0 || a > lengths[0]) continue;
        const cov = clamp(strapW - Math.abs(d) + 0.5, 0, 1);
        canvas.put(y * width + x, cov, Part.Panel, d, a, 0);
      }
    }
  }
  return bibTop;
}
