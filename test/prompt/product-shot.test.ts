/**
 * The product-shot drawer: every garment the parser knows comes out as a garment-shaped cut-out
 * in a shop's proportions, with its construction and fabric, exactly repeatable per seed, and the
 * classic engine's garment analysis reads it as the garment that was asked for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseGarment } from '../../src/engine/classic/garment/index.ts';
import { parsePrompt, type GarmentSpec } from '../../src/engine/prompt/parser.ts';
import { describeShot, drawProductShot, SHOT_UNIT, type ProductShot } from '../../src/engine/prompt/product-shot/index.ts';
import { rgbToLab } from '../../src/engine/prompt/colors.ts';
import { ARMHOLE_IN_S } from '../../src/engine/prompt/product-shot/geometry.ts';
import { darkness, highlightRollOff } from '../../src/engine/prompt/product-shot/light.ts';
import { createRandom } from '../../src/engine/prompt/random.ts';
import { GARMENT_TYPES, type GarmentType } from '../../src/engine/prompt/vocabulary.ts';

const SKIN: [number, number, number] = [205, 160, 130];

function shotOf(prompt: string, seed = 5): { spec: GarmentSpec; shot: ProductShot } {
  const spec = parsePrompt(prompt).garments[0];
  return { spec, shot: drawProductShot(spec, createRandom(seed).fork('g'), SKIN) };
}

/** Every prompt's shot at each seed. */
function* shotsOf(prompts: string[], seeds = [5, 7]): Generator<{ prompt: string; seed: number; shot: ProductShot }> {
  for (const prompt of prompts) for (const seed of seeds) yield { prompt, seed, shot: shotOf(prompt, seed).shot };
}

function alphaAt(shot: ProductShot, x: number, y: number): number {
  return shot.garment.data[(y * shot.garment.width + x) * 4 + 3];
}

/** The leftmost and rightmost pixel of row y with alpha at least minAlpha (-1, -1 for none). */
function rowSpan(shot: ProductShot, y: number, minAlpha: number): { l: number; r: number } {
  let l = -1;
  let r = -1;
  for (let x = 0; x < shot.garment.width; x++) {
    if (alphaAt(shot, x, y) < minAlpha) continue;
    if (l < 0) l = x;
    r = x;
  }
  return { l, r };
}

/** Rows (top, bottom) and columns (left, right) of the garment's coverage. */
function extent(shot: ProductShot): { top: number; bottom: number; left: number; right: number; area: number } {
  const { width, height } = shot.garment;
  let top = height, bottom = -1, left = width, right = -1, area = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (alphaAt(shot, x, y) < 128) continue;
      area++;
      top = Math.min(top, y);
      bottom = y;
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  return { top, bottom, left, right, area };
}

/** Runs of covered pixels on row y. */
function runsOnRow(shot: ProductShot, y: number): number {
  let runs = 0;
  let inside = false;
  for (let x = 0; x < shot.garment.width; x++) {
    const on = alphaAt(shot, x, y) >= 128;
    if (on && !inside) runs++;
    inside = on;
  }
  return runs;
}

test('every garment type is drawn: a solid garment inside a plain backdrop margin', () => {
  for (const type of Object.keys(GARMENT_TYPES) as GarmentType[]) {
    const { shot } = shotOf(`a navy ${type}`);
    const e = extent(shot);
    const { width, height } = shot.garment;
    assert.ok(e.area > 0.12 * width * height, `${type}: garment covers ${((100 * e.area) / (width * height)).toFixed(0)} % of the shot`);
    assert.ok(e.left > 10 && e.top > 10 && e.right < width - 10 && e.bottom < height - 10, `${type}: backdrop margin all round`);
    // The photo is the garment on one backdrop colour: its corners are the backdrop.
    const corner = Array.from(shot.photo.data.subarray(0, 3));
    assert.deepEqual(corner, [...shot.backdrop], `${type}: plain backdrop`);
  }
});

