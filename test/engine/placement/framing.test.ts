import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hipKeypoints, measureBody } from '../../../src/engine/classic/body/index.ts';
import { legsBent, placeGarment, type TpsPiece } from '../../../src/engine/classic/placement/index.ts';
import type { GarmentAnalysis } from '../../../src/engine/classic/types.ts';
import { createMask, createRaster } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from './figure.ts';

const P = (x: number, y: number) => ({ x, y });

/** A flat-lay top, shoulders 120 px apart, hem `length` px below the shoulder line. */
function top(length: number): GarmentAnalysis {
  return {
    category: 'upper_body',
    cutout: createRaster(400, 400, 4),
    mask: createMask(400, 400),
    bbox: { x: 60, y: 80, width: 280, height: length + 20 },
    worn: false,
    wornOver: false,
    upper: {
      neckLeft: P(175, 80), neckRight: P(225, 80), neckDip: P(200, 105),
      shoulderLeft: P(140, 95), shoulderRight: P(260, 95),
      armpitLeft: P(145, 150), armpitRight: P(255, 150),
      hemLeft: P(145, 95 + length), hemRight: P(255, 95 + length),
    },
    sleeve: 'none',
    sleeveLengthRatio: 0,
    lengthRatio: length / 120,
    palette: [[200, 30, 30]],
    timings: {},
  };
}

/** A flat-lay pair of trousers on a 400x400 photo: waistband 120 px wide, legs to row 390. */
function trousersFlatLay(lower: NonNullable<GarmentAnalysis['lower']> = {
  waistLeft: P(140, 40), waistRight: P(260, 40), crotch: P(200, 150),
  hemLeft: P(130, 390), hemRight: P(270, 390),
  legLeft: { outer: P(130, 390), inner: P(185, 390) },
  legRight: { outer: P(270, 390), inner: P(215, 390) },
}): GarmentAnalysis {
  return { ...top(300), category: 'lower_body', upper: undefined, lowerKind: 'trousers', lower };
}

test('hips a chest-up photo does not show are put below the shoulders at average proportions', () => {
  const person = drawnPerson({ hidden: ['left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle'] });
  const [lh, rh] = hipKeypoints(person.pose.keypoints);
  const ls = FIGURE.joints.left_shoulder;
  const rs = FIGURE.joints.right_shoulder;
  const joints = Math.hypot(ls.x - rs.x, ls.y - rs.y);
  const hipMidY = (lh.y + rh.y) / 2;
  assert.ok(Math.abs(hipMidY - ls.y - 1.45 * joints) < 2, `hips at ${hipMidY}`);
  // Each hip on its own shoulder's side, closer together than the shoulders.
  assert.ok(Math.sign(lh.x - 150) === Math.sign(ls.x - 150) && Math.sign(rh.x - 150) === Math.sign(rs.x - 150));
  assert.ok(Math.abs(lh.x - rh.x) < joints);
  // Seen hips are returned as they are.
  const seen = hipKeypoints(drawnPerson().pose.keypoints);
  assert.deepEqual([seen[0].x, seen[0].y], [FIGURE.joints.left_hip.x, FIGURE.joints.left_hip.y]);
  // One seen hip: the other mirrors it through the shoulders' centre line.
  const [oneL, oneR] = hipKeypoints(drawnPerson({ hidden: ['right_hip'] }).pose.keypoints);
  assert.equal(oneL.x, FIGURE.joints.left_hip.x);
  assert.ok(Math.abs(oneR.x - (ls.x + rs.x - FIGURE.joints.left_hip.x)) < 1e-9 && oneR.y === oneL.y);
});

test('a regular top reaches the hips on a long torso; a cropped one stays cropped', () => {
  // Hips far below the shoulders: a long-torsoed person.
  const body = measureBody(drawnPerson({ joints: { left_hip: P(180, 340), right_hip: P(120, 340), left_knee: P(178, 460), right_knee: P(122, 460) } }));
  const shoulderY = (body.shoulder.l.y + body.shoulder.r.y) / 2;
  const regular = placeGarment(top(180), body, 'upper_body');
  assert.ok(regular.hemY >= shoulderY + 0.9 * body.torsoLength, `regular hem ${regular.hemY}, hips ${shoulderY + body.torsoLength}`);
  // Rows above the armpits are not stretched: the shoulders stay where the cropped top's are.
  const panel = regular.pieces[0] as TpsPiece;
  const cropped = placeGarment(top(110), body, 'upper_body');
  assert.deepEqual(panel.to[0], (cropped.pieces[0] as TpsPiece).to[0]);
  assert.ok(cropped.hemY < shoulderY + 0.8 * body.torsoLength, `cropped hem ${cropped.hemY}`);
});

