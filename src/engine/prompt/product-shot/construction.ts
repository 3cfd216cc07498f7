/**
 * A garment's construction, drawn onto its flat shape: what tells a shirt from a t-shirt of the
 * same colour. Per type:
 * - shirts, shirt dresses, polos, henleys: a collar (shirts, polos) with its shadow, a button
 *   placket (full length, or a short one);
 * - sweaters, sweatshirts, hoodies, cardigans, turtlenecks, bombers, joggers: ribbed hem, cuffs
 *   and neckband; hoodies drawstrings and a kangaroo pocket (the hood is drawn on the person, hood.ts);
 * - blazers, coats, jackets, vests, cardigans: an open V between lapels (or a front edge) with
 *   buttons; blazers flap and breast pockets; trench coats (a-line coats) a double row of buttons
 *   and a belt; denim jackets chest pockets;
 * - trousers, jeans, shorts: a waistband with a button and belt loops, a fly's J-stitch, front
 *   pockets; jeans a coin pocket, rivets and contrast stitching; tailored trousers a pressed crease;
 *   joggers a drawstring and ribbed ankle cuffs;
 * - skirts and dresses: a waist seam where the style has one, pleat lines, a wrap's crossover
 *   edge and its tie;
 * - everything: a stitched hem.
 * Sizes are in shoulder widths (S), so details keep their proportion on every garment.
 */
import type { GarmentSpec } from '../parser.ts';
import type { Random } from '../random.ts';
import { luminance, tone, type Lin, type ShotCanvas } from './canvas.ts';
import type { ShotLandmarks } from './geometry.ts';
import { blurCoverage, coverageAt, curve, emptyCoverage, fillDisc, fillPolygon, forEachInBox, strokePolyline, type Coverage, type Pt } from './raster.ts';

/** Darkening of a seam line and of the shadow a raised piece (collar, pocket flap) casts. */
const SEAM_SHADE = 0.72;
const CAST_SHADOW = 0.7;
/** A raised piece catches a little more light than the fabric under it. */
const RAISED_LIGHT = 1.06;
/** Rib period in shoulder widths. */
const RIB_PERIOD = 0.022;

const RIBBED_TYPES = new Set(['sweater', 'sweatshirt', 'hoodie', 'cardigan', 'turtleneck', 'joggers']);
/** Knit tops with a jersey neckband and stitched sleeve hems (jerseyTop). */
const JERSEY_TYPES = new Set(['t-shirt', 'long-sleeve top', 'crop top']);
/** A short sleeve's stitched hem: this far (shoulder widths) up from its end. */
const SLEEVE_HEM_DEPTH = 0.045;
const OPEN_FRONT_TYPES = new Set(['blazer', 'coat', 'cardigan', 'vest', 'jacket', 'kimono']);

interface Ctx {
  canvas: ShotCanvas;
  spec: GarmentSpec;
  marks: ShotLandmarks;
  S: number;
  w: number;
  h: number;
  /** The garment's mean colour: trims and threads are toned from it. */
  base: Lin;
  /** The fabric's ground colour: pieces beyond the outline (a collar's tips) are cut from it. */
  ground: Lin;
  rng: Random;
}

function seam(ctx: Ctx, pts: Pt[], factor = SEAM_SHADE, radius = 0.0045): void {
  ctx.canvas.shade(strokePolyline(ctx.w, ctx.h, pts, Math.max(0.6, radius * ctx.S)), factor);
}

/** A tonal stitch's length (and gap), in shoulder widths. */
const STITCH_LENGTH = 0.018;
/**
 * Contrast thread (denim) is finer: stitches CONTRAST_STITCH_LENGTH shoulder widths long (about
 * 4 mm on a 42 cm shoulder, a jeans stitch's 3-4 mm), the thread mixed into the denim at
 * CONTRAST_THREAD_COVER. The shot's one-pixel line is placed on the person at 2-6 times its size
 * (imag's shorts: 5.5), so at STITCH_LENGTH and 0.85 it came out as rows of gold blocks 10 px by
 * 25 that read as a cartoon's stitching, where a product photo shows a fine ochre line.
 */
const CONTRAST_STITCH_LENGTH = 0.01;
const CONTRAST_THREAD_COVER = 0.55;

