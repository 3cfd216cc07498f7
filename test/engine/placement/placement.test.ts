import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceToSegment, measureBody } from '../../../src/engine/classic/body/index.ts';
import { fitHalf, placeGarment, type TpsPiece } from '../../../src/engine/classic/placement/index.ts';
import type { GarmentAnalysis, Point } from '../../../src/engine/classic/types.ts';
import { createMask, createRaster, type Mask } from '../../../src/imaging/raster.ts';
import { drawnPerson } from './figure.ts';
import { applyTps, fitTps } from '../../../src/engine/classic/warp/tps.ts';
import { inSleeve } from '../../../src/engine/classic/layers.ts';
import { saidFullLengthTrousers } from '../../../src/engine/classic/garment/classify.ts';

const P = (x: number, y: number) => ({ x, y });

/** A flat-lay T-shirt on a 400x400 photo: shoulders 120 px apart, short sleeves sticking out. */
function tshirt(sleeveLengthRatio = 0.35): GarmentAnalysis {
  const cuffX = 140 - 120 * sleeveLengthRatio;
  return {
    category: 'upper_body',
    cutout: createRaster(400, 400, 4),
    mask: createMask(400, 400),
    bbox: { x: 60, y: 80, width: 280, height: 260 },
    worn: false,
    wornOver: false,
    upper: {
      neckLeft: P(175, 80), neckRight: P(225, 80), neckDip: P(200, 105),
      shoulderLeft: P(140, 95), shoulderRight: P(260, 95),
      armpitLeft: P(145, 150), armpitRight: P(255, 150),
      hemLeft: P(145, 330), hemRight: P(255, 330),
      sleeveLeft: { shoulder: P(140, 95), armpit: P(145, 150), cuffOuter: P(cuffX - 10, 120), cuffInner: P(cuffX + 5, 160) },
      sleeveRight: { shoulder: P(260, 95), armpit: P(255, 150), cuffOuter: P(400 - cuffX + 10, 120), cuffInner: P(400 - cuffX - 5, 160) },
    },
    sleeve: 'short',
    sleeveLengthRatio,
    lengthRatio: 235 / 120,
    palette: [[200, 30, 30]],
    timings: {},
  };
}

test('fitHalf: never narrower than the body, loose garments keep half their excess', () => {
  assert.ok(fitHalf(50, 30) >= 50);
  assert.equal(Math.round(fitHalf(50, 52, 1)), 51);
  assert.ok(fitHalf(50, 100) > 70 && fitHalf(50, 100) < 100);
});

test('upper placement: shoulders land on the body shoulders, hem at the garment length, sleeves on the arms', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const placement = placeGarment(tshirt(), body, 'upper_body');
  const panel = placement.pieces[0] as TpsPiece;
  assert.equal(panel.kind, 'tps');
  assert.deepEqual(panel.to[0], body.shoulder.l);
  assert.deepEqual(panel.to[1], body.shoulder.r);
  // Length keeps the garment's proportion: shoulder→hem = 235 garment px * scale.
  const expectedHem = body.shoulder.l.y + 235 * placement.scale;
  assert.ok(Math.abs(placement.hemY - expectedHem) < 12, `hem ${placement.hemY} vs ${expectedHem}`);
  const sleeves = placement.pieces.filter((p) => p.name.startsWith('sleeve'));
  assert.equal(sleeves.length, 2);
  for (const sleeve of sleeves) {
    const arm = sleeve.name === 'sleeve-l' ? body.arm.l : body.arm.r;
    // The armhole seam lands on the body's shoulder and armpit.
    assert.deepEqual(sleeve.to[0], sleeve.name === 'sleeve-l' ? body.shoulder.l : body.shoulder.r);
    assert.deepEqual(sleeve.to[1], sleeve.name === 'sleeve-l' ? body.armpit.l : body.armpit.r);
    // A short sleeve's cuff ends above the elbow, on the arm's own side, and is wider than the arm.
    const [outer, inner] = sleeve.to.slice(-2);
    assert.ok(Math.max(outer.y, inner.y) < arm.joints[1].y + 5, `${sleeve.name} ends at ${outer.y}/${inner.y}, elbow ${arm.joints[1].y}`);
    const cuffMid = { x: (outer.x + inner.x) / 2, y: (outer.y + inner.y) / 2 };
    assert.ok(Math.sign(cuffMid.x - body.centreX(cuffMid.y)) === Math.sign(arm.joints[1].x - body.centreX(cuffMid.y)));
    assert.ok(Math.hypot(outer.x - inner.x, outer.y - inner.y) >= arm.radius * 2 * 0.95);
    // The outer edge is the one away from the body.
    assert.ok(Math.abs(outer.x - body.centreX(outer.y)) > Math.abs(inner.x - body.centreX(inner.y)));
  }
});

test('upper placement: a long sleeve runs down to the wrist and no further', () => {
  const body = measureBody(drawnPerson());
  const placement = placeGarment(tshirt(1.4), body, 'upper_body');
  const sleeve = placement.pieces.find((p) => p.name === 'sleeve-l');
  assert.ok(sleeve);
  const [outer, inner] = sleeve.to.slice(-2);
  const end = { x: (outer.x + inner.x) / 2, y: (outer.y + inner.y) / 2 };
  const wrist = body.arm.l.joints[2];
  assert.ok(Math.hypot(end.x - wrist.x, end.y - wrist.y) < 12, `sleeve end ${JSON.stringify(end)} wrist ${JSON.stringify(wrist)}`);
});

