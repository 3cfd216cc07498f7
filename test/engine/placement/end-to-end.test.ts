/**
 * End to end after person analysis: a drawn person (known pose, mask and parsing), a drawn red
 * T-shirt product shot, the real garment analysis, placement, warping and rendering.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { armsBelowCuffs, beyondArmsMask, chinCeiling, clipToEnvelope, composeIntoPhoto, cutHemAboveFeet, drapeOverShoulders, wrapSleevesRoundArms, hangingArms, inLayerColumns, keepSleeveOnArm, neckAboveItsBase, neckKeptAboveItsBase, oldCollarAboveCeiling, photoAboveLayerAtNeck, shadeBelowJaw, showsNeck, sleevelessBareArms, tryOnAnalysedPerson, uncoverAnklesUnderHem } from '../../../src/engine/classic/tryon.ts';
import { labelMask } from '../../../src/engine/classic/layers.ts';
import { EngineInputError } from '../../../src/engine/types.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createMask, createRaster, type Raster } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from './figure.ts';

/** A person photo matching the drawn analysis: grey backdrop, blue top, dark trousers, skin. */
function personPhoto(labels: Uint8Array): Raster {
  const { width, height } = FIGURE;
  const image = createRaster(width, height, 3);
  const colours: Record<number, [number, number, number]> = {
    [PartLabel.Background]: [205, 205, 210],
    [PartLabel.Face]: [225, 180, 150],
    [PartLabel.UpperArm]: [220, 175, 145],
    [PartLabel.UpperGarment]: [40, 70, 200],
    [PartLabel.LowerGarment]: [40, 40, 45],
  };
  for (let i = 0; i < width * height; i++) {
    const c = colours[labels[i]] ?? [128, 128, 128];
    image.data.set(c, i * 3);
  }
  return image;
}

/** A red T-shirt flat lay on white: body panel 120 px wide, short sleeves sticking out, hem at `hemY`. */
function tshirtPhoto(hemY = 360): Raster {
  const w = 400;
  const h = 420;
  const image = createRaster(w, h, 3);
  image.data.fill(250);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inPanel = x >= 140 && x <= 260 && y >= 70 && y <= hemY && !(y < 95 && Math.abs(x - 200) < 28 - (y - 70) * 0.5);
      // Sleeves: quads from the shoulder/armpit seam out and down to a cuff.
      const dy = y - 70;
      const inLeft = x < 140 && dy >= (140 - x) * 0.6 && dy <= 70 + (140 - x) * 0.9 && x >= 80;
      const inRight = x > 260 && dy >= (x - 260) * 0.6 && dy <= 70 + (x - 260) * 0.9 && x <= 320;
      if (inPanel || inLeft || inRight) image.data.set([210, 30, 35], (y * w + x) * 3);
    }
  }
  return image;
}

test('try-on of a drawn scene: garment on the torso, exact pixels outside the mask, face kept, deterministic', async () => {
  const person = drawnPerson();
  person.image = personPhoto(person.parsing.labels);
  const body = measureBody(person);
  const request = { model: person.image, garment: tshirtPhoto(), category: 'upper_body' as const, diagnostics: true };
  const first = await tryOnAnalysedPerson(request, person, body);
  const second = await tryOnAnalysedPerson(request, person, body);

  assert.equal(first.image.width, FIGURE.width);
  assert.equal(first.image.height, FIGURE.height);
  assert.deepEqual(first.image.data, second.image.data, 'same inputs give the same bytes');

  const px = (x: number, y: number) => Array.from(first.image.data.subarray((y * FIGURE.width + x) * 3, (y * FIGURE.width + x) * 3 + 3));
  // The chest is now red, not the old blue.
  const [r, g, b] = px(150, 200);
  assert.ok(r > 120 && r > g * 2 && r > b * 2, `chest colour ${r},${g},${b}`);
  // Outside the repaint mask every pixel is the input's own.
  let changedOutside = 0;
  for (let i = 0; i < first.repaintMask.data.length; i++) {
    if (first.repaintMask.data[i] !== 0) continue;
    for (let c = 0; c < 3; c++) if (first.image.data[i * 3 + c] !== request.model.data[i * 3 + c]) changedOutside++;
  }
  assert.equal(changedOutside, 0);
  // The face and the trousers are never repainted.
  for (const [x, y] of [[150, 60], [150, 40], [150, 450], [178, 420]]) {
    assert.equal(first.repaintMask.data[y * FIGURE.width + x], 0, `(${x},${y}) repainted`);
  }
  // No old blue left on the torso between the armpits and the waist.
  let blue = 0;
  for (let y = 150; y < 250; y++) {
    for (let x = 125; x < 175; x++) {
      const p = (y * FIGURE.width + x) * 3;
      if (first.image.data[p + 2] > 150 && first.image.data[p] < 90) blue++;
    }
  }
  assert.ok(blue < 50, `${blue} old blue pixels remain on the torso`);
  assert.ok(first.diagnostics?.newGarment && first.diagnostics.oldGarment);
  assert.ok(first.diagnostics.backgroundFill && first.diagnostics.photoKept && first.diagnostics.person);

  // Diagnostics are opt-in (the service asks only for transparent inputs): without them the
  // result carries none, and the picture and repaint mask are the same to the byte.
  const plain = await tryOnAnalysedPerson({ ...request, diagnostics: false }, person, body);
  assert.equal(plain.diagnostics, undefined);
  assert.deepEqual(plain.image.data, first.image.data);
  assert.deepEqual(plain.repaintMask.data, first.repaintMask.data);
  assert.equal(plain.timings['render.shares'], undefined);
});

test('a top longer than the torso hangs over the trousers, never beside them', async () => {
  const person = drawnPerson();
  person.image = personPhoto(person.parsing.labels);
  const body = measureBody(person);
  const result = await tryOnAnalysedPerson({ model: person.image, garment: tshirtPhoto(), category: 'upper_body' }, person, body);
  const isRed = (x: number, y: number): boolean => {
    const p = (y * FIGURE.width + x) * 3;
    return result.image.data[p] > 120 && result.image.data[p] > 2 * result.image.data[p + 1];
  };
  // The trousers begin at row 260; below that, beside the body (outside the legs' outer edges),
  // only the arms may be dressed.
  let hanging = 0;
  for (let y = 268; y < 340; y++) {
    for (let x = 60; x < 240; x++) {
      const besideBody = x < FIGURE.joints.right_hip.x - FIGURE.legRadius - 1 || x > FIGURE.joints.left_hip.x + FIGURE.legRadius + 1;
      if (besideBody && person.parsing.labels[y * FIGURE.width + x] === PartLabel.Background && isRed(x, y)) hanging++;
    }
  }
  assert.equal(hanging, 0, `${hanging} red pixels hang off the trousers`);
  // Above the waistband the top is there, and it goes on over the trousers' waistband (untucked):
  // the old top never shows between a new top and the trousers.
  assert.ok(isRed(150, 240), 'the top covers the torso down to the trousers');
  assert.ok(isRed(150, 266), 'the top hangs over the trousers');
});