/** Topstitching: a dashed thread line, tonal or (denim) in contrast thread. */
function stitch(ctx: Ctx, pts: Pt[], thread?: Lin): void {
  const cov = strokePolyline(ctx.w, ctx.h, pts, Math.max(0.55, 0.004 * ctx.S), (thread ? CONTRAST_STITCH_LENGTH : STITCH_LENGTH) * ctx.S);
  if (thread) ctx.canvas.paint(scaleCov(cov, CONTRAST_THREAD_COVER), thread);
  else ctx.canvas.shade(cov, luminance(ctx.base) < 0.05 ? 1.6 : 0.8);
}

function scaleCov(cov: Coverage, k: number): Coverage {
  for (let j = 0; j < cov.data.length; j++) cov.data[j] *= k;
  return cov;
}

/** A raised piece: painted in `colour`, with a soft shadow cast down-right onto what is under it. */
function raised(ctx: Ctx, poly: Pt[], colour: Lin, extend = false): Coverage {
  const cov = fillPolygon(ctx.w, ctx.h, poly);
  const offset = Math.round(0.012 * ctx.S);
  const shadow = blurCoverage(shift(cov, offset, offset), 0.012 * ctx.S);
  forEachInBox(shadow, (_i, j, x, y) => {
    shadow.data[j] *= 1 - coverageAt(cov, x, y);
  });
  ctx.canvas.shade(shadow, CAST_SHADOW);
  // The piece is the garment's own fabric: its print continues under the fold, a little lighter.
  if (extend) ctx.canvas.overlay(cov, RAISED_LIGHT, colour);
  else ctx.canvas.shade(cov, RAISED_LIGHT);
  // Its outline is a folded edge: a little darker.
  seam(ctx, [...poly, poly[0]], 0.82, 0.003);
  return cov;
}

function shift(cov: Coverage, dx: number, dy: number): Coverage {
  const { x0, y0, x1, y1 } = cov.box;
  const box = { x0: Math.max(0, x0 + dx), y0: Math.max(0, y0 + dy), x1: Math.min(cov.width, x1 + dx), y1: Math.min(cov.height, y1 + dy) };
  const out = emptyCoverage(cov.width, cov.height, box);
  for (let y = box.y0; y < box.y1; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= cov.height) continue;
    for (let x = box.x0; x < box.x1; x++) {
      const sx = x - dx;
      out.data[(y - box.y0) * (box.x1 - box.x0) + x - box.x0] = coverageAt(cov, sx, sy);
    }
  }
  return out;
}

/**
 * A jeans rivet's radius, in shoulder widths: about 8 mm across on a 42 cm shoulder. Drawn 0.012 S
 * as flat pale-gold discs, they were the size of the waistband button and came out as gold blobs on
 * close crops, where the shot is placed at 4-6 times its size (imag, baumu); a rivet is a small
 * domed stud, so it is drawn as a button is, with its shadow and highlight.
 */
const RIVET_RADIUS = 0.009;

function button(ctx: Ctx, x: number, y: number, r = 0.024): void {
  const { w, h, S } = ctx;
  const light = luminance(ctx.base) > 0.25;
  const colour: Lin = ctx.spec.material === 'denim' ? [0.45, 0.33, 0.16] : light ? tone(ctx.base, 0.55) : tone(ctx.base, 1.9);
  ctx.canvas.shade(blurCoverage(fillDisc(w, h, x + 0.006 * S, y + 0.008 * S, r * S), 0.006 * S), 0.6);
  ctx.canvas.paint(fillDisc(w, h, x, y, r * S), colour);
  ctx.canvas.shade(fillDisc(w, h, x - 0.007 * S, y - 0.007 * S, r * S * 0.35), 1.5);
}

/** Vertical rib structure inside `cov` (a band): alternating ridges and valleys. */
function rib(ctx: Ctx, cov: Coverage, horizontal = false): void {
  const period = RIB_PERIOD * ctx.S;
  forEachInBox(cov, (i, j, x, y) => {
    const c = cov.data[j];
    if (c <= 0 || ctx.canvas.alpha[i] <= 0) return;
    const t = horizontal ? y : x;
    const f = 0.84 + 0.16 * (0.5 + 0.5 * Math.cos((2 * Math.PI * t) / period));
    const k = 1 + (f - 1) * c;
    for (let ch = 0; ch < 3; ch++) ctx.canvas.rgb[i * 3 + ch] *= k;
  });
}

/** A band across the garment between rows y0..y1 (hem ribbing, waistband), limited to the garment. */
function rowBand(ctx: Ctx, y0: number, y1: number): Coverage {
  const cov = fillPolygon(ctx.w, ctx.h, [{ x: 0, y: y0 }, { x: ctx.w, y: y0 }, { x: ctx.w, y: y1 }, { x: 0, y: y1 }]);
  forEachInBox(cov, (i, j) => {
    cov.data[j] *= ctx.canvas.alpha[i];
  });
  return cov;
}

