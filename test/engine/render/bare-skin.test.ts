import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFloatMap, createMask, createRaster } from '../../../src/imaging/raster.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { measureBody, distanceToSegment } from '../../../src/engine/classic/body/index.ts';
import { armsAtHem, bareSkinModel, bodySkinTone, limbSkinTone, roundLimbs, seenForearms, shadeUnderGarment, sideLightFromFace, skinTextureSource } from '../../../src/engine/classic/render/bare-skin.ts';
import { SRGB_TO_LINEAR } from '../../../src/imaging/colour.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

/** Zone width (pixels with coverage ≥ 128) along the row through `y` near x0..x1. */
function zoneWidth(zone: { width: number; data: Uint8Array }, y: number, x0: number, x1: number): number {
  let n = 0;
  for (let x = x0; x <= x1; x++) if (zone.data[y * zone.width + x] >= 128) n++;
  return n;
}

/** The first and last pixel of full coverage along the row through `y` in x0..x1 (−1 when none). */
function fullRun(zone: { width: number; data: Uint8Array }, y: number, x0: number, x1: number): { lo: number; hi: number } {
  let lo = -1;
  let hi = -1;
  for (let x = x0; x <= x1; x++) {
    if (zone.data[y * zone.width + x] < 255) continue;
    if (lo < 0) lo = x;
    hi = x;
  }
  return { lo, hi };
}

/** The drawn figure's right sleeve, three times as wide as the arm, removed: everything within 30 px of the arm's axis. */
function wideSleeveRemoved(): ReturnType<typeof createMask> {
  const j = FIGURE.joints;
  const within = createMask(FIGURE.width, FIGURE.height);
  for (let y = 0; y < FIGURE.height; y++) {
    for (let x = 0; x < FIGURE.width; x++) {
      const p = { x, y };
      if (distanceToSegment(p, j.right_shoulder, j.right_elbow) < 30 || distanceToSegment(p, j.right_elbow, j.right_wrist) < 30) within.data[y * FIGURE.width + x] = 255;
    }
  }
  return within;
}

test('bare arm under a removed wide sleeve is drawn with anatomical width, tapering to the wrist', () => {
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  // A sleeve three times as wide as the arm is removed: everything within 30 px of the arm's axis.
  const within = wideSleeveRemoved();
  const { zone, shading } = bareSkinModel(body, within);
  const jointSpan = j.left_shoulder.x - j.right_shoulder.x;
  // Left of the torso box (x < 108), where only the arm can be skin.
  const upper = zoneWidth(zone, 165, 40, 106);
  const forearm = zoneWidth(zone, 250, 40, 106);
  assert.ok(upper <= 2 * 0.105 * jointSpan + 3, `upper arm ${upper} px wide`);
  assert.ok(forearm < upper, `forearm ${forearm} px should be narrower than upper arm ${upper} px`);
  assert.ok(forearm >= 6, `forearm ${forearm} px`);
  // Nothing far from the arm's axis is skin: that part of the sleeve becomes background.
  assert.equal(zone.data[250 * FIGURE.width + 60], 0);
  // Lit from the front: the axis is brighter than the silhouette.
  const axisX = Math.round(j.right_elbow.x + (j.right_wrist.x - j.right_elbow.x) * 0.5);
  const axis = shading.data[250 * FIGURE.width + axisX];
  let rim = 1;
  for (let x = axisX - 15; x < axisX; x++) if (zone.data[250 * FIGURE.width + x] > 0) { rim = shading.data[250 * FIGURE.width + x]; break; }
  assert.ok(axis > rim + 0.05, `axis ${axis} rim ${rim}`);
  // The silhouette is soft: some pixels have partial coverage.
  let soft = 0;
  for (let i = 0; i < zone.data.length; i++) if (zone.data[i] > 0 && zone.data[i] < 255) soft++;
  assert.ok(soft > 20, `soft rim pixels ${soft}`);
});

