/**
 * Step 2: the person's skin colour and a per-pixel skin likelihood.
 *
 * Skin is sampled where it is almost always bare: the face between and below the eyes (avoiding
 * eyes and mouth), the neck below the chin, and, because full-body shots often crop the face away,
 * the hands and the middle of the arms. Each patch votes with its median colour; patches that agree
 * with the most trusted ones (face > neck > hands > arms) and look like skin at all form the model
 * (median and MAD, robust to stray hair or a sleeve). The likelihood weighs chroma (a*, b*) much
 * more than lightness so shaded skin stays skin.
 */
import type { Mask, Raster } from '../../../imaging/raster.ts';
import { labToRgb, rgbToLab } from '../../../imaging/colour.ts';
import type { Point, SkinModel } from '../types.ts';
import { along, faceEllipse, type BodyGeometry } from './geometry.ts';
import { hypot2 } from './grid.ts';
import { kthSmallest } from './colour-model.ts';

interface Patch {
  name: string;
  weight: number;
  pixels: number[];
  median?: [number, number, number];
}

/** The face patch between the eyes and down the nose: the one patch that hair does not cover. */
const NOSE_BRIDGE = 'nose bridge';

/** Minimum standard deviations (L, a, b): a flat studio face would otherwise reject its own shadows. */
const STD_FLOOR: [number, number, number] = [8, 4, 5];

/** `lab`: CIELAB per pixel of `image` (3 floats each). */
export function sampleSkin(lab: Float32Array, image: Raster, body: BodyGeometry, personMask: Mask): SkinModel {
  const { width: w, height: h } = image;
  const patches: Patch[] = [];
  const addBox = (name: string, weight: number, cx: number, cy: number, hw: number, hh: number) => {
    const pixels: number[] = [];
    for (let y = Math.max(0, Math.round(cy - hh)); y <= Math.min(h - 1, Math.round(cy + hh)); y++) {
      for (let x = Math.max(0, Math.round(cx - hw)); x <= Math.min(w - 1, Math.round(cx + hw)); x++) {
        const i = y * w + x;
        if (personMask.data[i] >= 200) pixels.push(i);
      }
    }
    patches.push({ name, weight, pixels });
  };
  const sw = body.shoulderWidth;
  const nose = body.at('nose');
  const le = body.at('left_eye');
  const re = body.at('right_eye');
  if (nose && le && re) {
    const eyeY = (le.y + re.y) / 2;
    const d = Math.max(4, Math.abs(le.x - re.x));
    const drop = Math.max(2, nose.y - eyeY);
    // Nose bridge between the eyes and the cheeks under each eye, above the mouth.
    addBox(NOSE_BRIDGE, 3, nose.x, (eyeY + nose.y) / 2 + drop * 0.1, d * 0.22, drop * 0.3);
    addBox('face', 3, le.x, nose.y - drop * 0.1, d * 0.18, drop * 0.25);
    addBox('face', 3, re.x, nose.y - drop * 0.1, d * 0.18, drop * 0.25);
  }
  if (body.head) {
    const chin = faceEllipse(body.head).chinY;
    const gap = body.shoulderMid.y - chin;
    if (gap > sw * 0.08) {
      const x = (body.head.centre.x + body.shoulderMid.x) / 2;
      addBox('neck', 2, x, chin + gap * 0.45, sw * 0.08, gap * 0.25);
    }
  }
  for (const side of ['left', 'right'] as const) {
    const s = body.at(`${side}_shoulder`);
    const e = body.at(`${side}_elbow`);
    const wr = body.at(`${side}_wrist`);
    const r = Math.max(2, sw * 0.035);
    if (e && wr) {
      const hand: Point = along(e, wr, 1.25);
      addBox('hand', 1.5, hand.x, hand.y, r, r);
      const fore = along(e, wr, 0.6);
      addBox('forearm', 1, fore.x, fore.y, r, r);
    }
    if (s && e) {
      const upper = along(s, e, 0.6);
      addBox('upperarm', 0.5, upper.x, upper.y, r, r);
    }
  }
  for (const p of patches) if (p.pixels.length >= 6) p.median = medianLab(lab, p.pixels);
  const voters = patches.filter((p): p is Patch & { median: [number, number, number] } => p.median !== undefined);

  let chosen: typeof voters = [];
  // Long hair falls over the cheeks and the neck (often both), and hair has skin's hue: two or
  // three hair patches outvote the face. Hair never covers the nose bridge, so when it reads as
  // skin it anchors the model and the other patches count only where they agree with it.
  const anchor = voters.find((p) => p.name === NOSE_BRIDGE && looksLikeSkin(p.median));
  if (anchor) {
    chosen = voters.filter((o) => chromaDistance(anchor.median, o.median) < 10);
  } else if (voters.length) {
    // Each patch's support: the weight of the patches whose colour agrees with it.
    let best = -1;
    for (const candidate of voters) {
      const agree = voters.filter((o) => chromaDistance(candidate.median, o.median) < 10);
      const plausible = looksLikeSkin(candidate.median) ? 1 : 0.15;
      const support = agree.reduce((s, o) => s + o.weight, 0) * plausible;
      if (support > best) {
        best = support;
        chosen = agree;
      }
    }
  }
  const pixels = chosen.flatMap((p) => p.pixels);
  if (pixels.length < 6) return DEFAULT_SKIN;
  const median = medianLab(lab, pixels);
  const dev = new Float32Array(pixels.length);
  const std = [0, 1, 2].map((c) => {
    for (let k = 0; k < pixels.length; k++) dev[k] = Math.abs(lab[pixels[k] * 3 + c] - median[c]);
    return Math.max(STD_FLOOR[c], 1.4826 * kthSmallest(dev, dev.length >> 1));
  }) as [number, number, number];
  return { lab: median, labStd: std, rgb: labToRgb(median[0], median[1], median[2]) };
}

