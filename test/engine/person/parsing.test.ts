import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { bodyGeometry } from '../../../src/engine/classic/person/geometry.ts';
import { fillHolesInTop, parsePerson } from '../../../src/engine/classic/person/parsing.ts';
import { sampleSkin, skinLikelihood } from '../../../src/engine/classic/person/skin.ts';
import { labImage } from '../../../src/imaging/colour.ts';
import { drawFigure, HAIR, HEIGHT, labelAt, TOP, WIDTH, type FigureOptions, type RGB } from './figure.ts';

function parse(options: FigureOptions = {}) {
  const figure = drawFigure(options);
  const lab = labImage(figure.image);
  const body = bodyGeometry(figure.pose);
  const skin = sampleSkin(lab, figure.image, body, figure.silhouette);
  const result = parsePerson({
    width: WIDTH,
    height: HEIGHT,
    lab,
    personMask: figure.silhouette,
    skin: skinLikelihood(lab, skin, figure.silhouette),
    pose: figure.pose,
    body,
  });
  const label = (name: keyof typeof figure.at) => labelAt(result.parsing.labels, figure.at[name]);
  return { figure, result, label };
}

test('every region of a drawn person gets its part label', () => {
  const { label, result } = parse();
  assert.equal(result.parsing.width, WIDTH);
  assert.equal(result.parsing.labels.length, WIDTH * HEIGHT);
  assert.equal(label('face'), PartLabel.Face);
  assert.equal(label('hairTop'), PartLabel.Hair);
  assert.equal(label('neck'), PartLabel.Neck);
  assert.equal(label('chest'), PartLabel.UpperGarment);
  assert.equal(label('upperSleeve'), PartLabel.UpperGarment);
  assert.equal(label('upperArm'), PartLabel.UpperArm);
  assert.equal(label('forearm'), PartLabel.LowerArm);
  assert.equal(label('hand'), PartLabel.Hand);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
  assert.equal(label('shin'), PartLabel.LowerGarment);
  assert.equal(label('shoe'), PartLabel.Foot);
  assert.equal(label('wall'), PartLabel.Background);
  assert.ok(!result.parsing.labels.includes(PartLabel.Accessory), 'nothing is an accessory');
  assert.equal(result.garments.wearsOnePiece, false);
});

test('the upper/lower split follows the garments, not the hip keypoints', () => {
  const { result, figure } = parse();
  // The top ends at row 200 in the drawing, the hips are at 210.
  assert.ok(Math.abs(result.garments.splitY - 200) <= 4, `split at ${result.garments.splitY}`);
  assert.equal(labelAt(result.parsing.labels, { x: 120, y: 196 }), PartLabel.UpperGarment);
  assert.equal(labelAt(result.parsing.labels, { x: 120, y: 205 }), PartLabel.LowerGarment);
  assert.equal(labelAt(result.parsing.labels, figure.at.hips), PartLabel.LowerGarment);
});