test('upper placement: on arms held out from the body the cuff runs across the arm, not from the armpit', () => {
  // Elbows out to the sides (hands towards the hips): the upper arm slopes outwards at ~45°.
  const body = measureBody(drawnPerson({ joints: { right_elbow: { x: 40, y: 180 }, right_wrist: { x: 95, y: 250 }, left_elbow: { x: 260, y: 180 }, left_wrist: { x: 205, y: 250 } } }));
  // A flat lay whose sleeves stick out at a slant: the top edge (shoulder→outer cuff) is twice
  // as long as the underarm seam (armpit→inner cuff).
  const garment = tshirt();
  garment.upper = {
    ...garment.upper!,
    sleeveLeft: { shoulder: P(140, 95), armpit: P(145, 150), cuffOuter: P(95, 118), cuffInner: P(125, 165) },
    sleeveRight: { shoulder: P(260, 95), armpit: P(255, 150), cuffOuter: P(305, 118), cuffInner: P(275, 165) },
  };
  const placement = placeGarment(garment, body, 'upper_body');
  for (const sleeve of placement.pieces.filter((p) => p.name.startsWith('sleeve')) as TpsPiece[]) {
    const arm = sleeve.name === 'sleeve-l' ? body.arm.l : body.arm.r;
    const [joint, elbow] = arm.joints;
    const len = Math.hypot(elbow.x - joint.x, elbow.y - joint.y);
    const along = { x: (elbow.x - joint.x) / len, y: (elbow.y - joint.y) / len };
    const [outer, inner] = sleeve.to.slice(-2);
    const cuff = { x: outer.x - inner.x, y: outer.y - inner.y };
    const cuffLength = Math.hypot(cuff.x, cuff.y);
    // Across the arm: the cuff's component along the arm is small next to its length.
    assert.ok(Math.abs(cuff.x * along.x + cuff.y * along.y) < 0.35 * cuffLength, `${sleeve.name} cuff ${JSON.stringify([outer, inner])}`);
    // And the sleeve has left the armpit: its underarm end lies down the arm.
    const armpit = sleeve.to[1];
    assert.ok(Math.hypot(inner.x - armpit.x, inner.y - armpit.y) > arm.radius, `${sleeve.name} underarm ${JSON.stringify(inner)} armpit ${JSON.stringify(armpit)}`);
  }
});