test('proportions: garment lengths and sleeve lengths follow the requested classes', () => {
  const height = (prompt: string): number => {
    const e = extent(shotOf(prompt).shot);
    return (e.bottom - e.top) / SHOT_UNIT;
  };
  const dresses = ['a mini dress', 'a knee length dress', 'a midi dress', 'a maxi dress'].map(height);
  for (let k = 1; k < dresses.length; k++) assert.ok(dresses[k] > dresses[k - 1] + 0.2, `dress lengths ${dresses.map((v) => v.toFixed(2)).join(' < ')}`);
  assert.ok(dresses[0] > 1.8 && dresses[3] > 3.2, 'a dress runs from the shoulders to its length');
  assert.ok(height('a cropped top') < height('a t-shirt') - 0.3, 'cropped is shorter than hip length');
  assert.ok(height('a long coat') > height('a blazer') + 0.6, 'a coat reaches below a blazer');
  assert.ok(height('shorts') < height('trousers') * 0.5, 'shorts are under half the length of trousers');

  // Sleeves: long sleeves hang further down than short ones; sleeveless tops are narrow.
  const sleeveDrop = (prompt: string): number => {
    const { shot } = shotOf(prompt);
    const cx = shot.marks.cx;
    let lowest = 0;
    for (let y = 0; y < shot.garment.height; y++) {
      for (let x = 0; x < shot.garment.width; x++) if (Math.abs(x - cx) > 0.6 * SHOT_UNIT && alphaAt(shot, x, y) >= 128) lowest = y;
    }
    return lowest;
  };
  assert.ok(sleeveDrop('a long-sleeve top') > sleeveDrop('a t-shirt') + 0.5 * SHOT_UNIT);
  const tank = extent(shotOf('a tank top').shot);
  assert.ok(tank.right - tank.left < 1.05 * SHOT_UNIT, 'a tank top has no sleeves');
  // ...and its armholes cut in below the strap ends, as a tank top's do: its body ran straight
  // from them to the hem (0.82 S across halfway down the armhole) and was worn as a box with
  // square shoulders. Narrowest row between the shoulder line and the armpit, in S.
  const waistOfArmholes = (prompt: string): number => {
    const { shot } = shotOf(prompt);
    const y0 = shot.marks.top;
    let narrowest = Infinity;
    for (let y = Math.round(y0 + 0.15 * SHOT_UNIT); y <= Math.round(y0 + 0.45 * SHOT_UNIT); y++) {
      // Its outer edges' span (the neckline opens the middle of the upper rows).
      const { l, r } = rowSpan(shot, y, 128);
      if (l >= 0) narrowest = Math.min(narrowest, (r - l + 1) / SHOT_UNIT);
    }
    return narrowest;
  };
  for (const prompt of ['a tank top', 'a black sleeveless dress', 'a grey vest']) {
    assert.ok(waistOfArmholes(prompt) <= 2 * ARMHOLE_IN_S + 0.04, `${prompt}: ${waistOfArmholes(prompt).toFixed(2)} S across the armholes`);
  }
});

test('category shapes: trousers have two legs, a skirt one tube, a dress is one piece from shoulders to hem', () => {
  const trousers = shotOf('black jeans').shot;
  assert.equal(runsOnRow(trousers, extent(trousers).bottom - 10), 2, 'two legs at the hem');
  assert.equal(runsOnRow(trousers, extent(trousers).top + 5), 1, 'one waistband');
  const skirt = shotOf('a red a-line skirt').shot;
  assert.equal(runsOnRow(skirt, extent(skirt).bottom - 10), 1);
  const dress = shotOf('a coral wrap dress, knee length').shot;
  const e = extent(dress);
  // The centre column is covered from below the neckline to the hem without a gap.
  const cx = Math.round(dress.marks.cx);
  const from = Math.round(dress.marks.top + 0.5 * SHOT_UNIT);
  for (let y = from; y < e.bottom - 3; y++) assert.ok(alphaAt(dress, cx, y) >= 128, `dress covered at row ${y}`);
  assert.ok((e.bottom - dress.marks.top) / SHOT_UNIT > 2.4, 'knee length from the shoulders');
});

test('trousers over a long skirt (overSkirt): wide legs touching down to a split at the hem, read as one piece to put over the old skirt', async () => {
  const spec: GarmentSpec = { ...parsePrompt('khaki chinos').garments[0], overSkirt: true, cut: 'wide', lengthS: 3 };
  const shot = drawProductShot(spec, createRandom(5).fork('g'), SKIN);
  const e = extent(shot);
  assert.equal(runsOnRow(shot, Math.round(e.top + 0.6 * (e.bottom - e.top))), 1, 'the legs touch down the thighs and calves');
  assert.equal(runsOnRow(shot, e.bottom - 3), 2, 'two legs at the hem');
  assert.ok((e.bottom - e.top) / SHOT_UNIT >= 2.9, 'drawn to the fitted length');
  assert.ok((e.right - e.left) / SHOT_UNIT > 1.6, 'wide at the hem');
  // The classic engine places it as a skirt, one piece over the old one (its trouser legs tore).
  const g = await analyseGarment(shot.photo, spec.category, describeShot(spec));
  assert.equal(g.lowerKind, 'skirt');
});

