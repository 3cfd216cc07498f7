/**
 * Light on the flat garment, as a studio shot of a garment on a ghost mannequin shows it:
 * - form: the body panel, sleeves and legs are rounded (darker towards their sides), lit a little
 *   from above;
 * - soft folds: drag lines from the armpits towards the waist, creases at the elbows and knees,
 *   vertical drape in skirts (more the wider the flare), whiskers at the hips of jeans; positions
 *   vary with the seed;
 * - ambient occlusion: a soft darkening along the outline and at the seams between parts;
 * - sheen: satin, silk, leather and metallic fabrics carry a specular band along each part's
 *   curvature (velvet the opposite: bright rims, dark centre);
 * - denim fading: lighter down the middle of each leg and across the thighs.
 * All in linear light, multiplied into the painted albedo.
 */
import type { GarmentSpec } from '../parser.ts';
import type { Random } from '../random.ts';
import { Part, type Silhouette } from '../silhouette.ts';
import { rgbToLab } from '../colors.ts';
import { luminance, toSrgb8, type Lin, type ShotCanvas } from './canvas.ts';
import { placedAsSkirt, type ShotLandmarks } from './geometry.ts';
import { blurCoverage, coverageAt, segmentDistance, type Coverage, type Pt } from './raster.ts';

/** Darkening at a part's side (across = ±1), as a share of its light. */
const ROUNDNESS = 0.2;
/** Darkest a fold's valley gets, and the highlight on its ridge. */
const FOLD_DEPTH = 0.16;
const FOLD_RIDGE = 0.07;
/**
 * How far above the crotch (in shoulder widths) trousers' light turns from the hips' one rounded
 * panel into two rounded legs. Switched at the crotch row, the legs' roundness (dark towards each
 * leg's sides, so dark at the crotch) and denim's fading down each leg's middle began in a hard
 * horizontal line: a pale band across the thighs of every pair of shorts (read as a turned-up hem
 * band at product-page size) and a pale patch at the fly of chinos and jeans.
 */
const CROTCH_BLEND = 0.3;
/** Light of a part's roundness at `across` (−1..1): the body panel flatter across its middle than a limb. */
const roundness = (a2: number, panel: boolean): number => 1 - ROUNDNESS * (panel ? a2 * a2 : a2);
/** Denim's fading down a leg's middle, `down` shares of the way from the crotch to where it is full. */
const denimFade = (a2: number, down: number): number => 1 + 0.18 * Math.exp(-a2 * 4) * (0.6 + 0.4 * Math.min(1, down));
/** Outline occlusion: light left at the very edge. */
const EDGE_OCCLUSION = 0.78;
/**
 * The light factors above are shares of linear light, and the eye reads lightness (L*, about the
 * cube root of it): a 16 % fold valley is 5 L* on a white shirt but 1 L* on a navy one, so dark
 * garments came out as flat cut-outs. Below LIGHT_REFERENCE_L (L* of the garment's mean colour)
 * every light factor f is raised to the power LIGHT_REFERENCE_L / L*, at most MAX_LIGHT_POWER, so
 * a fold or the body's roundness darkens a dark garment by about as many L* units as a mid-tone.
 */
const LIGHT_REFERENCE_L = 60;
const MAX_LIGHT_POWER = 3;

/** The power light factors are raised to for a garment whose mean linear colour is `mean`. */
export function lightPower(mean: Lin): number {
  const l = rgbToLab([toSrgb8(mean[0]), toSrgb8(mean[1]), toSrgb8(mean[2])])[0];
  return Math.max(1, Math.min(MAX_LIGHT_POWER, LIGHT_REFERENCE_L / Math.max(1, l)));
}

/**
 * A dark fabric's own diffuse gloss, in linear light, added where a part faces the camera: woven
 * and knitted fibres reflect a few per cent of the light whatever their dye, which is what shows a
 * black garment's form in a studio shot. Multiplying light factors into a near-black albedo (linear
 * 0.01) left a black tank top or little black dress a flat black box at product-page size (econ,
 * baumu, imag); lit by a sheen of up to DARK_GLOSS its middle reads about L* 20, its sides and
 * fold valleys stay near its albedo. Scaled by how far the garment's L* lies below
 * LIGHT_REFERENCE_L, so garments from mid-tones up are unchanged (it would not show on them).
 */
const DARK_GLOSS = 0.012;