test('upper placement: on an arm held out with its forearm raised the sleeve keeps its top edge on one side of the arm round the elbow', () => {
  // Upper arms held out level, forearms raised straight up from the elbows.
  const body = measureBody(drawnPerson({ joints: { right_elbow: { x: 35, y: 125 }, right_wrist: { x: 40, y: 45 }, left_elbow: { x: 265, y: 125 }, left_wrist: { x: 260, y: 45 } } }));
  const placement = placeGarment(tshirt(1.4), body, 'upper_body');
  const sleeves = placement.pieces.filter((p) => p.name.startsWith('sleeve')) as TpsPiece[];
  assert.equal(sleeves.length, 2);
  for (const sleeve of sleeves) {
    const arm = sleeve.name === 'sleeve-l' ? body.arm.l : body.arm.r;
    const [joint, elbow, wrist] = arm.joints;
    const cross = (a: Point, b: Point, p: Point): number => (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    // Which side of the arm's axis (the bone nearest it) each sample's top-edge point lies on, and
    // how far apart the sample's two edges are.
    const sides: number[] = [];
    for (let i = 2; i < sleeve.to.length; i += 2) {
      const outer = sleeve.to[i];
      const inner = sleeve.to[i + 1];
      const mid = { x: (outer.x + inner.x) / 2, y: (outer.y + inner.y) / 2 };
      const onForearm = distanceToSegment(mid, elbow, wrist) < distanceToSegment(mid, joint, elbow);
      const [a, b] = onForearm ? [elbow, wrist] : [joint, elbow];
      sides.push(Math.sign(cross(a, b, outer) - cross(a, b, inner)));
      assert.ok(Math.hypot(outer.x - inner.x, outer.y - inner.y) >= arm.radius, `${sleeve.name} sample ${i / 2} collapses to ${JSON.stringify([outer, inner])}`);
    }
    assert.ok(sides.every((side) => side === sides[0] && side !== 0), `${sleeve.name} top edge sides ${sides.join(',')}`);
  }
});

test('lower placement: trousers follow the legs and stop at the ankles', () => {
  const body = measureBody(drawnPerson());
  const placement = placeGarment(trousersWithHems([130, 185], [215, 270]), body, 'lower_body');
  // Standing straight: one spline over the whole pair.
  assert.equal(placement.pieces.length, 1);
  const piece = placement.pieces[0] as TpsPiece;
  const ankleY = Math.max(body.leg.l.joints[2].y, body.leg.r.joints[2].y);
  assert.ok(placement.hemY <= ankleY + body.torsoLength * 0.07, `hem ${placement.hemY} ankle ${ankleY}`);
  // The waistband corners lie on either side of the body centre, above the hip joints.
  const waistL = piece.to[0];
  const waistR = piece.to[piece.to.length - 1];
  assert.ok(waistL.x < body.centreX(waistL.y) && waistR.x > body.centreX(waistR.y));
  assert.ok(waistL.y < body.hip.l.y);
});

test('upper placement: a collar that rests on the shoulders rises to the collar line the photo shows', () => {
  // Shoulder joints 40 px below the torso's top edge (a close-up with sloping shoulders): scaled
  // from the joints alone, the tee's collar would sit well below the old top's and bare a band of shoulder.
  const person = drawnPerson({ joints: { left_shoulder: { x: 195, y: 152 }, right_shoulder: { x: 105, y: 152 } } });
  const body = measureBody(person);
  const panel = placeGarment(tshirt(), body, 'upper_body').pieces[0] as TpsPiece;
  const [neckL, neckR, dip] = panel.to.slice(2, 5);
  for (const side of [neckL, neckR]) {
    const top = body.collarY(side.x);
    assert.ok(top !== undefined, 'the collar line is seen beside the neck');
    assert.ok(Math.abs(side.y - top) <= 1, `collar side at ${side.y}, shoulders' top at ${top}`);
  }
  assert.ok(dip.y > neckL.y && dip.y > neckR.y, 'the neckline still dips in front');
  // On a figure whose joints sit where the proportions expect, the collar stays where the scale puts it.
  const usual = measureBody(drawnPerson());
  const usualPanel = placeGarment(tshirt(), usual, 'upper_body').pieces[0] as TpsPiece;
  assert.ok(usualPanel.to[2].y <= 112 + 1 && usualPanel.to[2].y >= 100, `collar side ${usualPanel.to[2].y}`);
});

/** A flat-lay tank top (a vest, a jersey): straps whose outer ends are 100 px apart, armholes down to a chest 140 px wide, no sleeves. */
function tankTop(): GarmentAnalysis {
  const tee = tshirt();
  return {
    ...tee,
    upper: {
      neckLeft: P(178, 70), neckRight: P(222, 70), neckDip: P(200, 140),
      shoulderLeft: P(150, 82), shoulderRight: P(250, 82),
      armpitLeft: P(130, 175), armpitRight: P(270, 175),
      hemLeft: P(132, 330), hemRight: P(268, 330),
    },
    sleeve: 'none',
    sleeveLengthRatio: 0,
    lengthRatio: 248 / 100,
  };
}

test('upper placement: a sleeveless top hangs from straps above the shoulder joints and is sized by the chest, not over the arms', () => {
  const body = measureBody(drawnPerson());
  const placement = placeGarment(tankTop(), body, 'upper_body');
  const panel = placement.pieces[0] as TpsPiece;
  const [jointL, jointR] = [body.arm.l.joints[0], body.arm.r.joints[0]];
  // The straps' ends and the armholes' bottoms lie within the shoulder joints: the outer shoulder
  // points past them are the deltoids, which the armholes leave bare.
  const [strapL, strapR] = panel.to;
  assert.ok(strapL.x >= jointL.x - 0.5 && strapR.x <= jointR.x + 0.5, `straps at ${strapL.x}, ${strapR.x}; joints ${jointL.x}, ${jointR.x}`);
  assert.ok(strapL.x > body.shoulder.l.x && strapR.x < body.shoulder.r.x);
  const [armpitL, armpitR] = panel.to.slice(5, 7);
  assert.ok(armpitL.x >= jointL.x - 0.5 && armpitR.x <= jointR.x + 0.5, `armholes end at ${armpitL.x}, ${armpitR.x}`);
  // The straps sit on the shoulders' top.
  for (const strap of [strapL, strapR]) assert.ok(Math.abs(strap.y - body.topContour(strap.x, strap.y)) <= 1);
  // Sized from the chest: its flat chest at most 1.35 of the torso's (a sleeved top may be 1.7).
  const [l, r] = body.torsoSpan(body.armpit.l.y);
  const chest = Math.min(r - l, jointR.x - jointL.x);
  assert.ok((140 * placement.scale) / chest <= 1.35 + 1e-6, `chest ${((140 * placement.scale) / chest).toFixed(2)} of the torso's`);
});

test("upper placement: forearms, hands or a table across the hips in the silhouette do not widen a top past the torso's breadth", () => {
  // The person's silhouette across the whole photo over the hip rows (a table's edge, papers on
  // it); the arms held out at the shoulders' height, clear of those rows.
  const person = drawnPerson({ joints: { left_elbow: P(255, 125), right_elbow: P(45, 125), left_wrist: P(295, 128), right_wrist: P(5, 128) } });
  const { width } = person.personMask;
  for (let y = 240; y < 300; y++) for (let x = 0; x < width; x++) person.personMask.data[y * width + x] = 255;
  const body = measureBody(person);
  const placement = placeGarment(tshirt(), body, 'upper_body');
  const panel = placement.pieces[0] as TpsPiece;
  const breadth = Math.max(body.shoulderWidth, body.torsoLength / 1.2);
  // Side seams and hem (after the shoulders, neck, armpits and the two seam points).
  const garmentHalf = (110 / 2) * placement.scale;
  const widest = fitHalf(0.6 * breadth, garmentHalf);
  const sides = panel.to.slice(7, 13);
  assert.ok(sides.some((p) => p.y >= 240), 'a side point lies over the hips');
  for (const p of sides) {
    const cx = body.centreX(Math.min(p.y, body.hip.l.y));
    assert.ok(Math.abs(p.x - cx) <= widest + 1, `side at ${p.x.toFixed(1)}, ${(Math.abs(p.x - cx)).toFixed(1)} from the centre (at most ${widest.toFixed(1)})`);
  }
});

test("upper placement: on a turned body the top's sides follow the body's own edges, not the wider side mirrored", () => {
  // A three-quarter view: the joints' centre line (x 165) lies right of the torso's middle (x 150),
  // so the torso spans 57 px to its left and 27 px to its right.
  const person = drawnPerson({
    joints: { left_shoulder: { x: 210, y: 120 }, right_shoulder: { x: 120, y: 120 }, left_hip: { x: 195, y: 290 }, right_hip: { x: 135, y: 290 } },
  });
  const body = measureBody(person);
  const placement = placeGarment(tshirt(), body, 'upper_body');
  const panel = placement.pieces[0] as TpsPiece;
  const torsoRight = 192;
  const torsoLeft = 108;
  // The armpits and the side seams down to the hips (every panel point between those rows; below
  // the hips the garment hangs over the legs).
  const sides = panel.to.filter((p) => p.y > body.armpit.l.y - 1 && p.y < body.hip.l.y && Math.abs(p.x - body.centreX(p.y)) > 10);
  assert.ok(sides.length >= 4, `${sides.length} side points`);
  const ease = body.shoulderWidth * 0.12;
  for (const p of sides) {
    assert.ok(p.x <= torsoRight + ease, `a side point at x ${p.x.toFixed(1)} stands past the torso's right edge (${torsoRight})`);
    assert.ok(p.x >= torsoLeft - ease, `a side point at x ${p.x.toFixed(1)} stands past the torso's left edge (${torsoLeft})`);
  }
});

test('upper placement: below the hips a long top hangs evenly about the centre line, however the legs stand', () => {
  // One leg steps out to the side: the legs span far more on that side of the centre line.
  const person = drawnPerson({ joints: { left_knee: { x: 230, y: 420 }, left_ankle: { x: 260, y: 550 } } });
  const body = measureBody(person);
  const long = tshirt();
  long.upper!.hemLeft = P(145, 430);
  long.upper!.hemRight = P(255, 430);
  long.lengthRatio = 335 / 120;
  const panel = placeGarment(long, body, 'upper_body').pieces[0] as TpsPiece;
  const belowHips = panel.to.filter((p) => p.y > body.hip.l.y + 10);
  assert.ok(belowHips.length >= 2, `${belowHips.length} points below the hips`);
  const rows = new Map<number, number[]>();
  for (const p of belowHips) rows.set(Math.round(p.y), [...(rows.get(Math.round(p.y)) ?? []), p.x]);
  for (const [y, xs] of rows) {
    if (xs.length !== 2) continue;
    const middle = (xs[0] + xs[1]) / 2;
    assert.ok(Math.abs(middle - body.centreX(y)) < 2, `row ${y}: the hem's middle ${middle.toFixed(1)} is off the centre line ${body.centreX(y).toFixed(1)}`);
  }
});

test('upper placement: the hem lies on the hips, level under level hips however the shoulders tilt', () => {
  // Shoulders tilted by a lean (30 px over 90), hips level.
  const person = drawnPerson({ joints: { left_shoulder: { x: 195, y: 135 }, right_shoulder: { x: 105, y: 105 } } });
  const body = measureBody(person);
  const panel = placeGarment(tshirt(), body, 'upper_body').pieces[0] as TpsPiece;
  assert.ok(Math.abs(panel.to[0].y - panel.to[1].y) > 20, 'the shoulders keep their tilt');
  // The hem's corners: the two lowest panel points off the centre line.
  const sides = panel.to.filter((p) => Math.abs(p.x - body.centreX(p.y)) > 10).sort((a, b) => b.y - a.y);
  const [a, b] = sides;
  assert.ok(Math.abs(a.x - b.x) > 40, 'one corner each side');
  const slope = Math.abs(a.y - b.y) / Math.abs(a.x - b.x);
  assert.ok(slope < 0.05, `the hem runs level under level hips (slope ${slope.toFixed(3)})`);
});

/** The tee with the inside of its back cut out as a crew neck: a U 70 px across at y 80 and 30 px deep. */
function teeWithCrewOpening(): { tee: GarmentAnalysis; opening: Mask } {
  const tee = tshirt();
  const opening = createMask(400, 400);
  for (let y = 80; y <= 110; y++) {
    const half = 35 * Math.sqrt(1 - ((y - 80) / 31) ** 2);
    for (let x = Math.round(200 - half); x <= Math.round(200 + half); x++) opening.data[y * 400 + x] = 255;
  }
  tee.neckOpening = opening;
  return { tee, opening };
}

test("upper placement: a flat lay's wide neck opening is worn narrower, wrapped round the neck, but never narrower than the neck", () => {
  // The inside of the back seen through a crew neck: 70 px of the tee's 120 px shoulders, a U 30 px
  // deep (flat lays' openings span 0.5-0.65 of their shoulders; a body's neck about a third).
  const { tee, opening } = teeWithCrewOpening();
  const body = measureBody(drawnPerson());
  const placement = placeGarment(tee, body, 'upper_body');
  const panel = placement.pieces[0] as TpsPiece;
  const onBody = fitTps(panel.from, panel.to);
  // The opening's widest span on the body, row by row of the garment.
  let widest = 0;
  for (let y = 80; y <= 110; y++) {
    let x0 = -1;
    let x1 = -1;
    for (let x = 0; x < 400; x++) {
      if (!opening.data[y * 400 + x]) continue;
      if (x0 < 0) x0 = x;
      x1 = x;
    }
    widest = Math.max(widest, applyTps(onBody, { x: x1, y }).x - applyTps(onBody, { x: x0, y }).x);
  }
  const neckWidth = body.neck.r.x - body.neck.l.x;
  const flatWidth = 70 * placement.scale;
  assert.ok(widest < 1.5 * neckWidth && widest < 0.85 * flatWidth, `opening ${widest.toFixed(1)} px on a ${neckWidth.toFixed(1)} px neck (flat ${flatWidth.toFixed(1)})`);
  assert.ok(widest >= neckWidth - 1, `opening ${widest.toFixed(1)} px narrower than the ${neckWidth.toFixed(1)} px neck`);
});

/**
 * How far below the opening's left corner (166, 80) its lowest point (200, bottomY) lies on the
 * drawn person, worn, as a share of its flat drop scaled to the person.
 */
function wornDropShare(tee: GarmentAnalysis, bottomY: number): number {
  const placement = placeGarment(tee, measureBody(drawnPerson()), 'upper_body');
  const panel = placement.pieces[0] as TpsPiece;
  const onBody = fitTps(panel.from, panel.to);
  const corner = applyTps(onBody, { x: 166, y: 80 });
  const bottom = applyTps(onBody, { x: 200, y: bottomY });
  return (bottom.y - corner.y) / ((bottomY - 80) * placement.scale);
}

test("upper placement: a crew neck's opening dips less below the neck's sides worn than it lies flat", () => {
  // The same 70 px wide, 30 px deep U: worn, its bottom lies three quarters of its scaled flat
  // drop below the corners (kept whole, every crew neck was worn as a scoop down to the sternum).
  const share = wornDropShare(teeWithCrewOpening().tee, 110);
  assert.ok(share < 0.85 && share > 0.6, `worn drop ${share.toFixed(2)} of the flat drop`);
});

test("upper placement: a V neckline as deep as it is wide keeps its whole drop worn", () => {
  // A vest's V: 70 px across at the top, its point 70 px below.
  const tee = tshirt();
  const opening = createMask(400, 400);
  for (let y = 80; y <= 150; y++) {
    const half = 35 * (1 - (y - 80) / 71);
    for (let x = Math.round(200 - half); x <= Math.round(200 + half); x++) opening.data[y * 400 + x] = 255;
  }
  tee.neckOpening = opening;
  const share = wornDropShare(tee, 150);
  assert.ok(share > 0.9, `worn drop ${share.toFixed(2)} of the flat drop`);
});

/** Flat-lay trousers: waistband 120 px across at y 40, crotch at (200, crotchY), legs 55 px wide at the hem (y 390), drawn as a mask. */
function drawnTrousers(crotchY: number): GarmentAnalysis {
  const mask = createMask(400, 400);
  for (let y = 40; y <= 390; y++) {
    const t = (y - 40) / 350;
    const outerL = Math.round(140 - 10 * t);
    const outerR = Math.round(260 + 10 * t);
    // Below the crotch the legs part: each narrows from half the waistband to 55 px at the hem.
    const legT = Math.max(0, (y - crotchY) / (390 - crotchY));
    const leg = y <= crotchY ? Infinity : Math.round(200 - outerL + (55 - (200 - outerL)) * legT);
    for (let x = outerL; x <= outerR; x++) {
      if (x - outerL <= leg || outerR - x <= leg) mask.data[y * 400 + x] = 255;
    }
  }
  return {
    ...tshirt(),
    category: 'lower_body',
    mask,
    upper: undefined,
    lowerKind: 'trousers',
    lower: {
      waistLeft: P(140, 40), waistRight: P(260, 40), crotch: P(200, crotchY),
      hemLeft: P(130, 390), hemRight: P(270, 390),
      legLeft: { outer: P(130, 390), inner: P(185, 390) },
      legRight: { outer: P(270, 390), inner: P(215, 390) },
    },
  };
}

test('lower placement: the crotch hangs no lower than the gap the photo shows between the legs', () => {
  const body = measureBody(drawnPerson());
  // The drawn figure's legs part below its torso box (y 300).
  assert.ok(body.crotchY !== undefined && Math.abs(body.crotchY - 301) <= 2, `crotch seen at ${body.crotchY}`);
  // A long rise: scaled by the waistband's width, its crotch would land far down the thighs.
  const piece = placeGarment(drawnTrousers(260), body, 'lower_body').pieces[0] as TpsPiece;
  const crotch = piece.to[2];
  assert.ok(crotch.y <= body.crotchY + 0.03 * body.torsoLength + 0.5, `crotch placed at ${crotch.y}, seen at ${body.crotchY}`);
  // Where the photo shows no gap (a long skirt over the legs), nothing bounds it.
  const skirted = drawnPerson();
  for (let y = 290; y < 450; y++) for (let x = 90; x < 210; x++) skirted.personMask.data[y * 300 + x] = 255;
  assert.equal(measureBody(skirted).crotchY, undefined);
});

/** Trousers landmarks: waistband 120 px across at y 40, crotch at (200, 150), leg openings at y 390 with the given x spans. */
function trousersWithHems(left: [number, number], right: [number, number]): GarmentAnalysis {
  return {
    ...tshirt(),
    category: 'lower_body',
    upper: undefined,
    lowerKind: 'trousers',
    lower: {
      waistLeft: P(140, 40), waistRight: P(260, 40), crotch: P(200, 150),
      hemLeft: P(left[0], 390), hemRight: P(right[1], 390),
      legLeft: { outer: P(left[0], 390), inner: P(left[1], 390) },
      legRight: { outer: P(right[1], 390), inner: P(right[0], 390) },
    },
  };
}

test('lower placement: hems lying against each other in the photo are drawn leg by leg, each from its own half', () => {
  const body = measureBody(drawnPerson());
  // Flares whose hems touch in the middle: no backdrop between them to stretch across the ankles.
  const placement = placeGarment(trousersWithHems([100, 199], [201, 300]), body, 'lower_body');
  assert.deepEqual(placement.pieces.map((p) => p.name), ['leg-l', 'leg-r']);
  for (const piece of placement.pieces) assert.ok('only' in piece.source, `${piece.name} draws only its half`);
  // Its half and a narrow band past the centre line (x 200), so that the two legs' splines leave
  // no slit down the fly; not the other leg.
  const [left, right] = placement.pieces.map((p) => ('only' in p.source ? p.source.only : null));
  assert.ok(left && right);
  assert.equal(inSleeve(left, 201, 100), true);
  assert.equal(inSleeve(right, 199, 100), true);
  assert.equal(inSleeve(left, 215, 100), false);
  assert.equal(inSleeve(right, 185, 100), false);
  // Hems well apart: one spline over the pair, as before.
  assert.equal(placeGarment(trousersWithHems([130, 185], [215, 270]), body, 'lower_body').pieces.length, 1);
});

test("lower placement: wide legs on legs standing close meet between the legs, their inner edges never cross", () => {
  const body = measureBody(drawnPerson());
  // Palazzo legs 120 px wide at the hem, hems 40 px apart (one spline over the pair): wider than
  // the room between the ankles.
  const placement = placeGarment(trousersWithHems([60, 180], [220, 340]), body, 'lower_body');
  assert.equal(placement.pieces.length, 1);
  const { to } = placement.pieces[0] as TpsPiece;
  // Targets: waistband corner, centre, crotch, then per leg sample an outer and an inner point
  // (three samples, the hem last), the other leg's six, and its waistband corner.
  const hems = [{ outer: to[7], inner: to[8] }, { outer: to[13], inner: to[14] }];
  const ankles = [body.leg.l.joints[2], body.leg.r.joints[2]];
  const middle = (ankles[0].x + ankles[1].x) / 2;
  for (const { outer, inner } of hems) {
    const ownSide = Math.sign(outer.x - middle);
    assert.ok((inner.x - middle) * ownSide >= -0.5, `inner hem ${inner.x.toFixed(1)} past the middle ${middle} from its side`);
  }
});

test("lower placement: trousers reach as far down the leg as their inseam is long for their waistband, whatever the waist's scale", () => {
  // The waistband's scale alone (the drawn figure's waist, 0.72 of the flat lay's) put the hem of
  // full-length trousers a third of the shin above the ankles.
  const body = measureBody(drawnPerson());
  const ankleY = Math.max(body.leg.l.joints[2].y, body.leg.r.joints[2].y);
  const kneeY = Math.max(body.leg.l.joints[1].y, body.leg.r.joints[1].y);
  // Full length: an inseam of 2 waistband widths (120 px waistband, crotch at 150, hems at 390).
  const full = placeGarment(trousersWithHems([130, 185], [215, 270]), body, 'lower_body');
  assert.ok(full.hemY >= ankleY - 0.05 * body.torsoLength, `full-length hem ${full.hemY.toFixed(0)}, ankles at ${ankleY}`);
  // Cropped (1.1 waistband widths, hems at 282): between the knees and the ankles.
  const cropped: GarmentAnalysis = trousersWithHems([130, 185], [215, 270]);
  const lm = cropped.lower!;
  for (const p of [lm.hemLeft, lm.hemRight, lm.legLeft!.outer, lm.legLeft!.inner, lm.legRight!.outer, lm.legRight!.inner]) p.y = 282;
  const short = placeGarment(cropped, body, 'lower_body');
  assert.ok(short.hemY > kneeY && short.hemY < ankleY - 0.15 * body.torsoLength, `cropped hem ${short.hemY.toFixed(0)}, knees at ${kneeY}, ankles at ${ankleY}`);
});

test('lower placement: a leg bent well at the knee is drawn as a thigh and a shin that meet at the knee, each from its side of the knee', () => {
  // The image-right leg raised: thigh out to the side, shin hanging down from the knee (a bend of about 70°).
  const body = measureBody(drawnPerson({ joints: { left_knee: { x: 250, y: 360 }, left_ankle: { x: 250, y: 490 } } }));
  const placement = placeGarment(trousersWithHems([130, 185], [215, 270]), body, 'lower_body');
  const names = placement.pieces.map((p) => p.name);
  const thigh = placement.pieces.find((p) => p.name.endsWith('-thigh')) as TpsPiece | undefined;
  const shin = placement.pieces.find((p) => p.name.endsWith('-shin')) as TpsPiece | undefined;
  assert.ok(thigh && shin, `pieces ${names.join(', ')}`);
  // They meet along the knee's line: the thigh's last pair of targets is the shin's first.
  assert.deepEqual(thigh.to.slice(-2), shin.to.slice(0, 2));
  assert.deepEqual(thigh.from.slice(-2), shin.from.slice(0, 2));
  // The knee's line lies at the body's knee, and each draws only its own half of the garment too.
  const knee = body.leg.l.joints[1].x > body.leg.r.joints[1].x ? body.leg.l.joints[1] : body.leg.r.joints[1];
  const kneeMid = { x: (shin.to[0].x + shin.to[1].x) / 2, y: (shin.to[0].y + shin.to[1].y) / 2 };
  assert.ok(Math.hypot(kneeMid.x - knee.x, kneeMid.y - knee.y) < 2, `knee line through ${JSON.stringify(kneeMid)}, knee ${JSON.stringify(knee)}`);
  for (const piece of [thigh, shin]) assert.ok('only' in piece.source && piece.source.within, `${piece.name} draws its side of the knee within its half`);
  // The straight leg stays one piece.
  assert.equal(placement.pieces.length, 3);
});

test('lower placement: with the knees up level with the hips (crouched, seated) the crotch stays above them', () => {
  const body = measureBody(drawnPerson({ joints: { left_knee: { x: 215, y: 320 }, right_knee: { x: 85, y: 320 }, left_ankle: { x: 215, y: 450 }, right_ankle: { x: 85, y: 450 } } }));
  const hipY = Math.max(body.leg.l.joints[0].y, body.leg.r.joints[0].y);
  const kneeY = Math.min(body.leg.l.joints[1].y, body.leg.r.joints[1].y);
  for (const piece of placeGarment(trousersWithHems([130, 185], [215, 270]), body, 'lower_body').pieces as TpsPiece[]) {
    if (piece.name.endsWith('-shin')) continue;
    const crotch = piece.to[2];
    assert.ok(crotch.y <= hipY + 0.35 * (kneeY - hipY) + 0.5, `${piece.name}: crotch at ${crotch.y.toFixed(1)}, hips at ${hipY}, knees at ${kneeY}`);
  }
});

/** A straight flat-lay skirt (waistband 120 px, hem 150 px wide at row 390) on a 400x400 photo. */
function straightSkirt(): GarmentAnalysis {
  return {
    ...tshirt(),
    category: 'lower_body',
    upper: undefined,
    lowerKind: 'skirt',
    lower: { waistLeft: P(140, 40), waistRight: P(260, 40), hemLeft: P(125, 390), hemRight: P(275, 390) },
  };
}

test('lower placement: a skirt hangs from the hips past a thigh pointing sideways (seated, a knee raised), not out to its knee', () => {
  // The image-left thigh points out to the side, a little below the hip (about 55° from the
  // vertical); the shin hangs back down from the knee.
  const body = measureBody(drawnPerson({ joints: { right_knee: { x: 5, y: 370 }, right_ankle: { x: 60, y: 480 } } }));
  const hipsHalf = (body.hip.r.x - body.hip.l.x) / 2;
  const centre = (body.hip.l.x + body.hip.r.x) / 2;
  const skirt = placeGarment(straightSkirt(), body, 'lower_body').pieces[0] as TpsPiece;
  // Its sides and hem stay within two hip half-widths of the centre line on both sides: taken out to
  // the raised knee, they ballooned the skirt over the backdrop on both sides.
  for (const p of skirt.to) assert.ok(Math.abs(p.x - centre) < 2 * hipsHalf, `skirt target ${p.x.toFixed(0)},${p.y.toFixed(0)}: centre ${centre}, hips ±${hipsHalf}`);
});

test('lower placement: a skirt over legs standing wide apart hangs at its own width, the legs come out from under its hem', () => {
  // A wide stance: the ankles ~220 px apart, far wider than the skirt's hem.
  const body = measureBody(drawnPerson({ joints: { left_knee: { x: 205, y: 420 }, right_knee: { x: 95, y: 420 }, left_ankle: { x: 260, y: 550 }, right_ankle: { x: 40, y: 550 } } }));
  const placement = placeGarment(straightSkirt(), body, 'lower_body');
  const skirt = placement.pieces[0] as TpsPiece;
  // to: the waistband's two corners, then three pairs of side points down to the hem.
  const [hemL, hemR] = skirt.to.slice(6, 8);
  const ownHalf = 75 * placement.scale;
  const centre = body.centreX(body.hip.l.y);
  // Taken out to the legs' spread, the hem reached the ankles (a trouser-like blob hiding both legs).
  for (const p of [hemL, hemR]) assert.ok(Math.abs(p.x - centre) < 1.3 * ownHalf, `hem at ${p.x.toFixed(0)}: centre ${centre.toFixed(0)}, own half-width ${ownHalf.toFixed(0)}`);
  // Still over the hips.
  assert.ok(hemL.x <= body.hip.l.x + 1 && hemR.x >= body.hip.r.x - 1);
});

test('dress placement: a long dress over legs standing wide apart hangs at its own width below the knees', () => {
  const P2 = P;
  const dress: GarmentAnalysis = {
    ...tshirt(),
    category: 'dresses',
    upper: undefined,
    sleeve: 'none',
    // A sleeveless maxi dress: shoulders 80 px apart, hem 120 px wide, 295 px below the shoulders.
    dress: {
      neckLeft: P2(185, 80), neckRight: P2(215, 80), neckDip: P2(200, 100), shoulderLeft: P2(160, 95), shoulderRight: P2(240, 95),
      armpitLeft: P2(163, 140), armpitRight: P2(237, 140), waistLeft: P2(170, 230), waistRight: P2(230, 230), hemLeft: P2(140, 390), hemRight: P2(260, 390),
    },
  };
  const body = measureBody(drawnPerson({ joints: { left_knee: { x: 220, y: 420 }, right_knee: { x: 80, y: 420 }, left_ankle: { x: 290, y: 550 }, right_ankle: { x: 10, y: 550 } } }));
  const placement = placeGarment(dress, body, 'dresses');
  const panel = placement.pieces[0] as TpsPiece;
  const hemAt = panel.from.findIndex((p) => p.x === 140 && p.y === 390);
  const [hemL, hemR] = [panel.to[hemAt], panel.to[hemAt + 1]];
  const kneeY = (body.leg.l.joints[1].y + body.leg.r.joints[1].y) / 2;
  assert.ok(hemL.y > kneeY, `hem at row ${hemL.y.toFixed(0)}, knees at ${kneeY}`);
  const ownHalf = 60 * placement.scale;
  const centre = body.centreX(body.hip.l.y);
  // Taken out to the legs' spread, the dress flared into a trouser-like blob hiding both legs.
  for (const p of [hemL, hemR]) assert.ok(Math.abs(p.x - centre) < 1.3 * ownHalf, `hem at ${p.x.toFixed(0)}: centre ${centre.toFixed(0)}, own half-width ${ownHalf.toFixed(0)}`);
});

test('lower placement: a bent leg\'s thigh and shin each draw a narrow band past the knee line, so no crack of the photo shows across the knee', () => {
  const body = measureBody(drawnPerson({ joints: { left_knee: { x: 250, y: 360 }, left_ankle: { x: 250, y: 490 } } }));
  const placement = placeGarment(trousersWithHems([130, 185], [215, 270]), body, 'lower_body');
  const thigh = placement.pieces.find((p) => p.name.endsWith('-thigh')) as TpsPiece;
  const shin = placement.pieces.find((p) => p.name.endsWith('-shin')) as TpsPiece;
  assert.ok(thigh && shin && 'only' in thigh.source && 'only' in shin.source);
  // The knee line in the garment photo: the shared pair of source points.
  const [outer, inner] = shin.from.slice(0, 2);
  const knee = { x: (outer.x + inner.x) / 2, y: (outer.y + inner.y) / 2 };
  const hem = { x: (shin.from[shin.from.length - 2].x + shin.from[shin.from.length - 1].x) / 2, y: (shin.from[shin.from.length - 2].y + shin.from[shin.from.length - 1].y) / 2 };
  const len = Math.hypot(hem.x - knee.x, hem.y - knee.y);
  const at = (d: number) => ({ x: knee.x + ((hem.x - knee.x) / len) * d, y: knee.y + ((hem.y - knee.y) / len) * d });
  // A pixel on the line, and one a pixel either side of it, is drawn by both pieces.
  for (const d of [-1, 0, 1]) {
    const p = at(d);
    assert.ok(inSleeve(thigh.source.only, p.x, p.y), `thigh draws ${d} px past the knee line`);
    assert.ok(inSleeve(shin.source.only, p.x, p.y), `shin draws ${-d} px before the knee line`);
  }
  // Not much further: each still draws its own side.
  assert.ok(!inSleeve(thigh.source.only, at(30).x, at(30).y));
  assert.ok(!inSleeve(shin.source.only, at(-30).x, at(-30).y));
});

test('lower placement: trousers said to be full length reach the ankles whatever their flat proportions say', () => {
  const body = measureBody(drawnPerson());
  // A wide drawstring waist laid flat: the inseam (crotch to hem, 240 px) only twice the
  // waistband's width (240 px), which measured alone reads as a cropped cut.
  const wide = trousersWithHems([120, 185], [215, 280]);
  wide.lower = { ...wide.lower!, waistLeft: P(80, 40), waistRight: P(320, 40) };
  const ankleY = Math.max(body.leg.l.joints[2].y, body.leg.r.joints[2].y);
  const measured = placeGarment(wide, body, 'lower_body');
  assert.ok(measured.hemY < ankleY - body.torsoLength * 0.2, `measured alone, cropped: hem ${measured.hemY}, ankle ${ankleY}`);
  const said = placeGarment({ ...wide, fullLength: true }, body, 'lower_body');
  assert.ok(said.hemY >= ankleY - body.torsoLength * 0.07, `said full length: hem ${said.hemY}, ankle ${ankleY}`);
});

test('saidFullLengthTrousers: trousers, pants, jeans with no word of a shorter cut', () => {
  assert.equal(saidFullLengthTrousers('taupe pinstripe wide drawstring trousers; flat on white'), true);
  assert.equal(saidFullLengthTrousers('ecru wide-leg jeans; flat on white'), true);
  assert.equal(saidFullLengthTrousers('washed-black straight cropped jeans with raw hem'), false);
  assert.equal(saidFullLengthTrousers('linen capri pants'), false);
  assert.equal(saidFullLengthTrousers('denim shorts'), false);
  assert.equal(saidFullLengthTrousers('pleated midi skirt'), false);
  assert.equal(saidFullLengthTrousers(undefined), false);
});