test('a cropped top meets the trousers where the old top hid the midriff, and stays cropped over a bare one', async () => {
  const isRedAt = (image: Raster, x: number, y: number): boolean => {
    const p = (y * FIGURE.width + x) * 3;
    return image.data[p] > 120 && image.data[p] > 2 * image.data[p + 1];
  };
  // The old top covers the torso down to the trousers (row 260): no skin was ever seen there.
  const covered = drawnPerson();
  covered.image = personPhoto(covered.parsing.labels);
  const dressed = await tryOnAnalysedPerson({ model: covered.image, garment: tshirtPhoto(200), category: 'upper_body' }, covered, measureBody(covered));
  assert.ok(isRedAt(dressed.image, 150, 254), 'the cropped top reaches the waistband');
  // The old top is cropped too: the photo shows the midriff, which the new crop top leaves bare.
  const bare = drawnPerson();
  const bareBody = measureBody(bare);
  for (let y = 215; y < 260; y++) {
    for (let x = 0; x < FIGURE.width; x++) {
      const i = y * FIGURE.width + x;
      if (bare.parsing.labels[i] === PartLabel.UpperGarment && !bareBody.inArm(x, y, 2)) bare.parsing.labels[i] = PartLabel.TorsoSkin;
    }
  }
  bare.image = personPhoto(bare.parsing.labels);
  const cropped = await tryOnAnalysedPerson({ model: bare.image, garment: tshirtPhoto(200), category: 'upper_body' }, bare, measureBody(bare));
  assert.ok(!isRedAt(cropped.image, 150, 254), 'over a bare midriff the cropped top keeps its length');
});

/** Green trousers flat on white: waistband 160 px wide at rows 40..50, two legs down to row 560. */
function trousersPhoto(): Raster {
  const w = 400;
  const h = 600;
  const image = createRaster(w, h, 3);
  image.data.fill(250);
  for (let y = 40; y < 560; y++) {
    for (let x = 0; x < w; x++) {
      const t = (y - 40) / 520;
      const inside = x >= 120 - 10 * t && x <= 280 + 10 * t;
      // The crotch from row 200 down: a gap between the legs widening to 40 px.
      const gap = y > 200 && Math.abs(x - 200) < 4 + 16 * ((y - 200) / 360);
      if (inside && !gap) image.data.set([60, 160, 70], (y * w + x) * 3);
    }
  }
  return image;
}

test('a bottom lower than the old one bares the kept top\'s end, continued from the top, where the top ran down to it', async () => {
  const { width } = FIGURE;
  // A bodysuit's lower part (or high-waisted trousers): the old bottom starts at row 200, higher
  // than a new bottom's waistband can rise, and the top hid the body down to it.
  const person = drawnPerson();
  const { labels } = person.parsing;
  for (let i = 0; i < labels.length; i++) {
    const y = Math.floor(i / width);
    if (labels[i] === PartLabel.UpperGarment && y >= 200) labels[i] = PartLabel.LowerGarment;
  }
  person.image = personPhoto(labels);
  const body = measureBody(person);
  const result = await tryOnAnalysedPerson({ model: person.image, garment: trousersPhoto(), category: 'lower_body' }, person, body);
  const at = (x: number, y: number) => Array.from(result.image.data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
  // Find the new waistband in the middle column: the first green row below the top.
  let waistband = -1;
  for (let y = 190; y < 300; y++) {
    const [r, g, b] = at(150, y);
    if (g > r + 50 && g > b + 50) {
      waistband = y;
      break;
    }
  }
  assert.ok(waistband > 205, `the new waistband (${waistband}) is below the old bottom's top, so a band is bared`);
  for (const y of [202, Math.round((200 + waistband) / 2), waistband - 3]) {
    const [r, g, b] = at(150, y);
    assert.ok(b > r + 60, `row ${y} continues the blue top (got ${r},${g},${b}), not skin`);
  }
});

test('a sleeveless garment is never grown over the shoulders beyond its straps or over the arms', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const blocked = sleevelessBareArms(person, body);
  const at = (x: number, y: number) => blocked.data[Math.round(y) * FIGURE.width + Math.round(x)];
  // Beyond each shoulder point, above the armpits, on the person: the old sleeve's band is bare shoulder.
  const y = (body.shoulder.l.y + body.armpit.l.y) / 2;
  assert.equal(at(body.shoulder.l.x - 2, y), 255);
  assert.equal(at(body.shoulder.r.x + 2, y), 255);
  // The arms, down to the wrists.
  const [, elbow] = body.arm.l.joints;
  assert.equal(at(elbow.x, elbow.y), 255);
  // Not the torso between the straps, and nothing off the person.
  assert.equal(at(body.neck.centre.x, (body.armpit.l.y + body.hip.l.y) / 2), 0);
  assert.equal(at(body.neck.centre.x + 20, body.shoulder.l.y + 10), 0);
  assert.equal(blocked.data[0], 0);
});

test('a hole in the person mask over the trousers (white on white) is still covered by a top that hangs over it', async () => {
  const person = drawnPerson();
  person.image = personPhoto(person.parsing.labels);
  for (let y = 262; y < 272; y++) for (let x = 140; x < 160; x++) person.personMask.data[y * FIGURE.width + x] = 0;
  const body = measureBody(person);
  const result = await tryOnAnalysedPerson({ model: person.image, garment: tshirtPhoto(), category: 'upper_body' }, person, body);
  const p = (266 * FIGURE.width + 150) * 3;
  const [r, g] = [result.image.data[p], result.image.data[p + 1]];
  assert.ok(r > 120 && r > 2 * g, `colour in the hole ${r},${g}`);
});

test('a bottom on a photo that shows no hips is refused with the reason (20001), a top is dressed', async () => {
  const person = drawnPerson({ hidden: ['left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle'] });
  person.image = personPhoto(person.parsing.labels);
  const body = measureBody(person);
  await assert.rejects(
    tryOnAnalysedPerson({ model: person.image, garment: tshirtPhoto(), category: 'lower_body' }, person, body),
    (error: unknown) => error instanceof EngineInputError && /hips/.test(error.message),
  );
  const top = await tryOnAnalysedPerson({ model: person.image, garment: tshirtPhoto(), category: 'upper_body' }, person, body);
  const p = (200 * FIGURE.width + 150) * 3;
  assert.ok(top.image.data[p] > 120 && top.image.data[p] > 2 * top.image.data[p + 1], 'the chest wears the top');
});

test('a body panel is cut beyond the arms, not beside the torso inside them', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const beyond = beyondArmsMask(person, body);
  const at = (x: number, y: number) => beyond.data[y * FIGURE.width + x];
  // Right of the image-right arm (wrist at x 215) and left of the image-left arm (x 85), at hip height.
  assert.equal(at(250, 250), 255);
  assert.equal(at(45, 250), 255);
  // On the person, or above the armpits, nothing is cut.
  assert.equal(at(150, 250), 0);
  assert.equal(at(250, 100), 0);
  // Below the wrists (y 290) a dress's flared hem may reach past the hands...
  assert.equal(at(250, 330), 0);
  assert.equal(at(45, 330), 0);
  // ...a top's panel may not: it would hang on beside the body below a horizontal cut.
  const forTop = beyondArmsMask(person, body, true);
  const topAt = (x: number, y: number) => forTop.data[y * FIGURE.width + x];
  assert.equal(topAt(250, 330), 255);
  assert.equal(topAt(45, 330), 255);
  assert.equal(topAt(205, 330), 0, 'inside the wrist\'s line');
  assert.equal(topAt(150, 330), 0);
  // Between the shoulder joints (y 120) and the armpits a top's panel standing off the shoulder is
  // cut too (else a notch at the armpits' row); above the shoulder joints nothing is.
  const belowShoulder = Math.round((120 + Math.min(body.armpit.l.y, body.armpit.r.y)) / 2);
  assert.ok(belowShoulder > 125, `armpits at ${body.armpit.l.y}`);
  assert.equal(topAt(260, belowShoulder), 255);
  assert.equal(at(260, belowShoulder), 0);
  assert.equal(topAt(260, 100), 0);
});