test('a bared arm the photo shows no skin of is lit as a limb: level over its middle, falling off at its silhouette', () => {
  const body = measureBody(drawnPerson());
  const within = wideSleeveRemoved();
  const { zone, shading } = bareSkinModel(body, within);
  // Across the forearm on row 250 (left of the torso box): its full-coverage run.
  const row = 250 * FIGURE.width;
  const { lo, hi } = fullRun(zone, 250, 40, 106);
  assert.ok(hi - lo >= 8, `run ${lo}..${hi}`);
  const centre = Math.round((lo + hi) / 2);
  const quarter = Math.round((hi - lo) / 4);
  const axis = shading.data[row + centre];
  // Within a few percent of the axis's light halfway to either silhouette...
  for (const x of [centre - quarter, centre + quarter]) assert.ok(shading.data[row + x] > 0.94 * axis, `x ${x}: ${shading.data[row + x]} against ${axis} on the axis`);
  // ...and falling off at the silhouette (the light model's blur softens the last pixels).
  for (const x of [lo, hi]) assert.ok(shading.data[row + x] < 0.85 * axis, `x ${x}: ${shading.data[row + x]} against ${axis} on the axis`);
  // The outermost pixel the zone covers at all on the outer side (away from the torso) keeps well
  // under the axis's light, as a real forearm's rim does: blurred with the rest of the light
  // model, the fall-off was mostly lost there (nearly 0.9 of the axis's light: a flat tube).
  let rim = lo;
  while (rim > 0 && zone.data[row + rim - 1] > 0) rim--;
  assert.ok(shading.data[row + rim] < 0.7 * axis, `rim x ${rim}: ${shading.data[row + rim]} against ${axis} on the axis`);
});

test('a forearm the photo shows bare sets the thickness of the arm bared above it', () => {
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  // The upper arm's wide sleeve is removed; the forearm below it shows as skin 10 px across (thin).
  const within = createMask(FIGURE.width, FIGURE.height);
  for (let y = 0; y < FIGURE.height; y++) {
    for (let x = 0; x < FIGURE.width; x++) if (distanceToSegment({ x, y }, j.right_shoulder, j.right_elbow) < 30) within.data[y * FIGURE.width + x] = 255;
  }
  const thinForearm = (x: number, y: number): boolean => distanceToSegment({ x, y }, j.right_elbow, j.right_wrist) <= 5;
  const seen = seenForearms(body, thinForearm);
  const right = body.arm.l.joints[0].x < body.arm.r.joints[0].x ? seen.l : seen.r;
  assert.ok(right !== null && right >= 4.5 && right <= 6.5, `seen forearm half-width ${right}`);
  // The arm's outer half (its inner side meets the chest's side): out from its axis (x 97 on row 165).
  const thin = zoneWidth(bareSkinModel(body, within, undefined, 0, seen).zone, 165, 40, 97);
  const unseen = zoneWidth(bareSkinModel(body, within).zone, 165, 40, 97);
  assert.ok(thin < unseen - 2, `upper arm's outer half ${thin} px with a thin bare forearm, ${unseen} px without`);
  // A forearm hidden by its sleeve says nothing.
  assert.deepEqual(seenForearms(body, () => false), { l: null, r: null });
});

test('bare skin is only ever inside the region it is given', () => {
  const body = measureBody(drawnPerson());
  const within = createMask(FIGURE.width, FIGURE.height);
  for (let y = 200; y < 240; y++) within.data.fill(255, y * FIGURE.width + 120, y * FIGURE.width + 180);
  const { zone } = bareSkinModel(body, within);
  let inside = 0;
  for (let i = 0; i < zone.data.length; i++) {
    if (!within.data[i]) assert.equal(zone.data[i], 0);
    else if (zone.data[i] === 255) inside++;
  }
  // The midriff between the torso's edges is skin.
  assert.ok(inside > 0.8 * 40 * 60, `midriff skin ${inside}`);
});

test('bared shoulders slope down from the neck to the shoulder joints, whatever square shoulders the old top had', () => {
  // The old shirt's boxy shoulders and collar line: rows 88-120 from x 100 to 200 (the face
  // aside) are the top, and it is bared there and over the chest down to row 160.
  const person = drawnPerson();
  const { width } = FIGURE;
  const within = createMask(width, FIGURE.height);
  for (let y = 88; y < 160; y++) {
    for (let x = 100; x <= 200; x++) {
      const i = y * width + x;
      if (y < 120 && person.parsing.labels[i] === PartLabel.Background) {
        person.parsing.labels[i] = PartLabel.UpperGarment;
        person.personMask.data[i] = 255;
      }
      if (person.parsing.labels[i] !== PartLabel.Face) within.data[i] = 255;
    }
  }
  const { zone } = bareSkinModel(measureBody(person), within);
  const at = (x: number, y: number): number => zone.data[y * width + x];
  // Over the shoulders, above the trapezius's slope (a joint span of 90 px: 0.1 of it above the
  // joint at row 120, rising by half of each pixel inwards), the old shirt's corner is not skin;
  // under the slope it is.
  assert.equal(at(118, 95), 0);
  assert.equal(at(182, 95), 0);
  assert.equal(at(118, 112), 255);
  // Right beside the neck (within 0.3 of the span of the middle), where a tilted neck stands, it stays skin.
  assert.equal(at(128, 95), 255);
  // Nor is the shirt's square corner out over the shoulder joint (the deltoid rounds it).
  assert.equal(at(102, 92), 0);
  // The neck's column and the chest stay skin.
  assert.equal(at(150, 100), 255);
  assert.equal(at(150, 140), 255);
  // The slope's edge is soft over a pixel or two, not a blur.
  let partial = 0;
  for (let y = 88; y < 120; y++) if (at(118, y) > 0 && at(118, y) < 255) partial++;
  assert.ok(partial >= 1 && partial <= 3, `soft pixels ${partial}`);
});