/** A band across a sleeve's cuff, `depth` S deep. */
function cuffBand(ctx: Ctx, cuff: { outer: Pt; inner: Pt; dir: Pt }, depth: number): Pt[] {
  const d = depth * ctx.S;
  const back = (p: Pt): Pt => ({ x: p.x - cuff.dir.x * d, y: p.y - cuff.dir.y * d });
  return [back(cuff.outer), back(cuff.inner), cuff.inner, cuff.outer];
}

function hemStitch(ctx: Ctx): void {
  const { marks, S } = ctx;
  const y = marks.hemY - 0.035 * S;
  if (marks.legs) {
    for (const hem of marks.legs.hems) stitch(ctx, [{ x: hem.outer.x, y: hem.outer.y - 0.035 * S }, { x: hem.inner.x, y: hem.inner.y - 0.035 * S }], contrastThread(ctx));
    return;
  }
  stitch(ctx, [{ x: marks.cx - marks.hemHalf * 1.05, y }, { x: marks.cx + marks.hemHalf * 1.05, y }]);
}

function contrastThread(ctx: Ctx): Lin | undefined {
  return ctx.spec.material === 'denim' ? [0.5, 0.3, 0.08] : undefined;
}

function collar(ctx: Ctx): void {
  const { marks, S } = ctx;
  const neck = marks.neck;
  if (!neck) return;
  const cx = marks.cx;
  const y0 = marks.top;
  const colour = tone(ctx.ground, RAISED_LIGHT);
  const polo = ctx.spec.type === 'polo';
  const pointY = y0 + (polo ? 0.2 : 0.26) * S;
  for (const side of [-1, 1]) {
    const leaf: Pt[] = [
      { x: cx + side * 0.16 * S, y: y0 - 0.035 * S },
      { x: cx + side * 0.29 * S, y: y0 + 0.07 * S },
      { x: cx + side * 0.15 * S, y: pointY },
      { x: cx + side * 0.015 * S, y: y0 + 0.12 * S },
      { x: cx + side * 0.05 * S, y: y0 + 0.02 * S },
    ];
    raised(ctx, leaf, colour, true);
  }
  // No collar band across the back of the neck: it would close the neck opening, and the classic
  // cut-out fills enclosed backdrop as garment (a grey bib under the chin).
}

function placket(ctx: Ctx, fromY: number, toY: number, buttons: number): void {
  const { marks, S } = ctx;
  const cx = marks.cx;
  const half = 0.035 * S;
  seam(ctx, [{ x: cx - half, y: fromY }, { x: cx - half, y: toY }], 0.8);
  stitch(ctx, [{ x: cx + half, y: fromY }, { x: cx + half, y: toY }]);
  for (let k = 0; k < buttons; k++) button(ctx, cx, fromY + 0.05 * S + ((toY - fromY - 0.1 * S) * k) / Math.max(1, buttons - 1), 0.02);
}

function ribbing(ctx: Ctx, hem: boolean): void {
  const { marks, S } = ctx;
  if (hem && !marks.legs) {
    const band = rowBand(ctx, marks.hemY - 0.11 * S, marks.hemY + 1);
    rib(ctx, band);
    seam(ctx, [{ x: marks.cx - marks.hemHalf, y: marks.hemY - 0.11 * S }, { x: marks.cx + marks.hemHalf, y: marks.hemY - 0.11 * S }], 0.8);
  }
  for (const cuff of marks.cuffs ?? []) {
    if (ctx.spec.sleeve !== 'long' && ctx.spec.sleeve !== 'three_quarter') continue;
    const poly = cuffBand(ctx, cuff, 0.11);
    const cov = fillPolygon(ctx.w, ctx.h, poly);
    rib(ctx, cov);
    seam(ctx, [poly[0], poly[1]], 0.8);
  }
  for (const hem of marks.legs?.hems ?? []) {
    if (ctx.spec.type !== 'joggers') continue;
    const y = Math.min(hem.outer.y, hem.inner.y);
    const band = fillPolygon(ctx.w, ctx.h, [{ x: hem.outer.x, y: y - 0.12 * S }, { x: hem.inner.x, y: y - 0.12 * S }, hem.inner, hem.outer]);
    rib(ctx, band);
  }
  if (ctx.spec.neckline !== 'high' && !OPEN_FRONT_TYPES.has(ctx.spec.type)) neckband(ctx);
}

