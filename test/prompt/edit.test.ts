import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../src/engine/classic/body/index.ts';
import { composeIntoPhoto } from '../../src/engine/classic/tryon.ts';
import { PartLabel, type PersonAnalysis } from '../../src/engine/classic/types.ts';
import { createMask, createRaster, type Raster } from '../../src/imaging/raster.ts';
import { closeGarmentGaps, type GapGround, guidanceKeptDetail, guidanceOpacity, keepPhotoDetail, keepPhotoDetailWhere, recolourRimBeside, relaxResultSeam } from '../../src/engine/prompt/blend.ts';
import { rgbToLab } from '../../src/engine/prompt/colors.ts';
import { allowedFlare, buildPromptLayer, editAnalysedPerson, FLARE_MARGIN, MAX_SKIRT_FLARE, trimOutwardSteps, underNewGarment } from '../../src/engine/prompt/edit.ts';
import { parsePrompt } from '../../src/engine/prompt/parser.ts';
import { createRandom } from '../../src/engine/prompt/random.ts';
import { Part } from '../../src/engine/prompt/silhouette.ts';
import { ciede2000 } from '../../eval/metrics/ciede2000.ts';
import { drawnPerson } from '../engine/placement/figure.ts';

let figure: { person: PersonAnalysis; photo: Raster } | undefined;

/**
 * The drawn figure as a photo: grey backdrop, skin, a dark green top with a white chest print
 * (so guidance has an old garment and an old print to replace) and blue trousers.
 */
function figurePhoto(): { person: PersonAnalysis; photo: Raster } {
  // Drawn once per process; each caller gets its own deep copy (person.image stays the photo).
  figure ??= drawFigurePhoto();
  return structuredClone(figure);
}

function drawFigurePhoto(): { person: PersonAnalysis; photo: Raster } {
  const person = drawnPerson();
  const { width, height } = person.personMask;
  const photo = createRaster(width, height, 3);
  const labels = person.parsing.labels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let rgb: [number, number, number] = [200, 200, 200];
      switch (labels[i]) {
        case PartLabel.UpperGarment: {
          const print = x > 130 && x < 170 && y > 160 && y < 200 && (x + y) % 12 < 6;
          rgb = print ? [240, 240, 240] : [30, 90, 50];
          break;
        }
        case PartLabel.LowerGarment:
          rgb = [40, 60, 140];
          break;
        case PartLabel.Background:
          break;
        default:
          rgb = [220, 170, 140];
      }
      // A soft vertical light gradient, so shading has something to borrow.
      const light = 0.9 + 0.1 * Math.sin(y / 40);
      photo.data.set(rgb.map((c) => Math.round(c * light)), i * 3);
    }
  }
  return { person: { ...person, image: photo }, photo };
}

function render(prompt: string, guidance: number, steps: number, seed = 3) {
  const { person, photo } = figurePhoto();
  const body = measureBody(person);
  const spec = parsePrompt(prompt).garments[0];
  const built = buildPromptLayer(spec, person, body, createRandom(seed).fork(`garment:${spec.category}`), guidance, steps);
  // composeIntoPhoto scales and occludes the layer in place: keep its coverage as built.
  const coverage = built.layer.data.filter((_, k) => k % 4 === 3);
  // (The outline as drawn, as the prompt engine composes it: exactOutline.)
  const result = composeIntoPhoto({ model: photo, person, body, layer: built.layer, category: spec.category, timings: {}, opacity: guidanceOpacity(guidance), exactOutline: true });
  return { result, built, photo, coverage };
}

test('guidance: the opacity and kept-detail terms are monotonic over 1..100', () => {
  for (let g = 1; g < 100; g++) {
    assert.ok(guidanceOpacity(g + 1) >= guidanceOpacity(g));
    assert.ok(guidanceKeptDetail(g + 1) < guidanceKeptDetail(g));
  }
  assert.ok(Math.abs(guidanceOpacity(1) - 0.2) < 1e-9);
  assert.equal(guidanceOpacity(50), 1);
  assert.equal(guidanceKeptDetail(100), 0);
});