test('a bare midriff between a crop top and trousers is torso skin', () => {
  const { label, result } = parse({ midriff: true });
  assert.equal(label('midriff'), PartLabel.TorsoSkin);
  assert.equal(label('chest'), PartLabel.UpperGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
  assert.equal(result.garments.wearsOnePiece, false);
});

test("an open neckline's chest in the collar's shadow is torso skin down the V, not the top", () => {
  const { label, result } = parse({ openNeckline: true });
  assert.equal(label('neckline'), PartLabel.TorsoSkin);
  assert.equal(labelAt(result.parsing.labels, { x: 140, y: 125 }), PartLabel.UpperGarment, 'the top beside the V');
  assert.equal(label('neck'), PartLabel.Neck);
});

test('the same fabric from shoulders to knees is one piece', () => {
  const { result, label } = parse({ bottom: TOP });
  assert.equal(result.garments.wearsOnePiece, true);
  assert.equal(label('chest'), PartLabel.UpperGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
});

test("a top and a mini skirt of one colour are split at the waist, not at the skirt's trimmed hem", () => {
  // A black blouse over a black mini skirt: the only change down the body is the pale trim at the
  // skirt's hem above the bare thighs, which is no change between the two garments.
  const { result, label } = parse({ bottom: TOP, miniSkirt: true });
  assert.equal(result.garments.wearsOnePiece, false);
  assert.ok(result.garments.splitY < 215, `split at ${result.garments.splitY}`);
  assert.equal(label('chest'), PartLabel.UpperGarment);
  assert.equal(labelAt(result.parsing.labels, { x: 120, y: 232 }), PartLabel.LowerGarment, 'the skirt');
});

test("a one-piece garment's long sleeves below the waist are the top's, its skirt the bottom's", () => {
  // A coat or a dress with sleeves, one fabric from the shoulders to the knees: the sleeves
  // beside the skirt are the top's, or a new top leaves them standing down the arms.
  const { result, label } = parse({ longSleeves: true, bottom: TOP });
  assert.equal(result.garments.wearsOnePiece, true);
  assert.ok(result.garments.splitY < 211, 'the split lies above the cuff');
  assert.equal(label('cuff'), PartLabel.UpperGarment);
  assert.equal(label('forearm'), PartLabel.UpperGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
});

test('sleeves and trousers of a skin-like colour are garment, not arms and legs', () => {
  // Tan leather sleeves on a red jacket, camel trousers: each pixel passes the skin test (hue
  // 7-8 degrees off the face's, likelihood about 0.2), but neither is the face's skin, lit or in
  // shadow (the sleeves' hue, the trousers' chroma at their lightness).
  const tan: RGB = [150, 98, 50];
  const camel: RGB = [200, 140, 85];
  const { label } = parse({ longSleeves: true, sleeves: tan, bottom: camel });
  assert.equal(label('upperArm'), PartLabel.UpperGarment);
  assert.equal(label('forearm'), PartLabel.UpperGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
  assert.equal(label('shin'), PartLabel.LowerGarment);
  assert.equal(label('face'), PartLabel.Face);
});

test('bare forearms in shadow stay arms', () => {
  const { label } = parse({ shadedForearms: true });
  assert.equal(label('forearm'), PartLabel.LowerArm);
  assert.equal(label('upperArm'), PartLabel.UpperArm);
});

test('a forearm held in front of the torso stays an arm', () => {
  const { label } = parse({ armAcross: true });
  assert.equal(label('crossingForearm'), PartLabel.LowerArm);
  assert.equal(label('chest'), PartLabel.UpperGarment);
});

test('a bag held beside the body is an accessory, not a garment', () => {
  const { label } = parse({ bag: true });
  assert.equal(label('bag'), PartLabel.Accessory);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
  assert.equal(label('hand'), PartLabel.Hand);
});

test('a bag in the top\'s colour held beside the body is an accessory, not a garment', () => {
  const { label } = parse({ bag: true, bagColour: TOP });
  assert.equal(label('bag'), PartLabel.Accessory);
  assert.equal(label('chest'), PartLabel.UpperGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
});

test('a long sleeve\'s dark cuff at hip height, beside the trousers, is the top\'s, not the trousers\'', () => {
  const { label } = parse({ longSleeves: true });
  assert.equal(label('cuff'), PartLabel.UpperGarment);
  assert.equal(label('forearm'), PartLabel.UpperGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
});

test("a long sleeve's fold in shade, as dark as the trousers but inside the sleeve, is the top's", () => {
  const { label } = parse({ longSleeves: true, sleeveFolds: true });
  assert.equal(label('sleeveFold'), PartLabel.UpperGarment);
  assert.equal(label('forearm'), PartLabel.UpperGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
});

test('long hair over the top is hair, not garment', () => {
  const { label } = parse({ longHair: true });
  assert.equal(label('longHair'), PartLabel.Hair);
  assert.equal(label('chest'), PartLabel.UpperGarment);
});

test('a top in the colour of the hair, with a print that sets it apart, stays the top: hair does not flood the torso', () => {
  const { label } = parse({ hairColouredTop: true, longHair: true });
  assert.equal(label('lowerTop'), PartLabel.UpperGarment);
  assert.equal(label('chest'), PartLabel.UpperGarment);
});

test('a half-body crop (no knees, no ankles) still parses without leg or foot labels below the frame', () => {
  const figure = drawFigure();
  const rows = 250;
  const crop = { ...figure.image, height: rows, data: figure.image.data.slice(0, WIDTH * rows * 3) };
  const mask = { ...figure.silhouette, height: rows, data: figure.silhouette.data.slice(0, WIDTH * rows) };
  const pose = {
    ...figure.pose,
    keypoints: figure.pose.keypoints.map((k) => (/knee|ankle/.test(k.name) ? { ...k, y: k.y, score: 0.05 } : k)),
  };
  const lab = labImage(crop);
  const body = bodyGeometry(pose);
  const skin = sampleSkin(lab, crop, body, mask);
  const { parsing } = parsePerson({ width: WIDTH, height: rows, lab, personMask: mask, skin: skinLikelihood(lab, skin, mask), pose, body });
  assert.equal(labelAt(parsing.labels, figure.at.chest), PartLabel.UpperGarment);
  // The top of the thighs, just inside the frame.
  assert.equal(labelAt(parsing.labels, { x: 138, y: 240 }), PartLabel.LowerGarment);
  assert.ok(!parsing.labels.includes(PartLabel.Foot));
});

test('a photo cropped below the face (no face keypoints) still parses from arms and hands', () => {
  const figure = drawFigure();
  const top = 75;
  const rows = HEIGHT - top;
  const crop = { ...figure.image, height: rows, data: figure.image.data.slice(WIDTH * top * 3) };
  const mask = { ...figure.silhouette, height: rows, data: figure.silhouette.data.slice(WIDTH * top) };
  const pose = {
    ...figure.pose,
    keypoints: figure.pose.keypoints.map((k) => ({ ...k, y: k.y - top, score: /eye|ear|nose/.test(k.name) ? 0.05 : k.score })),
  };
  const lab = labImage(crop);
  const body = bodyGeometry(pose);
  assert.equal(body.head, undefined);
  const skin = sampleSkin(lab, crop, body, mask);
  const { parsing } = parsePerson({ width: WIDTH, height: rows, lab, personMask: mask, skin: skinLikelihood(lab, skin, mask), pose, body });
  const at = (p: { x: number; y: number }) => labelAt(parsing.labels, { x: p.x, y: p.y - top });
  assert.equal(at(figure.at.chest), PartLabel.UpperGarment);
  assert.equal(at(figure.at.forearm), PartLabel.LowerArm);
  assert.equal(at(figure.at.hand), PartLabel.Hand);
  assert.equal(at(figure.at.neck), PartLabel.Neck);
  assert.equal(at(figure.at.thigh), PartLabel.LowerGarment);
});

test("an open coat's skirts hanging below the waist split stay the top's; the trousers between them stay the bottom's", () => {
  const { label, result } = parse({ coatSkirts: true });
  assert.equal(label('coatSkirt'), PartLabel.UpperGarment);
  assert.equal(labelAt(result.parsing.labels, { x: 108, y: 245 }), PartLabel.LowerGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
  assert.equal(label('shin'), PartLabel.LowerGarment);
});

test("a bottom's waistband rising over the hips above the top's hem is the bottom's, the top beside and above it the top's", () => {
  const plain = parse();
  assert.equal(labelAt(plain.result.parsing.labels, { x: 91, y: 193 }), PartLabel.UpperGarment, 'the top at its hem');
  const { result, label } = parse({ risingWaistband: true });
  assert.ok(Math.abs(result.garments.splitY - 200) <= 4, `split at ${result.garments.splitY}`);
  assert.equal(labelAt(result.parsing.labels, { x: 91, y: 193 }), PartLabel.LowerGarment, 'left hip');
  assert.equal(labelAt(result.parsing.labels, { x: 148, y: 193 }), PartLabel.LowerGarment, 'right hip');
  assert.equal(labelAt(result.parsing.labels, { x: 120, y: 193 }), PartLabel.UpperGarment, 'the top between them');
  assert.equal(labelAt(result.parsing.labels, { x: 91, y: 178 }), PartLabel.UpperGarment, 'the top above the waistband');
  assert.equal(label('chest'), PartLabel.UpperGarment);
});

test("a navy top with a light print over its chest, on black trousers: the split is at the top's hem, not under the print", () => {
  // The print's rows read L ~35 against the plain navy's ~13 (a dog printed on a navy sweater measured 34-48).
  const { result, label } = parse({ topColour: [28, 32, 58], bottom: [14, 14, 16], chestPrint: [90, 80, 75] });
  assert.ok(Math.abs(result.garments.splitY - 200) <= 4, `split at ${result.garments.splitY}`);
  assert.equal(label('lowerTop'), PartLabel.UpperGarment);
  assert.equal(label('thigh'), PartLabel.LowerGarment);
});

test("a beard below the chin, over the neck's skin, is hair, though the top is the hair's colour", () => {
  const { label, result } = parse({ beard: true, topColour: HAIR });
  assert.equal(label('beard'), PartLabel.Hair);
  assert.equal(labelAt(result.parsing.labels, { x: 120, y: 87 }), PartLabel.Neck, 'the neck below the beard');
  assert.equal(label('chest'), PartLabel.UpperGarment);
});

test("a patch of the top's colour on the trousers, apart from the top, stays the trousers'", () => {
  const { result } = parse({ thighPatch: true });
  assert.equal(labelAt(result.parsing.labels, { x: 138, y: 253 }), PartLabel.LowerGarment);
});

test("an open coat of another fabric than the top under it: its skirts below the split are the top's, the trousers stay the bottom's", () => {
  const { label, result } = parse({ openCoat: true });
  assert.ok(result.garments.outer, 'the coat\'s sleeves give the outer layer its own colour');
  assert.equal(label('chest'), PartLabel.UpperGarment);
  assert.equal(labelAt(result.parsing.labels, { x: 90, y: 245 }), PartLabel.UpperGarment, 'left skirt');
  assert.equal(labelAt(result.parsing.labels, { x: 150, y: 245 }), PartLabel.UpperGarment, 'right skirt');
  assert.equal(labelAt(result.parsing.labels, { x: 108, y: 245 }), PartLabel.LowerGarment, 'trousers between the skirts');
  assert.equal(label('shin'), PartLabel.LowerGarment);
});

test("an open coat's skirts in the body's shade, far darker than its lit sleeves, are still the top's; the trousers stay the bottom's", () => {
  const { label, result } = parse({ openCoat: true, coatSkirtsShade: 0.6 });
  assert.equal(labelAt(result.parsing.labels, { x: 90, y: 245 }), PartLabel.UpperGarment, 'left skirt');
  assert.equal(labelAt(result.parsing.labels, { x: 150, y: 245 }), PartLabel.UpperGarment, 'right skirt');
  assert.equal(labelAt(result.parsing.labels, { x: 108, y: 245 }), PartLabel.LowerGarment, 'trousers between the skirts');
  assert.equal(label('shin'), PartLabel.LowerGarment);
});

test('a top with sleeves of its own fabric has no outer layer', () => {
  assert.equal(parse({ longSleeves: true }).result.garments.outer, undefined);
});

test("camel trousers inside a hand's capsule, beside a hand resting on them, are the trousers', the hand stays the hand", () => {
  // The forearm crosses the body and its hand rests on the waistband: the hand capsule runs on
  // past the drawn hand over the trousers, whose camel passes the skin test there.
  const camel: RGB = [200, 140, 85];
  const { label, result } = parse({ armAcross: true, bottom: camel });
  assert.equal(labelAt(result.parsing.labels, { x: 152, y: 214 }), PartLabel.LowerGarment, 'the trousers past the hand');
  assert.equal(labelAt(result.parsing.labels, { x: 143, y: 200 }), PartLabel.Hand, "the hand's middle");
  assert.equal(label('crossingForearm'), PartLabel.LowerArm);
});

test("a hole in the person mask that the top encloses below the neck is the top; one lower down, between arm and body, stays a hole", () => {
  const figure = drawFigure();
  // Headphones round the neck that the matte took for backdrop; lower, a gap the matte left open.
  const hole = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) figure.silhouette.data[y * WIDTH + x] = 0;
  };
  hole(114, 104, 126, 112);
  hole(114, 176, 126, 184);
  const lab = labImage(figure.image);
  const body = bodyGeometry(figure.pose);
  const skin = sampleSkin(lab, figure.image, body, figure.silhouette);
  const { parsing } = parsePerson({ width: WIDTH, height: HEIGHT, lab, personMask: figure.silhouette, skin: skinLikelihood(lab, skin, figure.silhouette), pose: figure.pose, body });
  assert.equal(labelAt(parsing.labels, { x: 120, y: 108 }), PartLabel.Background, 'before: the hole is backdrop');
  fillHolesInTop(figure.silhouette, parsing.labels, body);
  assert.equal(labelAt(parsing.labels, { x: 120, y: 108 }), PartLabel.UpperGarment, 'the hole below the neck');
  assert.equal(figure.silhouette.data[108 * WIDTH + 120], 255, 'and it is the person');
  assert.equal(labelAt(parsing.labels, { x: 120, y: 180 }), PartLabel.Background, 'the hole lower down');
  assert.equal(figure.silhouette.data[180 * WIDTH + 120], 0);
});
