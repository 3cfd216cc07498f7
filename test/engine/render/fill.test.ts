import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backdropEdges, backdropTexture, blendSeamsWithSeenSkin, fillBackground, fillSkin, STRUCTURED_BACKDROP_EDGES } from '../../../src/engine/classic/render/fill.ts';
import { createFloatMap, createMask, createRaster, type Raster } from '../../../src/imaging/raster.ts';
import { labSaturation, linearToSrgb, rgbToLab, SRGB_TO_LINEAR } from '../../../src/imaging/colour.ts';

/** A studio backdrop: a diagonal gradient in each channel, with a red "person" on the left. */
function studio(width: number, height: number): { image: Raster; truth: Raster } {
  const image = createRaster(width, height, 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      image.data[p] = Math.round(180 + (x / width) * 40 - (y / height) * 30);
      image.data[p + 1] = Math.round(170 + (y / height) * 50);
      image.data[p + 2] = Math.round(200 - (x / width) * 60);
    }
  }
  return { image, truth: { ...image, data: image.data.slice() } };
}

test('fillBackground reconstructs a gradient backdrop under a wide hole beside the person', () => {
  const w = 160;
  const h = 200;
  const { image, truth } = studio(w, h);
  const person = createMask(w, h);
  const hole = createMask(w, h);
  for (let y = 20; y < 190; y++) {
    for (let x = 0; x < 60; x++) {
      person.data[y * w + x] = 255;
      image.data.set([200, 30, 30], (y * w + x) * 3);
    }
    // The old garment stood out 45 px past the new one: person in the photo, to be background now.
    for (let x = 60; x < 105; x++) {
      person.data[y * w + x] = 255;
      hole.data[y * w + x] = 255;
      image.data.set([20, 120, 40], (y * w + x) * 3);
    }
  }
  fillBackground(image, hole, person);
  let worst = 0;
  for (let y = 20; y < 190; y++) {
    for (let x = 60; x < 105; x++) {
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(image.data[(y * w + x) * 3 + c] - truth.data[(y * w + x) * 3 + c]));
    }
  }
  assert.ok(worst <= 3, `worst error ${worst} levels`);
  assert.deepEqual(Array.from(image.data.subarray((100 * w + 30) * 3, (100 * w + 30) * 3 + 3)), [200, 30, 30], 'person untouched');
});

test('fillBackground adds grain like the backdrop\'s, deterministically', () => {
  const w = 120;
  const h = 120;
  const noisy = createRaster(w, h, 3);
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < w * h; i++) {
    const v = Math.round(160 + (rand() + rand() + rand() - 1.5) * 12); // σ ≈ 6
    noisy.data.set([v, v, v], i * 3);
  }
  const hole = createMask(w, h);
  for (let y = 40; y < 80; y++) hole.data.fill(255, y * w + 40, y * w + 80);
  const person = createMask(w, h);
  const first = { ...noisy, data: noisy.data.slice() };
  const second = { ...noisy, data: noisy.data.slice() };
  fillBackground(first, hole, person, { seed: 7 });
  fillBackground(second, hole, person, { seed: 7 });
  assert.deepEqual(first.data, second.data);
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let y = 45; y < 75; y++) {
    for (let x = 45; x < 75; x++) {
      const v = first.data[(y * w + x) * 3];
      sum += v;
      sum2 += v * v;
      n++;
    }
  }
  const mean = sum / n;
  const sd = Math.sqrt(sum2 / n - mean * mean);
  assert.ok(Math.abs(mean - 160) < 3, `mean ${mean}`);
  assert.ok(sd > 3 && sd < 10, `grain ${sd}`);
});

test('fillBackground leaves pixels outside the hole bit-identical', () => {
  const { image } = studio(60, 60);
  const before = image.data.slice();
  const hole = createMask(60, 60);
  for (let y = 20; y < 30; y++) hole.data.fill(255, y * 60 + 20, y * 60 + 40);
  fillBackground(image, hole, createMask(60, 60));
  for (let i = 0; i < 3600; i++) if (!hole.data[i]) assert.deepEqual(image.data.subarray(i * 3, i * 3 + 3), before.subarray(i * 3, i * 3 + 3));
});