/** A ribbed band round the neckline (0.05 S deep, about 2 cm) with the seam below it; none on a strapless or off-shoulder top. */
function neckband(ctx: Ctx): void {
  const { marks, S } = ctx;
  const neck = marks.neck;
  if (!neck) return;
  const pts = ctx.spec.neckline === 'v' ? [neck.l, { x: marks.cx, y: marks.top + neck.depth }, neck.r] : curve(neck.l, { x: marks.cx, y: marks.top + neck.depth * 2 }, neck.r, 16);
  const cov = strokePolyline(ctx.w, ctx.h, pts.map((p) => ({ x: p.x, y: p.y + 0.025 * S })), 0.025 * S);
  rib(ctx, cov, false);
  seam(ctx, pts.map((p) => ({ x: p.x, y: p.y + 0.05 * S })), 0.8);
}

/**
 * Jersey tops (t-shirt, long-sleeve top, crop top): a ribbed neckband and a stitched hem round each
 * sleeve end. Without them a tee was a flat coloured shape with nothing at its neckline or sleeve
 * ends, the plainest case of issue 9's paper cut-outs (baumu, imag, lhm).
 */
function jerseyTop(ctx: Ctx): void {
  const { marks } = ctx;
  if (ctx.spec.neckline === 'crew' || ctx.spec.neckline === 'scoop' || ctx.spec.neckline === 'v') neckband(ctx);
  for (const cuff of marks.cuffs ?? []) {
    if (ctx.spec.sleeve === 'long' || ctx.spec.sleeve === 'three_quarter') continue;
    const poly = cuffBand(ctx, cuff, SLEEVE_HEM_DEPTH);
    stitch(ctx, [poly[0], poly[1]]);
    seam(ctx, [cuff.outer, cuff.inner], 0.85, 0.008);
  }
  // A long sleeve ends in a narrow cuff band.
  for (const cuff of marks.cuffs ?? []) {
    if (ctx.spec.sleeve !== 'long' && ctx.spec.sleeve !== 'three_quarter') continue;
    const poly = cuffBand(ctx, cuff, 0.06);
    rib(ctx, fillPolygon(ctx.w, ctx.h, poly));
    seam(ctx, [poly[0], poly[1]], 0.8);
  }
}

function turtleneck(ctx: Ctx): void {
  const { marks, S } = ctx;
  const cx = marks.cx;
  const y0 = marks.top;
  const roll = fillPolygon(ctx.w, ctx.h, [{ x: cx - 0.16 * S, y: y0 - 0.14 * S }, { x: cx + 0.16 * S, y: y0 - 0.14 * S }, { x: cx + 0.18 * S, y: y0 + 0.02 * S }, { x: cx - 0.18 * S, y: y0 + 0.02 * S }]);
  rib(ctx, roll);
  // The roll's fold: a soft highlight over a shadow line.
  seam(ctx, [{ x: cx - 0.17 * S, y: y0 - 0.06 * S }, { x: cx + 0.17 * S, y: y0 - 0.06 * S }], 0.7, 0.008);
  seam(ctx, [{ x: cx - 0.18 * S, y: y0 + 0.02 * S }, { x: cx + 0.18 * S, y: y0 + 0.02 * S }], 0.75, 0.006);
}