test('shadeUnderGarment: bare skin is shaded just under the garment\'s edge, and only there', () => {
  const body = measureBody(drawnPerson());
  const { width, height } = FIGURE;
  const garment = createMask(width, height);
  const skin = createMask(width, height);
  // A sleeve down to row 160 over an arm bared below it.
  for (let y = 100; y < 160; y++) for (let x = 80; x < 110; x++) garment.data[y * width + x] = 255;
  for (let y = 160; y < 260; y++) for (let x = 80; x < 110; x++) skin.data[y * width + x] = 255;
  const shading = createFloatMap(width, height);
  shading.data.fill(1);
  shadeUnderGarment(shading, skin, garment, body);
  const at = (x: number, y: number) => shading.data[y * width + x];
  assert.ok(at(95, 160) < 0.8, `right under the hem ${at(95, 160)}`);
  assert.ok(at(95, 162) > at(95, 160) && at(95, 170) > at(95, 162), 'lighter further down');
  assert.equal(at(95, 250), 1, 'far down the arm the light is untouched');
  assert.equal(at(95, 150), 1, 'the garment itself is not shaded');
  assert.equal(at(150, 160), 1, 'nothing off the bared skin');
});

test('side light: read off the face, it brightens the lit side of a bared limb and darkens the other', () => {
  // A face disc lit from the image's right: its right half brighter.
  const image = createRaster(200, 200, 3);
  const labels = new Uint8Array(200 * 200);
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < 200; x++) {
      if (Math.hypot(x - 100, y - 100) >= 40) continue;
      labels[y * 200 + x] = PartLabel.Face;
      image.data.set(x < 100 ? [150, 110, 90] : [225, 180, 155], (y * 200 + x) * 3);
    }
  }
  const light = sideLightFromFace(image, labels, PartLabel.Face, 100);
  assert.ok(light > 0.1 && light <= 0.25, `side light ${light}`);
  assert.equal(sideLightFromFace(image, new Uint8Array(200 * 200), PartLabel.Face, 100), 0, 'no face, no side light');
  // The same bared forearm, front-lit and side-lit: the right silhouette gains, the left loses.
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  const within = createMask(FIGURE.width, FIGURE.height);
  for (let y = 0; y < FIGURE.height; y++) {
    for (let x = 0; x < FIGURE.width; x++) if (distanceToSegment({ x, y }, j.right_elbow, j.right_wrist) < 30) within.data[y * FIGURE.width + x] = 255;
  }
  const front = bareSkinModel(body, within).shading;
  const side = bareSkinModel(body, within, undefined, light).shading;
  const axisX = Math.round((j.right_elbow.x + j.right_wrist.x) / 2);
  const at = (map: typeof front, x: number) => map.data[250 * FIGURE.width + x];
  assert.ok(at(side, axisX + 6) > at(front, axisX + 6), 'right side brighter');
  assert.ok(at(side, axisX - 6) < at(front, axisX - 6), 'left side darker');
});

test('bared skin that borders none takes the tone of the body skin the photo shows, not the face\'s', () => {
  // A pale, made-up face (the skin model) over tanned arms (0.7 of its light); the arms' upper halves are being bared.
  const person = drawnPerson();
  const { width } = FIGURE;
  const tan = [196, 146, 110];
  const bare = createMask(FIGURE.width, FIGURE.height);
  for (let i = 0; i < person.parsing.labels.length; i++) {
    if (person.parsing.labels[i] !== PartLabel.UpperArm) continue;
    person.image.data.set(tan, i * 3);
    if (Math.floor(i / width) < 220) bare.data[i] = 255;
  }
  // A stray garment pixel parsed as arm does not move the median.
  person.image.data.set([20, 20, 20], (250 * width + 215) * 3);
  const tone = bodySkinTone(person, bare);
  tone.rgb.forEach((v, c) => assert.ok(Math.abs(v - tan[c]) <= 2, `channel ${c}: ${v} vs ${tan[c]}`));
  // Body "skin" far darker than the face (a camel coat, gloves parsed as skin): the face's skin model.
  const dark = drawnPerson();
  for (let i = 0; i < dark.parsing.labels.length; i++) if (dark.parsing.labels[i] === PartLabel.UpperArm) dark.image.data.set([110, 60, 40], i * 3);
  assert.deepEqual(bodySkinTone(dark, createMask(FIGURE.width, FIGURE.height)).rgb, dark.skin.rgb);
  // Body skin in shade, a stop darker than the lit face (arms hanging by the body): a bared limb
  // takes its tone, not the face's (the chest, facing the light, keeps the face's).
  const shaded = drawnPerson();
  const shade: [number, number, number] = [160, 120, 98];
  for (let i = 0; i < shaded.parsing.labels.length; i++) if (shaded.parsing.labels[i] === PartLabel.UpperArm) shaded.image.data.set(shade, i * 3);
  const limb = limbSkinTone(shaded, createMask(FIGURE.width, FIGURE.height));
  assert.ok(limb, 'a shaded arm counts for the limbs');
  limb.forEach((v, c) => assert.ok(Math.abs(v - shade[c]) <= 2, `shaded channel ${c}: ${v} vs ${shade[c]}`));
  assert.deepEqual(bodySkinTone(shaded, createMask(FIGURE.width, FIGURE.height)).rgb, shaded.skin.rgb);
  assert.equal(limbSkinTone(dark, createMask(FIGURE.width, FIGURE.height)), null, 'a coat parsed as skin does not count for the limbs either');
  // Too little body skin in view (all of it being bared): the face's skin model.
  bare.data.fill(255);
  assert.deepEqual(bodySkinTone(person, bare).rgb, person.skin.rgb);
});

