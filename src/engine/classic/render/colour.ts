/**
 * sRGB ↔ linear-light conversion tables. Light mixes (shading, lighting) are multiplications in
 * linear light; doing them on sRGB codes would darken mid-tones too much and shift hues.
 *
 * The reverse table has 65536 entries: adjacent sRGB codes are at least ~20 entries apart in it, so
 * code → linear → code is exact for every code, and a factor of exactly 1 changes nothing.
 */

/** sRGB code (0..255) → linear light 0..1. */
export const SRGB_TO_LINEAR: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    table[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return table;
})();

const LINEAR_STEPS = 65535;

/** Linear light quantised to 1/65535 → nearest sRGB code. Index with `linearToSrgb`. */
const LINEAR_TO_SRGB: Uint8Array = (() => {
  const table = new Uint8Array(LINEAR_STEPS + 1);
  for (let i = 0; i <= LINEAR_STEPS; i++) {
    const l = i / LINEAR_STEPS;
    const c = l <= 0.0031308 ? l * 12.92 : 1.055 * l ** (1 / 2.4) - 0.055;
    table[i] = Math.round(Math.min(1, Math.max(0, c)) * 255);
  }
  return table;
})();

/** Linear light (clamped to 0..1) → sRGB code. */
export function linearToSrgb(linear: number): number {
  if (!(linear > 0)) return 0;
  if (linear >= 1) return 255;
  return LINEAR_TO_SRGB[Math.round(linear * LINEAR_STEPS)];
}