function hood(ctx: Ctx): void {
  const { marks, S } = ctx;
  const neck = marks.neck;
  if (!neck) return;
  const cx = marks.cx;
  const y0 = marks.top;
  // The hood itself is drawn on the person after the try-on (hood.ts): drawn here round the neck
  // opening, it was repainted as neck and chest, and its rim rose up the neck as a funnel collar.
  // Drawstrings with aglets.
  for (const side of [-1, 1]) {
    const top = { x: cx + side * 0.07 * S, y: y0 + 0.14 * S };
    const end = { x: cx + side * 0.09 * S, y: y0 + 0.5 * S };
    const cord = strokePolyline(ctx.w, ctx.h, curve(top, { x: cx + side * 0.06 * S, y: y0 + 0.32 * S }, end, 10), 0.011 * S);
    ctx.canvas.shade(blurCoverage(shift(cord, Math.round(0.01 * S), Math.round(0.01 * S)), 0.008 * S), 0.75);
    ctx.canvas.paint(cord, tone(ctx.base, luminance(ctx.base) > 0.3 ? 0.8 : 1.6));
    ctx.canvas.paint(fillPolygon(ctx.w, ctx.h, [{ x: end.x - 0.012 * S, y: end.y }, { x: end.x + 0.012 * S, y: end.y }, { x: end.x + 0.012 * S, y: end.y + 0.05 * S }, { x: end.x - 0.012 * S, y: end.y + 0.05 * S }]), [0.7, 0.7, 0.72]);
  }
  // Kangaroo pocket.
  const yT = marks.hemY - 0.55 * S;
  const yB = marks.hemY - 0.13 * S;
  const pocket: Pt[] = [{ x: cx - 0.22 * S, y: yT }, { x: cx + 0.22 * S, y: yT }, { x: cx + 0.34 * S, y: yB }, { x: cx - 0.34 * S, y: yB }];
  stitch(ctx, [pocket[0], pocket[1]]);
  stitch(ctx, [pocket[2], pocket[3]]);
  for (const side of [-1, 1]) {
    // The openings: the slanted sides, with the shadow of the pocket's mouth.
    const a = side < 0 ? pocket[0] : pocket[1];
    const b = side < 0 ? pocket[3] : pocket[2];
    seam(ctx, [a, b], 0.55, 0.01);
  }
}

function lapels(ctx: Ctx): void {
  const { marks, S, spec } = ctx;
  const cx = marks.cx;
  const y0 = marks.top;
  const cardigan = spec.type === 'cardigan' || spec.type === 'vest' || spec.type === 'kimono';
  const high = spec.neckline === 'high';
  const closeY = y0 + (cardigan ? 0.55 : spec.type === 'coat' ? 0.5 : 0.72) * S;
  if (!high) {
    // The open V down to where the front closes (the top under it shows there when worn).
    const v: Pt[] = [{ x: cx - 0.15 * S, y: y0 - 1 }, { x: cx + 0.15 * S, y: y0 - 1 }, { x: cx + 0.005 * S, y: closeY }, { x: cx - 0.005 * S, y: closeY }];
    ctx.canvas.cut(fillPolygon(ctx.w, ctx.h, v));
  }
  if (!cardigan && !high) {
    for (const side of [-1, 1]) {
      const lapel: Pt[] = [
        { x: cx + side * 0.15 * S, y: y0 },
        { x: cx + side * 0.2 * S, y: y0 - 0.02 * S },
        { x: cx + side * 0.3 * S, y: y0 + 0.2 * S },
        { x: cx + side * 0.25 * S, y: y0 + 0.25 * S },
        { x: cx + side * 0.03 * S, y: closeY },
        { x: cx + side * 0.005 * S, y: closeY },
      ];
      raised(ctx, lapel, tone(ctx.base, 1.07));
      // The notch between collar and lapel.
      seam(ctx, [{ x: cx + side * 0.2 * S, y: y0 + 0.1 * S }, { x: cx + side * 0.28 * S, y: y0 + 0.17 * S }], 0.6, 0.008);
    }
  }
  // The front edge (the right front lies over the left) and its buttons.
  const edge = [{ x: cx + 0.01 * S, y: closeY }, { x: cx + 0.01 * S, y: marks.hemY }];
  seam(ctx, edge, 0.62, 0.006);
  const double = spec.type === 'coat' && spec.cut === 'a_line';
  const count = cardigan ? 5 : spec.type === 'coat' ? 4 : spec.type === 'blazer' ? 2 : 4;
  const step = cardigan ? (marks.hemY - closeY - 0.15 * S) / Math.max(1, count - 1) : 0.26 * S;
  for (let k = 0; k < count; k++) {
    const y = closeY + 0.06 * S + k * step;
    if (y > marks.hemY - 0.1 * S) break;
    if (double) {
      button(ctx, cx - 0.1 * S, y, 0.026);
      button(ctx, cx + 0.12 * S, y, 0.026);
    } else button(ctx, cx - 0.03 * S, y, cardigan ? 0.018 : 0.025);
  }
  if (spec.type === 'blazer' || spec.type === 'coat') {
    // Flap pockets at the hip and a breast welt.
    const py = Math.min(marks.hemY - 0.3 * S, y0 + 1.15 * S);
    for (const side of [-1, 1]) {
      raised(ctx, [{ x: cx + side * 0.16 * S, y: py }, { x: cx + side * 0.42 * S, y: py - 0.01 * S }, { x: cx + side * 0.42 * S, y: py + 0.08 * S }, { x: cx + side * 0.16 * S, y: py + 0.09 * S }], tone(ctx.base, 1.03));
    }
    if (spec.type === 'blazer') seam(ctx, [{ x: cx + 0.2 * S, y: y0 + 0.55 * S }, { x: cx + 0.36 * S, y: y0 + 0.53 * S }], 0.55, 0.008);
  }
  if (double) {
    // The trench's belt at the waist, with its buckle.
    const wy = marks.top + 1.0 * S;
    const belt = rowBand(ctx, wy - 0.045 * S, wy + 0.045 * S);
    ctx.canvas.shade(blurCoverage(shift(belt, 0, Math.round(0.015 * S)), 0.01 * S), CAST_SHADOW);
    ctx.canvas.paint(belt, tone(ctx.base, 1.05));
    seam(ctx, [{ x: 0, y: wy - 0.045 * S }, { x: ctx.w, y: wy - 0.045 * S }], 0.75);
    seam(ctx, [{ x: 0, y: wy + 0.045 * S }, { x: ctx.w, y: wy + 0.045 * S }], 0.75);
    const bx = cx - 0.05 * S;
    seam(ctx, [{ x: bx - 0.05 * S, y: wy - 0.06 * S }, { x: bx + 0.05 * S, y: wy - 0.06 * S }, { x: bx + 0.05 * S, y: wy + 0.06 * S }, { x: bx - 0.05 * S, y: wy + 0.06 * S }, { x: bx - 0.05 * S, y: wy - 0.06 * S }], 0.45, 0.01);
  }
}

