/**
 * CIE L*a*b* conversion (sRGB, D65) and the CIEDE2000 colour difference, written out in full from
 * Sharma, Wu & Dalal, "The CIEDE2000 Color-Difference Formula: Implementation Notes, Supplementary
 * Test Data, and Mathematical Observations", Color Res. Appl. 30(1), 2005 (equations 1-22).
 * The unit tests check it against that paper's 34 reference pairs.
 */

/** [L*, a*, b*]. */
export type Lab = [number, number, number];

const DEG = Math.PI / 180;
const POW25_7 = 25 ** 7;

/** ΔE00 between two Lab colours with the reference conditions kL = kC = kH = 1. */
export function ciede2000(lab1: Lab, lab2: Lab): number {
  return ciede2000Components(lab1[0], lab1[1], lab1[2], lab2[0], lab2[1], lab2[2]);
}

/** The same formula on six numbers (no array allocation; used in per-pixel loops). */
export function ciede2000Components(
  L1: number, a1: number, b1: number,
  L2: number, a2: number, b2: number,
): number {
  // (2)-(7): adjust a* for the neutral-axis correction G, then C' and h'.
  const C1 = Math.hypot(a1, b1);
  const C2 = Math.hypot(a2, b2);
  const Cbar = (C1 + C2) / 2;
  const Cbar7 = Cbar ** 7;
  const G = 0.5 * (1 - Math.sqrt(Cbar7 / (Cbar7 + POW25_7)));
  const a1p = (1 + G) * a1;
  const a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1);
  const C2p = Math.hypot(a2p, b2);
  const h1p = hueDegrees(a1p, b1);
  const h2p = hueDegrees(a2p, b2);

  // (8)-(10): ΔL', ΔC', ΔH'.
  const dLp = L2 - L1;
  const dCp = C2p - C1p;
  let dhp: number;
  if (C1p * C2p === 0) dhp = 0;
  else if (Math.abs(h2p - h1p) <= 180) dhp = h2p - h1p;
  else if (h2p - h1p > 180) dhp = h2p - h1p - 360;
  else dhp = h2p - h1p + 360;
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * DEG);

  // (12)-(14): means of L', C', h' (the hue mean follows the paper's case analysis exactly).
  const Lbarp = (L1 + L2) / 2;
  const Cbarp = (C1p + C2p) / 2;
  let hbarp: number;
  if (C1p * C2p === 0) hbarp = h1p + h2p;
  else if (Math.abs(h1p - h2p) <= 180) hbarp = (h1p + h2p) / 2;
  else if (h1p + h2p < 360) hbarp = (h1p + h2p + 360) / 2;
  else hbarp = (h1p + h2p - 360) / 2;

  // (15)-(22): weighting functions and the rotation term.
  const T = 1
    - 0.17 * Math.cos((hbarp - 30) * DEG)
    + 0.24 * Math.cos(2 * hbarp * DEG)
    + 0.32 * Math.cos((3 * hbarp + 6) * DEG)
    - 0.20 * Math.cos((4 * hbarp - 63) * DEG);
  const dTheta = 30 * Math.exp(-(((hbarp - 275) / 25) ** 2));
  const Cbarp7 = Cbarp ** 7;
  const RC = 2 * Math.sqrt(Cbarp7 / (Cbarp7 + POW25_7));
  const Lm50sq = (Lbarp - 50) ** 2;
  const SL = 1 + (0.015 * Lm50sq) / Math.sqrt(20 + Lm50sq);
  const SC = 1 + 0.045 * Cbarp;
  const SH = 1 + 0.015 * Cbarp * T;
  const RT = -Math.sin(2 * dTheta * DEG) * RC;

  const tL = dLp / SL;
  const tC = dCp / SC;
  const tH = dHp / SH;
  return Math.sqrt(tL * tL + tC * tC + tH * tH + RT * tC * tH);
}

/** Hue angle in degrees, [0, 360); 0 for the neutral axis (a' = b = 0) as the paper specifies. */
function hueDegrees(ap: number, b: number): number {
  if (ap === 0 && b === 0) return 0;
  const h = Math.atan2(b, ap) / DEG;
  return h < 0 ? h + 360 : h;
}

// sRGB (IEC 61966-2-1) to linear, tabulated once for the 256 8-bit levels.
const SRGB_TO_LINEAR = new Float64Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  SRGB_TO_LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

// D65 reference white (the sRGB white point), Y normalised to 1.
const XN = 0.95047;
const YN = 1.0;
const ZN = 1.08883;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

/**
 * 8-bit sRGB to CIE L*a*b* (D65). `exposure` scales the linear-light values first: a uniform
 * shadow or highlight on a surface multiplies its linear RGB, so dividing it back out is the
 * shading-neutral way to compare a lit garment with its product shot.
 */
export function srgbToLab(r: number, g: number, b: number, exposure = 1): Lab {
  const out = new Float64Array(3);
  srgbToLabInto(r, g, b, exposure, out, 0);
  return [out[0], out[1], out[2]];
}

/** srgbToLab writing into `out[offset..offset+2]` (no allocation, for per-pixel loops). */
export function srgbToLabInto(r: number, g: number, b: number, exposure: number, out: Float32Array | Float64Array, offset: number): void {
  const rl = SRGB_TO_LINEAR[r] * exposure;
  const gl = SRGB_TO_LINEAR[g] * exposure;
  const bl = SRGB_TO_LINEAR[b] * exposure;
  const x = 0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl;
  const y = 0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl;
  const z = 0.0193339 * rl + 0.1191920 * gl + 0.9503041 * bl;
  const fx = labF(x / XN);
  const fy = labF(y / YN);
  const fz = labF(z / ZN);
  out[offset] = 116 * fy - 16;
  out[offset + 1] = 500 * (fx - fy);
  out[offset + 2] = 200 * (fy - fz);
}

/** Interleaved 8-bit RGB (n*3 values) to interleaved Lab (n*3 floats), `exposure` as in srgbToLab. */
export function rgbPixelsToLab(rgb: Uint8Array, exposure = 1): Float32Array {
  const n = Math.floor(rgb.length / 3);
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n * 3; i += 3) srgbToLabInto(rgb[i], rgb[i + 1], rgb[i + 2], exposure, out, i);
  return out;
}

/** Relative luminance Y (white = 1) of a given L*: the inverse of L* = 116 f(Y) - 16. */
export function luminanceOfLightness(L: number): number {
  const fy = (L + 16) / 116;
  return fy ** 3 > EPSILON ? fy ** 3 : L / KAPPA;
}