test('the neck the photo shows stays in front of a garment layer reaching over it (a flat lay\'s inside back)', () => {
  const person = drawnPerson();
  const { width, height } = FIGURE;
  // A bare neck between the face and the top: x 138-162, from the chin (y 86) to the collar (y 112).
  for (let y = 86; y < 112; y++) {
    for (let x = 138; x <= 162; x++) {
      person.parsing.labels[y * width + x] = PartLabel.Neck;
      person.personMask.data[y * width + x] = 255;
    }
  }
  person.image = personPhoto(person.parsing.labels);
  for (let y = 86; y < 112; y++) for (let x = 138; x <= 162; x++) person.image.data.set([215, 170, 140], (y * width + x) * 3);
  const body = measureBody(person);
  const neck = neckAboveItsBase(person, body);
  assert.ok(body.neck.centre.y > 86 && body.neck.centre.y < 125, `neck base ${body.neck.centre.y}`);
  assert.equal(neck.data[90 * width + 150], 255, 'the neck above its base');
  assert.equal(neck.data[200 * width + 150], 0, 'the chest is not neck');
  // This photo shows the neck, so a flat lay's neck opening is repainted as neck and chest; the
  // same figure with its neck hidden (a hood, a turtleneck) keeps its own pixels there instead.
  assert.equal(showsNeck(person, body), true);
  const hooded = drawnPerson();
  assert.equal(showsNeck(hooded, measureBody(hooded)), false);
  // An opaque red layer over the whole upper body, as a flat lay's back neckline would land.
  const layer = createRaster(width, height, 4);
  for (let y = 80; y < 260; y++) for (let x = 100; x < 200; x++) layer.data.set([210, 30, 35, 255], (y * width + x) * 4);
  const result = composeIntoPhoto({ model: person.image, person, body, layer, category: 'upper_body', timings: {} });
  const px = (x: number, y: number) => Array.from(result.image.data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
  assert.deepEqual(px(150, 92), [215, 170, 140], 'neck kept');
  assert.equal(result.repaintMask.data[92 * width + 150], 0, 'neck not repainted');
  const [r, g] = px(150, 200);
  assert.ok(r > 150 && g < 80, 'the chest takes the garment');
});

test('a neck that shows only at its base, under a beard, counts as shown; one that shows a narrow strip there does not', () => {
  const { width } = FIGURE;
  // A beard (hair, dark brown) from the chin down to 2 px above the neck's base, and below it the
  // neck's foot: across the neck's column, or as a strip a third of its width (hair over it).
  const bearded = (share: number) => {
    const person = drawnPerson();
    person.image = personPhoto(person.parsing.labels);
    const body = measureBody(person);
    const base = Math.floor(body.neck.centre.y);
    const half = Math.abs(body.neck.r.x - body.neck.l.x) / 2;
    const cx = body.neck.centre.x;
    for (let y = 86; y <= base; y++) {
      for (let x = Math.floor(cx - half); x <= Math.ceil(cx + half); x++) {
        const neck = y >= base - 1 && Math.abs(x - cx) <= half * share;
        person.parsing.labels[y * width + x] = neck ? PartLabel.Neck : PartLabel.Hair;
        person.personMask.data[y * width + x] = 255;
        person.image.data.set(neck ? [215, 170, 140] : [60, 42, 30], (y * width + x) * 3);
      }
    }
    return { person, body };
  };
  const across = bearded(1);
  assert.equal(showsNeck(across.person, across.body), true, 'the neck across its base shows');
  const strip = bearded(1 / 3);
  assert.equal(showsNeck(strip.person, strip.body), false, 'a strip of neck at the base is no neck shown');
});

test('where the neck does not show (a hood, a scarf), the photo is kept inside the new garment\'s neck opening', () => {
  const person = drawnPerson();
  const { width, height } = FIGURE;
  person.image = personPhoto(person.parsing.labels);
  const body = measureBody(person);
  assert.equal(showsNeck(person, body), false);
  // The new top drawn with its neck opening already cut (a hole at x 135-165, y 112-140), and the
  // opening's place on the body kept as the photo.
  const keepPhoto = { width, height, data: new Uint8Array(width * height) };
  const topWithOpening = (): Raster => {
    const layer = createRaster(width, height, 4);
    for (let y = 100; y < 260; y++) {
      for (let x = 100; x < 200; x++) {
        const inOpening = y < 140 && x >= 135 && x <= 165;
        if (inOpening) keepPhoto.data[y * width + x] = 255;
        else layer.data.set([210, 30, 35, 255], (y * width + x) * 4);
      }
    }
    return layer;
  };
  const kept = composeIntoPhoto({ model: person.image, person, body, layer: topWithOpening(), category: 'upper_body', timings: {}, keepPhoto });
  const at = (r: { image: Raster }, x: number, y: number) => Array.from(r.image.data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
  // The old top (blue) shows in the opening, as a hood or a scarf would: not repainted.
  assert.deepEqual(at(kept, 150, 125), Array.from(person.image.data.subarray((125 * width + 150) * 3, (125 * width + 150) * 3 + 3)));
  assert.equal(kept.repaintMask.data[125 * width + 150], 0);
  // Without it, the opening is a hole in the old top that the fill paints over.
  const filled = composeIntoPhoto({ model: person.image, person, body, layer: topWithOpening(), category: 'upper_body', timings: {} });
  assert.equal(filled.repaintMask.data[125 * width + 150], 255);
  assert.ok(at(kept, 150, 200)[0] > 150, 'the chest takes the garment');
});

test('where the neck does not show, what the photo shows above the new garment beside the neck is kept, down to the garment and no wider', () => {
  const person = drawnPerson();
  const { width, height } = FIGURE;
  const body = measureBody(person);
  assert.equal(showsNeck(person, body), false);
  // The new top's layer from row 130 down (a crew neck lower than the old top's collar, as a
  // scarf or turtleneck would stand above it), with a neckline dip to row 150 at the middle.
  const layer = createRaster(width, height, 4);
  for (let y = 130; y < 260; y++) {
    for (let x = 100; x < 200; x++) if (!(y < 150 && Math.abs(x - 150) < 12)) layer.data.set([210, 30, 35, 255], (y * width + x) * 4);
  }
  const kept = photoAboveLayerAtNeck(layer, person, body);
  const cx = Math.round(body.neck.centre.x);
  const isKept = (x: number, y: number): boolean => kept.data[y * width + x] === 255;
  assert.ok(isKept(cx, 120), 'above the garment at the neck');
  assert.ok(isKept(cx, 145), 'inside the neckline dip');
  assert.ok(!isKept(cx, 155), 'not the garment below the dip');
  assert.ok(!isKept(cx + 20, 135), 'not the garment beside the dip');
  const half = 0.25 * body.shoulderWidth;
  const beyond = Math.round(cx + half + 4);
  if (person.personMask.data[120 * width + beyond] >= 128) assert.ok(!isKept(beyond, 120), 'not past the neck\'s columns');
  for (let i = 0; i < kept.data.length; i++) if (kept.data[i]) assert.ok(person.personMask.data[i] >= 128, 'only the person');
});

test('a full-length hem covers the ankles the parsing calls foot, not the shoes below them', () => {
  const footed = (person: ReturnType<typeof drawnPerson>) => {
    // The parsing's foot region starts 30 px above the ankle joints (y 550) and runs to the sole.
    const { labels } = person.parsing;
    for (let y = 520; y < 590; y++) for (let x = 90; x < 210; x++) if (person.personMask.data[y * FIGURE.width + x] >= 128 || y >= 560) labels[y * FIGURE.width + x] = PartLabel.Foot;
    return person;
  };
  const person = footed(drawnPerson());
  const body = measureBody(person);
  const kept = labelMask(person.parsing.labels, FIGURE.width, FIGURE.height, [PartLabel.Foot]);
  uncoverAnklesUnderHem(kept, person.parsing.labels, body);
  const at = (x: number, y: number) => kept.data[y * FIGURE.width + x];
  assert.equal(at(124, 530), 0, 'ankle above the joint');
  assert.equal(at(176, 540), 0, 'ankle above the joint');
  assert.equal(at(124, 580), 255, 'shoe');
  assert.equal(at(176, 585), 255, 'shoe');
  // A bent leg's foot may lie beside the other leg at any height: all of it stays in front.
  const seated = footed(drawnPerson({ joints: { left_knee: { x: 240, y: 330 }, right_knee: { x: 60, y: 330 } } }));
  const seatedBody = measureBody(seated);
  const seatedFeet = labelMask(seated.parsing.labels, FIGURE.width, FIGURE.height, [PartLabel.Foot]);
  const seatedKept = labelMask(seated.parsing.labels, FIGURE.width, FIGURE.height, [PartLabel.Foot]);
  uncoverAnklesUnderHem(seatedKept, seated.parsing.labels, seatedBody);
  assert.deepEqual(seatedKept.data, seatedFeet.data);
});

test('a hem reaching over a shoe ends straight across at the shoe\'s top, without a shoe-shaped notch', () => {
  const person = drawnPerson();
  const { labels } = person.parsing;
  const W = FIGURE.width;
  // A shoe 20 px wide in front of the right leg's hem, from y 565 to the sole, the bare ankle
  // above it (the photo's old trousers are cropped above it, or it wears a skirt).
  for (let y = 565; y < 595; y++) for (let x = 114; x < 134; x++) labels[y * W + x] = PartLabel.Foot;
  for (let y = 540; y < 565; y++) for (let x = 114; x < 134; x++) labels[y * W + x] = PartLabel.Leg;
  const body = measureBody(person);
  // Wide trouser legs down to y 580, past the shoe's top.
  const layer = createRaster(W, FIGURE.height, 4);
  for (let y = 300; y < 580; y++) for (let x = 95; x < 205; x++) layer.data.set([40, 40, 40, 255], (y * W + x) * 4);
  const kept = labelMask(labels, W, FIGURE.height, [PartLabel.Foot]);
  cutHemAboveFeet(layer, labels, kept, body);
  const alpha = (x: number, y: number) => layer.data[(y * W + x) * 4 + 3];
  // The right leg ends at the shoe's top, straight across its width (beside the shoe too).
  assert.equal(alpha(124, 570), 0, 'over the shoe');
  assert.equal(alpha(100, 575), 0, 'beside the shoe, below its top: the same hem');
  assert.equal(alpha(124, 560), 255, 'above the shoe');
  // Above the shoe's top nothing changes, and the other leg keeps its own length (one piece of
  // fabric here, joined below the shoe's top).
  assert.equal(alpha(190, 560), 255);
  assert.equal(alpha(190, 575), 255, 'the other leg');
  assert.equal(alpha(176, 570), 255, 'the other leg');
  // A foot high up the leg (raised, crossed) does not cut the hem.
  const raised = createRaster(W, FIGURE.height, 4);
  for (let y = 300; y < 580; y++) for (let x = 95; x < 205; x++) raised.data.set([40, 40, 40, 255], (y * W + x) * 4);
  const highLabels = new Uint8Array(labels.length);
  for (let y = 430; y < 460; y++) for (let x = 114; x < 134; x++) highLabels[y * W + x] = PartLabel.Foot;
  cutHemAboveFeet(raised, highLabels, labelMask(highLabels, W, FIGURE.height, [PartLabel.Foot]), body);
  assert.equal(raised.data[(470 * W + 124) * 4 + 3], 255);
  // Old trousers down to the shoe: the new ones reach it too (cut, they bared a painted ankle).
  const long = createRaster(W, FIGURE.height, 4);
  for (let y = 300; y < 580; y++) for (let x = 95; x < 205; x++) long.data.set([40, 40, 40, 255], (y * W + x) * 4);
  const coveredLabels = labels.slice();
  for (let y = 540; y < 565; y++) for (let x = 114; x < 134; x++) coveredLabels[y * W + x] = PartLabel.LowerGarment;
  cutHemAboveFeet(long, coveredLabels, labelMask(coveredLabels, W, FIGURE.height, [PartLabel.Foot]), body);
  assert.equal(long.data[(575 * W + 100) * 4 + 3], 255);
});

test('the neck kept above its base: its base curves up to the sides of a column about the neck, the shoulders\' top beside it is not neck, what is higher up is', () => {
  const person = drawnPerson();
  const { width } = FIGURE;
  const body = measureBody(person);
  const base = Math.floor(body.neck.centre.y);
  // A parsing whose neck runs out along the shoulders' slope (to a tank top's straps).
  for (let y = 86; y <= base; y++) {
    for (let x = 100; x <= 200; x++) {
      person.parsing.labels[y * width + x] = PartLabel.Neck;
      person.personMask.data[y * width + x] = 255;
    }
  }
  const neck = neckKeptAboveItsBase(person, body);
  const half = (body.neck.r.x - body.neck.l.x) / 2;
  const cx = Math.round(body.neck.centre.x);
  assert.equal(neck.data[(base - 1) * width + cx], 255, 'the neck\'s middle at its base');
  assert.equal(neck.data[(base - 1) * width + cx - Math.round(1.6 * half)], 0, 'the shoulder\'s top beside the neck');
  // Near the column's side the base is higher: right above the middle's base it is not neck, higher up it is.
  const side = cx + Math.round(1.05 * half);
  assert.equal(neck.data[(base - 1) * width + side], 0, 'the side at the middle\'s base level');
  assert.equal(neck.data[(base - Math.ceil(0.7 * half)) * width + side], 255, 'the side higher up');
  // Beside the column, neck well above the base (a turned head's neck or chin) is kept.
  assert.equal(neck.data[(base - Math.ceil(0.7 * half)) * width + cx - Math.round(1.6 * half)], 255, 'high neck beside the column');
  // The whole neck labelled above the base still counts for showsNeck's measure.
  assert.equal(neckAboveItsBase(person, body).data[(base - 1) * width + cx - Math.round(1.6 * half)], 255);
});

test('the old sleeve\'s hem shadow on the forearm is repainted with the arm when the sleeve goes', () => {
  const person = drawnPerson();
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  // Sleeves down to row 170; the forearm's skin below, darkened over rows 170-172 by the hem's shadow.
  const image = createRaster(width, height, 3);
  for (let i = 0; i < width * height; i++) {
    const y = Math.floor(i / width);
    if (labels[i] === PartLabel.UpperArm && y < 170) labels[i] = PartLabel.UpperGarment;
    const colour: [number, number, number] = labels[i] === PartLabel.Background ? [205, 205, 210]
      : labels[i] === PartLabel.UpperGarment ? [40, 70, 200]
      : labels[i] === PartLabel.UpperArm ? (y < 173 ? [150, 110, 90] : [220, 175, 145])
      : labels[i] === PartLabel.LowerGarment ? [40, 40, 45] : [225, 180, 150];
    image.data.set(colour, i * 3);
  }
  person.image = image;
  const body = measureBody(person);
  // A sleeveless red top over the torso only.
  const layer = createRaster(width, height, 4);
  for (let y = torso.y0; y < 256; y++) for (let x = torso.x0; x <= torso.x1; x++) layer.data.set([210, 30, 35, 255], (y * width + x) * 4);
  const result = composeIntoPhoto({ model: image, person, body, layer, category: 'upper_body', timings: {} });
  // The right arm's axis at row 172 (shoulder (105,120) → elbow (90,210)).
  const x = Math.round(105 - 15 * (52 / 90));
  const i = 172 * width + x;
  assert.ok(result.repaintMask.data[i] > 0, 'the hem\'s shadow is repainted');
  assert.ok(result.image.data[i * 3] > 185, `the forearm's skin there, not the shadow: ${result.image.data[i * 3]}`);
});

test('a sleeved top covers the thin band of bare shoulder above it, never the neck', () => {
  const person = drawnPerson();
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  // An old tank top: the torso's top rows are bare shoulders.
  for (let y = torso.y0; y < 126; y++) for (let x = torso.x0; x <= torso.x1; x++) labels[y * width + x] = PartLabel.TorsoSkin;
  person.image = personPhoto(labels);
  const body = measureBody(person);
  // The new top's panel starts 8 px below the shoulders' outline.
  const layer = createRaster(width, height, 4);
  for (let y = torso.y0 + 8; y < 256; y++) for (let x = torso.x0; x <= torso.x1; x++) layer.data.set([210, 30, 35, 255], (y * width + x) * 4);
  const render = (coverShoulders: boolean) => composeIntoPhoto({ model: person.image, person, body, layer: { ...layer, data: layer.data.slice() }, category: 'upper_body', timings: {}, coverShoulders });
  const covered = render(true);
  const kept = render(false);
  const red = (r: typeof covered, x: number, y: number) => r.image.data[(y * width + x) * 3];
  const green = (r: typeof covered, x: number, y: number) => r.image.data[(y * width + x) * 3 + 1];
  assert.ok(red(covered, 118, torso.y0 + 3) > 150 && green(covered, 118, torso.y0 + 3) < 80, 'the shoulder band takes the top');
  assert.ok(green(kept, 118, torso.y0 + 3) > 100, 'without sleeves it stays skin');
  assert.ok(green(covered, 150, torso.y0 + 3) > 100, 'the skin under the neck stays');
  // The shoulder's soft silhouette goes with it: no line of skin along the new shoulder's edge.
  assert.ok(red(covered, 118, torso.y0 - 1) - green(covered, 118, torso.y0 - 1) > 80, 'the silhouette\'s rim takes the top (its soft edge)');
});

test('a garment standing above the shoulders off the person is cut back to them; beside an arm or on the person it stays', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const { width, height } = FIGURE;
  const layer = createRaster(width, height, 4);
  // A flat lay's straight shoulder line at row 95, from x 100 to 240, standing 17 px above the
  // torso's top (row 112) and higher still above the arms.
  for (let y = 95; y < 260; y++) {
    for (let x = 100; x <= 240; x++) layer.data.set([210, 30, 35, 255], (y * width + x) * 4);
  }
  drapeOverShoulders(layer, person, body);
  const alpha = (x: number, y: number) => layer.data[(y * width + x) * 4 + 3];
  // Above the torso's top and above the arm, off the person: cut.
  assert.equal(alpha(185, 98), 0);
  assert.equal(alpha(200, 98), 0);
  // Right on the outline (within the fabric's thickness) and on the person: kept.
  assert.equal(alpha(185, 111), 255);
  assert.equal(alpha(150, 150), 255);
  // Beside the arm, with no body below it in its column: a loose sleeve's or panel's width stays.
  assert.equal(alpha(235, 150), 255);
  assert.equal(alpha(235, 98), 255);
});

test('hangingArms keeps the arm pixels along bones that hang beside the torso, not a forearm held across it', () => {
  // The left forearm raised across the chest (elbow at 210,210, wrist at 140,200); the right arm hangs.
  const person = drawnPerson({ joints: { left_wrist: { x: 140, y: 200 } } });
  const body = measureBody(person);
  const arms = labelMask(person.parsing.labels, FIGURE.width, FIGURE.height, [PartLabel.UpperArm]);
  const hanging = hangingArms(arms, body);
  const at = (x: number, y: number) => hanging.data[y * FIGURE.width + x];
  // Right upper arm and forearm (105,120 → 90,210 → 85,290): steep, kept.
  assert.equal(at(98, 165), 255);
  assert.equal(at(87, 250), 255);
  // Left upper arm (195,120 → 210,210): kept; the left forearm (210,210 → 140,200): not.
  assert.equal(at(202, 165), 255);
  assert.equal(at(175, 205), 0);
  // Never outside the arms it is given.
  assert.equal(at(150, 400), 0);
  // Arms akimbo: the elbow held out (upper arm 45 degrees off vertical), the forearm coming back
  // steeply to the hip: neither counts.
  const akimbo = drawnPerson({ joints: { right_elbow: { x: 45, y: 180 }, right_wrist: { x: 80, y: 290 } } });
  const akimboHanging = hangingArms(labelMask(akimbo.parsing.labels, FIGURE.width, FIGURE.height, [PartLabel.UpperArm]), measureBody(akimbo));
  // (Forearm from 45,180 to 80,290: 18 degrees off vertical, mid-point 62,235; upper arm mid-point 75,150.)
  assert.equal(akimboHanging.data[150 * FIGURE.width + 75], 0);
  assert.equal(akimbo.parsing.labels[235 * FIGURE.width + 62], PartLabel.UpperArm);
  assert.equal(akimboHanging.data[235 * FIGURE.width + 62], 0);
});

test('skin painted right under the head is shaded by it, fading down the neck; skin painted below the old garment is not', () => {
  // Three columns of 60 rows: the face down to row 9 over painted skin from row 10; the face over
  // a seen neck sliver (rows 10-11) over painted skin from row 12; the old garment over painted
  // skin from row 10 (a chest bared below a collar).
  const width = 3;
  const height = 60;
  const labels = new Uint8Array(width * height).fill(PartLabel.UpperGarment);
  const painted = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    if (y < 10) labels[y * width] = labels[y * width + 1] = PartLabel.Face;
    else if (y < 12) labels[y * width + 1] = PartLabel.Neck;
    if (y >= 10) painted[y * width] = painted[y * width + 2] = 1;
    if (y >= 12) painted[y * width + 1] = 1;
  }
  const shading = new Float32Array(width * height).fill(1);
  shadeBelowJaw(shading, painted, labels, width, height, 8);
  const at = (x: number, y: number): number => shading[y * width + x];
  assert.ok(at(0, 10) < 0.7, `darkest right under the jaw: ${at(0, 10)}`);
  assert.ok(at(0, 10) < at(0, 20) && at(0, 20) < at(0, 40), 'lighter further down');
  assert.ok(at(0, 59) > 0.99, 'unshaded far down');
  assert.ok(at(1, 12) < 0.75 && at(1, 12) > at(0, 10), 'through the neck sliver, a little less dark');
  for (let y = 10; y < height; y++) assert.equal(at(2, y), 1, `not below the old garment, row ${y}`);
});