test('guidance: mean ΔE00 of the rendered garment to the requested colour falls as guidance rises', (t) => {
  const red = rgbToLab([200, 16, 46]);
  const meanDeltaE = (guidance: number): number => {
    const { result, built, coverage } = render('a red t-shirt', guidance, 28);
    const img = result.image;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < built.silhouette.part.length; i++) {
      // The t-shirt's body panel over the old top (the print included), away from the seam.
      if (built.silhouette.part[i] !== Part.Panel || coverage[i] !== 255) continue;
      const y = Math.floor(i / img.width);
      if (y < 140 || y > 240) continue;
      sum += ciede2000(rgbToLab([img.data[i * 3], img.data[i * 3 + 1], img.data[i * 3 + 2]]), red);
      n++;
    }
    assert.ok(n > 1000, `${n} pixels measured`);
    return sum / n;
  };
  const values = [1, 25, 50, 75, 100].map(meanDeltaE);
  t.diagnostic(`mean ΔE00 by guidance 1/25/50/75/100: ${values.map((v) => v.toFixed(2)).join(' ')}`);
  for (let k = 1; k < values.length; k++) assert.ok(values[k] < values[k - 1], `ΔE by guidance 1/25/50/75/100: ${values.map((v) => v.toFixed(2)).join(' ')}`);
  assert.ok(values[0] - values[4] > 10, 'a tint at 1 is far from the full replacement at 100');
});

test('steps: the seam gradient energy falls as steps rise (layer alpha strictly, the rendered photo overall)', (t) => {
  const seamEnergy = (steps: number): { alpha: number; image: number } => {
    const { result, built, coverage } = render('a red t-shirt', 100, steps);
    const img = result.image;
    const w = img.width;
    const cov = built.silhouette.coverage.data;
    let alpha = 0;
    let image = 0;
    for (let y = 1; y < img.height - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        // Seam band: pixels whose 5x5 neighbourhood crosses the silhouette outline.
        let inside = false;
        let outside = false;
        for (let dy = -2; dy <= 2; dy++) {
          for (let dx = -2; dx <= 2; dx++) {
            const j = Math.min(cov.length - 1, Math.max(0, i + dy * w + dx));
            if (cov[j] >= 128) inside = true;
            else outside = true;
          }
        }
        if (!inside || !outside) continue;
        const ax = coverage[i + 1] - coverage[i];
        const ay = coverage[i + w] - coverage[i];
        alpha += ax * ax + ay * ay;
        for (let c = 0; c < 3; c++) {
          const gx = img.data[(i + 1) * 3 + c] - img.data[i * 3 + c];
          const gy = img.data[(i + w) * 3 + c] - img.data[i * 3 + c];
          image += gx * gx + gy * gy;
        }
      }
    }
    return { alpha, image };
  };
  const values = [1, 5, 15, 28, 50].map(seamEnergy);
  const show = values.map((v) => `${v.alpha.toFixed(0)}/${v.image.toFixed(0)}`).join(' ');
  t.diagnostic(`alpha/image seam energy by steps 1/5/15/28/50: ${show}`);
  for (let k = 1; k < values.length; k++) assert.ok(values[k].alpha < values[k - 1].alpha, `alpha/image seam energy by steps 1/5/15/28/50: ${show}`);
  assert.ok(values[4].image < values[0].image * 0.95, `the rendered seam is smoother at 50 steps than at 1: ${show}`);
});

test('prompt layer + compose: same inputs and seed give identical bytes; other seeds differ but stay valid', () => {
  const a = render('a black and white striped t-shirt', 50, 28, 7).result;
  const b = render('a black and white striped t-shirt', 50, 28, 7).result;
  const c = render('a black and white striped t-shirt', 50, 28, 8).result;
  assert.deepEqual(a.image.data, b.image.data);
  assert.deepEqual(a.repaintMask.data, b.repaintMask.data);
  let differ = 0;
  for (let i = 0; i < a.image.data.length; i++) if (a.image.data[i] !== c.image.data[i]) differ++;
  assert.ok(differ > 1000, `${differ} bytes differ between seeds`);
  // Outside the repaint mask every pixel is the photo's own.
  const { photo } = figurePhoto();
  for (const r of [a, c]) {
    for (let i = 0; i < r.repaintMask.data.length; i++) {
      if (r.repaintMask.data[i] !== 0) continue;
      for (let ch = 0; ch < 3; ch++) assert.equal(r.image.data[i * 3 + ch], photo.data[i * 3 + ch]);
    }
  }
});

