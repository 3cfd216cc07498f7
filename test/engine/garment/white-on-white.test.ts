/**
 * A white tee on a knocked-out white backdrop (254-255 in JPEG blocks: the most common product
 * shot there is): the fabric a plateau a few levels darker than the backdrop, its outline only the
 * soft step between them, no line; the hem's corner lit to the backdrop's colour, so that the
 * outline fades out there; a highlight on the chest lit to the backdrop's colour too. The flood
 * used to walk down the soft step (as into a shadow) and tear the tee into fragments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { segmentGarment } from '../../../src/engine/classic/garment/segment.ts';
import { SHAPES, iou } from './drawn.ts';

const WIDTH = 480, HEIGHT = 640;
/** The fabric's plateau and the backdrop's level (the mean of its 254 and 255 blocks). */
const FABRIC = 251, BACKDROP = 254.5;
/** The chest highlight: centre, half-axes (px) and tilt. */
const HIGHLIGHT = { cx: 200, cy: 250, rx: 40, ry: 12, angle: -Math.PI / 6 };

async function whiteTeeOnWhite(): Promise<{ image: { width: number; height: number; channels: 3; data: Uint8Array }; truth: Uint8Array }> {
  const d = `M${SHAPES.tshirt.map(([x, y]) => `${x},${y}`).join(' L')} Z`;
  const truthRaw = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="black"/><path d="${d}" fill="white"/></svg>`))
    .removeAlpha().extractChannel(0).raw().toBuffer();
  const truth = new Uint8Array(WIDTH * HEIGHT);
  for (let i = 0; i < truth.length; i++) truth[i] = truthRaw[i] >= 128 ? 1 : 0;
  // The outline's blur: the drawn coverage averaged over a 3x3 box.
  const cover = new Float32Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      let sum = 0, count = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy < 0 || xx < 0 || yy >= HEIGHT || xx >= WIDTH) continue;
          sum += truthRaw[yy * WIDTH + xx] / 255;
          count++;
        }
      }
      cover[y * WIDTH + x] = sum / count;
    }
  }
  // The backdrop's JPEG blocks: each 8x8 block 255, or 254 (deterministic, three in ten).
  const blocksPerRow = WIDTH / 8;
  const blocks = new Uint8Array(blocksPerRow * (HEIGHT / 8));
  let seed = 13579;
  for (let i = 0; i < blocks.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    blocks[i] = (seed >>> 8) / 0x1000000 < 0.3 ? 1 : 0;
  }
  const { cx, cy, rx, ry, angle } = HIGHLIGHT;
  const data = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const p = y * WIDTH + x;
      const back = 255 - blocks[Math.floor(y / 8) * blocksPerRow + Math.floor(x / 8)];
      // Lit to the backdrop's level towards the hem's right corner (330, 560) and in the highlight.
      const corner = Math.max(0, 1 - Math.hypot(x - 330, y - 560) / 20);
      const u = ((x - cx) * Math.cos(angle) + (y - cy) * Math.sin(angle)) / rx;
      const v = (-(x - cx) * Math.sin(angle) + (y - cy) * Math.cos(angle)) / ry;
      const highlight = Math.exp(-(u * u + v * v));
      const lit = Math.max(corner, highlight);
      const fabric = FABRIC + (BACKDROP - FABRIC) * lit;
      const value = Math.round(back * (1 - cover[p]) + fabric * cover[p]);
      data[p * 3] = data[p * 3 + 1] = data[p * 3 + 2] = value;
    }
  }
  return { image: { width: WIDTH, height: HEIGHT, channels: 3, data }, truth };
}

test('a white tee a few levels darker than a knocked-out white backdrop, its hem corner faded out, is cut out whole', async () => {
  const { image, truth } = await whiteTeeOnWhite();
  const { foreground } = segmentGarment(image);
  const score = iou(foreground, truth);
  // Whole, the outline's blurred rim (a few px all round) at most lost: torn, it scored 0.
  assert.ok(score > 0.93, `IoU ${score.toFixed(4)}`);
  // The chest highlight lit to the backdrop's colour stays garment: it is no gap between parts.
  let highlight = 0, kept = 0;
  for (let y = HIGHLIGHT.cy - 8; y <= HIGHLIGHT.cy + 8; y++) {
    for (let x = HIGHLIGHT.cx - 8; x <= HIGHLIGHT.cx + 8; x++) {
      highlight++;
      kept += foreground[y * WIDTH + x];
    }
  }
  assert.equal(kept, highlight, `chest highlight: ${kept} of ${highlight} pixels kept`);
});