test('a sleeve goes round the arm it dresses: the arm beside it is covered up to its cuff, not the backdrop or the arm below', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const { width, height } = FIGURE;
  const arm = body.arm.l;
  const [joint, elbow] = arm.joints;
  // The upper arm's axis at a row, and the sleeve as the warp left it, from the shoulder to 70 px
  // down the arm: all but the arm's outer quarter (a strip of the arm stands outside it).
  const axisX = (y: number) => joint.x + ((elbow.x - joint.x) * (y - joint.y)) / (elbow.y - joint.y);
  const sleeveFrom = (share: number) => {
    const layer = createRaster(width, height, 4);
    // The body panel over the torso box, the sleeve over the arm.
    for (let y = FIGURE.torso.y0; y <= 260; y++) {
      for (let x = FIGURE.torso.x0; x <= FIGURE.torso.x1; x++) layer.data.set([40, 90, 200, 255], (y * width + x) * 4);
    }
    for (let y = Math.round(joint.y); y < joint.y + 70; y++) {
      for (let x = Math.round(axisX(y) - share * arm.radius); x <= axisX(y) + arm.radius + 2; x++) layer.data.set([40, 90, 200, 255], (y * width + x) * 4);
    }
    return layer;
  };
  const cuffArc = 70;
  const placement = {
    pieces: [{ kind: 'tps' as const, name: 'sleeve-l', overArms: true, from: [], to: [], source: { without: [] }, dresses: { arm: 'l' as const, fromArc: 0, toArc: cuffArc } }],
    scale: 1,
    hemY: 300,
  };
  const layer = sleeveFrom(0.5);
  wrapSleevesRoundArms(layer, placement, person, body);
  const alpha = (x: number, y: number) => layer.data[(y * width + x) * 4 + 3];
  const y = Math.round(joint.y + 40);
  // The arm's outer half under the sleeve: covered, in the sleeve's colour.
  const outer = Math.round(axisX(y) - arm.radius * 0.8);
  assert.equal(alpha(outer, y), 255);
  assert.deepEqual([...layer.data.subarray((y * width + outer) * 4, (y * width + outer) * 4 + 3)], [40, 90, 200]);
  // The backdrop beside the arm and the arm below the cuff stay bare.
  assert.equal(alpha(Math.round(axisX(y) - arm.radius * 1.3), y), 0);
  const below = Math.round(joint.y + 85);
  assert.equal(alpha(Math.round(axisX(below) - arm.radius * 0.5), below), 0);
  // Where the photo shows the old garment there, not the arm's skin (a wider old sleeve, repainted
  // as arm and backdrop), the sleeve is not grown: it stood out as a square tab.
  const sleeved = drawnPerson();
  for (let yy = Math.round(joint.y); yy < joint.y + 70; yy++) {
    for (let x = Math.round(axisX(yy) - 2 * arm.radius); x < axisX(yy) - 0.5 * arm.radius; x++) sleeved.parsing.labels[yy * width + x] = PartLabel.UpperGarment;
  }
  const overOld = sleeveFrom(0.5);
  wrapSleevesRoundArms(overOld, placement, sleeved, body);
  assert.equal(overOld.data[(y * width + outer) * 4 + 3], 0);
  // A sleeve beside its arm rather than on it (a raised arm) is left as it is: not smeared across.
  const beside = sleeveFrom(-0.6);
  const before = beside.data.slice();
  wrapSleevesRoundArms(beside, placement, person, body);
  assert.deepEqual(beside.data, before);
});

