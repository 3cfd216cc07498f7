import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipWarpMap, closeGapsAlongRows, closeNarrowGaps, trimGrownOutline, dropLayerFragments, growAcrossRowsTo, growLayerInto } from '../../../src/engine/classic/layers.ts';
import { identityWarpMap } from '../../../src/engine/classic/warp/backward-map.ts';
import { createMask, createRaster } from '../../../src/imaging/raster.ts';

test('growLayerInto covers a thin band of the target along the solid layer with its edge colour, not a wide one', () => {
  const w = 40;
  const h = 20;
  const redLayer = () => {
    const layer = createRaster(w, h, 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < 20; x++) layer.data.set([200, 10, 10, 255], (y * w + x) * 4);
    return layer;
  };
  const band = (to: number) => {
    const target = createMask(w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < to; x++) target.data[y * w + x] = 255;
    return target;
  };
  // The old garment runs 4 px past the new one (columns 20..23): covered, in the edge's colour.
  const thin = redLayer();
  growLayerInto(thin, band(24), 5);
  const at = (layer: ReturnType<typeof redLayer>, x: number) => Array.from(layer.data.subarray((10 * w + x) * 4, (10 * w + x) * 4 + 4));
  assert.deepEqual(at(thin, 23), [200, 10, 10, 255]);
  assert.equal(at(thin, 24)[3], 0);
  // It runs 16 px past (an old long sleeve beside a sleeveless top): left to the fill.
  const wide = redLayer();
  growLayerInto(wide, band(36), 5);
  assert.equal(at(wide, 20)[3], 0);
  assert.equal(at(wide, 30)[3], 0);
});

test('growLayerInto does not run along an old hem that leaves the new garment sideways', () => {
  // A trouser leg (columns 30..39, all rows) under an old skirt that is wide (columns 0..59) and
  // ends at row 30: the skirt's hem band beside the leg is thin towards the outside below, but the
  // outside is below it and the leg beside it. Grown there, a tab of fabric stood off the leg.
  const w = 70;
  const h = 50;
  const layer = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) for (let x = 30; x < 40; x++) layer.data.set([40, 60, 120, 255], (y * w + x) * 4);
  const skirt = createMask(w, h);
  for (let y = 0; y < 30; y++) for (let x = 0; x < 60; x++) skirt.data[y * w + x] = 255;
  // And a thin band of it right beside the leg all the way down (a hem a finger wider than the leg).
  for (let y = 30; y < h; y++) for (let x = 40; x < 43; x++) skirt.data[y * w + x] = 255;
  growLayerInto(layer, skirt, 6);
  const alpha = (x: number, y: number) => layer.data[(y * w + x) * 4 + 3];
  for (const x of [24, 26, 28]) assert.equal(alpha(x, 28), 0, `no tab along the hem at column ${x}`);
  assert.equal(alpha(44, 28), 0, 'nor on the other side');
  assert.equal(alpha(41, 40), 255, 'the band between the leg and the outside is covered');
});

test('dropLayerFragments removes shards far smaller than the garment, with their rims, and keeps sleeves', () => {
  const w = 120;
  const h = 100;
  const layer = createRaster(w, h, 4);
  const paint = (x0: number, y0: number, x1: number, y1: number, alpha: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) layer.data.set([200, 30, 30, alpha], (y * w + x) * 4);
  };
  paint(30, 10, 90, 90, 255); // the body panel: 4800 px
  paint(92, 10, 108, 22, 255); // a short sleeve cut off by an arm in front: 192 px (4 %)
  paint(10, 80, 15, 85, 255); // a shard beside a hand: 25 px (0.5 %)
  paint(9, 79, 16, 80, 90); // its soft rim
  dropLayerFragments(layer, 0.02);
  const alpha = (x: number, y: number) => layer.data[(y * w + x) * 4 + 3];
  assert.equal(alpha(12, 82), 0, 'the shard is gone');
  assert.equal(alpha(12, 79), 0, 'and its rim');
  assert.equal(alpha(100, 15), 255, 'the sleeve stays');
  assert.equal(alpha(60, 50), 255, 'the panel stays');
});