test('a bared upper arm is lit across as the forearm the photo shows below it, not as a front-lit cylinder', () => {
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  const { width, height } = FIGURE;
  // The upper arm's sleeve is removed; the forearm below shows bare, lit from the image's right:
  // its right half is twice as bright (linear light) as its left half.
  const within = createMask(width, height);
  const image = createRaster(width, height, 3);
  const forearm = new Uint8Array(width * height);
  const ex = j.right_wrist.x - j.right_elbow.x;
  const ey = j.right_wrist.y - j.right_elbow.y;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (distanceToSegment({ x, y }, j.right_shoulder, j.right_elbow) < 30) within.data[i] = 255;
      else if (distanceToSegment({ x, y }, j.right_elbow, j.right_wrist) < 9) {
        forearm[i] = 1;
        // Side of the forearm's axis, in the image: right of it is lit.
        const right = (x - j.right_elbow.x) * ey - (y - j.right_elbow.y) * ex > 0;
        image.data.set(right ? [235, 190, 160] : [175, 138, 115], i * 3);
      }
    }
  }
  const seen = { image, isLimbSkin: (i: number) => forearm[i] === 1 };
  const lit = bareSkinModel(body, within, undefined, 0, undefined, seen).shading;
  const front = bareSkinModel(body, within).shading;
  // Across the upper arm's middle, a few pixels either side of its axis.
  const y = Math.round((j.right_shoulder.y + j.right_elbow.y) / 2);
  const axisX = Math.round(j.right_shoulder.x + ((j.right_elbow.x - j.right_shoulder.x) * (y - j.right_shoulder.y)) / (j.right_elbow.y - j.right_shoulder.y));
  const at = (map: typeof lit, x: number) => map.data[y * width + x];
  assert.ok(at(lit, axisX + 5) > at(lit, axisX - 5) * 1.3, `lit side ${at(lit, axisX + 5)} vs ${at(lit, axisX - 5)}`);
  assert.ok(Math.abs(at(front, axisX + 5) - at(front, axisX - 5)) < 0.05, 'front-lit without a seen forearm');
});

test('the chest beside a bared arm lies in the arm\'s shadow below the armpit, not at the shoulder', () => {
  const { width, height } = FIGURE;
  // A loose top with sleeves is removed: the right arm and the torso's right side are bared.
  const within = createMask(width, height);
  for (let y = 100; y < 260; y++) for (let x = 50; x < 150; x++) within.data[y * width + x] = 255;
  // The right arm hangs against the chest's side (its silhouette at x 114 on row 200) ...
  const hanging = bareSkinModel(measureBody(drawnPerson({ joints: { right_elbow: { x: 104, y: 210 }, right_wrist: { x: 106, y: 290 } } })), within).shading;
  // ... or is raised sideways: nothing in front of the chest's side.
  const raised = bareSkinModel(measureBody(drawnPerson({ joints: { right_elbow: { x: 30, y: 110 }, right_wrist: { x: 0, y: 100 } } })), within).shading;
  const at = (map: typeof hanging, x: number, y: number) => map.data[y * width + x];
  for (const x of [115, 116]) assert.ok(at(hanging, x, 200) < 0.85 * at(raised, x, 200), `x ${x}: ${at(hanging, x, 200)} beside the arm, ${at(raised, x, 200)} without`);
  // At the shoulders' height (114) the arm flows into the chest: no crease beside it.
  for (let x = 113; x <= 121; x++) assert.ok(at(hanging, x, 116) > 0.78, `at the shoulder, x ${x}: ${at(hanging, x, 116)}`);
});

