import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../src/engine/classic/body/index.ts';
import { PartLabel } from '../../src/engine/classic/types.ts';
import { createMask, createRaster } from '../../src/imaging/raster.ts';
import { editAnalysedPerson } from '../../src/engine/prompt/edit.ts';
import { STRAP_AT, takeOffShotStraps } from '../../src/engine/prompt/straps.ts';
import { drawnPerson } from '../engine/placement/figure.ts';

/** The drawn figure in a dark green top and blue trousers on grey; `hairX` columns of the shoulders are hair (dark brown) down to y 160. */
function figure(hairX: [number, number] | null = null) {
  const person = drawnPerson();
  const { width, height } = person.personMask;
  const labels = person.parsing.labels;
  if (hairX) for (let y = 100; y < 160; y++) for (let x = hairX[0]; x <= hairX[1]; x++) if (person.personMask.data[y * width + x]) labels[y * width + x] = PartLabel.Hair;
  const photo = createRaster(width, height, 3);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    photo.data.set(l === PartLabel.UpperGarment ? [30, 90, 50] : l === PartLabel.LowerGarment ? [40, 60, 140] : l === PartLabel.Hair ? [70, 45, 30] : l === PartLabel.Background ? [200, 200, 200] : [220, 170, 140], i * 3);
  }
  return { person: { ...person, image: photo }, photo, body: measureBody(person) };
}