test('growLayerInto continues the fabric into the band (its mirror image inside), not the cut-out\'s outermost pixels', () => {
  const w = 60;
  const h = 20;
  // Vertical stripes, 3 px each, navy and sky blue, on columns 0..39; column 39 is the cut-out's
  // rim, still carrying the product photo's white backdrop.
  const layer = createRaster(w, h, 4);
  const navy = [20, 30, 90];
  const sky = [120, 160, 220];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < 40; x++) layer.data.set([...(x === 39 ? [235, 235, 240] : Math.floor(x / 3) % 2 ? sky : navy), 255], (y * w + x) * 4);
  }
  // The old garment runs 8 px past the new one.
  const target = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < 48; x++) target.data[y * w + x] = 255;
  growLayerInto(layer, target, 10);
  const band: number[][] = [];
  for (let x = 40; x < 48; x++) band.push(Array.from(layer.data.subarray((10 * w + x) * 4, (10 * w + x) * 4 + 4)));
  assert.ok(band.every((p) => p[3] === 255), 'the band is covered');
  assert.ok(band.every((p) => p[0] < 200), 'no pixel takes the white rim');
  const same = (p: number[], q: number[]) => p[0] === q[0] && p[1] === q[1] && p[2] === q[2];
  assert.ok(band.some((p) => same(p, navy)) && band.some((p) => same(p, sky)), 'both stripes continue into the band');
});

test('closeNarrowGaps covers a line of arm between sleeve and body panel on the person, not a wide gap, the backdrop or what is kept', () => {
  const w = 80;
  const h = 40;
  // A blue sleeve (x 0..19), a 3 px line of skin (20..22), the red panel (23..49), a 12 px gap
  // (50..61), a red sleeve (62..79).
  const layer = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x < 20) layer.data.set([20, 20, 200, 255], (y * w + x) * 4);
      else if ((x >= 23 && x < 50) || x >= 62) layer.data.set([200, 20, 20, 255], (y * w + x) * 4);
    }
  }
  const person = createMask(w, h);
  person.data.fill(255);
  const kept = createMask(w, h);
  // A hand in front of the line in the lower rows: kept as the photo shows it.
  for (let y = 30; y < h; y++) for (let x = 18; x < 26; x++) kept.data[y * w + x] = 255;
  const alphaAt = (x: number, y: number): number => layer.data[(y * w + x) * 4 + 3];
  closeNarrowGaps(layer, 3, person, kept);
  for (let x = 20; x < 23; x++) assert.equal(alphaAt(x, 10), 255, `the line is covered at x ${x}`);
  for (let x = 20; x < 23; x++) {
    // The fabric either side continued (at most their blend where the two meet), no new colour.
    const [r, g, b] = Array.from(layer.data.subarray((10 * w + x) * 4, (10 * w + x) * 4 + 3));
    assert.ok(g === 20 && Math.abs(r + b - 220) <= 2, `fabric at x ${x}: ${r},${g},${b}`);
  }
  assert.equal(alphaAt(21, 35), 0, 'not over the hand');
  for (let x = 50; x < 62; x++) assert.equal(alphaAt(x, 10), 0, `the wide gap stays at x ${x}`);

  // The same line off the person (the backdrop between an arm and the body) stays.
  const offPerson = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (x < 20 || x >= 23) offPerson.data.set([200, 20, 20, 255], (y * w + x) * 4);
  const nobody = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (x < 20 || x >= 23) nobody.data[y * w + x] = 255;
  closeNarrowGaps(offPerson, 3, nobody, createMask(w, h));
  assert.equal(offPerson.data[(10 * w + 21) * 4 + 3], 0);
});

test('closeNarrowGaps leaves the garment\'s own opening (a keyhole, a V-neck\'s tip) given in `except`', () => {
  const w = 80;
  const h = 40;
  // One red garment with two 3 px slits: at x 20..22 beside an arm, and at x 50..52 its keyhole.
  const layer = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if ((x >= 20 && x < 23) || (x >= 50 && x < 53)) continue;
      layer.data.set([200, 20, 20, 255], (y * w + x) * 4);
    }
  }
  const person = createMask(w, h);
  person.data.fill(255);
  const keyhole = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 47; x < 56; x++) keyhole.data[y * w + x] = 255;
  closeNarrowGaps(layer, 3, person, keyhole);
  assert.equal(layer.data[(10 * w + 21) * 4 + 3], 255, 'the line beside the arm is covered');
  assert.equal(layer.data[(10 * w + 51) * 4 + 3], 0, 'the keyhole stays');
});

