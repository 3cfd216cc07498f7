/**
 * The product shot being drawn: an RGBA garment in linear light (so shading multiplies light, as
 * fabric does) with operations the construction and light stages share: darken or lighten under
 * a coverage map, paint a colour (adding to the garment's own coverage: a collar standing above
 * the neckline, a hood), and encode to 8-bit sRGB at the end.
 */
import { createRaster, type Raster } from '../../../imaging/raster.ts';
import { forEachInBox, type Coverage } from './raster.ts';

export type Lin = [number, number, number];

const toLinTable = new Float32Array(256);
for (let k = 0; k < 256; k++) {
  const c = k / 255;
  toLinTable[k] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function toLinear(srgb8: number): number {
  return toLinTable[Math.max(0, Math.min(255, Math.round(srgb8)))];
}

export function toSrgb8(linear: number): number {
  const c = linear <= 0 ? 0 : linear >= 1 ? 1 : linear;
  return toSrgbTable[Math.round(c * SRGB_STEPS)];
}

/** Linear light → 8-bit sRGB, tabulated (the shot is encoded once per pixel and channel). */
const SRGB_STEPS = 4096;
const toSrgbTable = new Uint8Array(SRGB_STEPS + 1);
for (let k = 0; k <= SRGB_STEPS; k++) {
  const c = k / SRGB_STEPS;
  toSrgbTable[k] = Math.round((c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055) * 255);
}

export class ShotCanvas {
  readonly width: number;
  readonly height: number;
  /** Linear RGB per pixel. */
  readonly rgb: Float32Array;
  /** Coverage 0..1 per pixel. */
  readonly alpha: Float32Array;

  constructor(layer: Raster) {
    this.width = layer.width;
    this.height = layer.height;
    const n = layer.width * layer.height;
    this.rgb = new Float32Array(n * 3);
    this.alpha = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      this.alpha[i] = layer.data[i * 4 + 3] / 255;
      for (let c = 0; c < 3; c++) this.rgb[i * 3 + c] = toLinear(layer.data[i * 4 + c]);
    }
  }

  /** The garment's mean colour (linear) where it is fully covered: the base for trims. */
  meanColour(): Lin {
    const sum: Lin = [0, 0, 0];
    let n = 0;
    for (let i = 0; i < this.alpha.length; i++) {
      if (this.alpha[i] < 1) continue;
      for (let c = 0; c < 3; c++) sum[c] += this.rgb[i * 3 + c];
      n++;
    }
    return n === 0 ? [0.5, 0.5, 0.5] : [sum[0] / n, sum[1] / n, sum[2] / n];
  }

  /** Multiplies the garment's light by `factor` where `cov` covers it (only on the garment). */
  shade(cov: Coverage, factor: number): void {
    forEachInBox(cov, (i, j) => {
      const c = cov.data[j];
      if (c <= 0 || this.alpha[i] <= 0) return;
      const f = 1 + (factor - 1) * c;
      for (let k = 0; k < 3; k++) this.rgb[i * 3 + k] *= f;
    });
  }

  /** Paints `colour` under `cov`; `extend` also adds the coverage to the garment's alpha (pieces beyond the outline). */
  paint(cov: Coverage, colour: Lin, extend = false): void {
    forEachInBox(cov, (i, j) => {
      const c = cov.data[j];
      if (c <= 0) return;
      if (!extend && this.alpha[i] <= 0) return;
      const a0 = this.alpha[i];
      // Over the garment: replace by coverage. Beyond it: the piece's own colour with its coverage.
      const w = a0 > 0 ? c : 1;
      for (let k = 0; k < 3; k++) this.rgb[i * 3 + k] = this.rgb[i * 3 + k] * (1 - w) + colour[k] * w;
      if (extend && c > a0) this.alpha[i] = c;
    });
  }

  /**
   * A piece of the garment's own fabric lying on top (a collar leaf, a lapel, a pocket flap): its
   * light scaled by `factor` where the garment already is (the print continues under it), and
   * `colour` with the piece's coverage where it reaches beyond the garment's outline.
   */
  overlay(cov: Coverage, factor: number, colour: Lin): void {
    forEachInBox(cov, (i, j) => {
      const c = cov.data[j];
      if (c <= 0) return;
      const a0 = this.alpha[i];
      for (let k = 0; k < 3; k++) {
        const own = this.rgb[i * 3 + k] * (1 + (factor - 1) * c);
        this.rgb[i * 3 + k] = a0 > 0 ? own * a0 + colour[k] * (1 - a0) * c : colour[k];
      }
      if (c > a0) this.alpha[i] = c;
    });
  }

  /** Removes garment coverage under `cov` (an opening: the V between lapels shows the backdrop). */
  cut(cov: Coverage): void {
    forEachInBox(cov, (i, j) => {
      if (cov.data[j] > 0) this.alpha[i] = Math.max(0, this.alpha[i] * (1 - cov.data[j]));
    });
  }

  /** 8-bit sRGB RGBA. */
  toRaster(): Raster {
    const out = createRaster(this.width, this.height, 4);
    for (let i = 0; i < this.alpha.length; i++) {
      for (let c = 0; c < 3; c++) out.data[i * 4 + c] = toSrgb8(this.rgb[i * 3 + c]);
      out.data[i * 4 + 3] = Math.round(Math.max(0, Math.min(1, this.alpha[i])) * 255);
    }
    return out;
  }
}

/** A trim colour: the garment's own, lightened or darkened in linear light. */
export function tone(colour: Lin, factor: number): Lin {
  return [Math.min(1, colour[0] * factor), Math.min(1, colour[1] * factor), Math.min(1, colour[2] * factor)];
}

/** Relative luminance of a linear colour. */
export function luminance(c: Lin): number {
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
