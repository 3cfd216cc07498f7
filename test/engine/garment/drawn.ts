/**
 * Drawn garment product shots for the garment-analysis tests: polygons rendered by sharp (SVG,
 * antialiased like a photo's outline), optionally with a soft drop shadow, pixel noise and a JPEG
 * round trip, plus the drawn truth mask (coverage ≥ 50 %).
 */
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Raster } from '../../../src/imaging/raster.ts';
import type { Point } from '../../../src/engine/classic/types.ts';

export type Vertex = [number, number];

export interface DrawOptions {
  width?: number;
  height?: number;
  background?: [number, number, number];
  fill?: [number, number, number];
  /** Soft drop shadow under the garment. */
  shadow?: { dx: number; dy: number; blur: number; opacity: number };
  /** Uniform noise amplitude (± levels per channel), deterministic. */
  noise?: number;
  /** JPEG quality for a compression round trip; omitted = lossless. */
  jpeg?: number;
  /** Extra shapes (e.g. a skin-coloured head) drawn with their own colour, not part of the truth. */
  extras?: Array<{ polygon?: Vertex[]; ellipse?: { cx: number; cy: number; rx: number; ry: number }; fill: [number, number, number] }>;
  /** Prints (a logo) drawn over the garment in their own colour; the truth stays the garment's polygons. */
  prints?: Array<{ polygon: Vertex[]; fill: [number, number, number] }>;
}

export interface Drawn {
  image: Raster;
  /** 1 where the drawn garment covers at least half a pixel. */
  truth: Uint8Array;
}

const rgb = (c: [number, number, number]): string => `rgb(${c[0]},${c[1]},${c[2]})`;
const path = (polygon: Vertex[]): string => `M${polygon.map(([x, y]) => `${x},${y}`).join(' L')} Z`;