test('the arm the photo shows below a short sleeve\'s cuff stays as it is, even dark beside a dark old top', () => {
  // Arms hanging straight down over the torso's edges.
  const person = drawnPerson({ joints: { left_elbow: { x: 198, y: 210 }, left_wrist: { x: 198, y: 290 }, right_elbow: { x: 102, y: 210 }, right_wrist: { x: 102, y: 290 } } });
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  // A dark old top and dark arms: the old garment's outline, grown over look-alike pixels, reaches
  // onto the arms where they cross the torso's edge.
  const image = createRaster(width, height, 3);
  for (let i = 0; i < width * height; i++) {
    const colour: [number, number, number] = labels[i] === PartLabel.Background ? [205, 205, 210]
      : labels[i] === PartLabel.UpperGarment ? [30, 30, 34]
      : labels[i] === PartLabel.UpperArm ? [52, 38, 32]
      : labels[i] === PartLabel.LowerGarment ? [60, 70, 120] : [225, 180, 150];
    image.data.set(colour, i * 3);
  }
  person.image = image;
  const body = measureBody(person);
  // Short sleeves: each dresses its arm from the shoulder joint to 30 px down it.
  const cuffArc = 30;
  const sleeve = (arm: 'l' | 'r') => ({ kind: 'tps' as const, name: `sleeve-${arm}`, overArms: true, from: [], to: [], source: { without: [] }, dresses: { arm, fromArc: 0, toArc: cuffArc } });
  const placement = { pieces: [sleeve('l'), sleeve('r')], scale: 1, hemY: 300 };
  const inSight = armsBelowCuffs(placement, person, body);
  assert.ok(inSight, 'sleeves that dress arms give the arms below their cuffs');
  const [joint, elbow] = body.arm.l.joints;
  const at = (p: { x: number; y: number }) => inSight.data[Math.round(p.y) * width + Math.round(p.x)];
  assert.equal(at(elbow), 255, 'the elbow, far below the cuff');
  assert.equal(at({ x: joint.x + (elbow.x - joint.x) * 0.15, y: joint.y + (elbow.y - joint.y) * 0.15 }), 0, 'under the sleeve');
  assert.equal(at({ x: 150, y: 200 }), 0, 'not the torso');
  assert.equal(armsBelowCuffs({ pieces: [], scale: 1, hemY: 300 }, person, body), undefined, 'no sleeve, no arm to keep');
  // A new light top over the torso, cut away where the arms cross its edge (as the arms in front
  // of a body panel cut it).
  const layer = createRaster(width, height, 4);
  for (let y = torso.y0; y < 256; y++) {
    for (let x = torso.x0; x <= torso.x1; x++) if (labels[y * width + x] !== PartLabel.UpperArm) layer.data.set([230, 220, 120, 255], (y * width + x) * 4);
  }
  const render = (armsInSight: ReturnType<typeof armsBelowCuffs>) => composeIntoPhoto({ model: image, person, body, layer: { ...layer, data: layer.data.slice() }, category: 'upper_body', timings: {}, armsInSight });
  const kept = render(inSight);
  const grown = render(undefined);
  // The arm pixels over the torso's edge, below the cuffs.
  let armPixels = 0;
  let changedKept = 0;
  let changedGrown = 0;
  for (let y = 180; y < 250; y++) {
    for (let x = torso.x0; x <= torso.x1; x++) {
      const i = y * width + x;
      if (labels[i] !== PartLabel.UpperArm) continue;
      armPixels++;
      const differs = (r: typeof kept) => [0, 1, 2].some((c) => r.image.data[i * 3 + c] !== image.data[i * 3 + c]);
      if (differs(kept)) changedKept++;
      if (differs(grown)) changedGrown++;
    }
  }
  assert.ok(armPixels > 50, `the arms cross the torso's edge: ${armPixels}`);
  assert.equal(changedKept, 0, 'every arm pixel below the cuffs is the photo\'s');
  assert.ok(changedGrown > armPixels * 0.2, `without it the old garment's outline takes the arm's edge: ${changedGrown} of ${armPixels}`);
});