/** The whole prompt edit after person analysis, on the drawn figure (product-shot path for new garments). */
async function edit(prompt: string, seed = 3, guidance = 50, steps = 28) {
  const { person, photo } = figurePhoto();
  const body = measureBody(person);
  const details = await editAnalysedPerson({ model: photo, prompt, seed, guidanceScale: guidance, steps, diagnostics: true }, person, body);
  return { ...details, photo, person };
}

function meanDiff(a: Raster, b: Raster, pick: (x: number, y: number) => boolean): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (!pick(x, y)) continue;
      const p = (y * a.width + x) * 3;
      for (let c = 0; c < 3; c++) sum += Math.abs(a.data[p + c] - b.data[p + c]);
      n += 3;
    }
  }
  return n === 0 ? 0 : sum / n;
}

test('product-shot edit: a dress replaces top and trousers as one piece; the input stays outside the mask; exact per seed', async () => {
  const a = await edit('a coral wrap dress, knee length', 7);
  const b = await edit('a coral wrap dress, knee length', 7);
  const c = await edit('a coral wrap dress, knee length', 8);
  assert.equal(a.garments[0].spec.category, 'dresses');
  assert.ok(a.garments[0].productShot, 'drawn as a product shot');
  assert.deepEqual(a.result.image.data, b.result.image.data);
  assert.deepEqual(a.result.repaintMask.data, b.result.repaintMask.data);
  assert.ok(meanDiff(a.result.image, c.result.image, () => true) > 0.05, 'another seed, another garment');
  const { labels } = a.person.parsing;
  const coral = rgbToLab([248, 131, 121]);
  // Over the old top (y 160..240) and the old trousers above the knee (y 300..400): coral now.
  for (const [y0, y1, where] of [[160, 240, 'torso'], [300, 400, 'thighs']] as const) {
    let near = 0;
    let n = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = 0; x < a.photo.width; x++) {
        const i = y * a.photo.width + x;
        if (labels[i] !== PartLabel.UpperGarment && labels[i] !== PartLabel.LowerGarment) continue;
        if (a.result.diagnostics?.newGarment?.data[i] !== 255) continue;
        n++;
        const d = a.result.image.data;
        if (ciede2000(rgbToLab([d[i * 3], d[i * 3 + 1], d[i * 3 + 2]]), coral) < 25) near++;
      }
    }
    assert.ok(n > 500 && near / n > 0.6, `${where}: ${near} of ${n} dress pixels are coral`);
  }
  for (let i = 0; i < a.result.repaintMask.data.length; i++) {
    if (a.result.repaintMask.data[i] !== 0) continue;
    for (let ch = 0; ch < 3; ch++) assert.equal(a.result.image.data[i * 3 + ch], a.photo.data[i * 3 + ch]);
  }
  // The classic try-on finds its own occluders: a product shot's pass never works out the arms in front.
  assert.equal(a.result.timings['prompt.arms'], undefined);
});

test('a recolour drawn on the body works out the arms in front once', async () => {
  const { result } = await edit('make it red', 3);
  assert.equal(typeof result.timings['prompt.arms'], 'number');
});