test('fillSkin paints the skin model\'s tone when no skin is visible nearby', () => {
  const image = createRaster(50, 50, 3);
  image.data.fill(40);
  const hole = createMask(50, 50);
  for (let y = 10; y < 40; y++) hole.data.fill(255, y * 50 + 10, y * 50 + 20);
  fillSkin(image, hole, { rgb: [210, 160, 130] }, null);
  assert.deepEqual(Array.from(image.data.subarray((20 * 50 + 15) * 3, (20 * 50 + 15) * 3 + 3)), [210, 160, 130]);
  assert.deepEqual(Array.from(image.data.subarray(0, 3)), [40, 40, 40]);
});

/** A 60x80 limb: visible skin of `forearm` colour below row 50, the sleeve being removed (the hole) above it. */
function sleeveScene(forearm: [number, number, number]) {
  const w = 60;
  const h = 80;
  const image = createRaster(w, h, 3);
  image.data.fill(30);
  const visible = createMask(w, h);
  const hole = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 20; x < 36; x++) {
      if (y >= 50) {
        image.data.set(forearm, (y * w + x) * 3);
        visible.data[y * w + x] = 255;
      } else if (y >= 10) {
        hole.data[y * w + x] = 255;
      }
    }
  }
  return { w, h, image, visible, hole };
}

test('fillSkin takes the tone of the visible skin of the same limb and applies shading', () => {
  // The visible forearm: darker than the face.
  const { w, h, image, visible, hole } = sleeveScene([150, 100, 80]);
  const plain = { ...image, data: image.data.slice() };
  fillSkin(plain, hole, { rgb: [225, 180, 150] }, null, { visibleSkin: visible });
  const at = (img: Raster, x: number, y: number): number[] => Array.from(img.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3));
  for (const c of [0, 1, 2]) assert.ok(Math.abs(at(plain, 28, 40)[c] - [150, 100, 80][c]) <= 2, `tone ${at(plain, 28, 40)}`);

  const shading = createFloatMap(w, h);
  shading.data.fill(1);
  for (let y = 0; y < h; y++) shading.data[y * w + 22] = 0.5;
  const shaded = { ...image, data: image.data.slice() };
  fillSkin(shaded, hole, { rgb: [225, 180, 150] }, shading, { visibleSkin: visible });
  assert.ok(at(shaded, 22, 30)[0] < at(shaded, 28, 30)[0] - 20, `shaded ${at(shaded, 22, 30)} vs ${at(shaded, 28, 30)}`);
});

test('fillSkin gives a part that touches no skin the person\'s skin tone, not a dark "skin" a little way off', () => {
  // The forearm bared inside a removed sleeve; 12 px away, hair over the neck parsed as skin.
  const { w, h, image, hole } = sleeveScene([150, 100, 80]);
  const visible = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      image.data.set([30, 30, 30], (y * w + x) * 3);
      if (x >= 48 && x < 60) {
        image.data.set([70, 45, 32], (y * w + x) * 3);
        visible.data[y * w + x] = 255;
      }
    }
  }
  fillSkin(image, hole, { rgb: [225, 180, 150] }, null, { visibleSkin: visible });
  const p = (30 * w + 28) * 3;
  const got = Array.from(image.data.subarray(p, p + 3));
  for (const c of [0, 1, 2]) assert.ok(Math.abs(got[c] - [225, 180, 150][c]) <= 6, `tone ${got}`);
});

/** The skin model's tone, and the shadowed neck's an arm is bared down from (see armFromShadowedNeck). */
const SKIN_MODEL: [number, number, number] = [225, 180, 150];
const SHADOWED_NECK = [150, 105, 85];

/**
 * A thin arm, 16 px wide and 300 px long (x 22-37, rows 20-319 of 60x340), bared down from visible
 * (shadowed, darker) skin at its top only, painted by fillSkin with the given options.
 */
