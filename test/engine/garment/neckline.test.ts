import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assumedCrewOpening, backNecklineAcross, findFrontNeckline, findNeckOpening, withinNeckline } from '../../../src/engine/classic/garment/neckline.ts';
import { createRaster } from '../../../src/imaging/raster.ts';

/**
 * A 300x300 white tee body (x 50..250 from row 60) whose neckline (neck points at x 110 and 190,
 * row 60) shows, inside a U-shaped front neckline reaching row 60 + depth, the inside of the back
 * in `inside` colour.
 */
function tee(inside: [number, number, number], depth: number, front: [number, number, number] = [252, 252, 252]) {
  const w = 300;
  const h = 300;
  const image = createRaster(w, h, 3);
  image.data.fill(246);
  const mask = new Uint8Array(w * h);
  for (let y = 60; y < 290; y++) {
    for (let x = 50; x < 250; x++) {
      const p = y * w + x;
      mask[p] = 1;
      const u = (x - 150) / 38;
      const insideNeck = Math.abs(u) < 1 && y >= 62 && y < 60 + depth * (1 - u * u);
      image.data.set(insideNeck ? inside : front, p * 3);
    }
  }
  const landmarks = { neckLeft: { x: 110, y: 60 }, neckRight: { x: 190, y: 60 }, shoulderLeft: { x: 50, y: 75 }, shoulderRight: { x: 250, y: 75 } };
  return { image, mask, landmarks, w };
}