test('product-shot edit: outerwear is an upper garment laid over the kept top and bottom', async () => {
  const { result, garments, photo, person } = await edit('a navy blazer', 3);
  // Diagnostics are opt-in: without them the edit returns none and the same picture.
  const plain = await editAnalysedPerson({ model: photo, prompt: 'a navy blazer', seed: 3, guidanceScale: 50, steps: 28 }, person, measureBody(person));
  assert.equal(plain.result.diagnostics, undefined);
  assert.deepEqual(plain.result.image.data, result.image.data);
  assert.equal(garments[0].spec.category, 'upper_body');
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  // The trousers below the blazer are the photo's own.
  assert.equal(meanDiff(result.image, photo, (x, y) => y > 420 && person.parsing.labels[y * photo.width + x] === PartLabel.LowerGarment), 0);
  // In the V between the lapels the old (green) top is still there, not skin or navy (away from
  // the lapels' edges, which the seam relaxation softens over a few pixels).
  const clearOfGarment = (x: number, y: number): boolean => {
    for (let dy = -5; dy <= 5; dy++) for (let dx = -5; dx <= 5; dx++) if (newGarment.data[(y + dy) * photo.width + x + dx] !== 0) return false;
    return true;
  };
  let kept = 0;
  let n = 0;
  for (let y = 130; y < 170; y++) {
    for (let x = 140; x <= 160; x++) {
      const i = y * photo.width + x;
      if (person.parsing.labels[i] !== PartLabel.UpperGarment || !clearOfGarment(x, y)) continue;
      n++;
      if (meanDiff(result.image, photo, (xx, yy) => xx === x && yy === y) < 12) kept++;
    }
  }
  assert.ok(n > 20 && kept / n > 0.8, `${kept} of ${n} pixels of the open V keep the old top`);
});

test('underNewGarment: the V between lapels and below a jacket\'s hem are under it; beside a sleeve is not', () => {
  // A drawn jacket: torso x 40..80, y 20..70 with an open V (x 58..62, y 20..40); sleeves x 25..35
  // and 85..95 hanging from y 20 to 90, below the hem (y 70).
  const width = 120;
  const height = 120;
  const mask = { width, height, data: new Uint8Array(width * height) };
  const set = (x0: number, x1: number, y0: number, y1: number): void => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) mask.data[y * width + x] = 255;
  };
  set(40, 81, 20, 70);
  set(25, 36, 20, 90);
  set(85, 96, 20, 90);
  for (let y = 20; y < 40; y++) for (let x = 58; x <= 62; x++) mask.data[y * width + x] = 0;
  // Between the shoulders and the sleeves the torso joins them: fill the gaps at y 20..30.
  set(36, 40, 20, 30);
  set(81, 85, 20, 30);
  const under = underNewGarment(mask);
  const at = (x: number, y: number): number => under.data[y * width + x];
  assert.equal(at(60, 25), 255, 'the open V between the lapels');
  assert.equal(at(60, 80), 255, 'below the hem, between the hanging sleeves');
  assert.equal(at(60, 100), 255, 'below the hem, below the sleeves\' ends');
  assert.equal(at(38, 50), 255, 'between sleeve and torso');
  assert.equal(at(20, 50), 0, 'beside the left sleeve, outside');
  assert.equal(at(100, 50), 0, 'beside the right sleeve, outside');
  assert.equal(at(30, 100), 255, 'below a sleeve\'s end (an old cuff under a shorter sleeve)');
  assert.equal(at(22, 100), 0, 'below and outside the sleeve');
  assert.equal(at(60, 10), 0, 'above the collar');
});

test('trimOutwardSteps: a skirt that steps out into a box below the hands is cut back to its flare; old garments are left alone', () => {
  // A drawn long garment: 40 px wide (x 40..79) down to y 60 (where the hands end), then a box
  // x 20..99 down to y 100: a 20 px step out on each side. Over x 90..99, y 80..100 the person
  // wore an old garment. The pass's input ("before") is blue, the rendered garment red.
  const width = 120;
  const height = 110;
  const newGarment = { width, height, data: new Uint8Array(width * height) };
  const old = { width, height, data: new Uint8Array(width * height) };
  const image = createRaster(width, height, 3);
  const before = createRaster(width, height, 3);
  for (let i = 0; i < width * height; i++) {
    before.data.set([0, 0, 255], i * 3);
    image.data.set([0, 0, 255], i * 3);
  }
  for (let y = 10; y < 100; y++) {
    const [x0, x1] = y < 60 ? [40, 79] : [20, 99];
    for (let x = x0; x <= x1; x++) {
      newGarment.data[y * width + x] = 255;
      image.data.set([255, 0, 0], (y * width + x) * 3);
    }
  }
  for (let y = 80; y < 100; y++) for (let x = 90; x < 100; x++) old.data[y * width + x] = 255;
  trimOutwardSteps(image, newGarment, before, old, 30);
  const red = (x: number, y: number): boolean => image.data[(y * width + x) * 3] === 255;
  // Just below the step the garment widens by at most the flare; further down it has let out more.
  assert.ok(red(40, 61) && red(79, 61), 'the garment above the step is kept');
  assert.ok(!red(30, 61) && newGarment.data[61 * width + 30] === 0, 'the box corner below the step is cut back');
  const reach = Math.floor(40 - MAX_SKIRT_FLARE * (70 - 59));
  assert.ok(red(reach + 1, 70) && !red(reach - 2, 70), `at y 70 the left side reaches x ${reach}`);
  assert.ok(red(95, 95), 'over the old garment the garment stays');
  assert.ok(red(40, 20) && red(79, 20), 'above fromY nothing changes');
});