test('construction: outerwear opens between lapels, a shirt has a collar and buttons a t-shirt lacks', () => {
  const openAt = (prompt: string): number => {
    const { shot } = shotOf(prompt);
    return alphaAt(shot, Math.round(shot.marks.cx), Math.round(shot.marks.top + 0.3 * SHOT_UNIT));
  };
  assert.equal(openAt('a navy blazer'), 0, 'the V between the lapels is open');
  assert.equal(openAt('a camel cardigan'), 0);
  assert.equal(openAt('a navy t-shirt'), 255);

  // Variation of light down the centre line (placket edges and buttons) and coverage above the
  // neckline's lowest point (the collar's leaves).
  const centreVariation = (prompt: string): number => {
    const { shot } = shotOf(prompt);
    const cx = Math.round(shot.marks.cx);
    const values: number[] = [];
    for (let y = Math.round(shot.marks.top + 0.4 * SHOT_UNIT); y < shot.marks.top + 1.2 * SHOT_UNIT; y++) {
      for (let x = cx - 6; x <= cx + 6; x++) values.push(shot.garment.data[(y * shot.garment.width + x) * 4 + 1]);
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  };
  assert.ok(centreVariation('a light blue shirt') > 2 * centreVariation('a light blue t-shirt'), 'placket and buttons down the front');
  const collarCover = (prompt: string): number => {
    const { shot } = shotOf(prompt);
    const y = Math.round(shot.marks.top + 0.06 * SHOT_UNIT);
    return alphaAt(shot, Math.round(shot.marks.cx + 0.08 * SHOT_UNIT), y);
  };
  assert.ok(collarCover('a light blue shirt') > 200 && collarCover('a light blue t-shirt') < 50, 'the collar covers the neck opening\'s sides');
});

test('fabric: satin carries a sheen, rib knit a periodic structure, pale garments a dark backdrop', () => {
  const lumaRange = (prompt: string): number => {
    const { shot } = shotOf(prompt);
    const values: number[] = [];
    const { width } = shot.garment;
    // The bust, where a glossy bodice catches the light (light.ts sheenAlong).
    const y0 = Math.round(shot.marks.top + 0.45 * SHOT_UNIT);
    for (let y = y0; y < y0 + 40; y++) {
      for (let x = 0; x < width; x++) {
        const p = (y * width + x) * 4;
        if (shot.garment.data[p + 3] === 255) values.push(0.3 * shot.garment.data[p] + 0.59 * shot.garment.data[p + 1] + 0.11 * shot.garment.data[p + 2]);
      }
    }
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length * 0.98)] - values[Math.floor(values.length * 0.5)];
  };
  assert.ok(lumaRange('an emerald green satin dress') > lumaRange('an emerald green cotton dress') + 15, 'satin highlight');

  // Ribbed hem: alternating columns in the hem band, period ≈ RIB_PERIOD·S (about 4 px).
  const { shot } = shotOf('a grey sweater');
  const y = Math.round(shot.marks.hemY - 0.05 * SHOT_UNIT);
  const row: number[] = [];
  for (let x = Math.round(shot.marks.cx - 40); x < shot.marks.cx + 40; x++) row.push(shot.garment.data[(y * shot.garment.width + x) * 4]);
  let crossings = 0;
  const mean = row.reduce((a, b) => a + b, 0) / row.length;
  for (let k = 1; k < row.length; k++) if ((row[k] - mean) * (row[k - 1] - mean) < 0) crossings++;
  assert.ok(crossings >= 20, `rib ridges across the hem band: ${crossings} crossings in 80 px`);

  // The backdrop stands apart from the garment in lightness: darker behind pale garments.
  const lightness = (rgb: readonly number[]): number => rgbToLab([rgb[0], rgb[1], rgb[2]])[0];
  for (const [prompt, rgb] of [['a white t-shirt', [247, 247, 245]], ['a black t-shirt', [26, 26, 26]], ['a red t-shirt', [200, 16, 46]]] as const) {
    const shot = shotOf(prompt).shot;
    const l = lightness(shot.backdrop);
    assert.ok(Math.abs(l - lightness(rgb)) > 25, `${prompt}: backdrop L* ${l.toFixed(0)}`);
    if (prompt === 'a white t-shirt') assert.ok(l < lightness(rgb), 'darker behind a pale garment');
  }
});

test('determinism: the same spec and seed give the same bytes, other seeds another garment', () => {
  const a = shotOf('a floral maxi dress', 11).shot;
  const b = shotOf('a floral maxi dress', 11).shot;
  const c = shotOf('a floral maxi dress', 12).shot;
  assert.deepEqual(a.photo.data, b.photo.data);
  assert.equal(a.photo.width, c.photo.width);
  let differ = 0;
  const n = Math.min(a.photo.data.length, c.photo.data.length);
  for (let i = 0; i < n; i++) if (Math.abs(a.photo.data[i] - c.photo.data[i]) > 20) differ++;
  assert.ok(differ > 0.05 * n, `${differ} of ${n} channel values differ between seeds`);
});

test('the classic engine reads each shot as the garment asked for (sleeve class, bottoms kind, dress length)', async () => {
  const cases: Array<[string, (g: Awaited<ReturnType<typeof analyseGarment>>) => boolean, string]> = [
    ['a red t-shirt', (g) => g.sleeve === 'short', 'short sleeves'],
    ['a grey long-sleeve top', (g) => g.sleeve === 'long', 'long sleeves'],
    ['a navy blazer', (g) => g.sleeve === 'long', 'long sleeves'],
    ['a yellow tank top', (g) => g.sleeve === 'none', 'sleeveless'],
    ['khaki chinos', (g) => g.lowerKind === 'trousers', 'trousers'],
    ['denim shorts', (g) => g.lowerKind === 'shorts', 'shorts'],
    ['a mustard a-line skirt', (g) => g.lowerKind === 'skirt', 'a skirt'],
    ['a floral maxi dress', (g) => g.lengthRatio >= 3.3, 'maxi length'],
  ];
  for (const [prompt, check, what] of cases) {
    const { spec, shot } = shotOf(prompt);
    // Measured from the drawing alone (no description), then with the shot's own description.
    const measured = await analyseGarment(shot.photo, spec.category);
    assert.ok(check(measured), `${prompt}: measured as ${what} (sleeve ${measured.sleeve}, kind ${measured.lowerKind}, length ${measured.lengthRatio.toFixed(2)})`);
    const described = await analyseGarment(shot.photo, spec.category, describeShot(spec));
    assert.ok(check(described), `${prompt}: with "${describeShot(spec)}"`);
  }
});

