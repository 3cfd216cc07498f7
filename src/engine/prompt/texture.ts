/**
 * Procedural garment textures: every pattern and material of the parser, drawn in garment space
 * (the silhouette's u/v coordinates) so prints follow the body: horizontal stripes run round the
 * torso and round each sleeve, pinstripes run down each trouser leg, a pleated skirt's folds fan
 * out with its flare.
 *
 * Everything random comes from the seed: stripe period, duty and phase, dot spacing and offset,
 * flower / camouflage / leopard / paisley placement (stateless lattice hashes of the seed, so any
 * pixel can be evaluated in any order), plaid setts, default colours when the prompt names none,
 * and the noise of the materials. Sizes are fractions of the shoulder width (`unit`), so a print
 * has the same size relative to the person at any photo resolution.
 *
 * Colours are mixed in linear light and written as sRGB. The texture is albedo only: the photo's
 * light and folds are added later by the classic engine's shading stage.
 */
import { createRaster, type Raster } from '../../imaging/raster.ts';
import { modifyColor, rgbToLab, type ColorRef, type Rgb } from './colors.ts';
import type { GarmentSpec } from './parser.ts';
import { hash2, type Random } from './random.ts';
import { Part, type Silhouette } from './silhouette.ts';

type Lin = [number, number, number];

const toLin = (c: number): number => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const LIN_TO_SRGB = new Uint8Array(4097);
for (let i = 0; i <= 4096; i++) {
  const v = i / 4096;
  const s = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  LIN_TO_SRGB[i] = Math.round(Math.min(1, Math.max(0, s)) * 255);
}
const fromLin = (v: number): number => LIN_TO_SRGB[Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 4096)];
const lin = (rgb: Rgb): Lin => [toLin(rgb[0]), toLin(rgb[1]), toLin(rgb[2])];

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
const mix = (a: Lin, b: Lin, t: number): Lin => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const fract = (x: number): number => x - Math.floor(x);

/** Anti-aliased coverage (0..1) of a band of `duty` share of each `period` at position x (px). */
function band(x: number, period: number, duty: number, phase: number): number {
  const p = fract(x / period + phase) * period;
  const w = duty * period;
  const inside = p < w ? Math.min(p, w - p) : -Math.min(p - w, period - p);
  return clamp01(inside + 0.5);
}