/**
 * Chroma (C*) of a garment's mean colour from which it carries no DARK_GLOSS: the gloss is
 * colourless and greyed navy and burgundy (their rendered colour moved 1-1.3 ΔE00 further from the
 * asked one in the eval, with no form gained that a rating saw), where black, charcoal and dark
 * grey only read as lit fabric.
 */
const GLOSS_CHROMA_LIMIT = 20;

/**
 * How much DARK_GLOSS a garment carries: 1 − (L* of its mean colour) / LIGHT_REFERENCE_L, 0 from
 * mid-tones up, times 1 − C* / GLOSS_CHROMA_LIMIT, 0 for coloured garments.
 */
export function darkness(mean: Lin): number {
  const [l, a, b] = rgbToLab([toSrgb8(mean[0]), toSrgb8(mean[1]), toSrgb8(mean[2])]);
  return Math.max(0, 1 - l / LIGHT_REFERENCE_L) * Math.max(0, 1 - Math.hypot(a, b) / GLOSS_CHROMA_LIMIT);
}

/** Creases per leg beside the crotch of trousers other than denim, and the first one's depth as a share of FOLD_DEPTH. */
const CROTCH_CREASES = 3;
const CROTCH_CREASE_DEPTH = 0.6;
/** Length (shoulder widths) over which a drape fold grows from nothing below its top (dropIn). */
const DRAPE_FADE_IN_S = 0.4;
/** Denim whiskers per leg, and the first one's depth as a share of FOLD_DEPTH (negative: a faded, lighter crease). */
const WHISKERS = 4;
const WHISKER_DEPTH = -0.9;

/**
 * Where a glossy body panel (satin, silk, leather, metallic, sequins) catches the light along its
 * length: on the bust's and the hips' curves, SHEEN_BUST_S below the armpits and SHEEN_HIP_S below
 * the waist (Gaussians SHEEN_CURVE_SIGMA_S wide, all in shoulder widths), and only SHEEN_FLAT of
 * that between them and down a skirt, where the cloth hangs flat. At one strength from the neckline
 * to the hem the highlight was a pale bar painted down a slip dress.
 */
const SHEEN_BUST_S = 0.12;
const SHEEN_HIP_S = 0.45;
const SHEEN_CURVE_SIGMA_S = 0.28;
const SHEEN_FLAT = 0.3;
/**
 * A glossy fabric's highlight on the lit flank of each drape fold, as a share of its sheen: satin
 * and silk show their drape as bright streaks down the skirt, where matte cloth shows only the
 * valleys' shade. Short folds (elbow creases, drag lines) keep their plain shade: lit, they read as
 * pale bars drawn across a black satin or leather sleeve.
 */
const SHEEN_ON_RIDGES = 0.8;
/** The lit flank's middle and half-width beside a fold's valley, in the fold's sigmas. */
const FLANK_AT = 1.6;
const FLANK_WIDTH = 1.1;

const SHEEN: Partial<Record<NonNullable<GarmentSpec['material']>, number>> = { satin: 0.45, silk: 0.35, leather: 0.3, metallic: 0.55, sequins: 0.3 };

interface Fold {
  a: Pt;
  b: Pt;
  /** Width (px, Gaussian sigma) of the valley. */
  sigma: number;
  depth: number;
  /** A skirt's (or wide legs') drape fold hanging to the hem, whose flank a glossy fabric lights. */
  drape?: boolean;
  /** The highlight on its ridge, FOLD_RIDGE unless given. */
  ridge?: number;
}

