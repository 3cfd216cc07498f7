import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { bottomOutOfSight, hipsBesideTrousers, legSkinBesideTrousers, shoesParsedAsBottom, trousersUnderTop } from '../../../src/engine/classic/render/kept-trousers.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createMask, type Mask } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

/** What a hip-length coat covered on the drawn figure: rows 200..380, across the body. */
function coatBared(): Mask {
  const m = createMask(FIGURE.width, FIGURE.height);
  for (let y = 200; y < 380; y++) for (let x = 100; x < 200; x++) m.data[y * FIGURE.width + x] = 255;
  return m;
}

test('trousersUnderTop: under a long top, the legs in trousers are trousers below the waistband', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const bared = coatBared();
  const trousers = trousersUnderTop(bared, person.parsing.labels, bared, body);
  assert.ok(trousers, 'the figure wears trousers (its legs are labelled as the lower garment)');
  const waistband = Math.round(body.hip.l.y - 0.15 * body.torsoLength);
  const at = (x: number, y: number) => trousers.data[y * FIGURE.width + x];
  assert.equal(at(150, waistband - 5), 0, 'above the waistband the bared zone stays skin (a midriff)');
  assert.equal(at(150, 340), 255, 'over the thighs it is trousers');
  assert.equal(at(250, 340), 0, 'nothing outside the bared zone');
});

test('trousersUnderTop: bare legs under a coat stay skin', () => {
  const person = drawnPerson();
  const { labels } = person.parsing;
  for (let i = 0; i < labels.length; i++) if (labels[i] === PartLabel.LowerGarment && Math.floor(i / FIGURE.width) > 300) labels[i] = PartLabel.Leg;
  const bared = coatBared();
  assert.equal(trousersUnderTop(bared, labels, bared, measureBody(person)), null);
});

test('trousersUnderTop: a forearm bared down to the hand at hip height stays an arm in front of the trousers', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  // A wide coat bared the arms too, down past the wrists.
  const bared = createMask(FIGURE.width, FIGURE.height);
  for (let y = 200; y < 380; y++) for (let x = 60; x < 240; x++) bared.data[y * FIGURE.width + x] = 255;
  const trousers = trousersUnderTop(bared, person.parsing.labels, bared, body);
  assert.ok(trousers);
  const at = (x: number, y: number) => trousers.data[y * FIGURE.width + x];
  const j = FIGURE.joints;
  assert.equal(at(j.right_wrist.x, j.right_wrist.y), 0, 'the wrist');
  assert.equal(at(Math.round(j.right_wrist.x - 1), j.right_wrist.y + 15), 0, 'past the wrist, towards the hand');
  assert.equal(at(150, 340), 255, 'the thighs are trousers');
});

/** The drawn figure as a photo cut above the knees shows it: its knees below the frame's bottom. */
function kneesOutOfFrame(body: ReturnType<typeof measureBody>): ReturnType<typeof measureBody> {
  const below = (leg: typeof body.leg.l): typeof body.leg.l => {
    const [hip, knee, ankle] = leg.joints;
    return { ...leg, joints: [hip, { x: knee.x, y: FIGURE.height + 40 }, { x: ankle.x, y: FIGURE.height + 80 }] };
  };
  return { ...body, leg: { l: below(body.leg.l), r: below(body.leg.r) } };
}

test('bottomOutOfSight: a photo ending at the hips, its bottom parsed as the top: below the waistband the bared zone is the bottom, kept', () => {
  const person = drawnPerson();
  const { labels } = person.parsing;
  // A black skirt under a black tee: the parsing took the bottom for the top.
  for (let i = 0; i < labels.length; i++) if (labels[i] === PartLabel.LowerGarment || labels[i] === PartLabel.Leg) labels[i] = PartLabel.UpperGarment;
  const body = kneesOutOfFrame(measureBody(person));
  const bared = coatBared();
  const kept = bottomOutOfSight(bared, labels, bared, body);
  assert.ok(kept, 'no legs show: the bottom is out of sight');
  const waistband = Math.round(body.hip.l.y - 0.15 * body.torsoLength);
  const at = (x: number, y: number) => kept.data[y * FIGURE.width + x];
  assert.equal(at(150, waistband - 5), 0, 'above the waistband the bared zone stays skin (a midriff)');
  assert.equal(at(150, waistband + 10), 255, 'below it, the bottom');
  assert.equal(at(250, waistband + 10), 0, 'nothing outside the bared zone');
  // With the knees in the frame, a band with no legs in it is a long garment's: nothing is kept.
  assert.equal(bottomOutOfSight(bared, labels, bared, measureBody(person)), null);
});

test('bottomOutOfSight: legs that show (trousers or skin) leave the decision to trousersUnderTop', () => {
  const person = drawnPerson();
  const body = kneesOutOfFrame(measureBody(person));
  const bared = coatBared();
  assert.equal(bottomOutOfSight(bared, person.parsing.labels, bared, body), null);
});