function armFromShadowedNeck(
  toneAt?: (i: number) => readonly [number, number, number] | undefined, neck: readonly number[] = SHADOWED_NECK, dropsShadowedBorder?: (i: number) => boolean,
): { image: Raster; at: (x: number, y: number) => number[] } {
  const w = 60;
  const h = 340;
  const image = createRaster(w, h, 3);
  image.data.fill(40);
  const visible = createMask(w, h);
  const hole = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 22; x < 38; x++) {
      const i = y * w + x;
      if (y < 20) {
        image.data.set(neck, i * 3);
        visible.data[i] = 255;
      } else if (y < 320) hole.data[i] = 255;
    }
  }
  fillSkin(image, hole, { rgb: SKIN_MODEL }, null, { visibleSkin: visible, toneAt, dropsShadowedBorder });
  return { image, at: (x, y) => Array.from(image.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3)) };
}

test('fillSkin carries a bordering skin\'s tone a short way only: an arm bared down from a shadowed neck ends in the skin model\'s tone', () => {
  const { at } = armFromShadowedNeck();
  for (const c of [0, 1, 2]) assert.ok(Math.abs(at(30, 22)[c] - SHADOWED_NECK[c]) <= 8, `beside the bordering skin ${at(30, 22)}`);
  for (const c of [0, 1, 2]) assert.ok(Math.abs(at(30, 300)[c] - SKIN_MODEL[c]) <= 8, `far down the arm ${at(30, 300)}`);
});

test('fillSkin does not carry bordering skin in a deep shadow (a cuff\'s on the hand) onto a limb whose own skin is known: that shadow goes with the old garment', () => {
  // A hand below a removed cuff (or a neck under a collar) at about a third of the light of the
  // limb's own skin, which is known (its seen skin elsewhere).
  const deep = [150, 105, 85];
  const ownLinear = SKIN_MODEL.map((v) => SRGB_TO_LINEAR[v]) as [number, number, number];
  const { at } = armFromShadowedNeck(() => ownLinear, deep, () => true);
  for (const c of [0, 1, 2]) assert.ok(Math.abs(at(30, 22)[c] - SKIN_MODEL[c]) <= 8, `right beside the shadowed skin, the limb's own tone: ${at(30, 22)}`);
  // A part that goes on in its border's shade (a chest under the chin's shadow) carries it.
  const chest = armFromShadowedNeck(() => ownLinear, deep, () => false);
  for (const c of [0, 1, 2]) assert.ok(Math.abs(chest.at(30, 22)[c] - deep[c]) <= 8, `a chest beside the shadowed neck: ${chest.at(30, 22)}`);
  // The same bordering skin beside a part whose own skin is as dark is that skin, and carried.
  const darkLinear = deep.map((v) => SRGB_TO_LINEAR[v]) as [number, number, number];
  const dark = armFromShadowedNeck(() => darkLinear, deep, () => true);
  for (const c of [0, 1, 2]) assert.ok(Math.abs(dark.at(30, 22)[c] - deep[c]) <= 8, `a dark limb's own skin beside it: ${dark.at(30, 22)}`);
});

test('fillSkin meets the visible skin beside it seamlessly when both are lit by the same shading', () => {
  // A torso lit darker towards its edges; the left half is visible skin, the right half a hole.
  const w = 80;
  const h = 40;
  const image = createRaster(w, h, 3);
  const shading = createFloatMap(w, h);
  const visible = createMask(w, h);
  const hole = createMask(w, h);
  const albedo = [0.7, 0.45, 0.33];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const u = Math.abs(x - 30) / 50;
      shading.data[i] = 1 - 0.3 * u * u;
      if (x < 40) {
        visible.data[i] = 255;
        for (let c = 0; c < 3; c++) image.data[i * 3 + c] = linearToSrgb(albedo[c] * shading.data[i]);
      } else {
        hole.data[i] = 255;
        image.data.fill(20, i * 3, i * 3 + 3);
      }
    }
  }
  fillSkin(image, hole, { rgb: [225, 180, 150] }, shading, { visibleSkin: visible });
  const at = (x: number, y: number): number[] => Array.from(image.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3));
  // Across the border the colour changes by no more than the lighting does between neighbours.
  for (const c of [0, 1, 2]) assert.ok(Math.abs(at(40, 20)[c] - at(39, 20)[c]) <= 3, `border ${at(39, 20)} | ${at(40, 20)}`);
  // Further in, the fill follows the lighting model (darker towards the edge), not a flat tone.
  assert.ok(at(75, 20)[0] < at(45, 20)[0] - 8, `edge ${at(75, 20)} vs inner ${at(45, 20)}`);
});