/**
 * The drawn figure's right arm bare below a short sleeve's hem (row 160 down), its skin 4 px right
 * of the skeleton's axis and `half` px in half-width, tan near the hem and lighter towards the
 * hand; above the hem the sleeve, 30 px around the axis, is removed. Returns the hems found, the
 * bare-skin model, and where along row 150 (above the hem) the bared arm's outer silhouette is
 * and the seen skin's would be.
 */
function armBelowHem(half: number) {
  const person = drawnPerson();
  const body = measureBody(person);
  const { width, height } = FIGURE;
  const j = FIGURE.joints;
  const shifted = (p: { x: number; y: number }) => ({ x: p.x + 4, y: p.y });
  const seenArm = new Uint8Array(width * height);
  const within = createMask(width, height);
  const tan = [176, 120, 92];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const p = { x, y };
      const onArm = distanceToSegment(p, shifted(j.right_shoulder), shifted(j.right_elbow)) <= half || distanceToSegment(p, shifted(j.right_elbow), shifted(j.right_wrist)) <= half;
      if (y >= 160 && onArm) {
        seenArm[i] = 1;
        // Lit lighter towards the hand: the skin just below the hem is what the bared arm continues.
        person.image.data.set(y < 200 ? tan : [226, 184, 160], i * 3);
      } else if (y < 160 && y > 100 && distanceToSegment(p, j.right_shoulder, j.right_elbow) < 30) within.data[i] = 255;
    }
  }
  const isArmSkin = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && seenArm[y * width + x] === 1;
  const hems = armsAtHem(body, isArmSkin);
  const seen = { image: person.image, isLimbSkin: (i: number) => seenArm[i] === 1 };
  const model = bareSkinModel(body, within, undefined, 0, seenForearms(body, isArmSkin), seen, hems);
  const row = 150;
  let outerEdge = -1;
  for (let x = 40; x < 107 && outerEdge < 0; x++) if (model.zone.data[row * width + x] >= 128) outerEdge = x;
  const seenCentre = j.right_shoulder.x + 4 + ((j.right_elbow.x - j.right_shoulder.x) * (row - j.right_shoulder.y)) / (j.right_elbow.y - j.right_shoulder.y);
  return { body, hems, model, row, outerEdge, seenCentre, tan };
}

test('the arm bared above its sleeve\'s hem continues the skin seen below it: where it lies, how wide it is and its colour', () => {
  const { body, hems, model, row, outerEdge, seenCentre, tan } = armBelowHem(7);
  const width = FIGURE.width;
  const right = body.arm.l.joints[0].x < body.arm.r.joints[0].x ? hems.l : hems.r;
  assert.ok(right !== null, 'the hem is found');
  assert.ok(Math.abs(Math.abs(right.offset) - 4) <= 1.5, `offset ${right.offset}`);
  assert.ok(Math.abs(right.halfWidth - 7.5) <= 1.5, `half-width ${right.halfWidth}`);
  // Just above the hem the bared arm's outer silhouette continues the skin's below it (its inner
  // side meets the torso): the seen half-width out from the seen skin's centre, not the skeleton's.
  assert.ok(Math.abs(outerEdge - (seenCentre - 7.5)) <= 1.5, `bared arm's outer edge at ${outerEdge}, seen skin's at ${seenCentre - 7.5}`);
  // Its colour is the seen skin's near the hem (linear light), wherever on the arm; the torso has none.
  const tone = model.limbToneAt(row * width + Math.round(seenCentre));
  assert.ok(tone !== undefined, 'the arm has its own tone');
  tone.forEach((v, c) => assert.ok(Math.abs(v - SRGB_TO_LINEAR[tan[c]]) < 0.01, `channel ${c}: ${v}`));
  assert.equal(model.limbToneAt(row * width + 150), undefined);
  // No skin below a sleeve: no hem.
  assert.deepEqual(armsAtHem(body, () => false), { l: null, r: null });
});

test('an arm seen below its hem wider than the sleeve\'s outline measured is bared as wide as it is seen: no step at the hem', () => {
  // The arm's radius measured on the drawn figure's mask is about 12 px; the skin below the hem is 16.
  const { body, outerEdge, seenCentre } = armBelowHem(16);
  assert.ok(16 > 1.1 * body.arm.r.radius, `seen half-width 16 against measured ${body.arm.r.radius}`);
  assert.ok(Math.abs(outerEdge - (seenCentre - 16.5)) <= 2, `bared arm's outer edge at ${outerEdge}, seen skin's at ${seenCentre - 16.5}`);
});

