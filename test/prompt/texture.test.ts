import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../src/engine/classic/body/index.ts';
import { rgbToLab } from '../../src/engine/prompt/colors.ts';
import { parsePrompt } from '../../src/engine/prompt/parser.ts';
import { createRandom, hash2 } from '../../src/engine/prompt/random.ts';
import { buildSilhouette, Part } from '../../src/engine/prompt/silhouette.ts';
import { paintGarment } from '../../src/engine/prompt/texture.ts';
import type { Material, Pattern } from '../../src/engine/prompt/vocabulary.ts';
import { ciede2000 } from '../../eval/metrics/ciede2000.ts';
import { drawnPerson } from '../engine/placement/figure.ts';

const person = drawnPerson();
const body = measureBody(person);
const SKIN: [number, number, number] = [220, 170, 140];

function paint(prompt: string, seed: number) {
  const spec = parsePrompt(prompt).garments[0];
  const random = createRandom(seed);
  const silhouette = buildSilhouette(spec, body, person, random.fork('silhouette'));
  return { spec, silhouette, ...paintGarment(spec, silhouette, random.fork('texture'), SKIN) };
}

test('random: same seed, same stream; forks are independent of draw order; seeds differ', () => {
  const a = createRandom(42);
  const b = createRandom(42);
  const first = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(Array.from({ length: 100 }, () => b.next()), first);
  assert.ok(first.every((v) => v >= 0 && v < 1));
  assert.notDeepEqual(Array.from({ length: 10 }, () => createRandom(43).next()), first.slice(0, 10));
  // A fork depends only on the seed and its label, not on what was drawn before it.
  const fresh = createRandom(7).fork('stripes').next();
  const used = createRandom(7);
  used.next();
  used.next();
  assert.equal(used.fork('stripes').next(), fresh);
  assert.notEqual(createRandom(7).fork('dots').next(), fresh);
  // Roughly uniform: 10 bins of 10 000 draws within 5 % of 1 000 each.
  const bins = new Array(10).fill(0);
  const r = createRandom(1);
  for (let k = 0; k < 10_000; k++) bins[Math.floor(r.next() * 10)]++;
  assert.ok(bins.every((n) => Math.abs(n - 1000) < 100), bins.join(','));
  assert.equal(hash2(5, 3, 4), hash2(5, 3, 4));
  assert.throws(() => createRandom(-1));
  assert.throws(() => createRandom(1.5));
});

test('texture: same prompt and seed give identical bytes; another seed gives a different print', () => {
  for (const prompt of ['a red and white striped t-shirt', 'a floral maxi dress', 'camo cargo trousers', 'a leopard print skirt', 'a navy polka dot blouse']) {
    const a = paint(prompt, 5);
    const b = paint(prompt, 5);
    const c = paint(prompt, 6);
    assert.deepEqual(a.layer.data, b.layer.data, prompt);
    let differ = 0;
    for (let i = 0; i < a.layer.data.length; i += 4) if (Math.abs(a.layer.data[i] - c.layer.data[i]) > 30) differ++;
    assert.ok(differ > 500, `${prompt}: ${differ} pixels differ between seeds`);
  }
});

test('texture: a solid garment is drawn in the requested colour; unnamed colours are seed-picked', () => {
  for (const [prompt, rgb] of [['a red t-shirt', [200, 16, 46]], ['an emerald green dress', [15, 122, 74]], ['a light blue shirt', [167, 199, 231]]] as const) {
    const { layer } = paint(prompt, 1);
    const lab = rgbToLab([rgb[0], rgb[1], rgb[2]]);
    const distances: number[] = [];
    for (let p = 0; p < layer.data.length; p += 4) {
      if (layer.data[p + 3] === 255) distances.push(ciede2000(rgbToLab([layer.data[p], layer.data[p + 1], layer.data[p + 2]]), lab));
    }
    distances.sort((x, y) => x - y);
    assert.ok(distances[Math.floor(distances.length / 2)] < 2, `${prompt}: median ΔE ${distances[Math.floor(distances.length / 2)]}`);
  }
  const picked = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => paint('a t-shirt', seed).palette.ground.name));
  assert.ok(picked.size >= 3, `seeds pick different colours: ${[...picked].join(', ')}`);
});