test('growLayerInto leaves no trace of the old outline it grew past: the rim takes the fabric further in and is opaque', () => {
  const w = 60;
  const h = 20;
  // Plain red fabric on columns 0..39; column 39 is the cut-out's rim, pale and not quite opaque.
  const layer = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < 40; x++) layer.data.set(x === 39 ? [235, 200, 200, 220] : [200, 30, 40, 255], (y * w + x) * 4);
  }
  const target = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < 48; x++) target.data[y * w + x] = 255;
  growLayerInto(layer, target, 10);
  for (const y of [5, 10, 15]) {
    const rim = Array.from(layer.data.subarray((y * w + 39) * 4, (y * w + 39) * 4 + 4));
    assert.deepEqual(rim, [200, 30, 40, 255], `row ${y}: the old rim is the fabric now`);
  }
  // Where nothing was grown the rim stays as it was (the garment's own soft edge against the photo).
  const alone = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < 40; x++) alone.data.set(x === 39 ? [235, 200, 200, 220] : [200, 30, 40, 255], (y * w + x) * 4);
  growLayerInto(alone, createMask(w, h), 10);
  assert.deepEqual(Array.from(alone.data.subarray((10 * w + 39) * 4, (10 * w + 39) * 4 + 4)), [235, 200, 200, 220]);
});

test('growAcrossRowsTo grows the panel across the old garment to an arm hanging beside it, only along a long band, never over the arm', () => {
  const w = 60;
  const h = 60;
  // A red panel (x 10..29), an arm (x 36..41) from row 10 down, the old garment between them
  // (x 30..35) on every row, and a second arm stub (x 36..41) only on rows 2..5.
  const layer = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) for (let x = 10; x < 30; x++) layer.data.set([200, 20, 20, 255], (y * w + x) * 4);
  const arm = createMask(w, h);
  for (let y = 10; y < h; y++) for (let x = 36; x < 42; x++) arm.data[y * w + x] = 255;
  for (let y = 2; y < 6; y++) for (let x = 36; x < 42; x++) arm.data[y * w + x] = 255;
  const old = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 30; x < 36; x++) old.data[y * w + x] = 255;
  const alphaAt = (x: number, y: number): number => layer.data[(y * w + x) * 4 + 3];
  growAcrossRowsTo(layer, arm, old, 8, 0, 2, 20);
  // The band beside the long arm: the panel's fabric up to the arm, which stays uncovered.
  for (const y of [12, 30, 58]) {
    for (let x = 30; x < 36; x++) assert.equal(alphaAt(x, y), 255, `row ${y}, column ${x}`);
    assert.deepEqual(Array.from(layer.data.subarray((y * w + 33) * 4, (y * w + 33) * 4 + 3)), [200, 20, 20]);
    assert.equal(alphaAt(36, y), 0);
  }
  // Beside the 4-row stub (shorter than the band's least length) and where no arm is: nothing.
  assert.equal(alphaAt(32, 3), 0);
  assert.equal(alphaAt(32, 7), 0);
});

test('growAcrossRowsTo leaves a gap wider than maxGap, and one that reaches the backdrop before the arm', () => {
  const w = 60;
  const h = 40;
  const layer = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) for (let x = 5; x < 20; x++) layer.data.set([20, 200, 20, 255], (y * w + x) * 4);
  const arm = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 32; x < 38; x++) arm.data[y * w + x] = 255;
  const old = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 20; x < 32; x++) old.data[y * w + x] = 255;
  // 12 px of old garment to the arm: wider than 8.
  growAcrossRowsTo(layer, arm, old, 8, 0, 2, 10);
  assert.equal(layer.data[(20 * w + 22) * 4 + 3], 0);
  // 6 px, but with a line of backdrop (not old garment) between: not a gap the panel closes.
  const near = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 20; x < 32; x++) if (x !== 24) near.data[y * w + x] = 255;
  growAcrossRowsTo(layer, arm, near, 20, 0, 2, 10);
  assert.equal(layer.data[(20 * w + 22) * 4 + 3], 0);
});