test('the arm is measured right below its hem, unless the run there is cut short (a scalloped hem\'s shadow)', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const j = FIGURE.joints;
  const { width, height } = FIGURE;
  const right = (hems: ReturnType<typeof armsAtHem>) => (body.arm.l.joints[0].x < body.arm.r.joints[0].x ? hems.l : hems.r);
  // Seen arm skin from row 160 down: 9 px in half-width right below the hem, 7 px further down.
  const armWithin = (near: number, far: number) => (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height || y < 160) return false;
    const half = y < 172 ? near : far;
    const p = { x, y };
    return distanceToSegment(p, j.right_shoulder, j.right_elbow) <= half || distanceToSegment(p, j.right_elbow, j.right_wrist) <= half;
  };
  const wider = right(armsAtHem(body, armWithin(9, 7)));
  assert.ok(wider !== null && Math.abs(wider.halfWidth - 9.5) <= 1, `right below the hem: ${wider?.halfWidth}`);
  // A shadow under the hem cuts the run to 4 px: the width further down is the arm's.
  const cut = right(armsAtHem(body, armWithin(4, 7)));
  assert.ok(cut !== null && Math.abs(cut.halfWidth - 7.5) <= 1, `past the cut-short run: ${cut?.halfWidth}`);
});

test('between the torso and an arm hanging close beside it the bared old garment is the body\'s side, not backdrop; beside an arm held away it is backdrop', () => {
  const body = measureBody(drawnPerson());
  const within = wideSleeveRemoved();
  const { zone, onTorso } = bareSkinModel(body, within);
  const w = FIGURE.width;
  // Along a row, the pixels of `within` from the arm's inner silhouette to the torso's span.
  const between = (y: number): number[] => {
    const [tl] = body.torsoSpan(y);
    const row: number[] = [];
    let x = Math.floor(tl);
    while (x > 0 && !(zone.data[y * w + x] >= 128 && !onTorso(y * w + x))) x--;
    for (x++; x <= tl; x++) if (within.data[y * w + x]) row.push(zone.data[y * w + x]);
    return row;
  };
  // Upper arm close to the chest (the drawn arm's inner silhouette a few px from the torso): all skin.
  for (const y of [150, 170, 200]) {
    const row = between(y);
    assert.ok(row.length > 0 && row.every((v) => v >= 128), `row ${y}: ${row.join(',')}`);
  }
  // The forearm held out from the hip (a gap wider than the arm): the gap stays backdrop.
  assert.ok(between(255).some((v) => v === 0), `row 255: ${between(255).join(',')}`);
  // Outside the arm, away from the body, the sleeve's place is backdrop.
  assert.equal(zone.data[200 * w + 60], 0);
});

test('bared skin takes its texture from the skin the photo shows, the face\'s included; not the hands\', not what is bared', () => {
  const width = 6;
  const labels = Uint8Array.from([PartLabel.Face, PartLabel.Neck, PartLabel.Hand, PartLabel.LowerArm, PartLabel.UpperGarment, PartLabel.Leg]);
  const bare = createMask(width, 1);
  bare.data[3] = 255;
  assert.deepEqual(Array.from(skinTextureSource(labels, width, 1, bare).data), [255, 255, 0, 0, 0, 255]);
});

test('a bared shin is drawn with its calf: wider a little below the knee than at the knee, narrowing to the ankle', () => {
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  // Everything within 30 px of the right shin is bared (trousers removed).
  const within = createMask(FIGURE.width, FIGURE.height);
  for (let y = 0; y < FIGURE.height; y++) {
    for (let x = 0; x < FIGURE.width; x++) if (distanceToSegment({ x, y }, j.right_knee, j.right_ankle) < 30) within.data[y * FIGURE.width + x] = 255;
  }
  const { zone } = bareSkinModel(body, within);
  const widthAt = (t: number) => {
    const y = Math.round(j.right_knee.y + (j.right_ankle.y - j.right_knee.y) * t);
    const cx = Math.round(j.right_knee.x + (j.right_ankle.x - j.right_knee.x) * t);
    return zoneWidth(zone, y, cx - 29, Math.min(cx + 29, 148));
  };
  const [knee, calf, lower] = [widthAt(0.02), widthAt(0.28), widthAt(0.75)];
  assert.ok(calf > knee + 1, `calf ${calf} px against knee ${knee} px`);
  assert.ok(lower < calf - 2, `lower shin ${lower} px against calf ${calf} px`);
});