function folds(spec: GarmentSpec, marks: ShotLandmarks, rng: Random): Fold[] {
  const S = marks.unit;
  const out: Fold[] = [];
  const j = (k: number): number => rng.range(-k, k) * S;
  const cx = marks.cx;
  if (marks.armpit && (spec.form === 'top' || spec.form === 'dress' || spec.form === 'jumpsuit')) {
    for (const side of [-1, 1]) {
      const ap = side < 0 ? marks.armpit.l : marks.armpit.r;
      out.push({ a: { x: ap.x - side * 0.04 * S, y: ap.y + 0.05 * S }, b: { x: cx + side * 0.12 * S + j(0.04), y: ap.y + 0.45 * S + j(0.05) }, sigma: 0.022 * S, depth: FOLD_DEPTH * 0.6 });
      out.push({ a: { x: ap.x - side * 0.03 * S, y: ap.y + 0.3 * S + j(0.04) }, b: { x: cx + side * 0.2 * S, y: ap.y + 0.6 * S + j(0.05) }, sigma: 0.02 * S, depth: FOLD_DEPTH * 0.45 });
    }
  }
  for (const cuff of marks.cuffs ?? []) {
    if (spec.sleeve !== 'long' && spec.sleeve !== 'three_quarter') continue;
    // Elbow creases: short arcs across the sleeve about halfway down, and bunching above the cuff.
    const n = { x: -cuff.dir.y, y: cuff.dir.x };
    const mid = { x: (cuff.outer.x + cuff.inner.x) / 2, y: (cuff.outer.y + cuff.inner.y) / 2 };
    for (const [back, tilt] of [[0.55, 0.3], [0.62, -0.2], [0.2, 0.1]] as const) {
      const c = { x: mid.x - cuff.dir.x * back * S + j(0.02), y: mid.y - cuff.dir.y * back * S + j(0.02) };
      const half = 0.11 * S;
      out.push({ a: { x: c.x - n.x * half, y: c.y - n.y * half - tilt * half }, b: { x: c.x + n.x * half, y: c.y + n.y * half + tilt * half }, sigma: 0.015 * S, depth: FOLD_DEPTH * 0.8 });
    }
  }
  for (const hem of marks.legs?.hems ?? []) {
    const mx = (hem.outer.x + hem.inner.x) / 2;
    const crotch = marks.legs?.crotch ?? { x: cx, y: marks.waistY };
    const kneeY = crotch.y + (hem.outer.y - crotch.y) * 0.45;
    if (spec.length === 'full' || spec.length === 'capri') {
      const kx = cx + (mx - cx) * 0.8;
      for (const dy of [-0.06, 0.05]) out.push({ a: { x: kx - 0.13 * S, y: kneeY + (dy + rng.range(-0.02, 0.02)) * S }, b: { x: kx + 0.13 * S, y: kneeY + (dy + 0.03) * S }, sigma: 0.014 * S, depth: FOLD_DEPTH * 0.7 });
      // Bunching above the hem.
      out.push({ a: { x: hem.outer.x - (hem.outer.x - hem.inner.x) * 0.1, y: hem.outer.y - 0.18 * S }, b: { x: hem.inner.x + (hem.outer.x - hem.inner.x) * 0.2, y: hem.outer.y - 0.12 * S }, sigma: 0.014 * S, depth: FOLD_DEPTH * 0.5 });
    }
    const side = Math.sign(mx - cx);
    if (spec.material === 'denim') {
      // Whiskers: a fan of thin faded creases from beside the crotch out across the top of the
      // thigh, fainter outwards. One broad highlight up towards the hip pocket (as every fabric's
      // drag line is drawn) read as a pale bar, two of them as a V badge on denim shorts.
      for (let k = 0; k < WHISKERS; k++) {
        const a = { x: crotch.x + side * (0.06 + 0.03 * k) * S, y: crotch.y - (0.02 + 0.05 * k) * S + j(0.01) };
        const b = { x: a.x + side * (0.16 + 0.03 * k) * S, y: a.y - (0.03 + 0.02 * k) * S + j(0.015) };
        out.push({ a, b, sigma: 0.007 * S, depth: FOLD_DEPTH * WHISKER_DEPTH * (1 - 0.25 * k) });
      }
    } else {
      // Crotch creases: a fan of short shallow creases from beside the crotch, fainter outwards,
      // shade only. One long drag line per leg up towards the hip (0.25 S, 8 % deep, a ridge's
      // highlight round it) met its twin at the crotch as an embossed V badge at product-page size
      // (imag's joggers and chinos, lhm's joggers); short creases with that ridge read as outlined marks.
      for (let k = 0; k < CROTCH_CREASES; k++) {
        const a = { x: crotch.x + side * (0.05 + 0.03 * k) * S, y: crotch.y - (0.01 + 0.045 * k) * S + j(0.01) };
        const b = { x: a.x + side * (0.1 + 0.02 * k) * S, y: a.y - (0.025 + 0.015 * k) * S + j(0.01) };
        out.push({ a, b, sigma: 0.012 * S, depth: FOLD_DEPTH * CROTCH_CREASE_DEPTH * (1 - 0.25 * k), ridge: 0 });
      }
    }
  }
  if (spec.overSkirt && marks.legs) {
    // Wide legs lying against each other: a deep fold down the inseam from the crotch to the split.
    const { crotch } = marks.legs;
    out.push({ a: { x: crotch.x, y: crotch.y }, b: { x: crotch.x, y: marks.hemY }, sigma: 0.02 * S, depth: FOLD_DEPTH * 1.2 });
  }
  if (spec.form === 'dress' || placedAsSkirt(spec) || spec.overSkirt) {
    // Drape: soft vertical folds from the hip to the hem, more for a fuller skirt (or wide legs).
    const flare = Math.max(0, marks.hemHalf - 0.5 * S) / S;
    const count = 2 + Math.round(flare * 6);
    const top = spec.form === 'dress' ? marks.top + 1.3 * S : marks.waistY + 0.35 * S;
    for (let k = 0; k < count; k++) {
      const t = (k + 0.5) / count - 0.5 + rng.range(-0.03, 0.03);
      out.push({ a: { x: cx + t * 0.9 * S, y: top + j(0.05) }, b: { x: cx + t * 2 * marks.hemHalf * 0.92, y: marks.hemY - 0.03 * S }, sigma: (0.02 + flare * 0.02) * S, depth: FOLD_DEPTH * (0.4 + Math.min(0.5, flare)), drape: true });
    }
  }
  if (spec.form === 'top' && marks.hemY - marks.top > 1.2 * S) {
    // A soft horizontal ripple above the hem where the fabric settles.
    out.push({ a: { x: cx - 0.3 * S, y: marks.hemY - 0.22 * S + j(0.03) }, b: { x: cx + 0.25 * S, y: marks.hemY - 0.2 * S + j(0.03) }, sigma: 0.02 * S, depth: FOLD_DEPTH * 0.35 });
  }
  return out;
}

