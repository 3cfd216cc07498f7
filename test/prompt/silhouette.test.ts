import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody, type Limb } from '../../src/engine/classic/body/index.ts';
import { parsePrompt } from '../../src/engine/prompt/parser.ts';
import { createRandom } from '../../src/engine/prompt/random.ts';
import { buildSilhouette, hemRow, Part, sleeveEnd, type Silhouette } from '../../src/engine/prompt/silhouette.ts';
import { drawnPerson, FIGURE } from '../engine/placement/figure.ts';

const person = drawnPerson();
const body = measureBody(person);

function silhouetteOf(prompt: string, seed = 1): Silhouette {
  const spec = parsePrompt(prompt).garments[0];
  return buildSilhouette(spec, body, person, createRandom(seed));
}

/** Point at arc length `a` along a limb's joint chain. */
function along(limb: Limb, a: number): { x: number; y: number } {
  const [s, e, w] = limb.joints;
  const upper = Math.hypot(e.x - s.x, e.y - s.y);
  if (a <= upper) return { x: s.x + ((e.x - s.x) * a) / upper, y: s.y + ((e.y - s.y) * a) / upper };
  const fore = Math.hypot(w.x - e.x, w.y - e.y);
  const t = (a - upper) / fore;
  return { x: e.x + (w.x - e.x) * t, y: e.y + (w.y - e.y) * t };
}

/** Is the point covered (by the sleeve, or by the body panel where the sleeve joins it)? */
function coveredAt(sil: Silhouette, p: { x: number; y: number }): boolean {
  return sil.coverage.data[Math.round(p.y) * sil.width + Math.round(p.x)] > 128;
}

/** Lowest covered row in the centre column band of the figure. */
function hemOf(sil: Silhouette, x0 = 140, x1 = 160): number {
  let hem = -1;
  for (let y = 0; y < sil.height; y++) {
    for (let x = x0; x <= x1; x++) if (sil.coverage.data[y * sil.width + x] > 128) hem = Math.max(hem, y);
  }
  return hem;
}

test('silhouette: sleeves end where asked, along each arm', () => {
  const cases: Array<[string, number]> = [
    ['a t-shirt with cap sleeves', 0],
    ['a t-shirt with short sleeves', 0],
    ['a t-shirt with elbow length sleeves', 0],
    ['a t-shirt with 3/4 sleeves', 0],
    ['a t-shirt with long sleeves', 0],
  ];
  let previous = -Infinity;
  for (const [prompt] of cases) {
    const spec = parsePrompt(prompt).garments[0];
    const sil = buildSilhouette(spec, body, person, createRandom(3));
    for (const arm of [body.arm.l, body.arm.r]) {
      const end = sleeveEnd(spec.sleeve!, arm);
      // Seed variation moves the end by at most 3 % of its length.
      const slack = end * 0.03 + 2;
      assert.ok(coveredAt(sil, along(arm, Math.max(1, end - slack - 1))), `${prompt}: covered just before the end (${end.toFixed(0)} px)`);
      // Close to the shoulder the arm overlaps the torso panel, so "bare past the end" is checked from mid upper arm on.
      if (end + slack + 2 > 0.45 * Math.hypot(arm.joints[1].x - arm.joints[0].x, arm.joints[1].y - arm.joints[0].y)) {
        assert.ok(!coveredAt(sil, along(arm, end + slack + 2)), `${prompt}: not covered past the end`);
      }
    }
    const end = sleeveEnd(spec.sleeve!, body.arm.l);
    assert.ok(end > previous, `${prompt}: longer than the shorter sleeve`);
    previous = end;
  }
  // A long sleeve reaches the wrist; a sleeveless top has no sleeve pixels at all.
  const wrist = FIGURE.joints.right_wrist;
  assert.ok(coveredAt(silhouetteOf('a long sleeve top'), { x: wrist.x + 1, y: wrist.y - 4 }));
  const tank = silhouetteOf('a tank top');
  assert.ok(!tank.part.some((p, i) => (p === Part.SleeveL || p === Part.SleeveR) && tank.coverage.data[i] > 0));
});