test('fillSkin does not carry a near-black border (hair or a dark garment parsed as skin) onto bare skin', () => {
  // "Skin" that is really dark hair.
  const { w, image, visible, hole } = sleeveScene([45, 30, 25]);
  fillSkin(image, hole, { rgb: [225, 180, 150] }, null, { visibleSkin: visible });
  const p = (40 * w + 28) * 3;
  // Within the tone limit of the face's skin (luminance at least 1/3.2 of it), not hair-dark.
  assert.ok(image.data[p] >= 140, `fill ${Array.from(image.data.subarray(p, p + 3))}`);
});

/** A 120x120 scene: a 20x20 hole in its middle, no person, and a studio sweep (a soft vertical gradient). */
function holeInSweep() {
  const w = 120;
  const h = 120;
  const hole = createMask(w, h);
  for (let y = 50; y < 70; y++) for (let x = 50; x < 70; x++) hole.data[y * w + x] = 255;
  const person = createMask(w, h);
  const sweep = createRaster(w, h, 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) sweep.data.fill(200 - Math.round(y / 10), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return { w, h, hole, person, sweep };
}

test('backdropTexture tells a textured scene from a studio sweep around a hole', () => {
  const { w, h, hole, person, sweep } = holeInSweep();
  const grass = createRaster(w, h, 3);
  let state = 12345;
  for (let i = 0; i < grass.data.length; i += 3) {
    state = (state * 1103515245 + 12345) >>> 0;
    const v = 60 + (state >>> 24) % 80;
    grass.data.set([v / 2, v, v / 3], i);
  }
  assert.ok(backdropTexture(sweep, hole, person) < 2, `sweep ${backdropTexture(sweep, hole, person)}`);
  assert.ok(backdropTexture(grass, hole, person) > 8, `grass ${backdropTexture(grass, hole, person)}`);
  // Only the backdrop counts: grass under the person mask does not make a sweep textured.
  const mixed = { ...sweep, data: sweep.data.slice() };
  for (let y = 0; y < h; y++) for (let x = 0; x < 40; x++) { mixed.data.set(grass.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), (y * w + x) * 3); person.data[y * w + x] = 255; }
  assert.ok(backdropTexture(mixed, hole, person) < 2);
});

test('backdropEdges finds the lines of stairs or panels that the noise level misses', () => {
  const { w, h, hole, person, sweep } = holeInSweep();
  // Stairs: smooth treads, a dark nosing line every 12 rows.
  const stairs = createRaster(w, h, 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) stairs.data.fill(y % 12 < 2 ? 120 : 225 - (y % 12), (y * w + x) * 3, (y * w + x) * 3 + 3);
  assert.ok(backdropTexture(stairs, hole, person) < 2, 'the noise level sees smooth treads');
  assert.ok(backdropEdges(stairs, hole, person) >= STRUCTURED_BACKDROP_EDGES, `stairs ${backdropEdges(stairs, hole, person)}`);
  assert.ok(backdropEdges(sweep, hole, person) < STRUCTURED_BACKDROP_EDGES, `sweep ${backdropEdges(sweep, hole, person)}`);
  // The person's own outline is not the scene's: stairs under the person mask do not count.
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (y % 12 < 2) person.data[y * w + x] = 255;
  assert.ok(backdropEdges(stairs, hole, person) < STRUCTURED_BACKDROP_EDGES);
});