test('at the shoulders a top stands off the person by little; below the armpits a loose sleeve may stand further off', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const { width, height } = FIGURE;
  // A layer over the whole canvas below the chin: a boxy flat lay's shoulders past the person's.
  const layer = createRaster(width, height, 4);
  for (let y = 100; y < height; y++) for (let x = 0; x < width; x++) layer.data.set([200, 40, 40, 255], (y * width + x) * 4);
  clipToEnvelope(layer, person, body, 'upper_body');
  const alpha = (x: number, y: number) => layer.data[(y * width + x) * 4 + 3];
  // The person's outermost column on a row (image right).
  const edge = (y: number) => {
    let last = -1;
    for (let x = 0; x < width; x++) if (person.personMask.data[y * width + x] >= 128) last = x;
    return last;
  };
  const off = Math.round(0.14 * body.shoulderWidth);
  // A fifth of the way from the shoulders' top to the armpits (the reach opens between the two).
  const shouldersY = Math.min(body.shoulder.l.y, body.shoulder.r.y);
  const shoulderRow = Math.round(shouldersY + 0.2 * (Math.max(body.armpit.l.y, body.armpit.r.y) - shouldersY));
  const sleeveRow = Math.round(Math.max(body.armpit.l.y, body.armpit.r.y)) + 30;
  assert.ok(shoulderRow > 100 && edge(shoulderRow) > 150);
  assert.equal(alpha(edge(shoulderRow) + off, shoulderRow), 0, `${off} px off the shoulder: cut`);
  assert.equal(alpha(edge(sleeveRow) + off, sleeveRow), 255, `${off} px off the arm below the armpit: kept`);
  assert.equal(alpha(edge(shoulderRow) - 2, shoulderRow), 255, 'on the person: kept');
});