/** Light factor of a fold at distance d: a valley with a ridge round it. */
function foldLight(d: number, f: Fold): number {
  const z = d / f.sigma;
  return 1 - f.depth * Math.exp(-z * z) + Math.sign(f.depth) * (f.ridge ?? FOLD_RIDGE) * foldRidge(d, f);
}

/**
 * A short fold's light at (x, y) (a drag line, an elbow or knee crease, a hem ripple): its valley
 * fades out towards both ends (√sin along it, as a glossy flank does), and its ridge lies on the
 * lit side only (the upper side; the left of a vertical fold), SHORT_FOLD_RIDGE_AT sigmas from the
 * valley. At full depth to its rounded ends with the ridge all round, each fold was a dark line in
 * a pale outline: the drag lines from the armpits read as pairs of embossed tracks down every
 * top and dress, a tee's hem ripple as a bar stamped across it.
 */
function shortFoldLight(x: number, y: number, f: Fold): number {
  const dx = f.b.x - f.a.x;
  const dy = f.b.y - f.a.y;
  const len2 = dx * dx + dy * dy;
  if (len2 <= 0) return foldLight(Math.hypot(x - f.a.x, y - f.a.y), f);
  const t = ((x - f.a.x) * dx + (y - f.a.y) * dy) / len2;
  if (t <= 0 || t >= 1) return 1;
  const len = Math.sqrt(len2);
  // Signed distance across the fold, positive on the side whose normal points up (or left).
  let across = ((x - f.a.x) * dy - (y - f.a.y) * dx) / len;
  const ny = -dx / len;
  const nx = dy / len;
  if (ny > 0 || (ny === 0 && nx > 0)) across = -across;
  const z = across / f.sigma;
  const r = z - SHORT_FOLD_RIDGE_AT;
  const taper = Math.sqrt(Math.sin(Math.PI * t));
  return 1 - taper * (f.depth * Math.exp(-z * z) - Math.sign(f.depth) * (f.ridge ?? FOLD_RIDGE) * Math.exp(-r * r));
}
/** Where a short fold's one ridge lies beside its valley, in sigmas towards the lit side. */
const SHORT_FOLD_RIDGE_AT = 1.6;

/** How much of a fold's ridge (0..1) lies at distance d from its line. */
function foldRidge(d: number, f: Fold): number {
  const z = d / f.sigma - 1.8;
  return Math.exp(-z * z);
}

/**
 * How far (0..1, smoothstep) a fold `len` px long has grown at (x, y): 0 above its top, 1 from
 * `length` px down it. Drape folds all began at full depth on one row (the skirt's hips, wide trousers' crotch),
 * their rounded tops and the ridges' highlight round them a row of arches: a scalloped line across
 * the hips of every skirt and every pair of trousers worn over a long skirt (econ).
 */
function dropIn(x: number, y: number, f: Fold, len: number, length: number): number {
  if (len <= 0) return 1;
  const along = ((x - f.a.x) * (f.b.x - f.a.x) + (y - f.a.y) * (f.b.y - f.a.y)) / len;
  if (along <= 0) return 0;
  const t = Math.min(1, along / Math.max(1, length));
  return t * t * (3 - 2 * t);
}