test('the shaded inside of the back seen through a crew neck is found, and the front below it kept', () => {
  const { image, mask, landmarks, w } = tee([205, 205, 208], 45);
  const opening = findNeckOpening(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  assert.equal(opening[80 * w + 150], 1, 'inside of the back');
  assert.equal(opening[61 * w + 150], 1, 'the back collar above it');
  assert.equal(opening[120 * w + 150], 0, 'the front below the neckline');
  assert.equal(opening[80 * w + 70], 0, 'the shoulder beside the neck');
});

test('the opening is cut as a neckline from neck point to neck point, not as the shaded core\'s box', () => {
  const { image, mask, landmarks, w } = tee([205, 205, 208], 45);
  const opening = findNeckOpening(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  // Beside the neck points, just below the back collar: the inside's ends (lit, not shaded) go too.
  assert.equal(opening[62 * w + 112], 1, 'left end of the neckline');
  assert.equal(opening[62 * w + 188], 1, 'right end of the neckline');
  // The curve rises to the neck points: a column near them is cut only a few rows deep.
  assert.equal(opening[80 * w + 112], 0, 'the front beside the neck point');
  assert.equal(opening[100 * w + 150], 1, 'the middle is cut to its depth');
  assert.equal(opening[112 * w + 150], 0, 'the front below the neckline');
  assert.equal(opening[62 * w + 100], 0, 'the shoulder outside the neck points');
});

test('a saturated top\'s inside is found in its shade: a royal blue\'s navy inside, less chromatic but of its hue', () => {
  const { image, mask, landmarks, w } = tee([26, 57, 121], 45, [49, 107, 204]);
  const opening = findNeckOpening(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  assert.equal(opening[80 * w + 150], 1, 'inside of the back');
  assert.equal(opening[120 * w + 150], 0, 'the front below the neckline');
  // Another hue is a print, not the cloth's shade.
  assert.equal(findNeckOpening(tee([120, 30, 60], 45, [49, 107, 204]).image, mask, landmarks), null);
});

test('a narrow shaded fold down the front is no opening', () => {
  const { image, mask, landmarks, w } = tee([252, 252, 252], 45);
  for (let y = 62; y < 200; y++) for (let x = 146; x < 153; x++) image.data.set([200, 200, 204], (y * w + x) * 3);
  assert.equal(findNeckOpening(image, mask, landmarks), null);
});

test('no opening on a garment whose neckline shows nothing darker, or only a shallow shadow band', () => {
  const plain = tee([252, 252, 252], 45);
  assert.equal(findNeckOpening(plain.image, plain.mask, plain.landmarks), null);
  const shallow = tee([205, 205, 208], 12);
  assert.equal(findNeckOpening(shallow.image, shallow.mask, shallow.landmarks), null);
});

test('the inside of the back lit like the front (a label across it) is found by the front neckline\'s edge', () => {
  // Only a little darker than the front (less than the shade test asks), with a dark label in it,
  // and the front collar's rib (a navy band 4 px deep, a ringer tee) along the neckline.
  const { image, mask, landmarks, w } = tee([242, 242, 244], 40);
  for (let x = 112; x <= 188; x++) {
    const u = (x - 150) / 38;
    const edge = Math.round(60 + 40 * (1 - u * u));
    for (let y = Math.max(62, edge); y < edge + 4; y++) image.data.set([40, 50, 120], (y * w + x) * 3);
  }
  for (let y = 66; y < 76; y++) for (let x = 138; x < 162; x++) image.data.set([30, 30, 35], (y * w + x) * 3);
  assert.equal(findNeckOpening(image, mask, landmarks), null, 'the shade test sees nothing');
  const opening = findFrontNeckline(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  assert.equal(opening[70 * w + 150], 1, 'the label inside');
  assert.equal(opening[85 * w + 150], 1, 'the inside above the front neckline');
  assert.equal(opening[110 * w + 150], 0, 'the front below the neckline');
  assert.equal(opening[90 * w + 70], 0, 'the shoulder beside the neck');
});

test('no front neckline where the neck shows no edge (a plain white tee) or only a shallow one', () => {
  const plain = tee([252, 252, 252], 40);
  assert.equal(findFrontNeckline(plain.image, plain.mask, plain.landmarks), null);
  // A dip of 8 rows: the back collar's own rim, not a front neckline below it.
  const shallow = tee([225, 225, 228], 8);
  assert.equal(findFrontNeckline(shallow.image, shallow.mask, shallow.landmarks), null);
});

test("the inside's ends past the neck points (where the outline's top turns into the shoulders inside the neckline's ends) are cut too", () => {
  const { image, mask, w } = tee([205, 205, 208], 45);
  // Neck points 10 px inside each end of the neckline (which spans x 112..188).
  const landmarks = { neckLeft: { x: 122, y: 60 }, neckRight: { x: 178, y: 60 }, shoulderLeft: { x: 50, y: 75 }, shoulderRight: { x: 250, y: 75 } };
  const opening = findNeckOpening(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  assert.equal(opening[80 * w + 150], 1, 'inside of the back');
  assert.equal(opening[64 * w + 115], 1, 'the left end, past the neck point');
  assert.equal(opening[64 * w + 185], 1, 'the right end, past the neck point');
  assert.equal(opening[64 * w + 100], 0, 'the shoulder beside the neckline');
  assert.equal(opening[112 * w + 150], 0, 'the front below the neckline');
});

test("a dark top's front neckline is found by its edge though its inside is barely darker (a navy tee)", () => {
  const front: [number, number, number] = [34, 38, 62];
  const { image, mask, landmarks, w } = tee([24, 30, 64], 40, front);
  assert.equal(findNeckOpening(image, mask, landmarks), null, 'the shade test sees nothing');
  const opening = findFrontNeckline(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  assert.equal(opening[85 * w + 150], 1, 'the inside above the front neckline');
  assert.equal(opening[110 * w + 150], 0, 'the front below the neckline');
});

test("a black rib around a white tee's neckline is a trim, not the inside: it stays around the cut neckline", () => {
  const { image, mask, w } = tee([205, 205, 208], 45);
  // A 4 px black rib around the inside (which spans x 112..188, 45 rows deep).
  for (let y = 60; y < 110; y++) {
    for (let x = 106; x <= 194; x++) {
      const u = (x - 150) / 38;
      const ru = (x - 150) / 43;
      const inside = Math.abs(u) < 1 && y >= 62 && y < 60 + 45 * (1 - u * u);
      if (!inside && Math.abs(ru) < 1 && y < 60 + 49 * (1 - ru * ru)) image.data.set([20, 20, 22], (y * w + x) * 3);
    }
  }
  const landmarks = { neckLeft: { x: 122, y: 60 }, neckRight: { x: 178, y: 60 }, shoulderLeft: { x: 50, y: 75 }, shoulderRight: { x: 250, y: 75 } };
  const opening = findNeckOpening(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  assert.equal(opening[80 * w + 150], 1, 'inside of the back');
  assert.equal(opening[64 * w + 110], 0, 'the rib beside the neckline, left');
  assert.equal(opening[64 * w + 190], 0, 'the rib beside the neckline, right');
  assert.equal(opening[106 * w + 150], 0, 'the rib at the front of the neckline');
});

test('the outline\'s top between the neck points is a back neckline for a tee, not for straps with a V between them', () => {
  const w = 300;
  const h = 300;
  const tee = new Uint8Array(w * h);
  for (let y = 60; y < 290; y++) for (let x = 50; x < 250; x++) tee[y * w + x] = 1;
  const lm = { neckLeft: { x: 110, y: 60 }, neckRight: { x: 190, y: 60 }, shoulderLeft: { x: 50, y: 75 }, shoulderRight: { x: 250, y: 75 } };
  assert.equal(backNecklineAcross(tee, w, h, lm), true);
  // A notch in the back neckline 6 px wide (a white label lost against the backdrop) is not straps.
  const notched = tee.slice();
  for (let y = 60; y < 120; y++) for (let x = 147; x < 153; x++) notched[y * w + x] = 0;
  assert.equal(backNecklineAcross(notched, w, h, lm), true);
  // Straps at the neck points, the front's V between them dipping 60 px (0.75 of the neck width).
  const cami = new Uint8Array(w * h);
  for (let y = 60; y < 290; y++) {
    for (let x = 50; x < 250; x++) {
      const strap = (x >= 105 && x < 115) || (x >= 185 && x < 195);
      const vTop = 80 + 60 * (1 - Math.abs(x - 150) / 40);
      if (strap || y >= Math.max(100, Math.min(vTop, 140))) cami[y * w + x] = 1;
    }
  }
  assert.equal(backNecklineAcross(cami, w, h, lm), false);
});

/**
 * A 300x400 grey vest (x 50..250 from row 60, neck points at x 110 and 190) with a V neckline
 * whose tip is at row 60 + tipDepth: inside it the inside of the back, shaded `inside` down to
 * row `shadedTo` and, below that, in deeper shade (`deep`) as a real V's bottom is.
 */
function vest(inside: number, deep: number, shadedTo: number, tipDepth: number) {
  const w = 300;
  const h = 400;
  const image = createRaster(w, h, 3);
  image.data.fill(246);
  const mask = new Uint8Array(w * h);
  const inV = (x: number, y: number): boolean => y >= 62 && Math.abs(x - 150) < 40 * (1 - (y - 60) / tipDepth);
  for (let y = 60; y < 390; y++) {
    for (let x = 50; x < 250; x++) {
      const p = y * w + x;
      mask[p] = 1;
      const v = inV(x, y) ? (y < shadedTo ? inside : deep) : 150;
      image.data.set([v, v, v + 2], p * 3);
    }
  }
  const landmarks = { neckLeft: { x: 110, y: 60 }, neckRight: { x: 190, y: 60 }, shoulderLeft: { x: 50, y: 75 }, shoulderRight: { x: 250, y: 75 } };
  return { image, mask, landmarks, w, inV };
}

test("a V neckline is cut to its tip where the inside deep in the V is darker than the shade looked for (a vest's V)", () => {
  // The fabric at L ~62; the inside 20 L darker, then near black from row 120 (past MAX_SHADE_L).
  const { image, mask, landmarks, w, inV } = vest(100, 12, 120, 140);
  const opening = findNeckOpening(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  assert.equal(opening[110 * w + 150], 1, 'the inside in shade');
  assert.equal(opening[150 * w + 150], 1, 'the V below where the shade test lost it');
  assert.equal(opening[185 * w + 150], 1, 'the V close to its tip');
  assert.equal(opening[206 * w + 150], 0, 'the front below the tip');
  // The sides follow the V's edges: the front beside the V is kept.
  assert.ok(inV(150 + 12, 150) && !inV(150 + 16, 150));
  assert.equal(opening[150 * w + 150 + 20], 0, 'the front beside the V');
  assert.equal(opening[150 * w + 150 - 20], 0, 'the front beside the V, other side');
});

test("a crew neck's inside, ending in a curve, is not continued as a V", () => {
  const { image, mask, landmarks, w } = tee([205, 205, 208], 45);
  const opening = findNeckOpening(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  for (let y = 112; y < 200; y++) assert.equal(opening[y * w + 150], 0, `row ${y} below the crew neck`);
});

test("a heather knit's wide scoop neck is found by its edge: the back neckline dips with the front, and the knit's grain is no seam", () => {
  // Neck points at x 100 and 200 (row 60); the outline's top between them dips 18 rows at the
  // middle (the back neckline); the front neckline is a deep U with steep sides, narrower than
  // the neck points' span; the inside above it is the same grey knit a little darker. Every pixel
  // is the knit's grain: lightness off by up to ±20 (a fixed linear congruential sequence).
  const w = 300;
  const h = 300;
  const image = createRaster(w, h, 3);
  image.data.fill(246);
  const mask = new Uint8Array(w * h);
  let seed = 12345;
  const grain = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.round((seed / 2147483648) * 40 - 20);
  };
  const backTop = (x: number): number => (Math.abs(x - 150) < 50 ? 60 + Math.round(18 * (1 - ((x - 150) / 50) ** 2)) : 60);
  const frontEdge = (x: number): number => {
    const u = Math.abs(x - 150) / 36;
    return u < 1 ? 60 + Math.round(62 * (1 - u ** 6)) : 0;
  };
  for (let y = 60; y < 290; y++) {
    for (let x = 40; x < 260; x++) {
      if (y < backTop(x)) continue;
      const p = y * w + x;
      mask[p] = 1;
      const inside = y < frontEdge(x);
      const base = inside ? 128 : 150;
      const v = base + grain();
      image.data.set([v - 10, v, v + 16], p * 3);
    }
  }
  const landmarks = { neckLeft: { x: 100, y: 60 }, neckRight: { x: 200, y: 60 }, shoulderLeft: { x: 40, y: 80 }, shoulderRight: { x: 260, y: 80 } };
  const opening = findFrontNeckline(image, mask, landmarks);
  assert.ok(opening, 'opening found');
  assert.equal(opening[100 * w + 150], 1, 'the inside above the front neckline');
  assert.equal(opening[95 * w + 125], 1, "the inside near the U's side");
  assert.equal(opening[140 * w + 150], 0, 'the front below the neckline');
  assert.equal(opening[100 * w + 80], 0, 'the shoulder beside the neck');
});

test("a crew-necked tee whose neckline shows no edge at all (a black tee's, a white tee's on white) is opened as a crew neck", () => {
  const { image, mask, landmarks, w } = tee([252, 252, 252], 45);
  // Neither detector sees it...
  assert.equal(findNeckOpening(image, mask, landmarks), null);
  assert.equal(findFrontNeckline(image, mask, landmarks), null);
  // ...yet the inside and its label are there on the product shot.
  const opening = assumedCrewOpening(mask, w, 300, landmarks);
  assert.ok(opening, 'a crew neck assumed');
  assert.equal(opening[61 * w + 150], 1, 'the back collar');
  assert.equal(opening[80 * w + 150], 1, 'the inside in the middle');
  assert.equal(opening[100 * w + 150], 0, 'the front below a crew neck');
  assert.equal(opening[75 * w + 114], 0, 'the front beside the neck point: the curve rises to it');
  assert.equal(opening[62 * w + 100], 0, 'the shoulder outside the neck points');
});

test('no crew neck is assumed under a collar standing up from the neck points, nor on a level top edge', () => {
  const w = 300;
  const h = 300;
  // A turtleneck: a collar 60 px wide standing 40 px above the body, the neck points at its top corners.
  const turtleneck = new Uint8Array(w * h);
  for (let y = 20; y < 290; y++) for (let x = 50; x < 250; x++) if (y >= 60 || (x >= 120 && x < 180)) turtleneck[y * w + x] = 1;
  const collar = { neckLeft: { x: 120, y: 20 }, neckRight: { x: 179, y: 20 }, shoulderLeft: { x: 50, y: 75 }, shoulderRight: { x: 250, y: 75 } };
  assert.equal(assumedCrewOpening(turtleneck, w, h, collar), null, 'turtleneck');
  // An off-shoulder top: its top runs level from sleeve to sleeve.
  const { mask } = tee([252, 252, 252], 45);
  const level = { neckLeft: { x: 110, y: 60 }, neckRight: { x: 190, y: 60 }, shoulderLeft: { x: 50, y: 62 }, shoulderRight: { x: 250, y: 62 } };
  assert.equal(assumedCrewOpening(mask, w, h, level), null, 'off-shoulder');
  // A camisole: its "neck points" are the bodice's top corners, nearly as far apart as its sides.
  const cami = { neckLeft: { x: 60, y: 60 }, neckRight: { x: 240, y: 60 }, shoulderLeft: { x: 50, y: 75 }, shoulderRight: { x: 250, y: 75 } };
  assert.equal(assumedCrewOpening(mask, w, h, cami), null, 'camisole');
});

test("an opening far deeper than a neckline that does not narrow to a V's point is cut back to a crew neck; a V is kept whole", () => {
  const w = 300;
  const h = 300;
  const landmarks = { neckLeft: { x: 110, y: 60 }, neckRight: { x: 190, y: 60 }, shoulderLeft: { x: 50, y: 75 }, shoulderRight: { x: 250, y: 75 } };
  // A tie-front blouse's slit read as the inside: 60 px wide, 100 px (1.25 neck widths) deep.
  const slit = new Uint8Array(w * h);
  for (let y = 60; y < 160; y++) for (let x = 120; x < 180; x++) slit[y * w + x] = 1;
  const cut = withinNeckline(slit, w, h, landmarks);
  assert.equal(cut[70 * w + 150], 1, 'the neckline at the top stays open');
  assert.equal(cut[120 * w + 150], 0, 'the front below a crew neck is the garment again');
  assert.equal(cut[150 * w + 150], 0, 'the slit\'s foot too');
  // A vest's V, as deep, narrowing to its point.
  const v = new Uint8Array(w * h);
  for (let y = 60; y < 160; y++) {
    const half = 40 * (1 - (y - 60) / 100);
    for (let x = Math.round(150 - half); x <= Math.round(150 + half); x++) v[y * w + x] = 1;
  }
  assert.equal(withinNeckline(v, w, h, landmarks), v, 'a V is its neckline');
  // A crew neck's opening is a neckline as it is.
  const crew = assumedCrewOpening(tee([252, 252, 252], 45).mask, w, h, landmarks)!;
  assert.equal(withinNeckline(crew, w, h, landmarks), crew);
});