test('sleeveless and strapped garments are read with a shoulder span like a t-shirt\'s, so they are placed at its size', async () => {
  // The classic engine scales a top by its topmost outer corners (pinned to the body's shoulder
  // points): a camisole's straps drawn near the neck were read as shoulders half as wide, and the
  // camisole came out twice its size.
  const span = async (prompt: string): Promise<{ shoulders: number; chest: number }> => {
    const { spec, shot } = shotOf(prompt);
    const g = await analyseGarment(shot.photo, spec.category, describeShot(spec));
    const lm = g.dress ?? g.upper;
    assert.ok(lm, `${prompt}: upper landmarks`);
    return { shoulders: lm.shoulderRight.x - lm.shoulderLeft.x, chest: lm.armpitRight.x - lm.armpitLeft.x };
  };
  const tee = await span('a red t-shirt');
  for (const prompt of ['a yellow tank top', 'a white silk camisole', 'an emerald green satin slip dress', 'a yellow sundress', 'a sleeveless white jumpsuit', 'denim overalls']) {
    const s = await span(prompt);
    assert.ok(s.shoulders >= 0.9 * tee.shoulders, `${prompt}: shoulders read ${s.shoulders.toFixed(0)} px, a t-shirt's ${tee.shoulders.toFixed(0)} px`);
    // ...and a chest no wider than a loose top's for those shoulders (the classic engine's chest bound is 1.7x the body's).
    assert.ok(s.chest <= 1.15 * s.shoulders, `${prompt}: chest ${s.chest.toFixed(0)} px for shoulders ${s.shoulders.toFixed(0)} px`);
  }
  // A sleeveless top, dress or jumpsuit is cut closer than a t-shirt (whose chest is as wide as its
  // shoulders): with no sleeves to carry the arms, a t-shirt-wide panel lay over arms hanging at
  // the sides (a slip dress's top edge stood out past the body at both armpits).
  for (const prompt of ['a yellow tank top', 'a white silk camisole', 'an emerald green satin slip dress', 'a yellow sundress', 'a sleeveless white jumpsuit']) {
    const s = await span(prompt);
    assert.ok(s.chest / s.shoulders <= 0.97 * (tee.chest / tee.shoulders), `${prompt}: chest/shoulders ${(s.chest / s.shoulders).toFixed(2)}, a t-shirt's ${(tee.chest / tee.shoulders).toFixed(2)}`);
  }
});

/** Spread (L* units) between the 10th and 90th percentile lightness of a shot's fully covered pixels. */
function lightnessSpread(shot: ProductShot): number {
  const ls: number[] = [];
  const d = shot.garment.data;
  for (let p = 0; p < d.length; p += 4) if (d[p + 3] === 255) ls.push(rgbToLab([d[p], d[p + 1], d[p + 2]])[0]);
  ls.sort((a, b) => a - b);
  return ls[Math.floor(ls.length * 0.9)] - ls[Math.floor(ls.length * 0.1)];
}

/**
 * Folds and the body's roundness must read on a dark garment as they do on a mid-tone one. In
 * linear light a navy tee's folds spanned about a third of the L* a mid-grey tee's did, and the
 * dark garments came out as flat cut-outs. DARK_SPREAD_SHARE: the least share of the mid-tone's
 * spread a dark garment of the same shape keeps.
 */
const DARK_SPREAD_SHARE = 0.6;

test('product shot: folds and roundness read on dark garments about as on mid-tones (L* spread)', () => {
  const mid = lightnessSpread(shotOf('a grey t-shirt', 9).shot);
  for (const prompt of ['a navy t-shirt', 'a black t-shirt', 'a burgundy hoodie']) {
    const dark = lightnessSpread(shotOf(prompt, 9).shot);
    assert.ok(dark >= DARK_SPREAD_SHARE * mid, `${prompt}: L* spread ${dark.toFixed(1)} against ${mid.toFixed(1)} on grey`);
  }
});