test('a cropped top meets the kept bottom\'s waistband when the old top hid the midriff', () => {
  const body = measureBody(drawnPerson());
  const shoulderY = (body.shoulder.l.y + body.shoulder.r.y) / 2;
  const waistband = shoulderY + 0.85 * body.torsoLength;
  const cropped = placeGarment(top(110), body, 'upper_body');
  assert.ok(cropped.hemY < waistband - 10, `without the hint the cropped hem ${cropped.hemY} stays above ${waistband}`);
  const met = placeGarment(top(110), body, 'upper_body', { hemFloorY: waistband });
  assert.ok(met.hemY >= waistband && met.hemY <= waistband + 0.05 * body.torsoLength, `hem ${met.hemY} vs waistband ${waistband}`);
  // The shoulders and armpits stay where they were: only the rows below the armpits stretch.
  const [a, b] = [cropped.pieces[0] as TpsPiece, met.pieces[0] as TpsPiece];
  assert.deepEqual(b.to.slice(0, 2), a.to.slice(0, 2));
  // A hem already below the waistband is not pulled up to it.
  const long = placeGarment(top(280), body, 'upper_body');
  assert.equal(placeGarment(top(280), body, 'upper_body', { hemFloorY: waistband }).hemY, long.hemY);
});

test('a bottom\'s waistband rises to where the old bottom began, keeping its scale and leg length', () => {
  const body = measureBody(drawnPerson());
  const plain = placeGarment(trousersFlatLay(), body, 'lower_body').pieces[0] as TpsPiece;
  const oldWaistbandY = body.hip.l.y - 0.32 * body.torsoLength;
  const raised = placeGarment(trousersFlatLay(), body, 'lower_body', { oldWaistbandY }).pieces[0] as TpsPiece;
  // Waistband corners (first two targets) at the old waistband, everything below them unmoved.
  assert.ok(Math.abs(raised.to[0].y - oldWaistbandY) < 1e-6 && Math.abs(raised.to[raised.to.length - 1].y - oldWaistbandY) < 1e-6);
  assert.ok(raised.to[0].y < plain.to[0].y - 10);
  assert.deepEqual(raised.to.slice(2, -1), plain.to.slice(2, -1));
  // Never above a high-waisted cut's natural waist: a bodice parsed as the old bottom is not followed.
  const bodice = placeGarment(trousersFlatLay(), body, 'lower_body', { oldWaistbandY: body.hip.l.y - 0.9 * body.torsoLength }).pieces[0] as TpsPiece;
  assert.ok(bodice.to[0].y >= body.hip.l.y - 0.4 * body.torsoLength - 1e-6, `waistband at ${bodice.to[0].y}`);
});

test('trouser legs stay within a few leg widths however wide the flat lay is', () => {
  const body = measureBody(drawnPerson());
  // Legs four times as wide as the waist's share: a scale no trouser has.
  const trousers = trousersFlatLay({
    waistLeft: P(160, 40), waistRight: P(240, 40), crotch: P(200, 120),
    hemLeft: P(20, 390), hemRight: P(380, 390),
    legLeft: { outer: P(20, 390), inner: P(190, 390) },
    legRight: { outer: P(380, 390), inner: P(210, 390) },
  });
  const piece = placeGarment(trousers, body, 'lower_body').pieces[0] as TpsPiece;
  const legRadius = body.leg.l.radius;
  // Leg points come in outer/inner pairs after the waistband's corner and centre and the crotch.
  for (let i = 3; i + 1 < piece.to.length; i += 2) {
    const width = Math.hypot(piece.to[i].x - piece.to[i + 1].x, piece.to[i].y - piece.to[i + 1].y);
    assert.ok(width <= 2 * legRadius * 2.5 + 1, `leg width ${width} vs leg radius ${legRadius}`);
  }
});