test('a sleeve standing off its arm over the backdrop is cut back to a loose sleeve\'s ease; on the arm it stays', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const { width, height } = FIGURE;
  // The right forearm's outer edge (below the armpits, where a loose top's sleeves may stand off
  // the torso), and a long sleeve's layer from the arm's axis out over the backdrop: a sleeve laid
  // along an axis found inside the torso (a turned torso's far arm) stands that far beside the arm.
  const arm = body.arm.r;
  const [joint, elbow, wrist] = arm.joints;
  const row = Math.round(elbow.y + (wrist.y - elbow.y) * 0.4);
  let edge = -1;
  for (let x = 0; x < width; x++) if (person.personMask.data[row * width + x] >= 128) edge = x;
  const outward = edge > joint.x ? 1 : -1;
  const layer = createRaster(width, height, 4);
  for (let y = row - 10; y <= row + 10; y++) {
    for (let x = 0; x < width; x++) if ((x - (elbow.x + wrist.x) / 2) * outward >= 0) layer.data.set([200, 40, 40, 255], (y * width + x) * 4);
  }
  const alpha = (x: number) => layer.data[(row * width + x) * 4 + 3];
  const near = edge + outward * Math.round(0.5 * arm.radius);
  const far = edge + outward * Math.round(1.5 * arm.radius);
  assert.ok(far >= 0 && far < width, `the far point ${far} is on the canvas`);
  // The torso's envelope is a loose top's: it keeps a sleeve an arm's width off the arm.
  const enveloped = { ...layer, data: layer.data.slice() };
  clipToEnvelope(enveloped, person, body, 'upper_body');
  assert.equal(enveloped.data[(row * width + far) * 4 + 3], 255, 'clipToEnvelope alone keeps it');
  keepSleeveOnArm(layer, person.personMask, arm.radius);
  assert.equal(alpha(edge - outward * 2), 255, 'on the arm: kept');
  assert.equal(alpha(near), 255, 'half a radius off the arm (a loose sleeve): kept');
  assert.equal(alpha(far), 0, 'an arm and a half off the arm: cut');
});

test('above the chin a garment layer is cut, except along a raised arm: its sleeve goes up with it', () => {
  // The left arm raised: the elbow out at the head's height, the hand on the head.
  const person = drawnPerson({ joints: { left_elbow: { x: 240, y: 50 }, left_wrist: { x: 180, y: 20 } } });
  const body = measureBody(person);
  const { width, height } = FIGURE;
  // A layer over the whole person (a sleeve along the raised arm, a panel, a collar risen too high).
  const layer = createRaster(width, height, 4);
  for (let i = 0; i < width * height; i++) if (person.personMask.data[i] >= 128) layer.data.set([200, 40, 40, 255], i * 4);
  clipToEnvelope(layer, person, body, 'upper_body');
  const alpha = (x: number, y: number) => layer.data[(Math.round(y) * width + Math.round(x)) * 4 + 3];
  const chinY = body.neck.centre.y - body.shoulderWidth * 0.12;
  // The raised upper arm above the chin: kept.
  const raised = body.arm.l.joints[1].y < body.arm.r.joints[1].y ? body.arm.l : body.arm.r;
  const [shoulder, elbow] = raised.joints;
  const onArm = { x: shoulder.x + (elbow.x - shoulder.x) * 0.8, y: shoulder.y + (elbow.y - shoulder.y) * 0.8 };
  assert.ok(onArm.y < chinY - 5, `the point is above the chin: ${onArm.y} vs ${chinY}`);
  assert.equal(alpha(onArm.x, onArm.y), 255, 'the raised arm\'s sleeve stays');
  // The face above the chin, away from the arm: cut.
  assert.equal(alpha(140, 60), 0, 'nothing over the face');
  // Below the chin the torso stays.
  assert.equal(alpha(150, 200), 255);
});

test('the skin of an arm beside the old garment is never filled as backdrop where no bare limb is drawn', () => {
  const person = drawnPerson();
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  person.image = personPhoto(labels);
  const body = measureBody(person);
  // A new top narrower than the old one: a band of the old top is bared between it and each arm.
  const layer = createRaster(width, height, 4);
  for (let y = torso.y0; y < 256; y++) for (let x = torso.x0 + 14; x <= torso.x1 - 14; x++) layer.data.set([210, 30, 35, 255], (y * width + x) * 4);
  const result = composeIntoPhoto({ model: person.image, person, body, layer, category: 'upper_body', timings: {} });
  const backdrop = [205, 205, 210];
  let armBesideBand = 0;
  let filledAsBackdrop = 0;
  for (let y = 150; y < 250; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] !== PartLabel.UpperArm || result.repaintMask.data[i] === 0) continue;
      armBesideBand++;
      if ([0, 1, 2].every((c) => Math.abs(result.image.data[i * 3 + c] - backdrop[c]) <= 12)) filledAsBackdrop++;
    }
  }
  assert.ok(armBesideBand > 20, `the arms' edge beside the bared band is in the repaint region: ${armBesideBand}`);
  assert.equal(filledAsBackdrop, 0, 'none of it is backdrop-coloured');
});