test('product shot: the drawn flare below the hips is measured on the outline (straight < a-line < flared); bodycon none', () => {
  const flareOf = (prompt: string): number => {
    const { shot } = shotOf(prompt);
    assert.ok(shot.marks.flare !== undefined, `${prompt}: flare measured`);
    return shot.marks.flare;
  };
  const straight = flareOf('a white shirt dress');
  const aline = flareOf('a red a-line dress');
  const flared = flareOf('a flared midi skirt');
  assert.ok(straight < aline && aline < flared, `straight ${straight.toFixed(2)} < a-line ${aline.toFixed(2)} < flared ${flared.toFixed(2)}`);
  assert.ok(straight < 0.1, 'a straight dress hangs nearly straight');
  assert.equal(flareOf('a black bodycon dress'), 0);
  // The slope is measured where it is drawn: the a-line dress's hem half-width over its hip's.
  const { shot } = shotOf('a red a-line dress');
  const rowHalf = (y: number): number => {
    let l = -1;
    let r = -1;
    for (let x = 0; x < shot.garment.width; x++) if (alphaAt(shot, x, y) >= 128) { if (l < 0) l = x; r = x; }
    return (r - l) / 2;
  };
  const y0 = Math.round(shot.marks.hemY - 0.8 * SHOT_UNIT);
  const y1 = Math.round(shot.marks.hemY - 0.3 * SHOT_UNIT);
  const measured = (rowHalf(y1) - rowHalf(y0)) / (y1 - y0);
  assert.ok(Math.abs(measured - aline) < 0.05, `outline slope ${measured.toFixed(3)} ~ marks.flare ${aline.toFixed(3)}`);
});

test('product shot: a black garment\'s middle, facing the camera, is lit by its fabric\'s gloss above its sides (its form reads); a white or navy one is not', () => {
  // Light factors multiplied into a near-black albedo left a black tank top a flat black box at
  // product-page size (econ): the middle of its body and its sides differed by under 3 L*.
  const lAt = (shot: ProductShot, x: number, y: number): number => {
    const p = (y * shot.garment.width + x) * 4;
    return rgbToLab([shot.garment.data[p], shot.garment.data[p + 1], shot.garment.data[p + 2]])[0];
  };
  const rise = (prompt: string): number => {
    const { shot } = shotOf(prompt, 9);
    const { top, bottom } = extent(shot);
    const y = Math.round(top + 0.4 * (bottom - top));
    const { l, r } = rowSpan(shot, y, 255);
    const inset = Math.round(0.06 * (r - l));
    const middle = lAt(shot, Math.round((l + r) / 2), y);
    return middle - (lAt(shot, l + inset, y) + lAt(shot, r - inset, y)) / 2;
  };
  for (const prompt of ['a black tank top', 'a little black dress']) assert.ok(rise(prompt) >= 5, `${prompt}: middle ${rise(prompt).toFixed(1)} L* above its sides`);
  assert.equal(darkness([0.8, 0.8, 0.8]), 0);
  assert.ok(darkness([0.01, 0.01, 0.01]) > 0.8);
  // Coloured dark garments (navy) keep their colour: the gloss is colourless.
  assert.equal(darkness([0.004, 0.01, 0.1]), 0);
});

test('fabric: a leopard print\'s rosettes are drawn at leopard-print scale (spots over 0.05 shoulder widths across), not as dots', () => {
  // At 0.08-0.13 of the shoulder width a cell, its spots measured under 0.04 of it across and the
  // skirt read as a dotted print at product-page size (econ).
  for (const seed of [1, 5, 9]) {
    const { shot } = shotOf('a leopard print skirt', seed);
    const { albedo } = shot;
    const c = albedo.channels;
    let runs = 0;
    let length = 0;
    for (let y = 0; y < albedo.height; y++) {
      let run = 0;
      for (let x = 0; x < albedo.width; x++) {
        const i = (y * albedo.width + x) * c;
        const covered = c < 4 || albedo.data[i + 3] > 128;
        // Off the camel ground (luma about 165): a rosette's ring or its darker centre.
        const spot = covered && 0.3 * albedo.data[i] + 0.59 * albedo.data[i + 1] + 0.11 * albedo.data[i + 2] < 150;
        if (spot) run++;
        else if (run > 0) {
          runs++;
          length += run;
          run = 0;
        }
      }
    }
    const across = length / runs / SHOT_UNIT;
    assert.ok(across >= 0.05, `seed ${seed}: spots ${across.toFixed(3)} shoulder widths across`);
  }
});

test('construction: a t-shirt has a ribbed neckband with its seam below the neckline', () => {
  // Without it a tee was a flat coloured shape with nothing at its neckline (baumu, imag, lhm).
  const { shot } = shotOf('a red t-shirt', 3);
  const { marks } = shot;
  assert.ok(marks.neck);
  const S = marks.unit;
  const lum = (x: number, y: number): number => {
    const p = (Math.round(y) * shot.garment.width + Math.round(x)) * 4;
    return 0.2126 * shot.garment.data[p] + 0.7152 * shot.garment.data[p + 1] + 0.0722 * shot.garment.data[p + 2];
  };
  // The crew neckline's lowest point (its curve's control point lies 2·depth down), then the band
  // and its seam below it, against the chest further down.
  const neckBottom = marks.top + marks.neck.depth;
  let darkest = Infinity;
  for (let y = neckBottom + 0.02 * S; y <= neckBottom + 0.09 * S; y++) darkest = Math.min(darkest, lum(marks.cx, y));
  const chest = lum(marks.cx, neckBottom + 0.25 * S);
  assert.ok(darkest <= 0.9 * chest, `neckband seam ${darkest.toFixed(1)} against the chest ${chest.toFixed(1)}`);
});