test('texture: horizontal stripes run round the torso, pinstripes down the trouser legs', () => {
  const { layer, silhouette } = paint('a black and white striped t-shirt', 2);
  const at = (x: number, y: number): number => layer.data[(y * layer.width + x) * 4];
  // Down the centre line the colour alternates; along one row it stays the same.
  let changesDown = 0;
  for (let y = 150; y < 250; y++) if (Math.abs(at(150, y) - at(150, y + 1)) > 100) changesDown++;
  let changesAcross = 0;
  const row = 200;
  for (let x = 125; x < 175; x++) if (silhouette.part[row * layer.width + x] === Part.Panel && Math.abs(at(x, row) - at(x + 1, row)) > 100) changesAcross++;
  assert.ok(changesDown >= 6 && changesAcross === 0, `down ${changesDown}, across ${changesAcross}`);

  const trousers = paint('navy pinstripe trousers', 2);
  const t = (x: number, y: number): number => trousers.layer.data[(y * trousers.layer.width + x) * 4 + 2];
  // On the image-left leg at the knee: lines are crossed going across the leg, not going down it.
  const [, knee] = body.leg.l.joints;
  let across = 0;
  for (let x = Math.round(knee.x) - 12; x < Math.round(knee.x) + 12; x++) if (Math.abs(t(x, Math.round(knee.y)) - t(x + 1, Math.round(knee.y))) > 40) across++;
  let down = 0;
  for (let y = Math.round(knee.y) - 30; y < Math.round(knee.y) + 30; y++) if (Math.abs(t(Math.round(knee.x), y) - t(Math.round(knee.x), y + 1)) > 40) down++;
  assert.ok(across >= 2 && down <= 2, `across ${across}, down ${down}`);
});

test('texture: every pattern and material paints every covered pixel, alpha = coverage', () => {
  const patterns: Pattern[] = ['solid', 'horizontal_stripes', 'vertical_stripes', 'pinstripes', 'diagonal_stripes', 'check', 'gingham', 'plaid', 'tartan', 'houndstooth', 'polka_dots', 'floral', 'camouflage', 'leopard', 'zebra', 'snake', 'paisley', 'tie_dye', 'argyle', 'herringbone', 'chevron', 'ombre', 'color_block'];
  const materials: Array<Material | null> = [null, 'cotton', 'denim', 'knit', 'leather', 'satin', 'silk', 'velvet', 'sequins', 'lace', 'linen', 'wool', 'cashmere', 'corduroy', 'suede', 'chiffon', 'tweed', 'fleece', 'mesh', 'jersey', 'crochet', 'metallic', 'quilted'];
  const base = parsePrompt('a dress with long sleeves').garments[0];
  const silhouette = buildSilhouette(base, body, person, createRandom(1));
  const check = (pattern: Pattern, material: Material | null): void => {
    const { layer } = paintGarment({ ...base, pattern, material }, silhouette, createRandom(9), SKIN);
    const distinct = new Set<number>();
    for (let i = 0, p = 0; i < silhouette.coverage.data.length; i++, p += 4) {
      assert.equal(layer.data[p + 3], silhouette.coverage.data[i]);
      if (silhouette.coverage.data[i] === 255) distinct.add((layer.data[p] << 16) | (layer.data[p + 1] << 8) | layer.data[p + 2]);
    }
    if (pattern !== 'solid') assert.ok(distinct.size > 1, `${pattern}/${material}: a pattern shows more than one colour`);
  };
  for (const pattern of patterns) check(pattern, null);
  for (const material of materials) check('solid', material);
});

test('texture: dark denim has no pale flecks (its slub is a tint of its own colour, not white)', () => {
  // Flecks mixed towards white read as glitter on black jeans at product-page size.
  const { layer } = paint('black skinny jeans', 4);
  const lightness: number[] = [];
  for (let p = 0; p < layer.data.length; p += 4) if (layer.data[p + 3] === 255) lightness.push(rgbToLab([layer.data[p], layer.data[p + 1], layer.data[p + 2]])[0]);
  lightness.sort((x, y) => x - y);
  const median = lightness[Math.floor(lightness.length / 2)];
  const brightest = lightness[Math.floor(lightness.length * 0.999)];
  assert.ok(brightest - median < 10, `black denim: L* median ${median.toFixed(1)}, 99.9th percentile ${brightest.toFixed(1)}`);
});

test('texture: "blue jeans" are painted denim blue; a blue t-shirt keeps the shop blue', () => {
  const chroma = (rgb: readonly number[]): number => {
    const [, a, b] = rgbToLab([rgb[0], rgb[1], rgb[2]]);
    return Math.hypot(a, b);
  };
  const jeans = paint('blue jeans', 2).palette.ground;
  const tee = paint('a blue t-shirt', 2).palette.ground;
  assert.equal(jeans.name, 'blue');
  // Denim's indigo is a greyed blue (C* about 30); the shop blue is saturated (C* about 55).
  assert.ok(chroma(jeans.rgb) < 38, `blue jeans: C* ${chroma(jeans.rgb).toFixed(1)}`);
  assert.ok(chroma(tee.rgb) > 45, `blue t-shirt: C* ${chroma(tee.rgb).toFixed(1)}`);
});