function jacketFront(ctx: Ctx): void {
  const { marks, S, spec } = ctx;
  const cx = marks.cx;
  const y0 = marks.top;
  const zip = spec.material === 'leather' || spec.neckline === 'high' || spec.type === 'puffer jacket';
  if (zip) {
    // A zip: a metallic tooth line down the front (a biker's runs off-centre).
    const x0 = spec.material === 'leather' ? cx + 0.12 * S : cx;
    const pts = spec.material === 'leather' ? [{ x: cx - 0.05 * S, y: y0 + 0.05 * S }, { x: x0, y: y0 + 0.6 * S }, { x: x0, y: marks.hemY }] : [{ x: cx, y: y0 - (spec.neckline === 'high' ? 0.12 * S : 0) }, { x: cx, y: marks.hemY }];
    ctx.canvas.paint(strokePolyline(ctx.w, ctx.h, pts, 0.009 * S, 0.008 * S), [0.55, 0.55, 0.58]);
    seam(ctx, pts.map((p) => ({ x: p.x - 0.012 * S, y: p.y })), 0.6);
  } else {
    placket(ctx, y0 + 0.1 * S, marks.hemY - 0.08 * S, 5);
  }
  // Chest pockets with flaps.
  for (const side of [-1, 1]) {
    const px = cx + side * 0.22 * S;
    const py = y0 + 0.38 * S;
    raised(ctx, [{ x: px - 0.09 * S, y: py }, { x: px + 0.09 * S, y: py }, { x: px + 0.09 * S, y: py + 0.07 * S }, { x: px, y: py + 0.09 * S }, { x: px - 0.09 * S, y: py + 0.07 * S }], tone(ctx.base, 1.04));
    if (spec.material === 'denim') button(ctx, px, py + 0.06 * S, 0.016);
  }
}