/** Smooth value noise on a lattice of `scale` px, 0..1. */
function valueNoise(seed: number, x: number, y: number, scale: number): number {
  const fx = x / scale;
  const fy = y / scale;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const tx = fx - ix;
  const ty = fy - iy;
  const sx = tx * tx * (3 - 2 * tx);
  const sy = ty * ty * (3 - 2 * ty);
  const a = hash2(seed, ix, iy);
  const b = hash2(seed, ix + 1, iy);
  const c = hash2(seed, ix, iy + 1);
  const d = hash2(seed, ix + 1, iy + 1);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/** Three octaves of value noise, 0..1. */
function fbm(seed: number, x: number, y: number, scale: number): number {
  return (valueNoise(seed, x, y, scale) * 0.57 + valueNoise(seed + 101, x, y, scale / 2) * 0.29 + valueNoise(seed + 202, x, y, scale / 4) * 0.14);
}

// ---------------------------------------------------------------------------------------------
// Colours: what the prompt said, else seed-picked defaults that suit the pattern and material

const named = (name: string, hex: string): ColorRef => {
  const n = Number.parseInt(hex, 16);
  return { name, rgb: [(n >> 16) & 255, (n >> 8) & 255, n & 255] };
};
const BASICS = [
  named('navy', '1b2a4a'), named('black', '1a1a1a'), named('white', 'f7f7f5'), named('grey', '8c8c8c'), named('beige', 'd8c3a5'),
  named('burgundy', '7a1f2b'), named('olive', '6b6b2a'), named('red', 'c8102e'), named('blue', '1f4fa8'), named('pink', 'f4a6c0'),
  named('camel', 'c19a6b'), named('forest green', '1f4d2b'), named('mustard', 'd4a017'), named('lavender', 'b8a6d9'),
];
const PRINT_GROUNDS = [named('cream', 'f3ead3'), named('navy', '1b2a4a'), named('black', '1a1a1a'), named('white', 'f7f7f5'), named('blush', 'eec4c0'), named('sage', '9caf88')];
const PRINT_INKS = [named('red', 'c8102e'), named('pink', 'f4a6c0'), named('mustard', 'd4a017'), named('blue', '1f4fa8'), named('coral', 'f07868'), named('lavender', 'b8a6d9'), named('white', 'f7f7f5'), named('green', '2e7d32')];
const DENIM = [named('denim blue', '3b5b86'), named('indigo', '2e3a6b'), named('mid wash', '5f7fa8'), named('light wash', 'a4bcd6')];
/** Plain blue words on denim: the wash they mean (the colour words' own sRGB is a dyed cotton's). */
const DENIM_BLUES: Record<string, Rgb> = { blue: DENIM[0].rgb, 'dark blue': DENIM[1].rgb, 'light blue': DENIM[3].rgb };
const LEATHER = [named('black', '1a1a1a'), named('brown', '5a3520'), named('cognac', '9a4a22')];
const CAMO = [named('olive', '5b5e2c'), named('khaki', 'a89a6b'), named('brown', '5a4127'), named('black', '23241f')];
const LEOPARD = [named('camel', 'c9a066'), named('black', '1a1714'), named('brown', '7a4a22')];
const TARTAN_SETTS: ColorRef[][] = [
  [named('red', 'b0182b'), named('navy', '1b2a4a'), named('forest green', '1f4d2b'), named('yellow', 'e8c23a')],
  [named('forest green', '1f4d2b'), named('navy', '1b2a4a'), named('black', '1a1a1a'), named('red', 'b0182b')],
  [named('navy', '1b2a4a'), named('forest green', '1f4d2b'), named('white', 'f2f2f0'), named('red', 'b0182b')],
];
const TIE_DYE = [named('pink', 'f06aa8'), named('yellow', 'f4d03f'), named('blue', '3a7bd5'), named('purple', '8a4fbf')];

/** Light grounds get a dark ink, dark grounds a light one. */
function contrast(ground: ColorRef, rng: Random): ColorRef {
  const [l] = rgbToLab(ground.rgb);
  return l > 62 ? rng.pick([named('navy', '1b2a4a'), named('black', '1a1a1a')]) : rng.pick([named('white', 'f7f7f5'), named('cream', 'f3ead3')]);
}

export interface TexturePalette {
  ground: ColorRef;
  accents: ColorRef[];
}

/**
 * The colours a garment is drawn in: the prompt's, completed by seed-picked defaults that suit the
 * pattern and material (denim blues, leopard camel and black, camouflage greens...). A shade word
 * without a colour ("a dark dress") shifts the picked ground.
 */
export function resolvePalette(spec: GarmentSpec, rng: Random): TexturePalette {
  const r = rng.fork('palette');
  let ground = spec.ground;
  const accents = [...spec.accents];
  const need = (n: number, pool: ColorRef[]): void => {
    for (let k = 0; accents.length < n && k < pool.length * 2; k++) {
      const c = pool[(r.int(0, pool.length - 1) + k) % pool.length];
      if (c.name !== ground?.name && !accents.some((a) => a.name === c.name)) accents.push(c);
    }
  };
  switch (spec.pattern) {
    case 'camouflage':
      ground ??= CAMO[0];
      need(3, CAMO.slice(1));
      break;
    case 'leopard':
      ground ??= LEOPARD[0];
      if (accents.length === 0) accents.push(LEOPARD[1]);
      need(2, LEOPARD.slice(2));
      break;
    case 'zebra':
      ground ??= named('white', 'f4f2ee');
      if (accents.length === 0) accents.push(ground.rgb[0] + ground.rgb[1] + ground.rgb[2] > 384 ? named('black', '1a1a1a') : named('white', 'f4f2ee'));
      break;
    case 'tartan': {
      const sett = r.pick(TARTAN_SETTS);
      ground ??= sett[0];
      need(3, sett.filter((c) => c.name !== ground?.name));
      break;
    }
    case 'plaid':
      ground ??= r.pick([named('red', 'b0182b'), named('navy', '1b2a4a'), named('forest green', '1f4d2b'), named('grey', '8c8c8c')]);
      if (accents.length === 0) accents.push(named('black', '1a1a1a'));
      break;
    case 'floral':
    case 'paisley':
      ground ??= r.pick(PRINT_GROUNDS);
      need(spec.accents.length > 0 ? accents.length : 3, PRINT_INKS);
      if (spec.pattern === 'floral') accents.push(named('leaf green', '4f7a3a'));
      break;
    case 'tie_dye':
      ground ??= r.pick(TIE_DYE);
      need(2, TIE_DYE);
      break;
    case 'snake':
      ground ??= r.pick([named('beige', 'd8c3a5'), named('grey', 'a5a6a8'), named('camel', 'c19a6b')]);
      if (accents.length === 0) accents.push(named('dark brown', '3b2a1e'));
      break;
    default:
      break;
  }
  // "Blue jeans" are denim blue, not the shop's saturated blue (a flat royal blue read as plastic).
  if (spec.material === 'denim' && ground && DENIM_BLUES[ground.name]) ground = { name: ground.name, rgb: DENIM_BLUES[ground.name] };
  if (!ground) {
    if (spec.material === 'denim') ground = r.pick(DENIM);
    else if (spec.material === 'leather' || spec.material === 'suede') ground = r.pick(LEATHER);
    else if (spec.material === 'sequins' || spec.material === 'metallic') ground = r.pick([named('silver', 'c0c0c4'), named('gold', 'c9a23f'), named('black', '1a1a1a')]);
    else ground = r.pick(BASICS);
    if (spec.tone) ground = { name: `${spec.tone} ${ground.name}`, rgb: modifyColor(ground.rgb, spec.tone) };
  }
  if (accents.length === 0 && spec.pattern !== 'solid') accents.push(contrast(ground, r));
  return { ground, accents };
}

// ---------------------------------------------------------------------------------------------
// Patterns: each returns a linear-light colour for garment coordinates (u, v)

interface PatternContext {
  unit: number;
  seed: number;
  colors: Lin[];
  part: number;
  across: number;
  /** 0 at the garment's top, 1 at its hem (panel); 0..1 along a limb. */
  down: number;
}

type PatternFn = (u: number, v: number, c: PatternContext) => Lin;

function makePattern(spec: GarmentSpec, rng: Random, unit: number): PatternFn {
  const r = rng.fork(`pattern:${spec.pattern}`);
  const pick = (colors: Lin[], k: number): Lin => colors[1 + (((k % (colors.length - 1)) + (colors.length - 1)) % (colors.length - 1))];
  switch (spec.pattern) {
    case 'solid':
      return (_u, _v, c) => c.colors[0];
    case 'horizontal_stripes':
    case 'vertical_stripes':
    case 'diagonal_stripes': {
      const period = unit * r.range(0.06, 0.13);
      const duty = r.range(0.3, 0.55);
      const phase = r.next();
      const axis = spec.pattern === 'horizontal_stripes' ? 0 : spec.pattern === 'vertical_stripes' ? 1 : 2;
      return (u, v, c) => {
        const x = axis === 0 ? v : axis === 1 ? u : (u + v) * Math.SQRT1_2;
        const k = Math.floor(x / period + phase);
        return mix(c.colors[0], pick(c.colors, k), band(x, period, duty, phase));
      };
    }
    case 'pinstripes': {
      const period = unit * r.range(0.045, 0.07);
      const phase = r.next();
      return (u, _v, c) => {
        const duty = Math.max(1.1, unit * 0.006) / period;
        return mix(c.colors[0], c.colors[1], band(u, period, duty, phase));
      };
    }
    case 'check': {
      const period = unit * r.range(0.12, 0.2);
      const pu = r.next();
      const pv = r.next();
      return (u, v, c) => {
        const duty = Math.max(1.2, unit * 0.008) / period;
        return mix(c.colors[0], c.colors[1], Math.max(band(u, period, duty, pu), band(v, period, duty, pv)));
      };
    }
    case 'gingham':
    case 'plaid': {
      const plaid = spec.pattern === 'plaid';
      const period = unit * (plaid ? r.range(0.2, 0.3) : r.range(0.05, 0.09));
      const pu = r.next();
      const pv = r.next();
      return (u, v, c) => {
        const a = band(u, period, 0.5, pu);
        const b = band(v, period, 0.5, pv);
        const ink = c.colors[1];
        const mid = mix(c.colors[0], ink, 0.5);
        let col = mix(mix(c.colors[0], mid, a), mix(mid, ink, a), b);
        if (plaid) {
          // Thin over-check lines in the third colour (or a light tone of the ground).
          const line = c.colors[2] ?? mix(c.colors[0], [1, 1, 1], 0.5);
          const t = Math.max(1, unit * 0.006) / period;
          col = mix(col, line, 0.7 * Math.max(band(u, period, t, pu + 0.25), band(v, period, t, pv + 0.25)));
        }
        return col;
      };
    }
    case 'tartan': {
      // A symmetric sett: colour bands of seed-drawn widths, woven as a 2/2 twill.
      const bands: Array<{ color: number; width: number }> = [];
      const n = r.int(4, 6);
      for (let k = 0; k < n; k++) bands.push({ color: k % 4, width: r.range(0.015, 0.07) });
      const sett = [...bands, ...bands.slice().reverse()];
      const total = sett.reduce((s, b) => s + b.width, 0) * unit;
      const colorAt = (x: number): number => {
        let p = fract(x / total) * total;
        for (const b of sett) {
          p -= b.width * unit;
          if (p < 0) return b.color;
        }
        return 0;
      };
      const thread = Math.max(1, unit * 0.005);
      return (u, v, c) => {
        const warp = c.colors[colorAt(u) % c.colors.length];
        const weft = c.colors[colorAt(v) % c.colors.length];
        const twill = ((Math.floor(u / thread) + Math.floor(v / thread)) & 3) < 2;
        return mix(warp, weft, twill ? 0.35 : 0.65);
      };
    }
    case 'houndstooth': {
      // Houndstooth is a 2/2 twill with four dark and four light threads in warp and weft.
      const thread = Math.max(1.6, unit * r.range(0.009, 0.014));
      return (u, v, c) => {
        const i = Math.floor(u / thread);
        const j = Math.floor(v / thread);
        const warpDark = (((i % 8) + 8) % 8) < 4;
        const weftDark = (((j % 8) + 8) % 8) < 4;
        const dark = (((i + j) % 4) + 4) % 4 < 2 ? warpDark : weftDark;
        return dark ? c.colors[1] : c.colors[0];
      };
    }
    case 'polka_dots': {
      const period = unit * r.range(0.09, 0.2);
      const radius = period * r.range(0.16, 0.3);
      const halfDrop = r.next() < 0.7;
      const pu = r.next() * period;
      const pv = r.next() * period;
      return (u, v, c) => {
        const x = u + pu;
        const y = v + pv;
        const row = Math.floor(y / period);
        let best = Infinity;
        for (let dr = -1; dr <= 1; dr++) {
          const rr = row + dr;
          const shift = halfDrop && (rr & 1) ? period / 2 : 0;
          const col = Math.round((x - shift) / period);
          for (let dc = -1; dc <= 1; dc++) {
            const cx = (col + dc) * period + shift;
            const cy = (rr + 0.5) * period;
            best = Math.min(best, Math.hypot(x - cx, y - cy));
          }
        }
        return mix(c.colors[0], c.colors[1], clamp01(radius - best + 0.5));
      };
    }
    case 'floral': {
      const cell = unit * r.range(0.16, 0.26);
      const seed = r.uint32();
      return (u, v, c) => {
        const leaf = c.colors[c.colors.length - 1];
        const inks = c.colors.slice(1, Math.max(2, c.colors.length - 1));
        const ci = Math.floor(u / cell);
        const cj = Math.floor(v / cell);
        let out = c.colors[0];
        let bestDepth = Infinity;
        for (let dj = -1; dj <= 1; dj++) {
          for (let di = -1; di <= 1; di++) {
            const i = ci + di;
            const j = cj + dj;
            const cx = (i + 0.2 + 0.6 * hash2(seed, i, j)) * cell;
            const cy = (j + 0.2 + 0.6 * hash2(seed + 1, i, j)) * cell;
            // Cheap reject: nothing of this flower (petals reach 0.44 cell, leaves 0.8 cell) is near.
            if (Math.abs(u - cx) > cell * 0.82 || Math.abs(v - cy) > cell * 0.82) continue;
            const radius = cell * (0.28 + 0.16 * hash2(seed + 2, i, j));
            const rot = hash2(seed + 3, i, j) * Math.PI * 2;
            const petals = hash2(seed + 4, i, j) < 0.5 ? 5 : 6;
            const dx = u - cx;
            const dy = v - cy;
            const rr = Math.hypot(dx, dy);
            const th = Math.atan2(dy, dx) - rot;
            const edge = radius * (0.55 + 0.45 * Math.abs(Math.cos((petals * th) / 2)));
            if (rr < edge && rr / edge < bestDepth) {
              bestDepth = rr / edge;
              const ink = inks[Math.floor(hash2(seed + 5, i, j) * inks.length) % inks.length];
              const centre = inks[(Math.floor(hash2(seed + 5, i, j) * inks.length) + 1) % inks.length];
              out = rr < radius * 0.2 ? centre : mix(ink, [0, 0, 0], 0.15 * (1 - rr / edge));
              out = mix(out, c.colors[0], clamp01(rr - edge + 0.5));
            } else if (bestDepth === Infinity) {
              // Two leaves beside the flower.
              for (const side of [0.9, 3.6]) {
                const la = rot + side;
                const lx = cx + Math.cos(la) * radius * 1.25;
                const ly = cy + Math.sin(la) * radius * 1.25;
                const ax = (u - lx) * Math.cos(la) + (v - ly) * Math.sin(la);
                const ay = -(u - lx) * Math.sin(la) + (v - ly) * Math.cos(la);
                const e = (ax / (radius * 0.55)) ** 2 + (ay / (radius * 0.22)) ** 2;
                if (e < 1) out = leaf;
              }
            }
          }
        }
        return out;
      };
    }
    case 'camouflage': {
      const scale = unit * r.range(0.14, 0.22);
      const seeds = [r.uint32(), r.uint32(), r.uint32()];
      const thresholds = [0.5, 0.56, 0.6];
      return (u, v, c) => {
        let col = c.colors[0];
        for (let k = 0; k < 3; k++) {
          const nz = fbm(seeds[k], u + k * 37, v - k * 53, scale * (1 - k * 0.18));
          if (nz > thresholds[k]) col = c.colors[(k + 1) % c.colors.length];
        }
        return col;
      };
    }
    case 'leopard': {
      // Rosettes of about a tenth of the shoulder width (3-5 cm), as on leopard-print fabric; at
      // 0.08-0.13 of it a cell, their spots measured under 0.04 of it across and the print read as
      // dots at product-page size (econ's leopard skirt).
      const cell = unit * r.range(0.14, 0.22);
      const seed = r.uint32();
      return (u, v, c) => {
        const ci = Math.floor(u / cell);
        const cj = Math.floor(v / cell);
        const warp = (fbm(seed + 9, u, v, cell * 0.5) - 0.5) * cell * 0.35;
        let col = c.colors[0];
        for (let dj = -1; dj <= 1; dj++) {
          for (let di = -1; di <= 1; di++) {
            const i = ci + di;
            const j = cj + dj;
            const cx = (i + 0.25 + 0.5 * hash2(seed, i, j)) * cell;
            const cy = (j + 0.25 + 0.5 * hash2(seed + 1, i, j)) * cell;
            const size = cell * (0.22 + 0.16 * hash2(seed + 2, i, j));
            const d = Math.hypot((u - cx) * 1.15, v - cy) + warp;
            const th = Math.atan2(v - cy, u - cx);
            const rosette = hash2(seed + 3, i, j) < 0.75;
            if (rosette) {
              const ring = size * 0.28;
              const broken = Math.sin(th * 3 + hash2(seed + 4, i, j) * 6.3) > 0.55;
              if (d < size - ring) col = mix(c.colors[0], c.colors[2] ?? c.colors[1], 0.55);
              else if (d < size && !broken) col = c.colors[1];
            } else if (d < size * 0.45) col = c.colors[1];
          }
        }
        return col;
      };
    }
    case 'zebra': {
      const period = unit * r.range(0.07, 0.11);
      const seed = r.uint32();
      const phase = r.next();
      return (u, v, c) => {
        const w = v + (fbm(seed, u, v, period * 2.5) - 0.5) * period * 2.2 + Math.sin(u / (period * 1.7)) * period * 0.4;
        const thick = 0.35 + 0.25 * fbm(seed + 7, u, v, period * 4);
        return mix(c.colors[0], c.colors[1], band(w, period, thick, phase));
      };
    }
    case 'snake': {
      const cell = unit * r.range(0.03, 0.05);
      const seed = r.uint32();
      return (u, v, c) => {
        const ci = Math.floor(u / cell);
        const cj = Math.floor(v / (cell * 0.8));
        let d1 = Infinity;
        let d2 = Infinity;
        let owner = 0;
        for (let dj = -1; dj <= 1; dj++) {
          for (let di = -1; di <= 1; di++) {
            const i = ci + di;
            const j = cj + dj;
            const cx = (i + 0.5 + 0.35 * (hash2(seed, i, j) - 0.5) + (j & 1 ? 0.5 : 0)) * cell;
            const cy = (j + 0.5 + 0.35 * (hash2(seed + 1, i, j) - 0.5)) * cell * 0.8;
            const d = Math.hypot(u - cx, v - cy);
            if (d < d1) {
              d2 = d1;
              d1 = d;
              owner = hash2(seed + 2, i, j);
            } else if (d < d2) d2 = d;
          }
        }
        const patch = fbm(seed + 5, u, v, cell * 4);
        const scale = mix(c.colors[0], c.colors[1], patch > 0.58 ? 0.7 : 0.08 + 0.12 * owner);
        return mix(c.colors[1], scale, clamp01((d2 - d1) - Math.max(0.8, cell * 0.08) + 0.5));
      };
    }
    case 'paisley': {
      const cell = unit * r.range(0.2, 0.3);
      const seed = r.uint32();
      return (u, v, c) => {
        const ci = Math.floor(u / cell);
        const cj = Math.floor(v / cell);
        let col = c.colors[0];
        for (let dj = -1; dj <= 1; dj++) {
          for (let di = -1; di <= 1; di++) {
            const i = ci + di;
            const j = cj + dj;
            const cx = (i + 0.3 + 0.4 * hash2(seed, i, j)) * cell;
            const cy = (j + 0.3 + 0.4 * hash2(seed + 1, i, j)) * cell;
            const radius = cell * (0.2 + 0.08 * hash2(seed + 2, i, j));
            const tail = hash2(seed + 3, i, j) * Math.PI * 2;
            const dx = u - cx;
            const dy = v - cy;
            const rr = Math.hypot(dx, dy);
            let dth = Math.atan2(dy, dx) - tail;
            dth = Math.atan2(Math.sin(dth), Math.cos(dth));
            // A round body with one pointed, slightly curled lobe: the teardrop.
            const edge = radius * (0.75 + 1.1 * Math.exp(-((dth - 0.25 * (rr / radius)) ** 2) / 0.12));
            if (rr < edge) {
              const k = Math.floor(hash2(seed + 4, i, j) * (c.colors.length - 1));
              const outline = c.colors[1 + (k % (c.colors.length - 1))];
              const inner = c.colors[1 + ((k + 1) % (c.colors.length - 1))];
              if (rr > edge * 0.8) col = outline;
              else if (rr < radius * 0.35) col = inner;
              else col = band(rr, radius * 0.25, 0.3, 0) > 0.5 ? mix(outline, c.colors[0], 0.4) : c.colors[0];
            }
          }
        }
        return col;
      };
    }
    case 'tie_dye': {
      const seed = r.uint32();
      const cu = r.range(-0.1, 0.1) * unit;
      const cv = r.range(0.35, 0.55) * unit;
      const twist = r.range(0.18, 0.3) * unit;
      return (u, v, c) => {
        const dx = u - cu;
        const dy = v - cv;
        const t = Math.atan2(dy, dx) / (Math.PI * 2) + Math.hypot(dx, dy) / twist + 0.35 * fbm(seed, u, v, unit * 0.1);
        const n = c.colors.length;
        const x = fract(t) * n;
        const k = Math.floor(x);
        return mix(c.colors[k % n], c.colors[(k + 1) % n], clamp01((x - k) * 1.6 - 0.3));
      };
    }
    case 'argyle': {
      const w = unit * r.range(0.12, 0.18);
      const h = w * 1.4;
      return (u, v, c) => {
        const a = u / w + v / h;
        const b = v / h - u / w;
        const parity = (Math.floor(a) + Math.floor(b)) & 1;
        let col = parity ? c.colors[1] : c.colors[0];
        const lineCov = Math.max(band(a * w, w, 1.2 / w, 0.5), band(b * w, w, 1.2 / w, 0.5));
        col = mix(col, c.colors[2] ?? mix(c.colors[0], [1, 1, 1], 0.6), lineCov);
        return col;
      };
    }
    case 'herringbone': {
      const column = unit * r.range(0.04, 0.06);
      const period = Math.max(3, unit * 0.02);
      return (u, v, c) => {
        const k = Math.floor(u / column);
        const dir = k & 1 ? 1 : -1;
        return mix(c.colors[0], c.colors[1], 0.6 * band(v + dir * (u - k * column), period, 0.5, 0));
      };
    }
    case 'chevron': {
      const width = unit * r.range(0.1, 0.16);
      const period = unit * r.range(0.07, 0.11);
      return (u, v, c) => {
        const zig = Math.abs(fract(u / width) - 0.5) * width;
        const y = v + zig;
        const k = Math.floor(y / period);
        return mix(c.colors[0], pick(c.colors, k), band(y, period, 0.5, 0));
      };
    }
    case 'ombre':
      return (_u, _v, c) => mix(c.colors[0], c.colors[1], clamp01(c.down * 1.2 - 0.1));
    case 'color_block':
      return (_u, _v, c) => {
        if (c.part === Part.SleeveL || c.part === Part.SleeveR) return c.colors[1];
        if (c.part === Part.LegR) return c.colors[c.colors.length > 2 ? 2 : 1];
        return c.down > 0.5 ? c.colors[1] : c.colors[0];
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Materials: albedo modulation on top of the pattern

/** How much lighter (linear light, ×) a denim slub fleck is than the cloth around it. */
const DENIM_FLECK_LIFT = 1.35;

type MaterialFn = (col: Lin, u: number, v: number, c: PatternContext, skin: Lin) => Lin;

function makeMaterial(spec: GarmentSpec, rng: Random, unit: number): MaterialFn {
  const seed = rng.fork(`material:${spec.material ?? 'plain'}`).uint32();
  const scaled = (col: Lin, f: number): Lin => [col[0] * f, col[1] * f, col[2] * f];
  const white: Lin = [1, 1, 1];
  // Gloss: soft highlights along broad bands that run down the body like drape folds; they brighten the colour itself
  // (a lighter tint of it), so a black satin stays black with grey sheens, not white stripes.
  const sheen = (strength: number, bandScale: number) => (col: Lin, u: number, v: number): Lin => {
    const s = 0.5 + 0.5 * Math.sin(((u * 0.9 + v * 0.2) / (unit * bandScale)) * Math.PI * 2 + 3 * fbm(seed, u, v, unit * 0.35));
    const lift = strength * s ** 6;
    return [col[0] + (Math.min(1, col[0] * 1.8 + 0.04) - col[0]) * lift, col[1] + (Math.min(1, col[1] * 1.8 + 0.04) - col[1]) * lift, col[2] + (Math.min(1, col[2] * 1.8 + 0.04) - col[2]) * lift];
  };
  switch (spec.material) {
    case 'denim':
      return (col, u, v) => {
        const twill = 1 + 0.07 * Math.sin(((u + v) / 3.2) * Math.PI * 2);
        const heather = 0.92 + 0.16 * fbm(seed, u * 3, v * 0.4, 6);
        // Slub flecks: a few pixels where the pale weft shows, DENIM_FLECK_LIFT lighter than the
        // cloth (a tint of its own colour). Mixed towards white they were glitter on black jeans.
        const fleck = hash2(seed + 1, Math.floor(u), Math.floor(v)) > 0.985 ? DENIM_FLECK_LIFT : 1;
        return scaled(col, twill * heather * fleck);
      };
    case 'knit':
      return (col, u, v) => {
        const rib = Math.max(3, unit * 0.028);
        const f = 1 + 0.1 * Math.cos((u / rib) * Math.PI * 2) + 0.04 * Math.sin((v / (rib * 0.7)) * Math.PI * 2) * Math.sign(Math.cos((u / rib) * Math.PI * 2));
        return scaled(col, f * (0.96 + 0.08 * valueNoise(seed, u, v, 3)));
      };
    case 'leather': {
      const gloss = sheen(0.5, 0.5);
      return (col, u, v) => gloss(scaled(col, 0.95 + 0.1 * fbm(seed, u, v, 2.5)), u, v);
    }
    case 'satin':
      return sheen(0.5, 0.6);
    case 'silk':
      return sheen(0.35, 0.7);
    case 'metallic': {
      const gloss = sheen(0.9, 0.35);
      return (col, u, v) => gloss(scaled(col, 0.85 + 0.3 * fbm(seed, u, v, unit * 0.08)), u, v);
    }
    case 'velvet':
      return (col, u, v) => scaled(col, 0.78 + 0.4 * fbm(seed, u, v, unit * 0.12));
    case 'sequins': {
      const pitch = Math.max(3, unit * 0.02);
      return (col, u, v) => {
        const j = Math.floor(v / pitch);
        const shift = j & 1 ? pitch / 2 : 0;
        const i = Math.floor((u - shift) / pitch);
        const cx = (i + 0.5) * pitch + shift;
        const cy = (j + 0.5) * pitch;
        const inDisc = Math.hypot(u - cx, v - cy) < pitch * 0.46;
        if (!inDisc) return scaled(col, 0.55);
        const h = hash2(seed, i, j);
        const lit = scaled(col, 0.6 + 0.8 * h);
        return h > 0.93 ? mix(lit, white, 0.75) : lit;
      };
    }
    case 'lace':
    case 'crochet': {
      const pitch = Math.max(3, unit * (spec.material === 'lace' ? 0.02 : 0.045));
      const motif = unit * 0.12;
      return (col, u, v, _c, skin) => {
        // Solid motifs (a lattice of small rosettes) on an open mesh that shows the skin through.
        const mu = fract(u / motif) - 0.5;
        const mv = fract(v / motif) - 0.5;
        const rr = Math.hypot(mu, mv);
        const solid = rr < 0.28 && Math.abs(Math.cos(Math.atan2(mv, mu) * 3)) > 0.25;
        if (solid) return col;
        const hole = Math.hypot(fract(u / pitch) - 0.5, fract(v / pitch) - 0.5) < 0.32;
        return hole ? mix(col, skin, 0.65) : col;
      };
    }
    case 'mesh':
      return (col, u, v, _c, skin) => {
        const pitch = Math.max(2.5, unit * 0.012);
        const hole = Math.abs(fract(u / pitch) - 0.5) < 0.28 && Math.abs(fract(v / pitch) - 0.5) < 0.28;
        return hole ? mix(col, skin, 0.55) : col;
      };
    case 'chiffon':
      return (col, _u, _v, _c, skin) => mix(col, skin, 0.15);
    case 'linen':
      return (col, u, v) => scaled(col, 0.95 + 0.1 * valueNoise(seed, u * 0.15, v * 2, 2) + 0.03 * (hash2(seed + 1, Math.floor(u), Math.floor(v)) - 0.5));
    case 'corduroy':
      return (col, u) => {
        const wale = Math.max(3, unit * 0.03);
        return scaled(col, 0.86 + 0.2 * Math.abs(Math.cos((u / wale) * Math.PI)));
      };
    case 'tweed':
      return (col, u, v, c) => {
        const h = hash2(seed, Math.floor(u / 1.5), Math.floor(v / 1.5));
        if (h > 0.92) return mix(col, c.colors[1] ?? white, 0.6);
        if (h < 0.12) return scaled(col, 0.7);
        return scaled(col, 0.9 + 0.2 * valueNoise(seed + 1, u, v, 2));
      };
    case 'quilted':
      return (col, _u, v) => {
        const baffle = unit * 0.12;
        const t = fract(v / baffle);
        return scaled(col, 0.72 + 0.36 * Math.sin(t * Math.PI) ** 0.6);
      };
    case 'suede':
      return (col, u, v) => scaled(col, 0.9 + 0.18 * fbm(seed, u, v, unit * 0.05));
    case 'wool':
    case 'cashmere':
    case 'fleece':
      return (col, u, v) => scaled(col, 0.95 + 0.1 * valueNoise(seed, u, v, 2.2));
    case 'cotton':
    case 'jersey':
    case null:
      return (col, u, v) => scaled(col, 0.985 + 0.03 * valueNoise(seed, u, v, 1.8));
  }
}

export interface GarmentTexture {
  /** RGBA at analysis resolution: the garment's albedo, alpha = silhouette coverage. */
  layer: Raster;
  palette: TexturePalette;
}

/**
 * Paints the garment inside its silhouette. `skin` (sRGB) shows through lace, mesh and chiffon.
 * Deterministic: same spec, silhouette and random stream give the same bytes.
 */
export function paintGarment(spec: GarmentSpec, silhouette: Silhouette, rng: Random, skin: Rgb): GarmentTexture {
  const palette = resolvePalette(spec, rng);
  const { width, height, unit } = silhouette;
  const pattern = makePattern(spec, rng, unit);
  const material = makeMaterial(spec, rng, unit);
  const colors = [palette.ground, ...palette.accents].map((c) => lin(c.rgb));
  const skinLin = lin(skin);
  const pleats = spec.pleated ? Math.round(rng.fork('pleats').range(9, 14)) : 0;
  const layer = createRaster(width, height, 4);
  const cov = silhouette.coverage.data;
  const span = Math.max(1, silhouette.rows.hem - silhouette.rows.top);
  const ctx: PatternContext = { unit, seed: 0, colors, part: 0, across: 0, down: 0 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (cov[i] === 0) continue;
      const u = silhouette.u[i];
      const v = silhouette.v[i];
      ctx.part = silhouette.part[i];
      ctx.across = silhouette.across[i];
      ctx.down = ctx.part === Part.Panel ? (y - silhouette.rows.top) / span : Math.min(1, v / (unit * 1.5));
      let col = material(pattern(u, v, ctx), u, v, ctx, skinLin);
      if (pleats > 0 && ctx.part === Part.Panel && y > silhouette.rows.waist) {
        // Pleats: folds that fan out with the skirt, darker in each fold's valley.
        const t = fract((ctx.across + 1) * pleats * 0.5);
        const f = 0.84 + 0.24 * Math.abs(t - 0.5) * 2 - (t < 0.06 ? 0.12 : 0);
        col = [col[0] * f, col[1] * f, col[2] * f];
      }
      const p = i * 4;
      layer.data[p] = fromLin(col[0]);
      layer.data[p + 1] = fromLin(col[1]);
      layer.data[p + 2] = fromLin(col[2]);
      layer.data[p + 3] = cov[i];
    }
  }
  return { layer, palette };
}
