import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { segmentGarment } from '../../../src/engine/classic/garment/segment.ts';
import { SHAPES, drawGarment, iou, type Vertex } from './drawn.ts';

/**
 * A white tee (252) on a 246 sweep whose sleeves and shoulders are shaded down to the sweep's own
 * value, bounded only by a faint grey line, with fabric grain (± `grain` levels) and a JPEG round
 * trip: the case of white product shots where the flood used to eat bites out of the shoulders
 * and sleeves.
 */
async function faintWhiteTee(grain: number): Promise<{ image: { width: number; height: number; channels: 3; data: Uint8Array }; truth: Uint8Array }> {
  const width = 480, height = 640;
  const d = `M${SHAPES.tshirt.map(([x, y]) => `${x},${y}`).join(' L')} Z`;
  // Lit in the middle, falling to the backdrop's value towards both sleeves and the shoulders.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><radialGradient id="g" cx="240" cy="380" r="190" gradientUnits="userSpaceOnUse">
      <stop offset="0.45" stop-color="rgb(252,252,252)"/><stop offset="1" stop-color="rgb(246,246,246)"/></radialGradient></defs>
    <rect width="100%" height="100%" fill="rgb(246,246,246)"/>
    <path d="${d}" fill="url(#g)" stroke="rgb(238,238,238)" stroke-width="1.5"/></svg>`;
  const raw = new Uint8Array(await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer());
  const truthRaw = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/><path d="${d}" fill="white"/></svg>`))
    .removeAlpha().extractChannel(0).raw().toBuffer();
  const truth = new Uint8Array(width * height);
  for (let i = 0; i < truth.length; i++) truth[i] = truthRaw[i] >= 128 ? 1 : 0;
  // Fabric grain: deterministic, inside the garment only (the sweep stays flat).
  let seed = 987654321;
  for (let p = 0; p < truth.length; p++) {
    if (!truth[p]) continue;
    seed = (seed * 1103515245 + 12345) >>> 0;
    const n = Math.round(((seed >>> 8) / 0xffffff - 0.5) * 2 * grain);
    for (let k = 0; k < 3; k++) raw[p * 3 + k] = Math.max(0, Math.min(255, raw[p * 3 + k] + n));
  }
  const jpeg = await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const data = new Uint8Array(await sharp(jpeg).removeAlpha().raw().toBuffer());
  return { image: { width, height, channels: 3, data }, truth };
}

test('white tee shaded to the backdrop value, with only a faint outline, is cut out without bites', async () => {
  const { image, truth } = await faintWhiteTee(2);
  const { foreground } = segmentGarment(image);
  const score = iou(foreground, truth);
  assert.ok(score > 0.95, `IoU ${score.toFixed(4)}`);
});

test('smooth white fabric lit to the backdrop value is not taken for backdrop enclosed by the garment', async () => {
  // No grain at all: the shoulders are as flat as the sweep and only the faint line separates them.
  const { image, truth } = await faintWhiteTee(0);
  const { foreground } = segmentGarment(image);
  const score = iou(foreground, truth);
  assert.ok(score > 0.95, `IoU ${score.toFixed(4)}`);
});

test('backdrop enclosed between hanging sleeves and the body is still cut out, dark or white garment', async () => {
  const body: Vertex[] = [[205, 120], [240, 140], [275, 120], [320, 140], [320, 560], [160, 560], [160, 140]];
  // The sleeve hangs beside the body and its cuff touches it: a closed gap of backdrop between them.
  const left: Vertex[] = [[160, 140], [165, 150], [165, 232], [140, 245], [142, 495], [168, 495], [168, 525], [100, 525], [110, 175]];
  const right = left.map(([x, y]): Vertex => [480 - x, y]);
  for (const fill of [[30, 30, 30], [252, 252, 252]] as Array<[number, number, number]>) {
    const { image, truth } = await drawGarment([body, left, right], { fill, jpeg: 90 });
    const { foreground } = segmentGarment(image);
    let gap = 0, kept = 0;
    for (let y = 260; y < 480; y++) {
      for (let x = 145; x < 158; x++) {
        if (truth[y * 480 + x]) continue;
        gap++;
        kept += foreground[y * 480 + x];
      }
    }
    assert.ok(gap > 2000 && kept === 0, `fill ${fill.join(',')}: ${kept} of ${gap} gap pixels kept`);
    assert.ok(iou(foreground, truth) > 0.99, `fill ${fill.join(',')}: IoU ${iou(foreground, truth).toFixed(4)}`);
  }
});

test('the outline is in doubt for pale fabric lit to the sweep, not for a crisp navy tee (the matte is asked only then)', async () => {
  const crisp = await drawGarment([SHAPES.tshirt], { fill: [30, 40, 90], noise: 1.5, jpeg: 90 });
  const pale = await faintWhiteTee(4);
  const crispShare = segmentGarment(crisp.image).weakOutlineShare;
  const paleShare = segmentGarment(pale.image).weakOutlineShare;
  assert.ok(crispShare < 0.05, `crisp navy tee: ${crispShare.toFixed(3)}`);
  assert.ok(paleShare > 0.2, `faint white tee: ${paleShare.toFixed(3)}`);
});