function trouserFront(ctx: Ctx): void {
  const { marks, S, spec } = ctx;
  const cx = marks.cx;
  const yW = marks.waistY;
  const jeans = spec.material === 'denim';
  const elastic = spec.type === 'joggers' || spec.type === 'leggings';
  const band = 0.085 * S;
  const thread = contrastThread(ctx);
  const waistband = rowBand(ctx, yW, yW + band);
  if (spec.type === 'joggers') rib(ctx, waistband);
  seam(ctx, [{ x: cx - marks.waistHalf - 0.05 * S, y: yW + band }, { x: cx + marks.waistHalf + 0.05 * S, y: yW + band }], 0.7);
  stitch(ctx, [{ x: cx - marks.waistHalf, y: yW + 0.015 * S }, { x: cx + marks.waistHalf, y: yW + 0.015 * S }], thread);
  if (elastic) {
    if (spec.type === 'joggers') {
      for (const side of [-1, 1]) {
        const cord = strokePolyline(ctx.w, ctx.h, curve({ x: cx + side * 0.03 * S, y: yW + band * 0.6 }, { x: cx + side * 0.05 * S, y: yW + 0.2 * S }, { x: cx + side * 0.04 * S, y: yW + 0.33 * S }, 8), 0.01 * S);
        ctx.canvas.paint(cord, tone(ctx.base, luminance(ctx.base) > 0.3 ? 0.8 : 1.7));
      }
    }
    return;
  }
  button(ctx, cx, yW + band / 2, 0.022);
  for (const x of [-0.38, -0.15, 0.15, 0.38]) {
    raised(ctx, [{ x: cx + (x - 0.014) * S, y: yW - 0.01 * S }, { x: cx + (x + 0.014) * S, y: yW - 0.01 * S }, { x: cx + (x + 0.014) * S, y: yW + band + 0.015 * S }, { x: cx + (x - 0.014) * S, y: yW + band + 0.015 * S }], tone(ctx.base, 1.05));
  }
  // The fly: a J-stitch on the wearer's left.
  const fly = [{ x: cx + 0.07 * S, y: yW + band }, { x: cx + 0.07 * S, y: yW + 0.4 * S }, ...curve({ x: cx + 0.07 * S, y: yW + 0.4 * S }, { x: cx + 0.07 * S, y: yW + 0.5 * S }, { x: cx, y: yW + 0.52 * S }, 6).slice(1)];
  stitch(ctx, fly, thread);
  seam(ctx, [{ x: cx, y: yW + band }, { x: cx, y: yW + 0.52 * S }], 0.7);
  // Front pockets: curved (jeans) or slanted (trousers) openings from the waistband to the side seam.
  for (const side of [-1, 1]) {
    const a = { x: cx + side * 0.22 * S, y: yW + band };
    const b = { x: cx + side * (marks.waistHalf + 0.06 * S), y: yW + 0.3 * S };
    const pts = jeans ? curve(a, { x: cx + side * 0.26 * S, y: yW + 0.28 * S }, b, 10) : [a, b];
    seam(ctx, pts, 0.5, 0.008);
    stitch(ctx, pts.map((p) => ({ x: p.x + side * 0.02 * S, y: p.y + 0.012 * S })), thread);
    if (jeans) {
      button(ctx, a.x, a.y + 0.015 * S, RIVET_RADIUS);
      button(ctx, b.x - side * 0.02 * S, b.y, RIVET_RADIUS);
    }
  }
  if (jeans) {
    const px = cx - 0.3 * S;
    stitch(ctx, [{ x: px, y: yW + band + 0.03 * S }, { x: px, y: yW + 0.2 * S }, { x: px + 0.11 * S, y: yW + 0.2 * S }, { x: px + 0.11 * S, y: yW + band + 0.03 * S }], thread);
  } else if (spec.type === 'trousers' && spec.material !== 'fleece') {
    // A pressed crease down each leg.
    for (const hem of marks.legs?.hems ?? []) {
      const mx = (hem.outer.x + hem.inner.x) / 2;
      const top = { x: cx + (mx - cx) * 0.55, y: yW + 0.4 * S };
      ctx.canvas.shade(strokePolyline(ctx.w, ctx.h, [top, { x: mx, y: hem.outer.y }], 0.006 * S), 1.18);
    }
  }
}