export async function drawGarment(polygons: Vertex[][], options: DrawOptions = {}): Promise<Drawn> {
  const width = options.width ?? 480;
  const height = options.height ?? 640;
  const background = options.background ?? [246, 246, 246];
  const fill = options.fill ?? [40, 60, 140];
  const shapes = polygons.map((p) => `<path d="${path(p)}" fill="${rgb(fill)}"/>`).join('');
  const shadow = options.shadow
    ? `<defs><filter id="s" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="${options.shadow.blur}"/></filter></defs>` +
      `<g filter="url(#s)" opacity="${options.shadow.opacity}" transform="translate(${options.shadow.dx},${options.shadow.dy})">` +
      polygons.map((p) => `<path d="${path(p)}" fill="black"/>`).join('') + '</g>'
    : '';
  const extras = (options.extras ?? []).map((e) =>
    e.polygon ? `<path d="${path(e.polygon)}" fill="${rgb(e.fill)}"/>` : e.ellipse ? `<ellipse cx="${e.ellipse.cx}" cy="${e.ellipse.cy}" rx="${e.ellipse.rx}" ry="${e.ellipse.ry}" fill="${rgb(e.fill)}"/>` : '',
  ).join('');
  const prints = (options.prints ?? []).map((print) => `<path d="${path(print.polygon)}" fill="${rgb(print.fill)}"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${rgb(background)}"/>${shadow}${extras}${shapes}${prints}</svg>`;
  const raw = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  const data = new Uint8Array(raw);
  if (options.noise) {
    let seed = 12345;
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const n = ((seed >>> 8) / 0xffffff - 0.5) * 2 * options.noise;
      data[i] = Math.max(0, Math.min(255, Math.round(data[i] + n)));
    }
  }
  let pixels = data;
  if (options.jpeg) {
    const jpeg = await sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: options.jpeg }).toBuffer();
    pixels = new Uint8Array(await sharp(jpeg).removeAlpha().raw().toBuffer());
  }
  const truthSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/>${polygons.map((p) => `<path d="${path(p)}" fill="white"/>`).join('')}</svg>`;
  const truthRaw = await sharp(Buffer.from(truthSvg)).removeAlpha().extractChannel(0).raw().toBuffer();
  const truth = new Uint8Array(width * height);
  for (let i = 0; i < truth.length; i++) truth[i] = truthRaw[i] >= 128 ? 1 : 0;
  return { image: { width, height, channels: 3, data: pixels }, truth };
}

/** Intersection over union of a 0/255 (or 0/1) mask against a 0/1 truth. */
/** Asserts that a landmark was found within `tolerance` px of where it was drawn. */
export function assertNear(actual: Point | undefined, expected: [number, number], tolerance: number, name: string): void {
  assert.ok(actual, `${name} missing`);
  const d = Math.hypot(actual.x - expected[0], actual.y - expected[1]);
  assert.ok(d <= tolerance, `${name} at (${actual.x.toFixed(1)}, ${actual.y.toFixed(1)}), drawn at (${expected.join(', ')}): ${d.toFixed(1)} px off`);
}

export function iou(mask: Uint8Array, truth: Uint8Array): number {
  let inter = 0, union = 0;
  for (let i = 0; i < truth.length; i++) {
    const a = mask[i] > 0, b = truth[i] > 0;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return union ? inter / union : 0;
}

/** Drawn shapes, coordinates on a 480x640 canvas (the garment's own image-left is smaller x). */
export const SHAPES = {
  tshirt: [[205, 120], [220, 133], [232, 142], [240, 145], [248, 142], [260, 133], [275, 120], [330, 140], [390, 200], [365, 232], [330, 215], [330, 560],
    [150, 560], [150, 215], [115, 232], [90, 200], [150, 140]] as Vertex[],
  tank: [[185, 100], [210, 100], [230, 175], [240, 190], [250, 175], [270, 100], [295, 100], [300, 170], [320, 210], [330, 230], [335, 520], [145, 520],
    [150, 230], [160, 210], [180, 170]] as Vertex[],
  longSleeveHanging: [[210, 120], [230, 135], [250, 135], [270, 120], [320, 150], [360, 170], [370, 520], [335, 520], [328, 245],
    [320, 232], [320, 560], [160, 560], [160, 232], [152, 245], [145, 520], [110, 520], [120, 170], [160, 150]] as Vertex[],
  trousers: [[160, 80], [320, 80], [340, 600], [255, 600], [258, 320], [240, 260], [222, 320], [225, 600], [140, 600]] as Vertex[],
  shorts: [[160, 80], [320, 80], [345, 300], [252, 300], [250, 240], [240, 220], [230, 240], [228, 300], [135, 300]] as Vertex[],
  skirt: [[180, 100], [300, 100], [340, 420], [140, 420]] as Vertex[],
  dress: [[205, 100], [240, 125], [275, 100], [315, 114], [370, 170], [345, 195], [315, 180], [305, 300], [350, 560], [130, 560],
    [175, 300], [165, 180], [135, 195], [110, 170], [165, 114]] as Vertex[],
};

/** A left sleeve's polygon mirrored to the right side of the 480-wide canvas (about x = 240). */
const mirrored = (polygon: Vertex[]): Vertex[] => polygon.map(([x, y]) => [480 - x, y] as Vertex).reverse();

/** Body panel of the hanging-sleeve tops: shoulders (130,140)/(350,140), side seams x = 130/350, hem y = `hem`. */
const hangingBody = (hem: number): Vertex[] => [[205, 112], [225, 128], [255, 128], [275, 112], [350, 140], [350, hem], [130, hem], [130, 140]];

/** Long sleeves hanging down beside the body, drawn as the body plus two overlapping sleeve polygons (armpits at (130,240)/(350,240)). */
export const HANGING = {
  /** A thin wedge of backdrop between sleeve and body from the armpit down, open at the bottom; cuffs (70..110, 560) below the hem at 530. */
  thinGap: ((sleeve: Vertex[]) => [hangingBody(530), sleeve, mirrored(sleeve)])([[140, 140], [130, 140], [95, 168], [70, 560], [110, 560], [130, 240], [140, 240]]),
  /** The wedge closed at the bottom: the cuff's inner corner touches the body above the hem; cuffs (70..130, 525), hem 545. */
  closedGap: ((sleeve: Vertex[]) => [hangingBody(545), sleeve, mirrored(sleeve)])([[140, 140], [130, 140], [95, 168], [70, 525], [134, 525], [114, 470], [130, 240], [140, 240]]),
  /** Sleeves touching the body all the way down and hanging below its hem: cuffs (70..132, 575), hem 530. */
  touching: ((sleeve: Vertex[]) => [hangingBody(530), sleeve, mirrored(sleeve)])([[140, 140], [130, 140], [95, 168], [70, 575], [132, 575], [132, 240], [140, 240]]),
};