test('trimOutwardSteps with the garment\'s own flare: a straight garment spreading out at 0.4 px a row is cut back, an a-line one is not', () => {
  // A garment 40 px wide down to y 40, then each side stepping out 0.4 px a row down to y 100.
  const width = 140;
  const height = 110;
  const draw = () => {
    const newGarment = { width, height, data: new Uint8Array(width * height) };
    const image = createRaster(width, height, 3);
    const before = createRaster(width, height, 3);
    for (let y = 10; y < 100; y++) {
      const out = y < 40 ? 0 : Math.floor(0.4 * (y - 40));
      for (let x = 50 - out; x <= 89 + out; x++) {
        newGarment.data[y * width + x] = 255;
        image.data.set([255, 0, 0], (y * width + x) * 3);
      }
    }
    return { newGarment, image, before, old: { width, height, data: new Uint8Array(width * height) } };
  };
  assert.equal(allowedFlare(undefined), MAX_SKIRT_FLARE);
  assert.equal(allowedFlare(0.06), 0.06 + FLARE_MARGIN);
  assert.equal(allowedFlare(2), MAX_SKIRT_FLARE);
  const straight = draw();
  trimOutwardSteps(straight.image, straight.newGarment, straight.before, straight.old, 20, allowedFlare(0.06));
  const reach = 50 - Math.ceil((0.06 + FLARE_MARGIN) * (95 - 40));
  assert.equal(straight.newGarment.data[95 * width + 50 - 22], 0, 'the straight garment\'s spread-out side is cut');
  assert.ok(straight.newGarment.data[95 * width + reach + 1] === 255, `it reaches x ${reach} at y 95`);
  const aline = draw();
  trimOutwardSteps(aline.image, aline.newGarment, aline.before, aline.old, 20, allowedFlare(0.3));
  assert.deepEqual(aline.newGarment.data, draw().newGarment.data, 'the a-line garment keeps its whole outline');
});

test('product-shot edit: overalls are worn over the kept top', async () => {
  const { result, garments, photo, person } = await edit('denim overalls', 3);
  assert.equal(garments[0].spec.form, 'overalls');
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  const { labels } = person.parsing;
  // The old top's pixels clear of the overalls (beside the bib, round the straps) are the photo's
  // own green top, not the skin a full-body pass fills where a top is taken off.
  const clear = (x: number, y: number): boolean => {
    for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) if ((newGarment.data[(y + dy) * photo.width + x + dx] ?? 0) !== 0) return false;
    return true;
  };
  let kept = 0;
  let n = 0;
  for (let y = 5; y < photo.height - 5; y++) {
    for (let x = 5; x < photo.width - 5; x++) {
      if (labels[y * photo.width + x] !== PartLabel.UpperGarment || !clear(x, y)) continue;
      n++;
      if (meanDiff(result.image, photo, (xx, yy) => xx === x && yy === y) < 12) kept++;
    }
  }
  assert.ok(n > 200 && kept / n > 0.8, `${kept} of ${n} top pixels beside the bib keep the old top`);
});