test('fillSkin drifts, far from the skin a part borders, to the tone given for that pixel (the limb\'s own skin), else to the skin model\'s', () => {
  // The arm above; its limb's own skin (a tanned forearm) is known on the lower half of it only.
  const tan = [170, 120, 90];
  const tanLinear = tan.map((v) => SRGB_TO_LINEAR[v]) as [number, number, number];
  const limb = armFromShadowedNeck((i) => (Math.floor(i / 60) >= 170 ? tanLinear : undefined));
  for (const c of [0, 1, 2]) assert.ok(Math.abs(limb.at(30, 300)[c] - tan[c]) <= 8, `far down the arm ${limb.at(30, 300)}`);
  for (const c of [0, 1, 2]) assert.ok(Math.abs(limb.at(30, 22)[c] - SHADOWED_NECK[c]) <= 8, `beside the bordering skin ${limb.at(30, 22)}`);
  const model = armFromShadowedNeck();
  for (const c of [0, 1, 2]) assert.ok(Math.abs(model.at(30, 300)[c] - SKIN_MODEL[c]) <= 8, `no limb tone: the skin model's ${model.at(30, 300)}`);
});

test('blendSeamsWithSeenSkin takes away the step where painted skin meets the seen skin, and fades into the painted tone', () => {
  // A neck in the chin's shadow (rows 0-39, dark) above a painted chest (rows 40-119, lighter),
  // backdrop to the sides; the two skins met as a level bar.
  const w = 100;
  const h = 120;
  const image = createRaster(w, h, 3);
  const painted = createMask(w, h);
  const seen = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x < 20 || x >= 80) image.data.set([230, 230, 235], i * 3);
      else if (y < 40) {
        image.data.set([120, 80, 60], i * 3);
        seen.data[i] = 255;
      } else {
        image.data.set([190, 140, 110], i * 3);
        painted.data[i] = 255;
      }
    }
  }
  const before = image.data.slice();
  blendSeamsWithSeenSkin(image, painted, seen, { reachPx: 8 });
  const red = (x: number, y: number): number => image.data[(y * w + x) * 3];
  // Right below the seam the painted skin is nearly the neck's; a little deeper it is between the two.
  assert.ok(red(50, 40) < 135, `seam ${red(50, 40)}`);
  assert.ok(red(50, 48) > red(50, 40) && red(50, 48) < 185, `8 px in ${red(50, 48)}`);
  // Far from the seam the painted tone is untouched.
  assert.equal(red(50, 110), 190);
  // Nothing outside the painted skin changes.
  for (let i = 0; i < w * h; i++) {
    if (painted.data[i]) continue;
    for (let c = 0; c < 3; c++) assert.equal(image.data[i * 3 + c], before[i * 3 + c]);
  }
});

test('blendSeamsWithSeenSkin leaves painted skin with no seen skin beside it as it is', () => {
  const w = 60;
  const h = 60;
  const image = createRaster(w, h, 3);
  image.data.fill(200);
  const painted = createMask(w, h);
  for (let y = 10; y < 50; y++) for (let x = 10; x < 50; x++) painted.data[y * w + x] = 255;
  const before = image.data.slice();
  blendSeamsWithSeenSkin(image, painted, createMask(w, h), { reachPx: 8 });
  assert.deepEqual(image.data, before);
});

test('fillBackground fills a part enclosed by the person from the backdrop further off, not from the person round it', () => {
  // A grey backdrop; the person (a turquoise old tee) stands in the middle; a strip inside it (a
  // new top's armhole, between the top and the arm) becomes backdrop, with no backdrop within
  // the part's usual margin.
  const w = 200;
  const h = 200;
  const image = createRaster(w, h, 3);
  const person = createMask(w, h);
  const hole = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const onPerson = x >= 40 && x < 160 && y >= 30 && y < 200;
      if (onPerson) person.data[i] = 255;
      image.data.set(onPerson ? [60, 210, 210] : [200, 200, 200], i * 3);
      if (x >= 90 && x < 110 && y >= 80 && y < 140) hole.data[i] = 255;
    }
  }
  fillBackground(image, hole, person);
  const p = (110 * w + 100) * 3;
  const filled = Array.from(image.data.subarray(p, p + 3));
  assert.ok(filled.every((v) => Math.abs(v - 200) <= 6), `the strip is backdrop grey, got ${filled.join(',')}`);
});

