import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleeveFromMask } from '../../../src/engine/classic/placement/sleeve.ts';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { placeGarment, type TpsPiece } from '../../../src/engine/classic/placement/index.ts';
import type { GarmentAnalysis } from '../../../src/engine/classic/types.ts';
import { createMask, createRaster, type Mask } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from './figure.ts';

/** Fills a polygon (even-odd, pixel centres) into the mask with 255. */
function fillPolygon(mask: Mask, polygon: Array<[number, number]>): void {
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      let inside = false;
      for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
        const [xi, yi] = polygon[i];
        const [xj, yj] = polygon[j];
        if (yi > y + 0.5 !== yj > y + 0.5 && x + 0.5 < ((xj - xi) * (y + 0.5 - yi)) / (yj - yi) + xi) inside = !inside;
      }
      if (inside) mask.data[y * mask.width + x] = 255;
    }
  }
}

/** A long-sleeved top laid flat, its sleeves hanging down and out at a slant from shoulders wider than the armpits. */
function slantedLongSleeves(): GarmentAnalysis {
  const mask = createMask(400, 400);
  fillPolygon(mask, [[140, 80], [60, 300], [110, 310], [160, 140], [160, 330], [240, 330], [240, 140], [290, 310], [340, 300], [260, 80]]);
  const P = (x: number, y: number) => ({ x, y });
  return {
    category: 'upper_body',
    cutout: createRaster(400, 400, 4),
    mask,
    bbox: { x: 60, y: 80, width: 281, height: 251 },
    worn: false,
    wornOver: false,
    upper: {
      neckLeft: P(180, 80), neckRight: P(220, 80), neckDip: P(200, 100),
      shoulderLeft: P(140, 80), shoulderRight: P(260, 80),
      armpitLeft: P(160, 140), armpitRight: P(240, 140),
      hemLeft: P(160, 330), hemRight: P(240, 330),
      sleeveLeft: { shoulder: P(140, 80), armpit: P(160, 140), cuffOuter: P(60, 300), cuffInner: P(110, 310) },
      sleeveRight: { shoulder: P(260, 80), armpit: P(240, 140), cuffOuter: P(340, 300), cuffInner: P(290, 310) },
    },
    sleeve: 'long',
    sleeveLengthRatio: 1.9,
    lengthRatio: 250 / 120,
    palette: [[120, 100, 90]],
    timings: {},
  };
}

test('a short sleeve read from the mask ends at its cuff, not at the hem of a panel that flares past the armpit', () => {
  // A tee whose hem flares out past the armpits, short sleeves sloping out from the shoulders.
  const mask = createMask(400, 500);
  fillPolygon(mask, [
    [150, 40], [250, 40], // neckline
    [300, 60], [370, 120], [340, 150], [290, 130], // right sleeve: shoulder, cuff outer, cuff inner, armpit
    [305, 460], [95, 460], // hem, wider than the armpits
    [110, 130], [60, 150], [30, 120], [100, 60], // left sleeve
  ]);
  // Landmarks as the detector gives them on a ragged cuff: the cuff corners almost on one point.
  const left = { shoulder: { x: 100, y: 60 }, armpit: { x: 110, y: 130 }, cuffOuter: { x: 30, y: 120 }, cuffInner: { x: 32, y: 122 } };
  const panelInside = { x: 200, y: 300 };
  const read = sleeveFromMask(mask, left, panelInside, { x: 95, y: 460 });
  for (const cuff of [read.cuffOuter, read.cuffInner]) {
    assert.ok(cuff.y < 170, `cuff at y ${cuff.y}: the sleeve ends near the armpit's height`);
    assert.ok(cuff.x < 80, `cuff at x ${cuff.x}: at the sleeve's far end`);
  }
});

test('long sleeves hanging at a slant are drawn as sleeves: the panel beside the seam line\'s extension is not counted as theirs', () => {
  // Sleeves hanging down and out at a slant from shoulders wider than the armpits: each armhole
  // seam's line (shoulder → armpit) runs on down into the body panel, so its half-plane takes in
  // the panel's side below the armpit (38 % of the garment). Only what lies outside the side seam
  // (armpit → hem corner) is sleeve: 23 %.
  const garment = slantedLongSleeves();
  const placement = placeGarment(garment, measureBody(drawnPerson()), 'upper_body');
  const sleeves = placement.pieces.filter((p) => p.name.startsWith('sleeve')).map((p) => p.name).sort();
  assert.deepEqual(sleeves, ['sleeve-l', 'sleeve-r']);
});

test('a sleeve lies on the arm the photo shows where the pose puts the arm\'s axis off its middle: no flap beside it, no strip of arm outside it', () => {
  // The drawn figure's image-left arm (radius 11) hangs shoulder (105, 120) → elbow (90, 210) →
  // wrist (85, 290), 7 px clear of the torso. The pose's elbow and wrist are moved across the arm,
  // as on a turned torso's near arm, the silhouette staying where it is drawn.
  const armOuterX = (y: number): number => (y <= 210 ? 105 + ((90 - 105) * (y - 120)) / 90 : 90 + ((85 - 90) * (y - 210)) / 80) - FIGURE.armRadius;
  for (const shift of [6, -6]) {
    const person = drawnPerson();
    for (const k of person.pose.keypoints) if (k.name === 'right_elbow' || k.name === 'right_wrist') k.x += shift;
    const placement = placeGarment(slantedLongSleeves(), measureBody(person), 'upper_body');
    const sleeve = placement.pieces.find((p) => p.name === 'sleeve-l') as TpsPiece;
    // The outer edge's points half-way down the sleeve and on to the cuff (pairs: outer, inner).
    for (const p of sleeve.to.filter((_, i) => i % 2 === 0).slice(2)) {
      const off = armOuterX(p.y) - p.x;
      // Axis moved out (shift -6): a sleeve at its flat width about it stood off the arm.
      assert.ok(off <= 0.3 * FIGURE.armRadius + 1.5, `shift ${shift}: sleeve edge ${off.toFixed(1)} px off the arm at y ${p.y.toFixed(0)}`);
      // Axis moved in towards the torso (shift 6): a sleeve about it left the arm's outer side bare.
      assert.ok(off >= -1.5, `shift ${shift}: sleeve edge ${(-off).toFixed(1)} px inside the arm's outline at y ${p.y.toFixed(0)}`);
    }
  }
});