test('product-shot edit: a knee-length coat hangs over the kept trousers to its own length', async () => {
  // Put on as an upper_body garment, the classic engine drew a trench coat only to the hip.
  const { result, garments, photo, person } = await edit('a beige trench coat', 3);
  assert.equal(garments[0].spec.category, 'upper_body');
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  const { labels } = person.parsing;
  let covered = 0;
  let n = 0;
  // The thighs (the trousers from below the hip to above the knee).
  for (let y = 300; y < 380; y++) {
    for (let x = 0; x < photo.width; x++) {
      const i = y * photo.width + x;
      if (labels[i] !== PartLabel.LowerGarment) continue;
      n++;
      if (newGarment.data[i] >= 128) covered++;
    }
  }
  assert.ok(n > 500 && covered / n > 0.6, `${covered} of ${n} thigh pixels under the coat`);
  // Below its hem the trousers are the photo's own, not legs the full-body pass would have bared.
  let hem = 0;
  for (let y = 0; y < photo.height; y++) for (let x = 0; x < photo.width; x++) if (newGarment.data[y * photo.width + x] >= 128) hem = Math.max(hem, y);
  const below = (x: number, y: number): boolean => y > hem + 6 && labels[y * photo.width + x] === PartLabel.LowerGarment;
  assert.ok(meanDiff(result.image, photo, below) < 3, `trousers below the hem (y > ${hem}) kept`);
});

test('product-shot edit: guidance moves the result from a tint towards the full garment', async () => {
  const torso = (x: number, y: number): boolean => y > 170 && y < 240 && x > 120 && x < 180;
  const low = await edit('a red t-shirt', 3, 1);
  const high = await edit('a red t-shirt', 3, 100);
  const dLow = meanDiff(low.result.image, low.photo, torso);
  const dHigh = meanDiff(high.result.image, high.photo, torso);
  assert.ok(dLow < 0.5 * dHigh, `change from the photo on the torso: ${dLow.toFixed(1)} at g=1, ${dHigh.toFixed(1)} at g=100`);
});

/**
 * At the default guidance the old garment's print must not read through a new plain garment: the
 * mean lightness of the new garment over the old print's stripes may differ from that over the
 * ground between them by at most GHOST_PRINT_MAX_LEVELS (sRGB levels, about what the eye cannot
 * pick out on a flat colour). At k = 0.064 the drawn print came through by about 8 levels.
 */
const GHOST_PRINT_MAX_LEVELS = 2;

test('product-shot edit: at the default guidance the old print does not show through a new plain top', async () => {
  const { result, photo } = await edit('a white t-shirt', 3);
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  let onPrint = 0;
  let nPrint = 0;
  let onGround = 0;
  let nGround = 0;
  // The drawn print: x 130..170, y 160..200, stripes where (x + y) % 12 < 6 (figurePhoto).
  for (let y = 162; y < 198; y++) {
    for (let x = 132; x < 168; x++) {
      const i = y * photo.width + x;
      if (newGarment.data[i] !== 255) continue;
      const l = 0.2126 * result.image.data[i * 3] + 0.7152 * result.image.data[i * 3 + 1] + 0.0722 * result.image.data[i * 3 + 2];
      if ((x + y) % 12 < 6) {
        onPrint += l;
        nPrint++;
      } else {
        onGround += l;
        nGround++;
      }
    }
  }
  assert.ok(nPrint > 200 && nGround > 200, `${nPrint} print and ${nGround} ground pixels under the new top`);
  const ghost = Math.abs(onPrint / nPrint - onGround / nGround);
  assert.ok(ghost <= GHOST_PRINT_MAX_LEVELS, `the old print shows through by ${ghost.toFixed(1)} levels`);
});

