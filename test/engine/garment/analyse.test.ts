import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseGarment, GARMENT_WORK_LONG_SIDE } from '../../../src/engine/classic/garment/index.ts';
import { resizeRaster } from '../../../src/vision/resample.ts';
import { EngineInputError } from '../../../src/engine/types.ts';
import { SHAPES, assertNear, drawGarment, iou } from './drawn.ts';

test('T-shirt flat lay: cut-out matches the drawing, landmarks on the drawn corners, short sleeves', async () => {
  const { image, truth } = await drawGarment([SHAPES.tshirt], { jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  assert.ok(iou(g.mask.data, truth) > 0.97, `IoU ${iou(g.mask.data, truth)}`);
  assert.equal(g.worn, false);
  const u = g.upper;
  assert.ok(u);
  assertNear(u.shoulderLeft, [150, 140], 4, 'shoulderLeft');
  assertNear(u.shoulderRight, [330, 140], 4, 'shoulderRight');
  assertNear(u.armpitLeft, [150, 215], 4, 'armpitLeft');
  assertNear(u.armpitRight, [330, 215], 4, 'armpitRight');
  assertNear(u.hemLeft, [150, 560], 4, 'hemLeft');
  assertNear(u.hemRight, [330, 560], 4, 'hemRight');
  assertNear(u.neckLeft, [205, 120], 6, 'neckLeft');
  assertNear(u.neckRight, [275, 120], 6, 'neckRight');
  assertNear(u.neckDip, [240, 145], 4, 'neckDip');
  assertNear(u.sleeveLeft?.cuffOuter, [90, 200], 5, 'left cuffOuter');
  assertNear(u.sleeveLeft?.cuffInner, [115, 232], 5, 'left cuffInner');
  assertNear(u.sleeveRight?.cuffOuter, [390, 200], 5, 'right cuffOuter');
  assertNear(u.sleeveRight?.cuffInner, [365, 232], 5, 'right cuffInner');
  assert.equal(g.sleeve, 'short');
  // Shoulder width 180, sleeve ~90 long, body 420 long.
  assert.ok(Math.abs(g.sleeveLengthRatio - 0.5) < 0.08, `sleeveLengthRatio ${g.sleeveLengthRatio}`);
  assert.ok(Math.abs(g.lengthRatio - 420 / 180) < 0.1, `lengthRatio ${g.lengthRatio}`);
  assert.deepEqual(g.bbox, { x: 90, y: 120, width: 300, height: 440 });
  assert.equal(g.cutout.channels, 4);
  assert.ok(g.palette.length >= 1 && g.palette.length <= 5);
  const [r, gg, b] = g.palette[0];
  assert.ok(Math.abs(r - 40) < 12 && Math.abs(gg - 60) < 12 && Math.abs(b - 140) < 12, `palette ${g.palette[0]}`);
});

test('cut-out alpha is soft only along the outline', async () => {
  const { image } = await drawGarment([SHAPES.skirt]);
  const g = await analyseGarment(image, 'lower_body');
  const alphaAt = (x: number, y: number): number => g.cutout.data[(y * image.width + x) * 4 + 3];
  assert.equal(alphaAt(240, 250), 255);
  assert.equal(alphaAt(20, 20), 0);
  // Across the vertical-ish left edge at row 250 the alpha ramps over at most 3 pixels.
  let soft = 0;
  for (let x = 130; x < 200; x++) if (alphaAt(x, 250) > 0 && alphaAt(x, 250) < 255) soft++;
  assert.ok(soft >= 1 && soft <= 3, `soft pixels ${soft}`);
});

test('the cut-out\'s soft rim carries the garment\'s colour, not the backdrop\'s (no pale halo round a dark garment)', async () => {
  // A navy skirt on a near-white backdrop: every pixel with some alpha is navy, the rim included.
  const { image } = await drawGarment([SHAPES.skirt]);
  const g = await analyseGarment(image, 'lower_body');
  let rim = 0;
  let palest = 0;
  for (let p = 0; p < image.width * image.height; p++) {
    const alpha = g.cutout.data[p * 4 + 3];
    if (alpha === 0 || alpha === 255) continue;
    rim++;
    const [r, gg, b] = g.cutout.data.subarray(p * 4, p * 4 + 3);
    palest = Math.max(palest, (r + gg + b) / 3);
  }
  assert.ok(rim > 100, `rim pixels ${rim}`);
  // The fabric is (40, 60, 140): mean 80; the backdrop 246. A rim blended with the backdrop reads 160 and more.
  assert.ok(palest < 100, `palest rim pixel mean ${palest}`);
});

test('tank top: straps are the shoulders, armpits at the armhole corners, no sleeves', async () => {
  const { image, truth } = await drawGarment([SHAPES.tank], { fill: [200, 40, 60], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  assert.ok(iou(g.mask.data, truth) > 0.97);
  const u = g.upper;
  assert.ok(u);
  assertNear(u.shoulderLeft, [185, 100], 4, 'shoulderLeft');
  assertNear(u.shoulderRight, [295, 100], 4, 'shoulderRight');
  assertNear(u.neckLeft, [210, 100], 4, 'neckLeft');
  assertNear(u.neckRight, [270, 100], 4, 'neckRight');
  // The V's last pixels blur into JPEG ringing: a sharp V tip is found within ~8 px.
  assertNear(u.neckDip, [240, 190], 9, 'neckDip');
  assertNear(u.armpitLeft, [150, 230], 6, 'armpitLeft');
  assertNear(u.armpitRight, [330, 230], 6, 'armpitRight');
  assertNear(u.hemLeft, [145, 520], 4, 'hemLeft');
  assertNear(u.hemRight, [335, 520], 4, 'hemRight');
  assert.equal(u.sleeveLeft, undefined);
  assert.equal(u.sleeveRight, undefined);
  assert.equal(g.sleeve, 'none');
  assert.equal(g.sleeveLengthRatio, 0);
});

test('vest with straight sides (no armhole notch): sleeveless, armpits an armhole below the straps, not sleeves down to the hem', async () => {
  // V-neck, straps at the outer corners, sides straight from the shoulders to the hem.
  const vest: Array<[number, number]> = [[140, 100], [205, 100], [240, 200], [275, 100], [340, 100], [346, 520], [134, 520]];
  const { image } = await drawGarment([vest], { fill: [120, 120, 125], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  const u = g.upper;
  assert.ok(u);
  assert.equal(g.sleeve, 'none');
  assert.equal(u.sleeveLeft, undefined);
  assert.equal(u.sleeveRight, undefined);
  assertNear(u.shoulderLeft, [140, 100], 6, 'shoulderLeft');
  assertNear(u.shoulderRight, [340, 100], 6, 'shoulderRight');
  // An armhole's depth (about 45 % of the width) below the straps, on the sides.
  for (const a of [u.armpitLeft, u.armpitRight]) assert.ok(a.y > 150 && a.y < 230, `armpit y ${a.y}`);
  assert.ok(Math.abs(u.armpitLeft.x - 138) < 8 && Math.abs(u.armpitRight.x - 342) < 8, `armpit x ${u.armpitLeft.x} ${u.armpitRight.x}`);
});

test('long-sleeve top with sleeves hanging beside the body', async () => {
  const { image, truth } = await drawGarment([SHAPES.longSleeveHanging], { fill: [30, 30, 30], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  assert.ok(iou(g.mask.data, truth) > 0.97);
  const u = g.upper;
  assert.ok(u);
  assertNear(u.armpitLeft, [160, 232], 5, 'armpitLeft');
  assertNear(u.armpitRight, [320, 232], 5, 'armpitRight');
  assertNear(u.shoulderLeft, [160, 150], 4, 'shoulderLeft');
  assertNear(u.shoulderRight, [320, 150], 4, 'shoulderRight');
  assertNear(u.hemLeft, [160, 560], 4, 'hemLeft');
  assertNear(u.hemRight, [320, 560], 4, 'hemRight');
  assertNear(u.sleeveLeft?.cuffOuter, [110, 520], 5, 'left cuffOuter');
  assertNear(u.sleeveLeft?.cuffInner, [145, 520], 5, 'left cuffInner');
  assertNear(u.sleeveRight?.cuffOuter, [370, 520], 5, 'right cuffOuter');
  assertNear(u.sleeveRight?.cuffInner, [335, 520], 5, 'right cuffInner');
  assert.equal(g.sleeve, 'long');
});

test('trousers: crotch at the top of the leg gap, leg openings, kind trousers', async () => {
  const { image, truth } = await drawGarment([SHAPES.trousers], { fill: [60, 90, 130], jpeg: 92 });
  const g = await analyseGarment(image, 'lower_body');
  assert.ok(iou(g.mask.data, truth) > 0.97);
  const l = g.lower;
  assert.ok(l);
  assertNear(l.waistLeft, [160, 80], 4, 'waistLeft');
  assertNear(l.waistRight, [320, 80], 4, 'waistRight');
  // A sharp V crotch tip blurs into JPEG ringing: found within ~8 px.
  assertNear(l.crotch, [240, 260], 8, 'crotch');
  assertNear(l.legLeft?.outer, [140, 600], 4, 'left leg outer');
  assertNear(l.legLeft?.inner, [225, 600], 4, 'left leg inner');
  assertNear(l.legRight?.inner, [255, 600], 4, 'right leg inner');
  assertNear(l.legRight?.outer, [340, 600], 4, 'right leg outer');
  assertNear(l.hemLeft, [140, 600], 4, 'hemLeft');
  assertNear(l.hemRight, [340, 600], 4, 'hemRight');
  assert.equal(g.lowerKind, 'trousers');
  assert.ok(Math.abs(g.lengthRatio - 520 / 160) < 0.1, `lengthRatio ${g.lengthRatio}`);
  assert.equal(g.upper, undefined);
});

test('wide trousers whose legs touch down to the knee: the crotch at a trouser rise, not the gap top', async () => {
  // Waistband 160 wide at y 80; the legs lie against each other down to y 420 (a gap opens only
  // there, 340 px below the waistband: over two waistband widths, deeper than any rise).
  const wideLegs: Array<[number, number]> = [[160, 80], [320, 80], [345, 600], [246, 600], [241, 420], [239, 420], [234, 600], [135, 600]];
  const { image } = await drawGarment([wideLegs], { fill: [70, 70, 75], jpeg: 92 });
  const g = await analyseGarment(image, 'lower_body');
  const l = g.lower;
  assert.ok(l?.crotch);
  assert.equal(g.lowerKind, 'trousers');
  // 0.9 waistband widths below the waistband: y 80 + 144.
  assertNear(l.crotch, [240, 224], 8, 'crotch');
  // The openings are still the legs' own corners.
  assertNear(l.legLeft?.outer, [135, 600], 5, 'left leg outer');
  assertNear(l.legRight?.outer, [345, 600], 5, 'right leg outer');
});

test('wide trousers whose legs lie against each other down to the hem: a notch at the hem parts them', async () => {
  // Waistband 160 wide at y 80; the only backdrop between the legs is a notch 12 px deep in the
  // middle of the hem at y 600 (palazzo trousers laid flat), 520 px (3.25 waistband widths) down.
  const touching: Array<[number, number]> = [[160, 80], [320, 80], [350, 600], [243, 600], [240, 588], [237, 600], [130, 600]];
  const { image } = await drawGarment([touching], { fill: [30, 30, 32], jpeg: 92 });
  const g = await analyseGarment(image, 'lower_body');
  assert.equal(g.lowerKind, 'trousers');
  assertNear(g.lower?.crotch, [240, 224], 8, 'crotch');
  assertNear(g.lower?.legLeft?.outer, [130, 600], 5, 'left leg outer');
  assertNear(g.lower?.legRight?.outer, [350, 600], 5, 'right leg outer');
});

test('a skirt as long, with no notch, stays a skirt; a shorter one with a notched hem too', async () => {
  const maxi: Array<[number, number]> = [[160, 80], [320, 80], [350, 600], [130, 600]];
  const long = await analyseGarment((await drawGarment([maxi], { fill: [30, 30, 32], jpeg: 92 })).image, 'lower_body');
  assert.equal(long.lowerKind, 'skirt');
  // 1.9 waistband widths long, a pleat's notch 12 px deep in the middle of its hem.
  const pleated: Array<[number, number]> = [[160, 80], [320, 80], [350, 384], [243, 384], [240, 372], [237, 384], [130, 384]];
  const short = await analyseGarment((await drawGarment([pleated], { fill: [30, 30, 32], jpeg: 92 })).image, 'lower_body');
  assert.equal(short.lowerKind, 'skirt');
});

test('shorts are told from trousers by leg length', async () => {
  const { image } = await drawGarment([SHAPES.shorts], { fill: [90, 120, 60] });
  const g = await analyseGarment(image, 'lower_body');
  assertNear(g.lower?.crotch, [240, 220], 5, 'crotch');
  assert.equal(g.lowerKind, 'shorts');
});

test('skirt: no crotch, hem corners at the trapezoid base', async () => {
  const { image, truth } = await drawGarment([SHAPES.skirt], { fill: [150, 30, 90], jpeg: 92 });
  const g = await analyseGarment(image, 'lower_body');
  assert.ok(iou(g.mask.data, truth) > 0.97);
  assert.equal(g.lowerKind, 'skirt');
  const l = g.lower;
  assert.ok(l);
  assert.equal(l.crotch, undefined);
  assert.equal(l.legLeft, undefined);
  assertNear(l.waistLeft, [180, 100], 4, 'waistLeft');
  assertNear(l.waistRight, [300, 100], 4, 'waistRight');
  assertNear(l.hemLeft, [140, 420], 4, 'hemLeft');
  assertNear(l.hemRight, [340, 420], 4, 'hemRight');
});

test('dress: bodice landmarks plus the waist at the narrowest row', async () => {
  const { image, truth } = await drawGarment([SHAPES.dress], { fill: [20, 120, 80], jpeg: 92 });
  const g = await analyseGarment(image, 'dresses');
  assert.ok(iou(g.mask.data, truth) > 0.97);
  const d = g.dress;
  assert.ok(d);
  assert.equal(g.upper, undefined);
  assertNear(d.waistLeft, [175, 300], 5, 'waistLeft');
  assertNear(d.waistRight, [305, 300], 5, 'waistRight');
  assertNear(d.armpitLeft, [165, 180], 5, 'armpitLeft');
  assertNear(d.armpitRight, [315, 180], 5, 'armpitRight');
  assertNear(d.shoulderLeft, [165, 114], 4, 'shoulderLeft');
  assertNear(d.shoulderRight, [315, 114], 4, 'shoulderRight');
  assertNear(d.hemLeft, [130, 560], 4, 'hemLeft');
  assertNear(d.hemRight, [350, 560], 4, 'hemRight');
  assertNear(d.sleeveRight?.cuffOuter, [370, 170], 5, 'right cuffOuter');
  assert.equal(g.sleeve, 'short');
  assert.ok(g.lengthRatio > 2.6 && g.lengthRatio < 3.3, `lengthRatio ${g.lengthRatio}`);
});

test('white garment on an off-white sweep with a soft shadow is still cut out cleanly', async () => {
  const { image, truth } = await drawGarment([SHAPES.tshirt], {
    background: [238, 238, 235],
    fill: [252, 252, 252],
    shadow: { dx: 8, dy: 10, blur: 6, opacity: 0.12 },
    noise: 1.5,
    jpeg: 90,
  });
  const g = await analyseGarment(image, 'upper_body');
  const score = iou(g.mask.data, truth);
  assert.ok(score > 0.97, `IoU ${score.toFixed(4)}`);
  assert.equal(g.sleeve, 'short');
});

test('noisy backdrop: the tolerance follows the border noise', async () => {
  const { image, truth } = await drawGarment([SHAPES.tshirt], { background: [205, 200, 190], fill: [40, 50, 90], noise: 14, jpeg: 90 });
  const g = await analyseGarment(image, 'upper_body');
  const score = iou(g.mask.data, truth);
  assert.ok(score > 0.97, `IoU ${score.toFixed(4)}`);
  assertNear(g.upper?.armpitRight, [330, 215], 5, 'armpitRight');
});

test('a 768x1024 photo (analysed at half resolution, refined at full) keeps the outline', async () => {
  const scaled = (s: Array<[number, number]>): Array<[number, number]> => s.map(([x, y]) => [x * 1.6, y * 1.6]);
  const { image, truth } = await drawGarment([scaled(SHAPES.tshirt)], { width: 768, height: 1024, jpeg: 90 });
  const g = await analyseGarment(image, 'upper_body');
  assert.ok(iou(g.mask.data, truth) > 0.98);
  assertNear(g.upper?.armpitLeft, [150 * 1.6, 215 * 1.6], 6, 'armpitLeft');
  assertNear(g.upper?.hemRight, [330 * 1.6, 560 * 1.6], 6, 'hemRight');
});

test('garment description overrides disagreeing measurements', async () => {
  const tshirt = (await drawGarment([SHAPES.tshirt])).image;
  const longSleeve = await analyseGarment(tshirt, 'upper_body', 'Striped long-sleeve top');
  assert.equal(longSleeve.sleeve, 'long');
  const sleeveless = await analyseGarment(tshirt, 'upper_body', 'sleeveless vest');
  assert.equal(sleeveless.sleeve, 'none');
  assert.equal(sleeveless.upper?.sleeveLeft, undefined);
  const cropped = await analyseGarment(tshirt, 'upper_body', 'cropped tee');
  assert.ok(cropped.lengthRatio <= 1.1);
  const plain = await analyseGarment(tshirt, 'upper_body', 'cotton tee');
  assert.equal(plain.sleeve, 'short');
  assert.ok(plain.lengthRatio > 2);
  // A tee drawn 50 px longer measures 2.6 shoulder widths (shoulders above its armpits): a
  // long-line top by its measure alone. Said to be a tee, it is a hip-length top; said to be a
  // long-line one, not.
  const longTee = (await drawGarment([SHAPES.tshirt.map(([x, y]) => [x, y === 560 ? 610 : y] as [number, number])])).image;
  const measured = (await analyseGarment(longTee, 'upper_body')).lengthRatio;
  assert.ok(measured > 2.4, `measured ${measured}`);
  const saidTee = (await analyseGarment(longTee, 'upper_body', 'white tee with a logo')).lengthRatio;
  assert.ok(saidTee <= 2.2, `a said tee at most 2.2 shoulder widths long, got ${saidTee}`);
  assert.ok((await analyseGarment(longTee, 'upper_body', 'white T-shirt')).lengthRatio <= 2.2);
  assert.equal((await analyseGarment(longTee, 'upper_body', 'longline tee')).lengthRatio, measured);
  assert.equal((await analyseGarment(longTee, 'upper_body', 'black tunic tee')).lengthRatio, measured);

  const trousers = (await drawGarment([SHAPES.trousers])).image;
  assert.equal((await analyseGarment(trousers, 'lower_body', 'pleated skirt')).lowerKind, 'skirt');
  assert.equal((await analyseGarment(trousers, 'lower_body', 'denim shorts')).lowerKind, 'shorts');
  // "short-sleeve" must not read as shorts.
  assert.equal((await analyseGarment(trousers, 'lower_body', 'short-sleeve jumpsuit legs')).lowerKind, 'trousers');

  const skirt = (await drawGarment([SHAPES.skirt])).image;
  assert.equal((await analyseGarment(skirt, 'lower_body', 'wide trousers')).lowerKind, 'trousers');
  assert.ok((await analyseGarment(skirt, 'lower_body', 'maxi skirt')).lengthRatio >= 2.6);

  const dress = (await drawGarment([SHAPES.dress])).image;
  assert.ok((await analyseGarment(dress, 'dresses', 'floral maxi dress')).lengthRatio >= 3.3);
  assert.ok((await analyseGarment(dress, 'dresses', 'mini dress')).lengthRatio <= 2.2);
});

test('garment worn by a person: skin is left out of the cut-out', async () => {
  const { image, truth } = await drawGarment([SHAPES.tshirt], {
    fill: [40, 60, 140],
    extras: [
      { ellipse: { cx: 240, cy: 70, rx: 34, ry: 44 }, fill: [224, 172, 140] },
      { polygon: [[222, 100], [258, 100], [262, 150], [218, 150]], fill: [224, 172, 140] },
      { polygon: [[95, 205], [118, 228], [100, 330], [78, 320]], fill: [224, 172, 140] },
      { polygon: [[385, 205], [362, 228], [380, 330], [402, 320]], fill: [224, 172, 140] },
    ],
    jpeg: 92,
  });
  const g = await analyseGarment(image, 'upper_body');
  assert.equal(g.worn, true);
  const score = iou(g.mask.data, truth);
  assert.ok(score > 0.93, `IoU ${score.toFixed(4)}`);
  // Nothing of the head is in the mask.
  assert.equal(g.mask.data[60 * image.width + 240], 0);
});

test('a blank photo has no garment to separate', async () => {
  const blank = { width: 200, height: 260, channels: 3 as const, data: new Uint8Array(200 * 260 * 3).fill(240) };
  await assert.rejects(analyseGarment(blank, 'upper_body'), (error: unknown) => error instanceof EngineInputError && /garment/.test(error.message));
});

test('a product shot several times larger is analysed at the working size with the same measurements', async () => {
  const { image } = await drawGarment([SHAPES.tshirt]);
  const small = await analyseGarment(image, 'upper_body');
  // The same shot at 4x (1920x2560): a shop's full-size product photo.
  const big = await analyseGarment(resizeRaster(image, image.width * 4, image.height * 4), 'upper_body');
  assert.equal(Math.max(big.cutout.width, big.cutout.height), GARMENT_WORK_LONG_SIDE);
  assert.equal(big.mask.width, big.cutout.width);
  assert.equal(big.sleeve, small.sleeve);
  assert.ok(Math.abs(big.lengthRatio - small.lengthRatio) < 0.05, `lengthRatio ${big.lengthRatio} vs ${small.lengthRatio}`);
  // Landmarks are in working-size pixels: the shoulder line spans the same share of the photo.
  const share = (g: typeof small) => (g.upper!.shoulderRight.x - g.upper!.shoulderLeft.x) / g.cutout.width;
  assert.ok(Math.abs(share(big) - share(small)) < 0.01, `shoulder share ${share(big)} vs ${share(small)}`);
});

test('a cut-out given with the photo (a drawn product shot) is the garment: no wearer check, no segmentation', async () => {
  // A white garment on a white sweep with a blue print: the colour segmentation cannot find its
  // outline (a drawn shirt's white stripes at its sides were lost so), the drawn coverage can.
  const white: [number, number, number] = [238, 238, 236];
  const { image, truth } = await drawGarment([SHAPES.tshirt], { background: white, fill: white, prints: [{ polygon: [[200, 260], [280, 260], [280, 340], [200, 340]], fill: [30, 60, 160] }] });
  const cutOut = { width: image.width, height: image.height, data: Uint8Array.from(truth, (v) => (v ? 255 : 0)) };
  const g = await analyseGarment(image, 'upper_body', undefined, cutOut);
  assert.ok(iou(g.mask.data, truth) > 0.99, `IoU ${iou(g.mask.data, truth)}`);
  assert.equal(g.worn, false);
  assertNear(g.upper!.shoulderLeft, [150, 140], 4, 'shoulderLeft');
  assertNear(g.upper!.hemRight, [330, 560], 4, 'hemRight');
  assert.equal(g.sleeve, 'short');
});

test("a dark top's cut-out leaves out the sweep's shadow beside it, as a bottom's does (no grey band along a sleeve worn)", async () => {
  // A black tee whose soft shadow falls to its lower left on a white sweep, dark enough beside the
  // outline for the colour segmentation to take it with the garment.
  const { image, truth } = await drawGarment([SHAPES.tshirt], {
    fill: [20, 20, 22],
    shadow: { dx: -10, dy: 10, blur: 4, opacity: 0.4 },
  });
  const g = await analyseGarment(image, 'upper_body');
  // Garment pixels of the cut-out farther than 2 px from the drawn outline are the shadow (about
  // 3200 px of it taken without the peeling, under 800 px left with it, at its faint outer end).
  const { width, height } = image;
  let outside = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!g.mask.data[y * width + x]) continue;
      let near = false;
      for (let dy = -2; dy <= 2 && !near; dy++) for (let dx = -2; dx <= 2 && !near; dx++) near = truth[(y + dy) * width + x + dx] === 1;
      if (!near) outside++;
    }
  }
  assert.ok(outside < 1000, `${outside} cut-out pixels in the shadow`);
  assert.ok(iou(g.mask.data, truth) > 0.97, `IoU ${iou(g.mask.data, truth)}`);
});