test('denim: contrast topstitching is a fine ochre line mixed into the denim, not rows of gold blocks', () => {
  const { shot } = shotOf('blue jeans', 7);
  const { marks, garment } = shot;
  const S = marks.unit;
  // Down the fly's straight stitch line (construction.ts: 0.07 S right of the centre).
  const x = Math.round(marks.cx + 0.07 * S);
  const gold: number[] = [];
  for (let y = Math.round(marks.waistY + 0.12 * S); y < marks.waistY + 0.38 * S; y++) {
    let best = -255;
    for (let dx = -1; dx <= 1; dx++) {
      const i = (y * garment.width + x + dx) * 4;
      best = Math.max(best, garment.data[i] - garment.data[i + 2]);
    }
    gold.push(best);
  }
  // The denim is blue (red well below blue); a stitch pixel is no more than about half thread.
  const stitched = gold.filter((v) => v > -40);
  assert.ok(stitched.length >= 6, `${stitched.length} stitch pixels along the fly`);
  assert.ok(Math.max(...gold) < 20, `thread mixed into the denim: red − blue at most ${Math.max(...gold)}`);
  // Stitches about 0.01 S long: no run of thread pixels longer than 2 px (0.018 S gave runs of 3).
  let run = 0;
  let longest = 0;
  for (const v of gold) {
    run = v > -40 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  assert.ok(longest <= 2, `longest stitch ${longest} px`);
});

test('denim: the creases beside the crotch are thin whiskers, not one broad pale bar', () => {
  for (const seed of [5, 7]) {
    const { shot } = shotOf('denim shorts', seed);
    const { marks, garment } = shot;
    const S = marks.unit;
    const crotch = marks.legs?.crotch;
    assert.ok(crotch);
    // Up each column beside the crotch: the longest run of pixels clearly lighter than the
    // column's median (the twill's own noise is about ±10 in the sum of R, G and B).
    let longest = 0;
    for (const side of [-1, 1]) {
      for (let dx = Math.round(0.08 * S); dx <= Math.round(0.16 * S); dx++) {
        const x = Math.round(crotch.x + side * dx);
        const light: number[] = [];
        for (let y = Math.round(crotch.y - 0.35 * S); y <= crotch.y; y++) {
          const i = (y * garment.width + x) * 4;
          light.push(garment.data[i] + garment.data[i + 1] + garment.data[i + 2]);
        }
        const median = [...light].sort((a, b) => a - b)[light.length >> 1];
        let run = 0;
        for (const v of light) {
          run = v > median + 15 ? run + 1 : 0;
          longest = Math.max(longest, run);
        }
      }
    }
    // One broad drag-line highlight was 4-5 px across (a pale bar; two made a V badge on shorts).
    assert.ok(longest <= 3, `seed ${seed}: a pale band ${longest} px across`);
  }
});

test('trousers: the cloth and its light run on across the crotch row, no band of other cloth across the thighs', () => {
  // Mean grey level (sum of R, G and B / 3) of rows y0..y1 over both thighs (0.06-0.4 shoulder
  // widths either side of the crotch), fully covered pixels only.
  const band = (shot: ProductShot, x0: number, y0: number, y1: number): number => {
    const { garment } = shot;
    const S = shot.marks.unit;
    let sum = 0;
    let n = 0;
    for (let y = y0; y <= y1; y++) {
      for (let x = 0; x < garment.width; x++) {
        const d = Math.abs(x - x0);
        const p = (y * garment.width + x) * 4;
        if (d < 0.06 * S || d > 0.4 * S || garment.data[p + 3] < 255) continue;
        sum += (garment.data[p] + garment.data[p + 1] + garment.data[p + 2]) / 3;
        n++;
      }
    }
    return sum / n;
  };
  for (const { prompt, seed, shot } of shotsOf(['khaki chinos', 'denim shorts', 'black skinny jeans', 'light wash jeans', 'grey joggers'])) {
    const crotch = shot.marks.legs?.crotch;
    assert.ok(crotch);
    const y = Math.round(crotch.y);
    // Four rows either side of the crotch row: the legs' light (dark towards each leg's sides)
    // and denim's twill and heather restarted there, 1.5-4.3 grey levels off the rows above.
    const jump = Math.abs(band(shot, crotch.x, y - 4, y - 1) - band(shot, crotch.x, y + 1, y + 4));
    assert.ok(jump < 1.5, `${prompt}, seed ${seed}: ${jump.toFixed(2)} grey levels between the rows above and below the crotch`);
  }
});

test('fabric: a glossy dress catches the light on the bust and hips and along its folds, not in one bar from the neckline to the hem', () => {
  for (const { prompt, seed, shot } of shotsOf(['an emerald green satin slip dress', 'a red silk dress', 'a black satin dress'])) {
    const { garment, marks } = shot;
    const S = marks.unit;
    assert.ok(marks.armpit);
    // L* at (x, y), averaged over 5 rows (the twill-free satin still carries a soft fbm).
    const l = (x: number, y: number): number => {
      let sum = 0;
      for (let dy = -2; dy <= 2; dy++) {
        const p = ((y + dy) * garment.width + x) * 4;
        sum += rgbToLab([garment.data[p], garment.data[p + 1], garment.data[p + 2]])[0];
      }
      return sum / 5;
    };
    const xs: number[] = [];
    for (let x = Math.round(marks.cx - 0.35 * S); x <= marks.cx + 0.35 * S; x++) xs.push(x);
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
    // The highlight's column on the bust, and how much lighter it still is down the skirt than
    // the skirt's row there (main: 5-13 L*, a pale bar painted down the dress).
    const bustY = Math.round(marks.armpit.r.y + 0.12 * S);
    const bust = xs.map((x) => l(x, bustY));
    const peak = Math.max(...bust);
    const column = xs[bust.indexOf(peak)];
    assert.ok(peak > median(bust) + 8, `${prompt}, seed ${seed}: a sheen on the bust (${peak.toFixed(1)} against ${median(bust).toFixed(1)} L*)`);
    const skirtY = Math.round(marks.waistY + 1.3 * S);
    const down: number[] = [];
    for (let y = Math.round(marks.waistY + 1.0 * S); y < marks.hemY - 0.1 * S; y += 2) down.push(l(column, y));
    const bar = median(down) - median(xs.map((x) => l(x, skirtY)));
    assert.ok(bar < 4, `${prompt}, seed ${seed}: the bust's highlight runs on down the skirt ${bar.toFixed(1)} L* above it`);
  }
});

test('trousers: the creases beside the crotch are soft shade, not a drag-line V with a highlight round it', () => {
  for (const { prompt, seed, shot } of shotsOf(['grey joggers', 'black trousers'])) {
    const { garment, marks } = shot;
    const S = marks.unit;
    const crotch = marks.legs?.crotch;
    assert.ok(crotch);
    // Over both thighs' tops (0.3 S above the crotch, 0.04-0.35 S either side of it), the share
    // of pixels lighter than the area's median by over 12 in the sum of R, G and B: a fold's ridge
    // highlight ringing the two long drag lines was 2.2-2.7 % (a raised V at product-page size).
    const values: number[] = [];
    for (let y = Math.round(crotch.y - 0.3 * S); y <= crotch.y - 2; y++) {
      for (let x = Math.round(crotch.x - 0.35 * S); x <= crotch.x + 0.35 * S; x++) {
        const p = (y * garment.width + x) * 4;
        if (Math.abs(x - crotch.x) < 0.04 * S || garment.data[p + 3] < 255) continue;
        values.push(garment.data[p] + garment.data[p + 1] + garment.data[p + 2]);
      }
    }
    const median = [...values].sort((a, b) => a - b)[values.length >> 1];
    const lighter = values.filter((v) => v > median + 12).length / values.length;
    assert.ok(lighter < 0.015, `${prompt}, seed ${seed}: ${(100 * lighter).toFixed(1)} % of the thighs' tops lit as a ridge`);
  }
});

test('fabric: a skirt\'s drape folds grow out of the cloth below the hips, not from a scalloped line across them', () => {
  for (const { prompt, seed, shot } of shotsOf(['a mustard a-line skirt', 'a red midi skirt'])) {
    const { garment, marks } = shot;
    const S = marks.unit;
    // Spread (standard deviation, L*) of the skirt's middle 0.8 S across row y: its folds' shade.
    const spread = (y: number): number => {
      const values: number[] = [];
      for (let x = Math.round(marks.cx - 0.4 * S); x <= marks.cx + 0.4 * S; x++) {
        const p = (y * garment.width + x) * 4;
        if (garment.data[p + 3] === 255) values.push(rgbToLab([garment.data[p], garment.data[p + 1], garment.data[p + 2]])[0]);
      }
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    };
    // The folds start 0.35 S below the waistband (light.ts). Starting at full depth, their round
    // tops and ridges made the rows just below them the most shaded of the skirt (1.3-1.6 L*
    // against 1.1-1.2 further down): a line of arches across the hips.
    const top = marks.waistY + 0.35 * S;
    const justBelow = spread(Math.round(top + 0.05 * S));
    const lower = spread(Math.round(top + 0.4 * S));
    assert.ok(justBelow < lower, `${prompt}, seed ${seed}: ${justBelow.toFixed(2)} L* across the folds' tops against ${lower.toFixed(2)} below`);
  }
});

test('denim: the rivets at the front pockets\' tops are small studs, not gold discs the size of the waistband button', () => {
  for (const prompt of ['denim shorts', 'blue jeans', 'black skinny jeans']) {
    const { shot } = shotOf(prompt);
    const { garment, marks } = shot;
    const S = marks.unit;
    // Pale gold pixels within 0.04 S of both rivets (the pockets open 0.22 S either side of the
    // fly, just below the 0.085 S waistband): the thread, mixed into the denim, is darker than this.
    let gold = 0;
    for (const side of [-1, 1]) {
      const cx = marks.cx + side * 0.22 * S;
      const cy = marks.waistY + 0.1 * S;
      for (let y = Math.round(cy - 0.04 * S); y <= cy + 0.04 * S; y++) {
        for (let x = Math.round(cx - 0.04 * S); x <= cx + 0.04 * S; x++) {
          const p = (y * garment.width + x) * 4;
          if (garment.data[p] > 150 && garment.data[p] > garment.data[p + 2] + 50) gold++;
        }
      }
    }
    // Flat discs 0.024 S across: 12-14 px for the two, 10x10 px blobs each on a close crop.
    assert.ok(gold <= 9, `${prompt}: ${gold} gold px at the two rivets`);
  }
});

test('the shot carries its own cut-out: a striped shirt analysed with it keeps the white stripes at its sides', async () => {
  const { spec, shot } = shotOf('a blue striped shirt', 1234);
  // The cut-out is the photo's garment pixels, exactly.
  let garmentPx = 0;
  for (let p = 0; p < shot.cutOut.data.length; p++) {
    const on = shot.cutOut.data[p] === 255;
    if (on) garmentPx++;
    if (!on) for (let c = 0; c < 3; c++) assert.equal(shot.photo.data[p * 3 + c], shot.backdrop[c]);
  }
  // Given it, the classic analysis cuts the garment as drawn; its colour segmentation lost the
  // white stripes where they meet the pale sweep (thousands of pixels down the sides and sleeves).
  const withCutOut = await analyseGarment(shot.photo, spec.category, describeShot(spec), shot.cutOut);
  let same = 0;
  for (let p = 0; p < shot.cutOut.data.length; p++) if ((withCutOut.mask.data[p] !== 0) === (shot.cutOut.data[p] === 255)) same++;
  // (The analysis' soft alpha may round a pixel or two of the outline.)
  assert.ok(shot.cutOut.data.length - same <= 0.001 * garmentPx, `${shot.cutOut.data.length - same} px differ from the cut-out`);
  const segmented = await analyseGarment(shot.photo, spec.category, describeShot(spec));
  let segmentedPx = 0;
  for (const v of segmented.mask.data) if (v) segmentedPx++;
  assert.ok(segmentedPx < garmentPx * 0.99, `segmented ${segmentedPx} of ${garmentPx} garment px`);
});

test('light: a top\'s drag lines are soft folds fading at their ends, not embossed tracks with a highlight all round', () => {
  // Below the armpits (0.05-0.65 S down, 0.08 S in from them), the share of pixels lighter than
  // the area's median by over 9 in the sum of R, G and B: ridges ringing each drag line at full
  // depth to its ends made it 4.6 % on average over these matte shots (2.1-7.6 %), 1.5 % drawn as
  // tapering folds with one lit flank.
  const shares: number[] = [];
  for (const { shot } of shotsOf(['a red t-shirt', 'a red dress', 'a yellow tank top'])) {
    const { garment, marks } = shot;
    const S = marks.unit;
    const ap = marks.armpit;
    assert.ok(ap);
    const values: number[] = [];
    for (let y = Math.round(ap.r.y + 0.05 * S); y <= ap.r.y + 0.65 * S; y++) {
      for (let x = Math.round(ap.l.x + 0.08 * S); x <= ap.r.x - 0.08 * S; x++) {
        const p = (y * garment.width + x) * 4;
        if (garment.data[p + 3] < 255) continue;
        values.push(garment.data[p] + garment.data[p + 1] + garment.data[p + 2]);
      }
    }
    const median = [...values].sort((a, b) => a - b)[values.length >> 1];
    shares.push(values.filter((v) => v > median + 9).length / values.length);
  }
  const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
  assert.ok(mean < 0.025, `${(100 * mean).toFixed(1)} % of the torso below the armpits lit as a fold's ridge`);
});

test('light: a white silk garment is exposed below white, its sheen and folds not clipped to a flat white box', () => {
  // Light and sheen multiplied into a white albedo (sRGB 247) went past white over a fifth of a
  // white silk camisole's shot, clipped to 255: a flat white box on the person (every rated model).
  for (const prompt of ['a white silk camisole', 'a white linen shirt']) {
    const { shot } = shotOf(prompt, 7);
    const lights: number[] = [];
    const d = shot.garment.data;
    for (let p = 0; p < d.length; p += 4) if (d[p + 3] === 255) lights.push(rgbToLab([d[p], d[p + 1], d[p + 2]])[0]);
    lights.sort((a, b) => a - b);
    const q = (t: number): number => lights[Math.floor(t * (lights.length - 1))];
    const white = lights.filter((l) => l >= 99.5).length / lights.length;
    assert.ok(white < 0.01, `${prompt}: ${(100 * white).toFixed(1)} % of the garment at white`);
    assert.ok(q(0.5) < 96 && q(0.5) > 90, `${prompt}: median L* ${q(0.5).toFixed(1)} (lit cloth a little below white)`);
    assert.ok(q(0.95) - q(0.1) >= 4, `${prompt}: L* spread ${(q(0.95) - q(0.1)).toFixed(1)} (its light reads)`);
  }
  assert.equal(highlightRollOff(0.5), 0.5);
  assert.ok(highlightRollOff(1.4) < 1 && highlightRollOff(1.4) > highlightRollOff(1.1));
});