test('relaxResultSeam: the seam gradient energy falls as steps rise, only inside the mask', () => {
  const w = 60;
  const h = 60;
  const makeImage = (): Raster => {
    const img = createRaster(w, h, 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data.set(x >= 30 ? [200, 30, 40] : [60, 60, 60], (y * w + x) * 3);
    return img;
  };
  const garment = { width: w, height: h, data: new Uint8Array(w * h) };
  const within = { width: w, height: h, data: new Uint8Array(w * h) };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= 30) garment.data[y * w + x] = 255;
      if (y < 50) within.data[y * w + x] = 255;
    }
  }
  const guide = makeImage();
  const energy = (steps: number): { e: number; img: Raster } => {
    const img = makeImage();
    relaxResultSeam(img, garment, guide, within, steps);
    let e = 0;
    for (let y = 5; y < 45; y++) for (let x = 20; x < 40; x++) e += (img.data[(y * w + x + 1) * 3] - img.data[(y * w + x) * 3]) ** 2;
    return { e, img };
  };
  const values = [1, 5, 15, 28, 50].map(energy);
  for (let k = 1; k < values.length; k++) assert.ok(values[k].e < values[k - 1].e, `energy by steps: ${values.map((v) => v.e.toFixed(0)).join(' ')}`);
  // Rows outside `within` are untouched.
  const ref = makeImage();
  for (let i = 50 * w * 3; i < w * h * 3; i++) assert.equal(values[4].img.data[i], ref.data[i]);
});

test('keepPhotoDetailWhere: a rendered result detailed in place gets the bytes of an RGBA layer of its covered pixels', () => {
  // applyGuidance details a pass's result in place (an RGBA copy of a 1920x2880 result and back
  // cost more than the detail itself); the box and arithmetic must stay keepPhotoDetail's.
  const w = 120;
  const h = 90;
  const image = createRaster(w, h, 3);
  const photo = createRaster(w, h, 3);
  for (let i = 0; i < image.data.length; i++) {
    image.data[i] = 60 + ((i * 37) % 150);
    photo.data[i] = 40 + ((i * 101) % 200);
  }
  const covered = { width: w, height: h, data: new Uint8Array(w * h) };
  const region = { width: w, height: h, data: new Uint8Array(w * h) };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= 30 + (y % 7) && x < 95 && y >= 20 && y < 80) covered.data[y * w + x] = 255;
      if (x >= 20 && x < 100 && y >= 15 && y < 70) region.data[y * w + x] = x < 25 ? 128 : 255;
    }
  }
  const layer = createRaster(w, h, 4);
  for (let i = 0; i < w * h; i++) {
    if (!covered.data[i]) continue;
    layer.data.set(image.data.subarray(i * 3, i * 3 + 3), i * 4);
    layer.data[i * 4 + 3] = 255;
  }
  for (const k of [0.01, 0.5]) {
    const rgba = { ...layer, data: layer.data.slice() };
    const rgb = { ...image, data: image.data.slice() };
    keepPhotoDetail(rgba, photo, region, k);
    keepPhotoDetailWhere(rgb, covered, photo, region, k);
    let changed = 0;
    for (let i = 0; i < w * h; i++) {
      for (let c = 0; c < 3; c++) {
        const expected = covered.data[i] ? rgba.data[i * 4 + c] : image.data[i * 3 + c];
        assert.equal(rgb.data[i * 3 + c], expected, `pixel ${i % w},${Math.floor(i / w)} channel ${c}, k ${k}`);
        if (rgb.data[i * 3 + c] !== image.data[i * 3 + c]) changed++;
      }
    }
    // At the default's trace (0.01) this print moves no byte; a tint's 0.5 moves many.
    if (k >= 0.5) assert.ok(changed > 0, `k ${k} changed something`);
  }
});