test('beside an arm held out from the body (not hanging) nothing outside the torso\'s span is taken for the body\'s side', () => {
  const body = measureBody(drawnPerson());
  const within = wideSleeveRemoved();
  const w = FIGURE.width;
  const outsideTorso = (model: ReturnType<typeof bareSkinModel>) => {
    let n = 0;
    for (let y = 130; y < 280; y++) {
      const [tl] = body.torsoSpan(y);
      for (let x = 0; x < tl - 2; x++) if (model.onTorso(y * w + x) && model.zone.data[y * w + x] >= 128) n++;
    }
    return n;
  };
  assert.ok(outsideTorso(bareSkinModel(body, within)) > 0, 'hanging: the side beside the arm is skin');
  // The same arm with its elbow out at 60 degrees from straight down.
  const [shoulder] = body.arm.l.joints;
  const elbow = { x: shoulder.x - 78, y: shoulder.y + 45 };
  const raised = { ...body, arm: { ...body.arm, l: { ...body.arm.l, joints: [shoulder, elbow, { x: elbow.x - 40, y: elbow.y + 60 }] as typeof body.arm.l.joints } } };
  assert.equal(outsideTorso(bareSkinModel(raised, within)), 0);
});

test('a bared limb darkens towards its own outline, not where it goes on as skin the photo shows', () => {
  const body = measureBody(drawnPerson());
  const { width, height } = FIGURE;
  // A bared forearm 20 px wide (x 40-59, rows 20-79), lit evenly, against anything (the new
  // garment on one side, the backdrop on the other); below row 80 the photo shows its hand.
  const shading = createFloatMap(width, height);
  shading.data.fill(1);
  const limbs = new Uint8Array(width * height);
  const hand = createMask(width, height);
  for (let y = 20; y < 100; y++) {
    for (let x = 40; x < 60; x++) {
      if (y < 80) limbs[y * width + x] = 1;
      else hand.data[y * width + x] = 255;
    }
  }
  roundLimbs(shading, limbs, hand, body);
  const at = (x: number, y: number): number => shading.data[y * width + x];
  assert.ok(at(40, 50) < 0.9 && at(59, 50) < 0.9, `both edges darken (${at(40, 50).toFixed(2)}, ${at(59, 50).toFixed(2)})`);
  assert.ok(at(50, 50) > 0.97, `the axis keeps its light (${at(50, 50).toFixed(2)})`);
  assert.ok(at(50, 79) > 0.97, `no edge where the hand goes on (${at(50, 79).toFixed(2)})`);
  assert.equal(at(30, 50), 1, 'nothing outside the limb changes');
});

test('a forearm bared inside its removed sleeve lies in the sleeve\'s middle and narrower than it, not filling it edge to edge', () => {
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  const row = 250;
  // The sleeve round the right forearm (the photo shows none of its skin), `radius` px about an
  // axis `dx` px off the pose's: the person's outline there, with the torso; all of it bared.
  const sleeveRun = (radius: number, dx: number) => {
    const a = { x: j.right_elbow.x + dx, y: j.right_elbow.y };
    const b = { x: j.right_wrist.x + dx, y: j.right_wrist.y };
    const outline = createMask(FIGURE.width, FIGURE.height);
    const within = createMask(FIGURE.width, FIGURE.height);
    for (let y = 0; y < FIGURE.height; y++) {
      for (let x = 0; x < FIGURE.width; x++) {
        const inSleeve = y >= j.right_elbow.y - 20 && distanceToSegment({ x, y }, a, b) <= radius;
        const inTorso = x >= FIGURE.torso.x0 && x < FIGURE.torso.x1 && y >= FIGURE.torso.y0 && y < FIGURE.torso.y1;
        if (inSleeve || inTorso) outline.data[y * FIGURE.width + x] = 255;
        if (inSleeve && y >= j.right_elbow.y) within.data[y * FIGURE.width + x] = 255;
      }
    }
    let lo = -1;
    let hi = -1;
    for (let x = 40; x < FIGURE.torso.x0; x++) {
      if (!within.data[row * FIGURE.width + x]) continue;
      if (lo < 0) lo = x;
      hi = x;
    }
    const zoneRun = (zone: { data: Uint8Array }): [number, number] => {
      let zl = -1;
      let zh = -1;
      for (let x = 40; x < FIGURE.torso.x0; x++) {
        if (zone.data[row * FIGURE.width + x] < 128) continue;
        if (zl < 0) zl = x;
        zh = x;
      }
      return [zl, zh];
    };
    return {
      sleeve: [lo, hi],
      fitted: zoneRun(bareSkinModel(body, within, undefined, 0, undefined, undefined, undefined, outline).zone),
      unfitted: zoneRun(bareSkinModel(body, within).zone),
    };
  };
  // A sleeve off the pose's axis: the arm follows the sleeve's middle.
  const off = sleeveRun(14, -6);
  assert.ok(off.fitted[0] >= off.sleeve[0] + 2 && off.fitted[1] <= off.sleeve[1] - 2, `arm ${off.fitted} in sleeve ${off.sleeve}`);
  assert.ok(Math.abs((off.fitted[0] + off.fitted[1]) / 2 - (off.sleeve[0] + off.sleeve[1]) / 2) <= 2, `arm ${off.fitted} centred in sleeve ${off.sleeve}`);
  // (Drawn on the pose's joints, the arm ran into the sleeve's edge.)
  assert.equal(off.unfitted[1], off.sleeve[1]);
  // A slim sleeve: the arm is narrower than it, with an outline of its own.
  const slim = sleeveRun(7, 0);
  assert.ok(slim.fitted[0] >= slim.sleeve[0] + 1 && slim.fitted[1] <= slim.sleeve[1] - 1, `arm ${slim.fitted} in sleeve ${slim.sleeve}`);
  assert.deepEqual(slim.unfitted, slim.sleeve);
  // A sleeve against the torso (its inner edge lost in it): the arm keeps inside its outer edge.
  const against = sleeveRun(14, 8);
  assert.ok(against.fitted[0] >= against.sleeve[0] + 1, `arm ${against.fitted} in sleeve ${against.sleeve}`);
  assert.equal(against.unfitted[0], against.sleeve[0]);
});