test('silhouette: hems sit where asked and in length order', () => {
  const rows = {
    knee: (body.leg.l.joints[1].y + body.leg.r.joints[1].y) / 2,
    ankle: (body.leg.l.joints[2].y + body.leg.r.joints[2].y) / 2,
  };
  let previous = -Infinity;
  for (const length of ['mini', 'above knee', 'knee length', 'midi', 'maxi']) {
    const sil = silhouetteOf(`a ${length} dress`);
    const hem = hemOf(sil);
    assert.ok(hem > previous + 5, `${length}: hem ${hem} below the shorter one (${previous})`);
    previous = hem;
  }
  const knee = hemOf(silhouetteOf('a knee length dress'));
  assert.ok(Math.abs(knee - rows.knee) < 0.15 * (rows.ankle - rows.knee), `knee hem ${knee} vs knee ${rows.knee}`);
  const maxi = hemOf(silhouetteOf('a maxi dress'));
  assert.ok(maxi >= rows.ankle - 4, `maxi hem ${maxi} reaches the ankle ${rows.ankle}`);

  // Tops: cropped above the waist, hip length at the hips, tunic below them.
  const crop = hemOf(silhouetteOf('a crop top'));
  const tee = hemOf(silhouetteOf('a t-shirt'));
  const tunic = hemOf(silhouetteOf('a tunic'));
  assert.ok(crop < body.hip.l.y - 0.35 * body.torsoLength && tee > body.hip.l.y && tunic > tee + 20, `crop ${crop}, tee ${tee}, tunic ${tunic}`);

  // Trouser legs follow the leg chain to their length (checked on the image-left leg's axis).
  const legEnd = (prompt: string): number => {
    const sil = silhouetteOf(prompt);
    const [h, k, a] = body.leg.l.joints;
    let last = -1;
    for (let y = Math.round(h.y); y < sil.height; y++) {
      const t = y <= k.y ? (y - h.y) / (k.y - h.y) : (y - k.y) / (a.y - k.y);
      const x = y <= k.y ? h.x + (k.x - h.x) * t : k.x + (a.x - k.x) * t;
      const i = y * sil.width + Math.round(x);
      if (sil.coverage.data[i] > 128 && sil.part[i] === Part.LegL) last = y;
    }
    return last;
  };
  const shorts = legEnd('shorts');
  const bermuda = legEnd('bermuda shorts');
  const capri = legEnd('capri pants');
  const full = legEnd('trousers');
  assert.ok(shorts < rows.knee - 20 && bermuda < rows.knee && capri > rows.knee && full >= rows.ankle, `${shorts} ${bermuda} ${capri} ${full}`);
});

test('silhouette: fit changes widths, loose > regular > tight; a-line and flared skirts widen', () => {
  const widthAt = (sil: Silhouette, y: number): number => {
    let n = 0;
    for (let x = 0; x < sil.width; x++) if (sil.coverage.data[y * sil.width + x] > 128 && sil.part[y * sil.width + x] === Part.Panel) n++;
    return n;
  };
  const y = Math.round(body.waist.l.y);
  const loose = widthAt(silhouetteOf('a loose t-shirt'), y);
  const regular = widthAt(silhouetteOf('a regular fit t-shirt'), y);
  const tight = widthAt(silhouetteOf('a tight t-shirt'), y);
  assert.ok(loose > regular && regular > tight, `${loose} ${regular} ${tight}`);
  const hemY = Math.round(hemRow('knee', { shoulder: 0, armpit: 0, waist: 0, hip: body.hip.l.y, knee: (body.leg.l.joints[1].y + body.leg.r.joints[1].y) / 2, ankle: 0, torso: body.torsoLength, thigh: 1, shin: 1 }) - 15);
  const pencil = widthAt(silhouetteOf('a pencil skirt'), hemY);
  const aline = widthAt(silhouetteOf('an a-line skirt'), hemY);
  const flared = widthAt(silhouetteOf('a flared skirt'), hemY);
  assert.ok(flared > aline && aline > pencil, `${flared} ${aline} ${pencil}`);
});

test('silhouette: same seed gives the same mask; another seed moves it a little', () => {
  const a = silhouetteOf('a midi dress with long sleeves', 11);
  const b = silhouetteOf('a midi dress with long sleeves', 11);
  const c = silhouetteOf('a midi dress with long sleeves', 12);
  assert.deepEqual(a.coverage.data, b.coverage.data);
  assert.notDeepEqual(a.coverage.data, c.coverage.data);
  let differ = 0;
  let covered = 0;
  for (let i = 0; i < a.coverage.data.length; i++) {
    if (a.coverage.data[i] > 0) covered++;
    if (Math.abs(a.coverage.data[i] - c.coverage.data[i]) > 128) differ++;
  }
  assert.ok(differ < covered * 0.1, `small variation: ${differ} of ${covered}`);
});

test('silhouette: a recolour covers exactly the current garment labels', () => {
  const sil = silhouetteOf('make it red');
  const labels = person.parsing.labels;
  for (let i = 0; i < labels.length; i++) {
    assert.equal(sil.coverage.data[i] > 0, labels[i] === 10 /* UpperGarment */, `pixel ${i}`);
  }
});