test('fillBackground learns the backdrop only from its source: the old garment off the person is left out', () => {
  // A grey backdrop; the old garment (dark blue) stands off the person mask beside the hole, as a
  // skirt's flare the segmentation misses does; the hole is its part the new garment leaves bare.
  const w = 160;
  const h = 120;
  const image = createRaster(w, h, 3);
  const person = createMask(w, h);
  const hole = createMask(w, h);
  const source = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const oldGarment = x >= 50 && x < 110 && y >= 20 && y < 100;
      image.data.set(oldGarment ? [20, 30, 90] : [200, 200, 200], i * 3);
      if (oldGarment && x >= 70 && x < 90) hole.data[i] = 255;
      if (!oldGarment) source.data[i] = 255;
    }
  }
  fillBackground(image, hole, person, { source });
  const p = (60 * w + 80) * 3;
  const filled = Array.from(image.data.subarray(p, p + 3));
  assert.ok(filled.every((v) => Math.abs(v - 200) <= 6), `the fill is the backdrop's grey, got ${filled.join(',')}`);
});

test('fillSkin brings a part painted greyer than the seen skin up to its saturation, keeping its lightness, and never lowers it', () => {
  // A greyish-beige skin model (a face's highlight: chroma about 9, saturation 0.1) against warmer seen skin (0.15).
  const saturationOf = (rgb: ArrayLike<number>): number[] => {
    const lab = rgbToLab(rgb[0], rgb[1], rgb[2]);
    return [lab[0], labSaturation(lab[0], lab[1], lab[2])];
  };
  const paint = (skinSaturation?: number): number[] => {
    const image = createRaster(50, 50, 3);
    image.data.fill(40);
    const hole = createMask(50, 50);
    for (let y = 10; y < 40; y++) hole.data.fill(255, y * 50 + 10, y * 50 + 20);
    fillSkin(image, hole, { rgb: [205, 185, 176] }, null, skinSaturation === undefined ? {} : { skinSaturation });
    return Array.from(image.data.subarray((20 * 50 + 15) * 3, (20 * 50 + 15) * 3 + 3));
  };
  const [l0, s0] = saturationOf([205, 185, 176]);
  const [l1, s1] = saturationOf(paint(0.15));
  assert.ok(s0 < 0.11, `model saturation ${s0}`);
  assert.ok(Math.abs(s1 - 0.15) <= 0.01, `painted saturation ${s1}`);
  assert.ok(Math.abs(l1 - l0) <= 1, `lightness ${l1} vs ${l0}`);
  // Seen skin greyer than the painted part leaves it as it is.
  assert.deepEqual(paint(0.03), paint());
});

test('fillSkin keeps the chroma of the skin a part borders beside it, raising it only towards the part\'s far tone', () => {
  // A bared upper arm continuing a greyish forearm the photo shows, the person's skin warmer.
  const { w, image, visible, hole } = sleeveScene([170, 150, 142]);
  fillSkin(image, hole, { rgb: [170, 150, 142] }, null, { visibleSkin: visible, skinSaturation: 0.25 });
  const chroma = (x: number, y: number): number => {
    const p = (y * w + x) * 3;
    const lab = rgbToLab(image.data[p], image.data[p + 1], image.data[p + 2]);
    return Math.hypot(lab[1], lab[2]);
  };
  const seen = chroma(28, 60);
  assert.ok(Math.abs(chroma(28, 48) - seen) <= 1, `beside the forearm ${chroma(28, 48)} vs ${seen}`);
  assert.ok(chroma(28, 12) > seen + 4, `far up the arm ${chroma(28, 12)} vs ${seen}`);
});