/**
 * A glossy fold's lit flank (0..1) at (x, y): a soft streak along the fold on one side of its
 * valley (the side facing the light), fading out towards the fold's ends. Lit on both sides at the
 * ridge's distance, the highlight ran round each fold as a pale outline.
 */
function foldFlank(x: number, y: number, f: Fold): number {
  const dx = f.b.x - f.a.x;
  const dy = f.b.y - f.a.y;
  const len2 = dx * dx + dy * dy;
  if (len2 <= 0) return 0;
  const side = ((x - f.a.x) * dy - (y - f.a.y) * dx) / Math.sqrt(len2);
  const z = (side / f.sigma - FLANK_AT) / FLANK_WIDTH;
  // Beyond 3 widths the streak adds under 1e-4 of the sheen: not worth the rest.
  if (z * z > 9) return 0;
  const t = ((x - f.a.x) * dx + (y - f.a.y) * dy) / len2;
  if (t <= 0 || t >= 1) return 0;
  return Math.exp(-z * z) * Math.sqrt(Math.sin(Math.PI * t));
}

/** The share (SHEEN_FLAT..1) of a glossy body panel's highlight at row y: full on the bust's and hips' curves (a skirt's hips only). */
function sheenAlong(y: number, marks: ShotLandmarks): number {
  const S = marks.unit;
  const bust = marks.armpit ? marks.armpit.r.y + SHEEN_BUST_S * S : -Infinity;
  const hip = marks.waistY + SHEEN_HIP_S * S;
  const curve = (c: number): number => Math.exp(-(((y - c) / (SHEEN_CURVE_SIGMA_S * S)) ** 2));
  return SHEEN_FLAT + (1 - SHEEN_FLAT) * Math.max(curve(bust), curve(hip));
}