test("a bared arm stays inside its removed sleeve's outline: its soft, rounded edge, not the sleeve's cut", () => {
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  const { width, height } = FIGURE;
  // A short sleeve 14 px across round the right upper arm, its middle 4 px towards the torso from
  // the pose's axis (a joint a little off the sleeve's middle): narrower than the arm's capsule
  // (about 20 px across), which reaches past its outer edge.
  const shift = { x: 4, y: 0 };
  const a = { x: j.right_shoulder.x + shift.x, y: j.right_shoulder.y };
  const b = { x: j.right_elbow.x + shift.x, y: j.right_elbow.y };
  const within = createMask(width, height);
  const outline = createMask(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const inSleeve = y >= 130 && y <= 200 && distanceToSegment({ x, y }, a, b) <= 7;
      if (inSleeve) within.data[i] = 255;
      if (inSleeve || (x >= FIGURE.torso.x0 && x < FIGURE.torso.x1 && y >= FIGURE.torso.y0 && y < FIGURE.torso.y1)) outline.data[i] = 255;
    }
  }
  const { zone } = bareSkinModel(body, within, undefined, 0, undefined, undefined, undefined, outline);
  const y = 165;
  let outer = -1;
  for (let x = 60; x < FIGURE.torso.x0; x++) if (within.data[y * width + x]) { outer = x; break; }
  assert.ok(outer > 0, 'the sleeve crosses row 165');
  // The sleeve's outermost pixel is the arm's soft rim at most, never full skin cut straight.
  assert.ok(zone.data[y * width + outer] < 255, `outermost sleeve pixel x ${outer}: coverage ${zone.data[y * width + outer]}`);
  // The arm is fully skin a little further in.
  assert.equal(zone.data[y * width + outer + 4], 255);
  // Without the sleeve's outline the capsule is cut by it.
  const cut = bareSkinModel(body, within).zone;
  assert.equal(cut.data[y * width + outer], 255);
});

test("a bared arm fills its removed sleeve's cap at the shoulder joint: the shoulder is the body's there", () => {
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  const { width, height } = FIGURE;
  // The same narrow sleeve off the pose's axis as above, from the shoulder joint down.
  const a = { x: j.right_shoulder.x + 4, y: j.right_shoulder.y };
  const b = { x: j.right_elbow.x + 4, y: j.right_elbow.y };
  const within = createMask(width, height);
  const outline = createMask(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const inSleeve = y >= j.right_shoulder.y && y <= 200 && distanceToSegment({ x, y }, a, b) <= 7;
      if (inSleeve) within.data[i] = 255;
      if (inSleeve || (x >= FIGURE.torso.x0 && x < FIGURE.torso.x1 && y >= FIGURE.torso.y0 && y < FIGURE.torso.y1)) outline.data[i] = 255;
    }
  }
  const { zone } = bareSkinModel(body, within, undefined, 0, undefined, undefined, undefined, outline);
  // A tenth of the upper arm below the joint, the sleeve's outermost pixel is skin.
  const y = Math.round(j.right_shoulder.y + 0.1 * (j.right_elbow.y - j.right_shoulder.y));
  let outer = -1;
  for (let x = 60; x < FIGURE.torso.x0; x++) if (within.data[y * width + x]) { outer = x; break; }
  assert.ok(outer > 0);
  assert.equal(zone.data[y * width + outer], 255, `outermost sleeve pixel x ${outer} on row ${y}`);
});