function skirtAndDress(ctx: Ctx): void {
  const { marks, S, spec } = ctx;
  const cx = marks.cx;
  const style = spec.style ?? '';
  const dress = spec.form === 'dress';
  if (dress && ['a-line', 'fit and flare', 'skater', 'wrap', 'empire', 'babydoll', 'shirt', 'sundress', 'cocktail', 'gown'].includes(style)) {
    seam(ctx, [{ x: cx - marks.waistHalf, y: marks.waistY }, { x: cx + marks.waistHalf, y: marks.waistY }], 0.72);
  }
  if (!dress) {
    const yW = marks.waistY;
    seam(ctx, [{ x: cx - marks.waistHalf, y: yW + 0.08 * S }, { x: cx + marks.waistHalf, y: yW + 0.08 * S }], 0.72);
    if (spec.material === 'denim') {
      stitch(ctx, [{ x: cx + 0.07 * S, y: yW + 0.08 * S }, { x: cx + 0.07 * S, y: yW + 0.38 * S }], contrastThread(ctx));
      button(ctx, cx, yW + 0.04 * S, 0.02);
    }
  }
  if (spec.pleated) {
    // Pleat folds fanning from the waist (or hip) to the hem.
    const n = 12;
    const yTop = dress ? marks.waistY : marks.waistY + 0.1 * S;
    for (let k = 1; k < n; k++) {
      const t = k / n - 0.5;
      seam(ctx, [{ x: cx + t * 2 * marks.waistHalf, y: yTop }, { x: cx + t * 2 * marks.hemHalf, y: marks.hemY - 0.01 * S }], 0.68, 0.004);
    }
  }
  if (style === 'wrap') {
    // The crossover: the front panel's edge from the waist's side down across the skirt, and the tie.
    const yW = marks.waistY;
    const edge = curve({ x: cx + marks.waistHalf * 0.9, y: yW }, { x: cx + 0.05 * S, y: (yW + marks.hemY) / 2 }, { x: cx - marks.hemHalf * 0.35, y: marks.hemY }, 14);
    ctx.canvas.shade(blurCoverage(shift(strokePolyline(ctx.w, ctx.h, edge, 0.01 * S), -Math.round(0.015 * S), 0), 0.02 * S), 0.72);
    seam(ctx, edge, 0.75, 0.004);
    if (dress && marks.neck) {
      const neck = marks.neck;
      seam(ctx, [neck.l, { x: cx + marks.waistHalf * 0.9, y: yW }], 0.7, 0.005);
    }
    const knot = { x: cx + marks.waistHalf * 0.95, y: yW };
    raised(ctx, [{ x: knot.x - 0.03 * S, y: knot.y - 0.03 * S }, { x: knot.x + 0.03 * S, y: knot.y - 0.03 * S }, { x: knot.x + 0.03 * S, y: knot.y + 0.03 * S }, { x: knot.x - 0.03 * S, y: knot.y + 0.03 * S }], tone(ctx.base, 1.05));
    for (const dx of [-0.02, 0.06]) {
      const tie = strokePolyline(ctx.w, ctx.h, [{ x: knot.x, y: knot.y + 0.02 * S }, { x: knot.x + dx * S, y: knot.y + 0.45 * S }], 0.022 * S);
      ctx.canvas.shade(blurCoverage(shift(tie, Math.round(0.012 * S), Math.round(0.012 * S)), 0.01 * S), CAST_SHADOW);
      ctx.canvas.paint(tie, tone(ctx.base, 1.03));
    }
  }
}

/** Draws every construction detail the spec's garment type has. */
export function drawConstruction(canvas: ShotCanvas, spec: GarmentSpec, marks: ShotLandmarks, rng: Random, ground: Lin): void {
  const ctx: Ctx = { canvas, spec, marks, S: marks.unit, w: canvas.width, h: canvas.height, base: canvas.meanColour(), ground, rng };
  const type = spec.type;
  const form = spec.form;
  if (form === 'trousers' || form === 'jumpsuit' || form === 'overalls') {
    if (form === 'trousers') trouserFront(ctx);
    else seam(ctx, [{ x: marks.cx - marks.waistHalf, y: marks.waistY }, { x: marks.cx + marks.waistHalf, y: marks.waistY }], 0.7);
  }
  if (form === 'skirt' || form === 'dress') skirtAndDress(ctx);
  if (form === 'top' || form === 'dress') {
    const shirtLike = type === 'shirt' || type === 'polo' || type === 'henley' || spec.style === 'shirt';
    if ((spec.neckline === 'collar' && !OPEN_FRONT_TYPES.has(type)) || (shirtLike && type !== 'henley')) collar(ctx);
    if (type === 'shirt' || spec.style === 'shirt') placket(ctx, marks.top + 0.12 * ctx.S, Math.min(marks.hemY, marks.top + 1.6 * ctx.S) - 0.08 * ctx.S, 6);
    if (type === 'polo' || type === 'henley') placket(ctx, marks.top + 0.1 * ctx.S, marks.top + 0.42 * ctx.S, 3);
    if (type === 'turtleneck') turtleneck(ctx);
    if (RIBBED_TYPES.has(type) || spec.style === 'sweater' || (type === 'jacket' && spec.neckline === 'high')) ribbing(ctx, true);
    else if (JERSEY_TYPES.has(type) && form === 'top') jerseyTop(ctx);
    if (type === 'hoodie') hood(ctx);
    if (type === 'jacket' || type === 'puffer jacket') {
      if (spec.neckline === 'collar') collar(ctx);
      jacketFront(ctx);
    }
    if (OPEN_FRONT_TYPES.has(type) && type !== 'jacket') lapels(ctx);
  }
  if (type === 'joggers') ribbing(ctx, false);
  hemStitch(ctx);
}