test('closeGapsAlongRows closes a sleeve-to-panel gap whole, and leaves one that widens, runs over backdrop between limbs, or lies at the middle', () => {
  const w = 120;
  const h = 60;
  // A red panel (x 40..79) between two blue sleeves: the left one 8 px off it on rows 10..49
  // (x 0..31); the right one (x 88..119) 8 px off it on rows 10..29, and on rows 30..49 the
  // gap widens to 20 px (x 80..99 open, sleeve from 100).
  const layer = createRaster(w, h, 4);
  for (let y = 10; y < 50; y++) {
    for (let x = 0; x < w; x++) {
      const sleeve = x < 32 || (y < 30 ? x >= 88 : x >= 100);
      if (sleeve) layer.data.set([20, 20, 200, 255], (y * w + x) * 4);
      else if (x >= 40 && x < 80) layer.data.set([200, 20, 20, 255], (y * w + x) * 4);
    }
  }
  const within = createMask(w, h);
  within.data.fill(255);
  const alphaAt = (image: typeof layer, x: number, y: number): number => image.data[(y * w + x) * 4 + 3];
  const middle = { x: () => 60, distance: 10 };
  const closed = createRaster(w, h, 4);
  closed.data.set(layer.data);
  closeGapsAlongRows(closed, within, 12, 0, middle);
  for (const y of [10, 30, 49]) for (let x = 32; x < 40; x++) assert.equal(alphaAt(closed, x, y), 255, `the left gap is closed at ${x},${y}`);
  // The right gap is 8 px wide on its upper rows but widens below: left whole, no level edge.
  for (const y of [12, 40]) for (let x = 80; x < 88; x++) assert.equal(alphaAt(closed, x, y), 0, `the widening gap stays at ${x},${y}`);

  // The left gap over backdrop between limbs on its lower rows (outside `within`): left whole.
  const lower = createMask(w, h);
  lower.data.fill(255);
  for (let y = 30; y < 50; y++) for (let x = 32; x < 40; x++) lower.data[y * w + x] = 0;
  const overBackdrop = createRaster(w, h, 4);
  overBackdrop.data.set(layer.data);
  closeGapsAlongRows(overBackdrop, lower, 12, 0, middle);
  assert.equal(alphaAt(overBackdrop, 35, 15), 0, 'the gap that goes on over backdrop stays');

  // The same gap beside the body's middle (a neckline's opening) is not closed.
  const nearMiddle = createRaster(w, h, 4);
  nearMiddle.data.set(layer.data);
  closeGapsAlongRows(nearMiddle, within, 12, 0, { x: () => 36, distance: 10 });
  assert.equal(alphaAt(nearMiddle, 35, 15), 0, 'the gap at the middle stays');
});

test('trimGrownOutline takes back grown tabs standing out of the outline, keeps a grown band along it and the layer as it was', () => {
  const w = 80;
  const h = 60;
  // The layer before growth: x 10..39 on every row. Grown since: a band 3 px wide along its right
  // side (x 40..42) on rows 5..54, and a tab 3 px high reaching out to x 55 on rows 30..32. The
  // layer's own corner pixel and a one-pixel spike of it (row 10, x 8..9 before growth) stay.
  const layer = createRaster(w, h, 4);
  const before = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 10; x < 40; x++) {
      layer.data.set([200, 20, 20, 255], (y * w + x) * 4);
      before.data[y * w + x] = 255;
    }
  }
  for (const x of [8, 9]) {
    layer.data.set([200, 20, 20, 255], (10 * w + x) * 4);
    before.data[10 * w + x] = 255;
  }
  for (let y = 5; y < 55; y++) for (let x = 40; x < 43; x++) layer.data.set([200, 20, 20, 255], (y * w + x) * 4);
  for (let y = 30; y < 33; y++) for (let x = 43; x < 56; x++) layer.data.set([200, 20, 20, 255], (y * w + x) * 4);
  trimGrownOutline(layer, before, 8);
  const alphaAt = (x: number, y: number): number => layer.data[(y * w + x) * 4 + 3];
  for (const x of [48, 52, 55]) assert.equal(alphaAt(x, 31), 0, `the tab is taken back at x ${x}`);
  for (const y of [10, 31, 50]) assert.equal(alphaAt(41, y), 255, `the band stays at row ${y}`);
  assert.equal(alphaAt(8, 10), 255, 'the layer\'s own spike stays');
  assert.equal(alphaAt(39, 0), 255, 'the layer\'s own corner stays');
});

test('clipWarpMap keeps, with `within`, only the source pixels in both regions (a trouser leg\'s half above its knee)', () => {
  // Garment photo 40x40: the centre line x = 20 (waistband centre at the top, crotch at y 10);
  // the left leg's knee line across y = 25 from x 2 to x 18.
  const half = { shoulder: { x: 20, y: 0 }, armpit: { x: 20, y: 10 }, axisFrom: { x: 10, y: 0 }, axisTo: { x: 10, y: 39 } };
  const thigh = { shoulder: { x: 2, y: 25 }, armpit: { x: 18, y: 25 }, axisFrom: { x: 10, y: 25 }, axisTo: { x: 10, y: 0 } };
  const kept = (x: number, y: number, source: Parameters<typeof clipWarpMap>[1]) => {
    const map = identityWarpMap(40, 40);
    clipWarpMap(map, source);
    return !Number.isNaN(map.x[y * 40 + x]);
  };
  // The left thigh: left of the centre line and above the knee.
  assert.equal(kept(10, 15, { only: thigh, within: half }), true);
  // Below the knee, or the other leg's thigh, is not drawn; without `within` the other thigh was.
  assert.equal(kept(10, 32, { only: thigh, within: half }), false);
  assert.equal(kept(30, 15, { only: thigh, within: half }), false);
  assert.equal(kept(30, 15, { only: thigh }), true);
});