test('recolourRimBeside: a garment\'s skin-tinted rim beside a kept top takes the garment\'s colour; beside the backdrop and outside the mask it stays', () => {
  // A 20 px wide blue strap (x 20..39) whose outer 3 px each side were painted over skin (pink),
  // the kept navy top left of it, the backdrop right of it.
  const w = 60;
  const h = 40;
  const image = createRaster(w, h, 3);
  const garment = createMask(w, h);
  const within = createMask(w, h);
  const pink: [number, number, number] = [130, 100, 107];
  const blue: [number, number, number] = [137, 157, 180];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const inStrap = x >= 20 && x < 40;
      const rim = inStrap && (x < 23 || x >= 37);
      const c = inStrap ? (rim ? pink : blue) : x < 20 ? [35, 34, 51] : [250, 250, 250];
      for (let k = 0; k < 3; k++) image.data[i * 3 + k] = c[k];
      if (inStrap) garment.data[i] = 255;
      within.data[i] = y < 30 ? 255 : 0;
    }
  }
  const kept = (i: number): boolean => i % w < 20;
  recolourRimBeside(image, garment, kept, within, 4);
  const at = (x: number, y: number): number[] => [...image.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3)];
  for (const x of [20, 21, 22]) assert.deepEqual(at(x, 15), blue, `rim pixel ${x} beside the kept top`);
  assert.deepEqual(at(38, 15), pink, 'beside the backdrop the rim is left (the classic edge is its own there)');
  assert.deepEqual(at(21, 35), pink, 'outside the repaint mask nothing changes');
  assert.deepEqual(at(10, 15), [35, 34, 51], 'the kept top is not touched');
});

test('closeGarmentGaps: a slit through a garment over the old skirt, or a thin one over the backdrop, takes the garment\'s colour; a hand and a wide gap stay', () => {
  // A green garment (x 10..69) with dark navy gaps: 4 px over the old skirt (rows 0-9), 4 px over
  // a hand (rows 10-19), 10 px over the skirt (rows 20-29, within maxGap), 30 px over the skirt
  // (rows 30-39), 4 px over the backdrop outside the repaint mask (rows 40-49), 10 px over the
  // backdrop (rows 50-59). The garment's own colour runs from (20,120,70) at x 10 to (40,140,90) at x 69.
  const w = 80;
  const h = 60;
  const image = createRaster(w, h, 3);
  const garment = createMask(w, h);
  const within = createMask(w, h);
  const navy = [25, 30, 70];
  const green = (x: number): number[] => [20 + (20 * (x - 10)) / 59, 120 + (20 * (x - 10)) / 59, 70 + (20 * (x - 10)) / 59].map(Math.round);
  const gapWidth = [4, 4, 10, 30, 4, 10];
  const gapOf = (y: number, x: number): boolean => Math.abs(x + 0.5 - 40) < gapWidth[Math.floor(y / 10)] / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const inGarment = x >= 10 && x < 70 && !gapOf(y, x);
      const c = inGarment ? green(x) : x >= 10 && x < 70 ? navy : [240, 240, 240];
      for (let k = 0; k < 3; k++) image.data[i * 3 + k] = c[k];
      if (inGarment) garment.data[i] = 255;
      within.data[i] = inGarment ? 255 : y < 40 ? 255 : 0;
    }
  }
  const over = (i: number): GapGround => {
    const y = Math.floor(i / w);
    const x = i % w;
    if (y >= 10 && y < 20 && x >= 37 && x < 43) return 'person';
    return x >= 10 && x < 70 && y < 40 ? 'old' : 'other';
  };
  closeGarmentGaps(image, garment, over, within, 12, 5, 2);
  const at = (x: number, y: number): number[] => Array.from(image.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3));
  const closed = (y: number, x0: number, x1: number): void => {
    for (let x = x0; x < x1; x++) {
      const want = green(x);
      at(x, y).forEach((v, k) => assert.ok(Math.abs(v - want[k]) <= 1, `row ${y} x ${x}: ${at(x, y)} vs ${want}`));
      assert.equal(garment.data[y * w + x], 255);
      assert.equal(within.data[y * w + x], 255);
    }
  };
  closed(5, 38, 42);
  closed(25, 35, 45);
  closed(45, 38, 42);
  // The hand, the wide gap over the skirt and the wider gap over the backdrop keep what they showed.
  assert.deepEqual(at(40, 15), navy);
  assert.equal(garment.data[15 * w + 40], 0);
  assert.deepEqual(at(40, 35), navy);
  assert.deepEqual(at(40, 55), navy);
  assert.equal(within.data[55 * w + 40], 0);
  // The backdrop beside the garment is no gap.
  assert.deepEqual(at(5, 5), [240, 240, 240]);
  assert.deepEqual(at(75, 5), [240, 240, 240]);
});