/** A mid skin tone, used only when no skin could be sampled at all (fully covered person). */
const DEFAULT_SKIN: SkinModel = { lab: [65, 14, 18], labStd: [14, 6, 8], rgb: labToRgb(65, 14, 18) };

/** Per-channel median CIELAB of `pixels` (indices into `lab`). */
export function medianLab(lab: Float32Array, pixels: number[]): [number, number, number] {
  const values = new Float32Array(pixels.length);
  return [0, 1, 2].map((c) => {
    for (let k = 0; k < pixels.length; k++) values[k] = lab[pixels[k] * 3 + c];
    return kthSmallest(values, values.length >> 1);
  }) as [number, number, number];
}

/** Distance that counts lightness at a third: shading changes L far more than a*, b*. */
function chromaDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  return Math.hypot((p[0] - q[0]) / 3, p[1] - q[1], p[2] - q[2]);
}

/** Human skin of any tone sits in a warm hue wedge with some chroma and is neither black nor white. */
export function looksLikeSkin(lab: ArrayLike<number>): boolean {
  const [l, a, b] = [lab[0], lab[1], lab[2]];
  const chroma = Math.hypot(a, b);
  const hue = (Math.atan2(b, a) * 180) / Math.PI;
  return l > 15 && l < 95 && chroma > 6 && chroma < 60 && hue > 10 && hue < 95;
}

/**
 * The CIELAB values (single precision, 3 per pixel, in the order given) of those of `pixels`
 * (row-major indices into `image`) whose colour looks like skin (see looksLikeSkin, decided on
 * the double-precision values).
 */
export function skinLikeLab(image: Raster, pixels: Iterable<number>): Float32Array {
  const { data, channels } = image;
  const one = [0, 0, 0];
  const kept: number[] = [];
  for (const i of pixels) {
    rgbToLab(data[i * channels], data[i * channels + 1], data[i * channels + 2], one);
    if (looksLikeSkin(one)) kept.push(one[0], one[1], one[2]);
  }
  return Float32Array.from(kept);
}

/**
 * Skin likelihood 0..1 per pixel, computed inside `region` (a mask; pixels outside get 0).
 *
 * Measured in lightness, hue angle and log chroma rather than a*, b* directly: the same skin in
 * shadow is darker and more saturated but keeps its hue, so hue is held tight, chroma may scale by
 * about 1.5x and lightness may move a lot. Grey and white (no chroma) are never skin.
 */
export function skinLikelihood(lab: Float32Array, skin: SkinModel, region: Mask): Float32Array {
  const n = region.width * region.height;
  const out = new Float32Array(n);
  const [lm, am, bm] = skin.lab;
  const chroma = Math.max(4, Math.hypot(am, bm));
  const hue = Math.atan2(bm, am);
  const chromaSpread = Math.hypot(skin.labStd[1], skin.labStd[2]) / chroma;
  const sl = skin.labStd[0] * 3;
  const sh = Math.min(0.25, Math.max(0.1, chromaSpread * 0.6));
  const sc = Math.max(0.3, chromaSpread);
  // The hue/chroma term depends on (a*, b*) only: tabulate it on a 0.5-unit grid once per image
  // instead of an atan2 and a log per pixel.
  const table = new Float32Array(AB_STEPS * AB_STEPS);
  for (let ia = 0; ia < AB_STEPS; ia++) {
    const a = (ia - AB_STEPS / 2) / AB_SCALE;
    for (let ib = 0; ib < AB_STEPS; ib++) {
      const b = (ib - AB_STEPS / 2) / AB_SCALE;
      const c = hypot2(a, b);
      if (c < 2) {
        table[ia * AB_STEPS + ib] = Infinity;
        continue;
      }
      let dh = Math.atan2(b, a) - hue;
      if (dh > Math.PI) dh -= 2 * Math.PI;
      else if (dh < -Math.PI) dh += 2 * Math.PI;
      dh /= sh;
      const dc = Math.log(c / chroma) / sc;
      table[ia * AB_STEPS + ib] = dh * dh + dc * dc;
    }
  }
  const last = AB_STEPS - 1;
  for (let i = 0; i < n; i++) {
    if (region.data[i] < 128) continue;
    const ia = Math.min(last, Math.max(0, Math.round(lab[i * 3 + 1] * AB_SCALE + AB_STEPS / 2)));
    const ib = Math.min(last, Math.max(0, Math.round(lab[i * 3 + 2] * AB_SCALE + AB_STEPS / 2)));
    const chromaTerm = table[ia * AB_STEPS + ib];
    if (chromaTerm === Infinity) continue;
    const dl = (lab[i * 3] - lm) / sl;
    out[i] = Math.exp(-0.5 * (dl * dl + chromaTerm));
  }
  return out;
}

/** a*, b* table: 0.5-unit cells over -64..64 (saturated colours beyond are clamped, far from skin anyway). */
const AB_SCALE = 2;
const AB_STEPS = 256;