test("shoesParsedAsBottom: a pale sole parsed as the trousers, below the ankles, is the shoe; a hem's fragment of the trousers' colour stays the trousers'", () => {
  const W = 40;
  const H = 60;
  const labels = new Uint8Array(W * H);
  const lab = new Float32Array(W * H * 3);
  const paint = (x0: number, y0: number, x1: number, y1: number, label: PartLabel, colour: [number, number, number]): void => {
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        labels[y * W + x] = label;
        lab.set(colour, (y * W + x) * 3);
      }
    }
  };
  const jeans: [number, number, number] = [12, 1, -3];
  // Trousers down to row 40, a boot below (rows 40..55) with a cream sole's end (rows 52..55, columns 4..12)
  // parsed as the trousers, and a piece of the hem cut off by the boot (rows 41..44, columns 30..34).
  paint(5, 0, 35, 40, PartLabel.LowerGarment, jeans);
  paint(5, 40, 35, 55, PartLabel.Foot, [35, 15, 25]);
  paint(4, 52, 12, 55, PartLabel.LowerGarment, [88, 2, 12]);
  paint(30, 41, 34, 44, PartLabel.LowerGarment, jeans);
  const out = shoesParsedAsBottom(labels, lab, W, 40);
  assert.ok(out, 'the sole is relabelled');
  assert.equal(out[53 * W + 8], PartLabel.Foot, 'the sole is the shoe');
  assert.equal(out[42 * W + 32], PartLabel.LowerGarment, "the hem's fragment stays the trousers'");
  assert.equal(out[20 * W + 20], PartLabel.LowerGarment, 'the trousers stay the trousers');
  // A piece reaching above the ankles' row is no shoe, whatever its colour (a patch, a belt's end).
  assert.equal(shoesParsedAsBottom(labels, lab, W, 53), null);
});

test("legSkinBesideTrousers: the legs' skin beside the new trousers, down to their hem, is theirs to cover; below the hem and what is kept stay", () => {
  const W = 40;
  const H = 60;
  const labels = new Uint8Array(W * H);
  // Bare legs (columns 8..31) from row 10 down; a hand (kept) over the thigh at rows 15..19, columns 8..12.
  for (let y = 10; y < H; y++) for (let x = 8; x < 32; x++) labels[y * W + x] = PartLabel.Leg;
  const kept = createMask(W, H);
  for (let y = 15; y < 20; y++) for (let x = 8; x < 13; x++) kept.data[y * W + x] = 255;
  // New trousers (columns 12..27) down to row 40: a band of thigh either side of them.
  const solid = createMask(W, H);
  for (let y = 10; y < 40; y++) for (let x = 12; x < 28; x++) solid.data[y * W + x] = 255;
  const out = legSkinBesideTrousers(labels, kept, solid, 6);
  assert.equal(out.data[25 * W + 9], 255, 'the thigh beside the trousers');
  assert.equal(out.data[25 * W + 30], 255, 'the other side too');
  assert.equal(out.data[17 * W + 10], 0, 'the hand stays');
  assert.equal(out.data[50 * W + 20], 0, 'the shin below the hem stays bare');
  assert.equal(out.data[5 * W + 20], 0, 'no leg, nothing');
});

test("hipsBesideTrousers: the old bottom fitting the hips beside narrower new trousers is theirs to cover; an old cut past the hips, the rows below the hips and above the waistband stay", () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const W = FIGURE.width;
  const hipY = Math.round((body.hip.l.y + body.hip.r.y) / 2);
  const cx = Math.round(body.centreX(hipY));
  const joints = Math.round(Math.abs(body.leg.r.joints[0].x - body.leg.l.joints[0].x));
  const waistband = hipY - 40;
  const trousersHalf = Math.round(0.8 * joints);
  // The new trousers from the waistband, 0.8 joint spacings either side of the centre line; the
  // old bottom from above the waistband down, `oldHalf` spacings either side.
  const hips = (oldHalf: number) => {
    const old = createMask(W, FIGURE.height);
    const solid = createMask(W, FIGURE.height);
    const reach = Math.round(oldHalf * joints);
    for (let y = waistband - 20; y < FIGURE.height; y++) for (let x = Math.max(0, cx - reach); x <= Math.min(W - 1, cx + reach); x++) old.data[y * W + x] = 255;
    for (let y = waistband; y < FIGURE.height; y++) for (let x = cx - trousersHalf; x <= cx + trousersHalf; x++) solid.data[y * W + x] = 255;
    const out = hipsBesideTrousers(old, solid, body, 40);
    return (x: number, y: number) => out.data[y * W + x];
  };
  // Fitted (a curvy build's jeans, a sheath dress): the hips out to 1.05 spacings.
  const fitted = hips(1.05);
  assert.equal(fitted(cx - joints, hipY), 255, 'the hip beside the trousers');
  assert.equal(fitted(cx + joints, hipY), 255, 'the other hip');
  assert.equal(fitted(cx - trousersHalf - 2, waistband + 2), 255, 'the hips run up to the waistband');
  assert.equal(fitted(cx - joints, hipY + Math.round(0.3 * body.torsoLength)), 0, 'below the hips the legs part: the fill decides');
  assert.equal(fitted(cx - trousersHalf - 2, waistband - 5), 0, 'above the new waistband');
  assert.equal(fitted(cx, hipY), 0, 'the trousers themselves');
  // A full skirt out to 2 spacings: its own cut, not the hips.
  const full = hips(2);
  assert.equal(full(cx - joints, hipY), 0, "a full skirt's flare beside the trousers");
  assert.equal(full(cx + joints, hipY), 0);
});