export function applyLight(canvas: ShotCanvas, sil: Silhouette, spec: GarmentSpec, marks: ShotLandmarks, rng: Random): void {
  const { width: w, height: h } = canvas;
  const S = marks.unit;
  const foldList = folds(spec, marks, rng.fork('folds'));
  const boxes = foldList.map((f) => {
    const r = f.sigma * 3;
    return { x0: Math.min(f.a.x, f.b.x) - r, x1: Math.max(f.a.x, f.b.x) + r, y0: Math.min(f.a.y, f.b.y) - r, y1: Math.max(f.a.y, f.b.y) + r };
  });
  const foldLengths = foldList.map((f) => Math.hypot(f.b.x - f.a.x, f.b.y - f.a.y));
  const alphaCov: Coverage = { width: w, height: h, box: { x0: 0, y0: 0, x1: w, y1: h }, data: canvas.alpha };
  const occlusion = blurCoverage(alphaCov, 0.045 * S);
  const sheen = spec.material ? (SHEEN[spec.material] ?? 0) : 0;
  const velvet = spec.material === 'velvet';
  const denim = spec.material === 'denim';
  const sheenCentre = rng.range(-0.45, -0.2);
  const span = Math.max(1, marks.hemY - marks.top);
  const mean = canvas.meanColour();
  const power = lightPower(mean);
  const gloss = DARK_GLOSS * darkness(mean);
  // A white garment exposed as a studio exposes one: its lit cloth below white, room left for its light.
  const exposure = Math.min(1, PALE_EXPOSURE_Y / Math.max(1e-6, luminance(mean)));
  // A top's, dress's, jumpsuit's or skirt's body panel: its highlight follows the bust and hips (sheenAlong).
  const curved = marks.armpit !== undefined || spec.form === 'skirt';
  const alongRows = new Float32Array(sheen > 0 && curved ? h : 0);
  for (let y = 0; y < alongRows.length; y++) alongRows[y] = sheenAlong(y, marks);
  const crotchY = marks.legs?.crotch.y ?? Infinity;
  const legsFrom = crotchY - CROTCH_BLEND * S;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (canvas.alpha[i] <= 0) continue;
      const part = sil.part[i];
      const across = part === Part.None ? 0 : sil.across[i];
      const a2 = across * across;
      const leg = part === Part.LegL || part === Part.LegR;
      // Above the crotch, within CROTCH_BLEND: the panel's light mixed into the legs' (a leg's
      // `across` there: its inner edge at the middle, its outer one at the outline).
      const t = part === Part.Panel && y > legsFrom ? Math.min(1, (y - legsFrom) / (crotchY - legsFrom)) : 0;
      const toLegs = t * t * (3 - 2 * t);
      const legA = 2 * Math.abs(across) - 1;
      let f = toLegs > 0 ? (1 - toLegs) * roundness(a2, true) + toLegs * roundness(legA * legA, false) : roundness(a2, part === Part.Panel);
      f *= 1.04 - 0.08 * Math.max(0, Math.min(1, (y - marks.top) / span));
      let ridges = 0;
      for (let k = 0; k < foldList.length; k++) {
        const b = boxes[k];
        if (x < b.x0 || x > b.x1 || y < b.y0 || y > b.y1) continue;
        const d = segmentDistance(x, y, foldList[k].a, foldList[k].b);
        const fold = foldList[k];
        if (fold.drape === true) {
          // A drape fold grows out of the cloth over DRAPE_FADE_IN_S below its top (nothing above it).
          const grown = dropIn(x, y, fold, foldLengths[k], DRAPE_FADE_IN_S * S);
          if (grown <= 0) continue;
          f *= 1 - (1 - foldLight(d, fold)) * grown;
          if (sheen > 0) ridges += foldFlank(x, y, fold) * grown;
        } else f *= shortFoldLight(x, y, fold);
      }
      const occ = Math.max(0, Math.min(1, (coverageAt(occlusion, x, y) - 0.45) / 0.45));
      f *= EDGE_OCCLUSION + (1 - EDGE_OCCLUSION) * occ;
      if (denim && leg) f *= denimFade(a2, (sil.v[i] - (crotchY - marks.top)) / (1.2 * S));
      else if (denim && toLegs > 0) f *= 1 + toLegs * (denimFade(legA * legA, 0) - 1);
      let add = 0;
      if (sheen > 0) {
        const z = (across - sheenCentre) / 0.22;
        const along = part === Part.Panel && curved ? alongRows[y] : 1;
        add = sheen * (Math.exp(-z * z) * along + SHEEN_ON_RIDGES * Math.min(1, ridges)) * (0.55 + 0.45 * f);
      }
      if (velvet) f *= 0.8 + 0.35 * a2;
      // Facing the camera (the part's middle), lit (folds' ridges up, valleys and the outline down).
      if (gloss > 0) add += (2 * gloss * Math.max(0, 1 - a2) * f * f) / 0.35;
      if (power !== 1) f = Math.pow(f, power);
      const p = i * 3;
      for (let c = 0; c < 3; c++) canvas.rgb[p + c] = (canvas.rgb[p + c] * f + add * (0.35 + canvas.rgb[p + c]) * 0.5) * exposure;
      // A white or pale garment's light rolled off below white (highlightRollOff).
      const y0 = luminance([canvas.rgb[p], canvas.rgb[p + 1], canvas.rgb[p + 2]]);
      if (y0 > HIGHLIGHT_KNEE) {
        const k = highlightRollOff(y0) / y0;
        for (let c = 0; c < 3; c++) canvas.rgb[p + c] *= k;
      }
    }
  }
}

/**
 * Luminance (linear) above which a lit garment's light rolls off towards white instead of rising
 * straight into it. A white garment's albedo (linear 0.93) times its light (roundness, folds, the
 * top-lit gradient up to 1.04, a silk sheen adding up to a third) went past 1 over a fifth of the
 * shot and was clipped: the white silk camisole came out a flat white box with no sheen or fold a
 * rating could see (every model). Exposed (PALE_EXPOSURE_Y) and rolled off from here, its lit
 * middle sits about sRGB 239, its sheen about 250 and its sides about 216.
 * Garments whose light stays below it (mid-tones, darks, saturated colours) are unchanged.
 */
const HIGHLIGHT_KNEE = 0.8;
/**
 * Mean luminance (linear) a white or pale garment is exposed down to, about sRGB 239: a shop
 * exposes a white garment a little below white so its sheen and folds read (the rolled-off light
 * alone left a white silk camisole's middle at 246 beside its 252 sheen).
 */
const PALE_EXPOSURE_Y = 0.85;

/** Luminance `y` (linear, above HIGHLIGHT_KNEE) rolled off exponentially towards 1, continuous in value and slope at the knee. */
export function highlightRollOff(y: number): number {
  if (y <= HIGHLIGHT_KNEE) return y;
  const room = 1 - HIGHLIGHT_KNEE;
  return HIGHLIGHT_KNEE + room * (1 - Math.exp(-(y - HIGHLIGHT_KNEE) / room));
}