test('the waistband is bounded by the hip joints when the silhouette at the waist is wide (hands, a coat)', () => {
  // Arms held against the body read as a waist far wider than the hips.
  const person = drawnPerson();
  for (let y = 200; y < 300; y++) for (let x = 40; x < 260; x++) person.personMask.data[y * FIGURE.width + x] = 255;
  const body = measureBody(person);
  const trousers = trousersFlatLay();
  const piece = placeGarment(trousers, body, 'lower_body').pieces[0] as TpsPiece;
  const hipJoints = FIGURE.joints.left_hip.x - FIGURE.joints.right_hip.x;
  const waist = piece.to[piece.to.length - 1].x - piece.to[0].x;
  assert.ok(waist <= 2 * 0.9 * hipJoints * 1.03 + 1, `waist ${waist} vs hip joints ${hipJoints}`);
});

test('a regular top on narrow shoulders ends a little below the hips, a long-line one keeps its length', () => {
  const body = measureBody(drawnPerson());
  const shoulderY = (body.shoulder.l.y + body.shoulder.r.y) / 2;
  const regular = placeGarment(top(280), body, 'upper_body');
  assert.ok(regular.hemY <= shoulderY + 1.2 * body.torsoLength + 1, `regular hem ${regular.hemY}, limit ${shoulderY + 1.2 * body.torsoLength}`);
  assert.ok(regular.hemY >= shoulderY + 0.92 * body.torsoLength - 1);
  const tunic = placeGarment(top(320), body, 'upper_body');
  assert.ok(tunic.hemY > shoulderY + 1.3 * body.torsoLength, `tunic hem ${tunic.hemY}`);
});

test('a raised knee gives each trouser leg its own spline; straight legs share one', () => {
  const straight = measureBody(drawnPerson());
  // Left knee lifted forward and out: the thigh runs sideways.
  const raised = measureBody(drawnPerson({ joints: { left_knee: P(250, 330), left_ankle: P(255, 440) } }));
  assert.equal(legsBent(straight), false);
  assert.equal(legsBent(raised), true);
  const trousers = trousersFlatLay();
  assert.equal(placeGarment(trousers, straight, 'lower_body').pieces.length, 1);
  const b = placeGarment(trousers, raised, 'lower_body').pieces as TpsPiece[];
  // The raised leg, bent at the knee too, is drawn as its thigh and its shin (see placement.test.ts).
  assert.deepEqual(b.map((p) => p.name), ['leg-l', 'leg-r-thigh', 'leg-r-shin']);
  // Both legs share the waistband centre and the crotch.
  assert.deepEqual(b[0].to[1], b[1].to[1]);
  assert.deepEqual(b[0].to[2], b[1].to[2]);
  // The raised leg's opening follows its ankle; the other leg's stays at its own.
  const opening = (piece: TpsPiece) => {
    const [outer, inner] = piece.to.slice(-2);
    return { x: (outer.x + inner.x) / 2, y: (outer.y + inner.y) / 2 };
  };
  assert.ok(Math.hypot(opening(b[2]).x - 255, opening(b[2]).y - 440) < 30, `opening ${JSON.stringify(opening(b[2]))}`);
  assert.ok(Math.abs(opening(b[0]).x - FIGURE.joints.right_ankle.x) < 30, `other opening ${JSON.stringify(opening(b[0]))}`);
});

test('trousers on a pelvis turned towards profile keep their width and length, and their legs do not cross', () => {
  // Hips 8 px apart (the body turned sideways), the anatomical left hip image-left of the right
  // one while the knees are in the usual order: the hip order is noise.
  const turned = { left_hip: P(146, 290), right_hip: P(154, 290) };
  const body = measureBody(drawnPerson({ joints: turned }));
  const frontal = measureBody(drawnPerson());
  // The legs are taken in the knees' order: the image-left leg runs to the image-left knee.
  assert.ok(body.leg.l.joints[1].x < body.leg.r.joints[1].x, 'legs do not cross');
  assert.ok(body.leg.l.radius >= 0.7 * frontal.leg.l.radius, `thigh radius ${body.leg.l.radius} vs ${frontal.leg.l.radius}`);
  const piece = placeGarment(trousersFlatLay(), body, 'lower_body').pieces[0] as TpsPiece;
  const waistWidth = Math.abs(piece.to[1].x - piece.to[0].x);
  assert.ok(waistWidth >= 40, `waistband ${waistWidth} px wide`);
  // The hems reach the ankles (row 550), not the knees.
  const lowest = Math.max(...piece.to.map((p) => p.y));
  assert.ok(lowest >= 530, `hem at row ${lowest}`);
});