/** Rows of column x between the shoulders' top and the garment's top edge that are white and new garment. */
async function strapRows(prompt: string, at: number, hairX: [number, number] | null = null): Promise<{ white: number; rows: number }> {
  const { person, photo, body } = figure(hairX);
  const { result } = await editAnalysedPerson({ model: photo, prompt, seed: 4, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  const sw = body.shoulder.r.x - body.shoulder.l.x;
  let white = 0;
  let rows = 0;
  for (const side of [-1, 1]) {
    const x = Math.round(body.centreX(body.neck.centre.y) + side * at * sw);
    const top = Math.ceil((body.collarY(x) ?? body.neck.centre.y) + 2);
    // Down to where the garment's body starts in that column (a white run wider than a strap).
    for (let y = top; y < top + 40; y++) {
      const d = result.image.data;
      const whiteAt = (xx: number): boolean => {
        const i = y * photo.width + xx;
        return d[i * 3] + d[i * 3 + 1] + d[i * 3 + 2] > 3 * 200 && newGarment.data[i] >= 128;
      };
      // The garment's body: white across more than a strap's width.
      if (whiteAt(x - 6) && whiteAt(x) && whiteAt(x + 6)) break;
      rows++;
      // The strap slants a little outwards towards the shoulder: it is within 4 px of the column.
      let any = false;
      for (let dx = -4; dx <= 4; dx++) any ||= whiteAt(x + dx);
      if (any) white++;
    }
  }
  return { white, rows };
}

test('straps: a camisole has a strap over each shoulder from its top edge up; between them the chest stays bare', async () => {
  const straps = await strapRows('a white silk camisole', STRAP_AT);
  assert.ok(straps.rows > 10 && straps.white / straps.rows > 0.8, `${straps.white} of ${straps.rows} rows of the strap columns are the strap`);
  const between = await strapRows('a white silk camisole', STRAP_AT - 0.12);
  assert.ok(between.white / Math.max(1, between.rows) < 0.2, `between the straps ${between.white} of ${between.rows} rows are white`);
});

test('straps: hair falling over the shoulders stays in front of them', async () => {
  const { person } = figure();
  const body = measureBody(person);
  const sw = body.shoulder.r.x - body.shoulder.l.x;
  const x = Math.round(body.centreX(body.neck.centre.y) - STRAP_AT * sw);
  const straps = await strapRows('a white silk camisole', STRAP_AT, [x - 8, x + 8]);
  // Only the right strap's rows can be white: the left one is under the hair.
  assert.ok(straps.white <= straps.rows / 2 + 1, `${straps.white} of ${straps.rows}`);
});

test('straps: the shot\'s own straps, laid at the shoulder points, are taken off; only the drawn ones stay above the garment', async () => {
  const { person, photo, body } = figure();
  const { result } = await editAnalysedPerson({ model: photo, prompt: 'a white silk camisole', seed: 4, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  const sw = body.shoulder.r.x - body.shoulder.l.x;
  const cx = body.centreX(body.neck.centre.y);
  // Rows above the garment's body: where no run of the new garment is half a shoulder width wide.
  let stray = 0;
  for (let y = Math.floor(Math.min(body.shoulder.l.y, body.shoulder.r.y) - 10); y < photo.height; y++) {
    let run = 0;
    let widest = 0;
    for (let x = 0; x < photo.width; x++) {
      run = newGarment.data[y * photo.width + x] >= 128 ? run + 1 : 0;
      widest = Math.max(widest, run);
    }
    if (widest >= 0.5 * sw) break;
    for (let x = 0; x < photo.width; x++) if (newGarment.data[y * photo.width + x] >= 128 && Math.abs(x - cx) > (STRAP_AT + 0.08) * sw) stray++;
  }
  assert.equal(stray, 0, 'no new garment outward of the drawn straps above the garment');
});

test('straps: an off-shoulder top starts below the shoulders, bared above its neckline, with no straps left', async () => {
  const { person, photo, body } = figure();
  const { result } = await editAnalysedPerson({ model: photo, prompt: 'a white off-the-shoulder top', seed: 4, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  const sw = body.shoulder.r.x - body.shoulder.l.x;
  // Its top edge in the centre column, and in the columns where the shot's pinning straps land.
  const topIn = (x: number): number => {
    for (let y = 0; y < newGarment.height; y++) if (newGarment.data[y * newGarment.width + x] >= 128) return y;
    return newGarment.height;
  };
  const shoulderTop = Math.min(body.shoulder.l.y, body.shoulder.r.y);
  const cx = Math.round(body.centreX(body.neck.centre.y));
  assert.ok(topIn(cx) - shoulderTop >= 0.15 * sw, `neckline ${(topIn(cx) - shoulderTop).toFixed(0)} px below the shoulders (shoulder width ${sw.toFixed(0)})`);
  for (const side of [-1, 1]) {
    const x = Math.round(cx + side * 0.45 * sw);
    assert.ok(topIn(x) >= topIn(cx) - 0.05 * sw, `column ${x}: garment from row ${topIn(x)}, the neckline at ${topIn(cx)}`);
  }
});

/**
 * The drawn figure for taking the shot's straps off: its shoulders' top row, the row where the
 * garment's body starts (below the armpits), and a blank photo and new-garment mask to draw on.
 */
function strapsFigure() {
  const person = drawnPerson();
  const body = measureBody(person);
  const { width, height } = person.personMask;
  const sw = body.shoulder.r.x - body.shoulder.l.x;
  const top = Math.round(Math.min(body.shoulder.l.y, body.shoulder.r.y));
  const bodyTop = Math.round(Math.max(body.armpit.l.y, body.armpit.r.y) + 0.25 * sw);
  return { person, body, width, height, sw, cx: body.centreX(body.neck.centre.y), top, bodyTop, image: createRaster(width, height, 3), newGarment: createMask(width, height) };
}

test('straps: where the shot\'s own straps are taken off, the photo round them continues (no streaks of one colour along the rows)', () => {
  const { person, body, width, height, sw, cx, top, bodyTop, image, newGarment } = strapsFigure();
  // A photo of fine vertical stripes (a weave, a ribbed backdrop); the try-on's garment: two
  // straps 5 px wide at the shoulder points down to its body, which starts below the armpits.
  const strapCols = (x: number): boolean => [-1, 1].some((s) => Math.abs(x - (cx + s * 0.45 * sw)) <= 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const garment = y >= bodyTop || (y >= top && y < bodyTop && strapCols(x));
      image.data.set(garment ? [20, 120, 60] : x % 4 < 2 ? [210, 160, 130] : [140, 95, 75], i * 3);
      if (garment) newGarment.data[i] = 255;
    }
  }
  takeOffShotStraps(image, newGarment, person, body);
  // Rows of each strap's place whose five pixels are all one colour: a streak.
  let flat = 0;
  let rows = 0;
  for (let y = top + 2; y < bodyTop - 0.2 * sw; y++) {
    for (const s of [-1, 1]) {
      const x0 = Math.round(cx + s * 0.45 * sw) - 2;
      const values = [0, 1, 2, 3, 4].map((k) => image.data[(y * width + x0 + k) * 3]);
      rows++;
      if (values.every((v) => v === values[0])) flat++;
      assert.ok(values.every((v) => v > 100), `(${x0}, ${y}) still strap green`);
    }
  }
  assert.ok(rows > 10 && flat / rows < 0.3, `${flat} of ${rows} rows of the straps' place are one flat colour`);
});

test('straps: the place of a shot strap on the arm\'s edge is filled from the person, not from the backdrop beside it', () => {
  const { person, body, width, height, sw, cx, top, bodyTop, image, newGarment } = strapsFigure();
  // Skin in fine stripes on the person, a white backdrop; straps 7 px wide astride the person's
  // outline beside the shoulders (as the try-on lays them along the arms' edges).
  const edgeAt = (y: number, side: number): number => {
    let x = Math.round(cx);
    while (x + side >= 0 && x + side < width && person.personMask.data[y * width + x + side] >= 128) x += side;
    return x;
  };
  for (let y = 0; y < height; y++) {
    const edges = y >= top && y < bodyTop ? [edgeAt(y, -1), edgeAt(y, 1)] : [];
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const onPerson = person.personMask.data[i] >= 128;
      const garment = y >= bodyTop ? onPerson : edges.some((e) => Math.abs(x - e) <= 3);
      image.data.set(garment ? [20, 120, 60] : !onPerson ? [250, 250, 250] : x % 4 < 2 ? [210, 160, 130] : [170, 120, 95], i * 3);
      if (garment) newGarment.data[i] = 255;
    }
  }
  takeOffShotStraps(image, newGarment, person, body);
  let white = 0;
  let n = 0;
  for (let y = top + 2; y < bodyTop - 0.2 * sw; y++) {
    for (const side of [-1, 1]) {
      const e = edgeAt(y, side);
      for (let x = e - 3; x <= e + 3; x++) {
        const i = y * width + x;
        if (person.personMask.data[i] < 128) continue;
        n++;
        if (image.data[i * 3 + 2] > 200) white++;
      }
    }
  }
  assert.ok(n > 20 && white === 0, `${white} of ${n} of the straps' pixels on the person took the backdrop's white`);
});

test('straps: the shot straps\' feet and the top corners pulled out to them are taken off with the straps', () => {
  const { person, body, width, height, sw, cx, top, image, newGarment } = strapsFigure();
  // (A camisole's top edge at the armpits.)
  const bodyTop = Math.round(Math.max(body.armpit.l.y, body.armpit.r.y));
  // The garment's body 0.7 shoulder widths wide from bodyTop down; its top 0.05 shoulder widths
  // reach out 0.15 further on each side (the corner pulled to the strap), with a stub of strap
  // rising from each end; skin-coloured stripes elsewhere.
  const bodyHalf = 0.35 * sw;
  const tabHalf = bodyHalf + 0.15 * sw;
  const tabRows = Math.round(0.05 * sw);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const d = Math.abs(x - cx);
      const garment = (y >= bodyTop && d <= bodyHalf) || (y >= bodyTop && y < bodyTop + tabRows && d <= tabHalf) || (y >= top && y < bodyTop && Math.abs(d - tabHalf) <= 2);
      image.data.set(garment ? [20, 120, 60] : x % 4 < 2 ? [210, 160, 130] : [140, 95, 75], i * 3);
      if (garment) newGarment.data[i] = 255;
    }
  }
  const feet = { image: structuredClone(image), newGarment: structuredClone(newGarment) };
  takeOffShotStraps(feet.image, feet.newGarment, person, body, true);
  const tabLeft = (m: typeof newGarment): number => {
    let n = 0;
    for (let y = bodyTop; y < bodyTop + tabRows; y++) for (let x = 0; x < width; x++) if (m.data[y * width + x] >= 128 && Math.abs(x - cx) > bodyHalf + 0.03 * sw) n++;
    return n;
  };
  assert.equal(tabLeft(feet.newGarment), 0, 'no garment left beyond the body\'s sides at its top');
  // The body itself keeps every pixel.
  for (let y = bodyTop; y < height; y += 7) assert.equal(feet.newGarment.data[y * width + Math.round(cx + bodyHalf - 2)], 255, `row ${y}`);
  // An off-shoulder top's neckline is wider than its body by design: taken off without `feet`, kept.
  takeOffShotStraps(image, newGarment, person, body);
  assert.ok(tabLeft(newGarment) > 0.5 * 2 * tabRows * 0.15 * sw, 'without feet the wide top stays');
});