test('an old collar standing round a shown neck above the chin ceiling is repainted; a piece running out of the neck\'s columns or the colour of skin is not', () => {
  const person = drawnPerson();
  const { width } = FIGURE;
  const { labels } = person.parsing;
  // A bare neck from the chin (y 86) down to the old top (y 112), as in the neck test above.
  for (let y = 86; y < 112; y++) {
    for (let x = 138; x <= 162; x++) {
      labels[y * width + x] = PartLabel.Neck;
      person.personMask.data[y * width + x] = 255;
    }
  }
  const body = measureBody(person);
  assert.equal(showsNeck(person, body), true);
  const ceiling = chinCeiling(body);
  // The old shirt's collar points beside the neck: 10 px tall above the ceiling, joined to the top
  // below it; the neck's middle stays neck.
  const collarTop = ceiling - 10;
  const inCollar = (x: number, y: number): boolean => y >= collarTop && y < 112 && ((x >= 126 && x < 138) || (x > 162 && x <= 174));
  for (let y = collarTop; y < 112; y++) {
    for (let x = 126; x <= 174; x++) {
      if (!inCollar(x, y)) continue;
      labels[y * width + x] = PartLabel.UpperGarment;
      person.personMask.data[y * width + x] = 255;
    }
  }
  person.image = personPhoto(labels);
  const collar = oldCollarAboveCeiling(person, body, 'upper_body');
  assert.equal(collar.data[(ceiling - 5) * width + 130], 255, 'the collar point above the ceiling');
  assert.equal(collar.data[(ceiling - 5) * width + 170], 255, 'the other collar point');
  assert.equal(collar.data[(ceiling - 5) * width + 150], 0, 'not the neck between them');
  for (let i = 0; i < collar.data.length; i++) if (collar.data[i]) assert.ok(Math.floor(i / width) < ceiling, 'only above the ceiling');

  // Repainted: a new top from row 112 down, whose neckline is lower than the collar.
  const layer = createRaster(width, FIGURE.height, 4);
  for (let y = 112; y < 260; y++) for (let x = 108; x <= 192; x++) layer.data.set([210, 30, 35, 255], (y * width + x) * 4);
  const oldBlue = (r: { image: Raster }, x: number, y: number): boolean => {
    const p = (y * width + x) * 3;
    return r.image.data[p] === 40 && r.image.data[p + 1] === 70 && r.image.data[p + 2] === 200;
  };
  const withCollar = composeIntoPhoto({ model: person.image, person, body, layer: structuredClone(layer), category: 'upper_body', timings: {}, oldCollar: collar });
  const without = composeIntoPhoto({ model: person.image, person, body, layer: structuredClone(layer), category: 'upper_body', timings: {} });
  assert.ok(oldBlue(without, 130, ceiling - 5), 'without it the collar stays');
  assert.ok(!oldBlue(withCollar, 130, ceiling - 5), 'with it the collar is gone');
  assert.equal(withCollar.repaintMask.data[(ceiling - 5) * width + 130], 255);

  // Old-garment pixels that run out of the neck's columns above the ceiling (hair parsed as the
  // top, a raised shoulder) are no collar: nothing of that piece is taken.
  for (let y = collarTop; y < 112; y++) for (let x = 174; x < 240; x++) if (person.personMask.data[y * width + x] >= 128 || y >= ceiling - 4) {
    labels[y * width + x] = PartLabel.UpperGarment;
    person.personMask.data[y * width + x] = 255;
  }
  const wide = oldCollarAboveCeiling(person, body, 'upper_body');
  assert.equal(wide.data[(ceiling - 2) * width + 170], 0, 'the piece that runs out of the columns');
  assert.equal(wide.data[(ceiling - 5) * width + 130], 255, 'the other collar point still');

  // A piece the colour of skin is a neck or a jaw parsed as the old top, not a collar.
  for (let y = collarTop; y < ceiling; y++) for (let x = 126; x < 138; x++) person.image.data.set([215, 170, 140], (y * width + x) * 3);
  assert.equal(oldCollarAboveCeiling(person, body, 'upper_body').data[(ceiling - 5) * width + 130], 0, 'the skin-coloured piece');
});

test("a new bottom narrower than the old one is not grown over the old one's sides, but is over a longer old hem", () => {
  const { width } = FIGURE;
  const person = drawnPerson();
  const { labels } = person.parsing;
  // The old bottom: a box from the hips down to row 470, x 100..199 (a straight skirt).
  for (let y = 290; y < 470; y++) {
    for (let x = 100; x < 200; x++) {
      const i = y * width + x;
      labels[i] = PartLabel.LowerGarment;
      person.personMask.data[i] = 255;
    }
  }
  person.image = personPhoto(labels);
  const body = measureBody(person);
  // The new one, drawn as its warped layer: green, 6 px narrower than the old one each side and
  // 6 px shorter (a thin band of the old garment beside it and below its hem).
  const layer = createRaster(width, FIGURE.height, 4);
  for (let y = 290; y < 464; y++) for (let x = 106; x < 194; x++) layer.data.set([60, 160, 70, 255], (y * width + x) * 4);
  const result = composeIntoPhoto({ model: person.image, person, body, layer, category: 'lower_body', timings: {} });
  const green = (x: number, y: number): boolean => {
    const p = (y * width + x) * 3;
    const [r, g, b] = [result.image.data[p], result.image.data[p + 1], result.image.data[p + 2]];
    return g > r + 50 && g > b + 50;
  };
  // Beside it the old cut is filled; the band below its hem is covered (a hem a finger longer,
  // no sliver of fill).
  for (const x of [101, 103, 196, 198]) assert.ok(!green(x, 380), `x ${x} beside the new bottom is not grown fabric`);
  for (const y of [465, 467]) assert.ok(green(150, y), `row ${y} below the new hem is covered`);
});

test("inLayerColumns: the old bottom's band above or below the new one in its column, not beside it", () => {
  // A solid layer x 10..19, y 10..19; the old garment's band all round it, x 4..25, y 4..27.
  const w = 30, h = 32;
  const solid = createMask(w, h);
  const target = createMask(w, h);
  for (let y = 10; y < 20; y++) for (let x = 10; x < 20; x++) solid.data[y * w + x] = 255;
  for (let y = 4; y < 28; y++) for (let x = 4; x < 26; x++) if (!solid.data[y * w + x]) target.data[y * w + x] = 255;
  const kept = inLayerColumns(target, solid, 5);
  const at = (x: number, y: number) => kept.data[y * w + x];
  // Below the hem and above the waistband within reach, in the layer's columns.
  assert.equal(at(15, 20), 255);
  assert.equal(at(15, 24), 255);
  assert.equal(at(12, 5), 255);
  // Out of reach below, and beside the layer (its sides) on any row.
  assert.equal(at(15, 26), 0);
  assert.equal(at(8, 15), 0);
  assert.equal(at(22, 15), 0);
  assert.equal(at(8, 22), 0);
});
