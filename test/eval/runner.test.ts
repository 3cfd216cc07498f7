import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runEval, worstFirst } from '../../eval/runner.ts';
import { exitCodeFor } from '../../eval/summary.ts';
import { CELL_HEIGHT, CELL_WIDTH } from '../../eval/contact-sheet.ts';
import { createPainterEngine } from './fixtures/painter-engine.ts';
import { MODEL_SIZE, writeSyntheticPhotos } from './fixtures/scene.ts';

let root: string;
let photos: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'fitroom-eval-'));
  photos = join(root, 'photos');
  await writeSyntheticPhotos(photos);
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('a good engine: every output written, outside PSNR capped, no remnant, true colours, failures listed', async () => {
  const out = join(root, 'good');
  const engine = createPainterEngine();
  const summary = await runEval({ photosDir: photos, outDir: out, engine });

  assert.equal(engine.initCalls, 1);
  assert.equal(summary.pairs, 3);
  assert.equal(summary.succeeded, 2);
  assert.deepEqual(summary.failed, [{ pair: 'm1__dress', reason: 'EngineInputError: painter engine does not do dresses' }]);
  assert.equal(summary.outside_psnr_db_min, 99);
  assert.ok(summary.notes.some((n) => n.includes('+Infinity') && n.includes('99')));
  assert.equal(summary.remnant_median, 0);
  assert.ok(summary.color_delta_e_median !== null && summary.color_delta_e_median < 2, String(summary.color_delta_e_median));
  // The truth photo is exactly the painter's output: SSIM 1, PSNR capped.
  assert.equal(summary.paired_count, 1);
  assert.equal(summary.paired_ssim_mean, 1);
  assert.equal(summary.paired_psnr_mean, 99);
  assert.ok(summary.notes.some((n) => n.includes('never tune')));
  assert.ok(summary.p50_ms !== null && summary.p95_ms !== null && summary.p95_ms >= summary.p50_ms);
  assert.ok(summary.peak_rss_mb > 0);
  assert.deepEqual(Object.keys(summary.stage_median_ms), ['analyse', 'paint']);
  assert.equal(summary.categories.upper_body?.succeeded, 2);
  assert.equal(summary.categories.dresses?.succeeded, 0);
  assert.equal(exitCodeFor(summary), 1, 'a failed pair fails the run');

  const written = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  assert.equal(written.outside_psnr_db_min, 99);
  assert.equal(written.rows.length, 3);
  assert.equal(written.rows[0].outside_psnr_db, 99);
  assert.equal(written.rows[0].color_region, 'diagnostics.newGarment');

  const result = await sharp(join(out, 'm1__navy.result.png')).metadata();
  assert.deepEqual([result.width, result.height], [MODEL_SIZE.width, MODEL_SIZE.height]);
  assert.equal((await sharp(join(out, 'm2__green.mask.png')).metadata()).channels, 1, 'the mask is a grey PNG');
  const mask = await sharp(join(out, 'm2__green.mask.png')).extractChannel(0).raw().toBuffer();
  assert.ok(mask.includes(255) && mask.includes(0));
  await assert.rejects(stat(join(out, 'm1__dress.result.png')));

  // Five columns (truth included), three rows of 192x256 cells, in both sheets.
  const sheet = await sharp(join(out, 'contact-sheet.png')).metadata();
  assert.equal(sheet.width, 4 + 5 * (CELL_WIDTH + 4));
  assert.ok((sheet.height as number) > 3 * CELL_HEIGHT);
  const byId = await sharp(join(out, 'contact-sheet-by-id.png')).metadata();
  assert.deepEqual([byId.width, byId.height], [sheet.width, sheet.height]);

  // Flags: the painter's repaint mask is a box, so its hem is a ruler-straight cut; nothing else is raised.
  assert.deepEqual(written.rows[0].flags, ['straight_cut']);
  assert.equal(written.rows[0].straight_cut, 1);
  assert.ok(written.rows[0].badness >= 1);
  assert.equal(written.rows[0].remnant_outside, null, 'the painter gives no person silhouette');
  assert.equal(written.flag_counts.straight_cut, 2);
  assert.equal(written.flag_counts.flat_fill, 0);
  assert.equal(written.flag_limits.straight_cut, 0.5);
});

test('an engine that leaves the old garment: remnant 1', async () => {
  const summary = await runEval({ photosDir: photos, outDir: join(root, 'lazy'), engine: createPainterEngine({ leaveOldGarment: true }), filter: 'm1__navy' });
  assert.equal(summary.pairs, 1);
  assert.equal(summary.remnant_median, 1);
  assert.equal(summary.paired_ssim_mean !== null && summary.paired_ssim_mean < 1, true);
});

test('an engine that touches pixels outside its mask: finite outside PSNR fails --min-outside-psnr 50', async () => {
  const summary = await runEval({ photosDir: photos, outDir: join(root, 'leak'), engine: createPainterEngine({ leakOutside: true }), pairs: 2 });
  assert.equal(summary.pairs, 2);
  assert.equal(summary.failed.length, 0);
  // Every outside value off by exactly 1: MSE 1, PSNR 20·log10(255).
  assert.equal(summary.outside_psnr_db_min, 48.13);
  assert.equal(exitCodeFor(summary), 0);
  assert.equal(exitCodeFor(summary, 50), 1);
  assert.equal(exitCodeFor(summary, 45), 0);
});

test('without diagnostics: remnant null with a note, colour sampled from the repaint mask', async () => {
  const summary = await runEval({ photosDir: photos, outDir: join(root, 'nodiag'), engine: createPainterEngine({ noDiagnostics: true }), pairs: 1 });
  assert.equal(summary.remnant_median, null);
  assert.equal(summary.rows[0].remnant, null);
  assert.equal(summary.rows[0].color_region, 'repaint_mask');
  assert.ok(summary.rows[0].notes?.some((n) => n.startsWith('remnant:')));
  assert.ok(summary.notes.some((n) => n.includes('remnant is null')));
  assert.ok(summary.notes.some((n) => n.includes('sampled the repaint mask')));
});

test('a result that breaks the engine contract is a failed pair with the reason', async () => {
  const summary = await runEval({ photosDir: photos, outDir: join(root, 'contract'), engine: createPainterEngine({ wrongSize: true }), pairs: 1 });
  assert.equal(summary.succeeded, 0);
  assert.match(summary.failed[0].reason, /^contract: result image is 95x128, the model is 96x128/);
  assert.equal(exitCodeFor(summary), 1);
});

test('paired metrics resize the result to the truth photo\'s size', async () => {
  const { measurePair } = await import('../../eval/pair-metrics.ts');
  const { person, paintedPerson, productShot, NAVY } = await import('./fixtures/scene.ts');
  const model = person(0);
  const engine = createPainterEngine();
  const result = await engine.tryOn({ model, garment: productShot(NAVY), category: 'upper_body' });
  const expected = paintedPerson(0, NAVY);
  const truth2x = await sharp(expected.data, { raw: { width: 96, height: 128, channels: 3 } })
    .resize(192, 256, { kernel: 'nearest' }).raw().toBuffer();
  const metrics = await measurePair(model, productShot(NAVY), result, 'upper_body', { width: 192, height: 256, channels: 3, data: new Uint8Array(truth2x) });
  assert.ok(metrics.paired_ssim !== null && metrics.paired_ssim > 0.97, String(metrics.paired_ssim));
  assert.ok(metrics.paired_psnr_db !== null && metrics.paired_psnr_db > 30 && Number.isFinite(metrics.paired_psnr_db), String(metrics.paired_psnr_db));
});

test('worstFirst: failed pairs first, then by badness, ties in manifest order', () => {
  const row = (pair: string, ok: boolean, badness?: number) => ({ pair, model: 'm', garment: 'g', category: 'upper_body' as const, ok, badness });
  const rows = [row('a', true, 0.2), row('b', true, 3), row('c', false), row('d', true, 0.2), row('e', true, 1.5)];
  assert.deepEqual(worstFirst(rows, ['a', 'b', 'c', 'd', 'e']), ['c', 'b', 'e', 'a', 'd']);
});

test('a person cut out on a transparent background: the result PNG keeps the alpha; the sheet shows it over a checkerboard', async () => {
  const dir = join(root, 'cutout-photos');
  const out = join(root, 'cutout');
  await writeSyntheticPhotos(dir);
  // m1 with its grey backdrop made transparent.
  const rgb = await sharp(join(dir, 'model/m1.png')).raw().toBuffer();
  const rgba = Buffer.alloc(MODEL_SIZE.width * MODEL_SIZE.height * 4);
  for (let i = 0; i < MODEL_SIZE.width * MODEL_SIZE.height; i++) {
    const backdrop = rgb[i * 3] === 128 && rgb[i * 3 + 1] === 128 && rgb[i * 3 + 2] === 128;
    rgba.set([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], backdrop ? 0 : 255], i * 4);
  }
  await sharp(rgba, { raw: { width: MODEL_SIZE.width, height: MODEL_SIZE.height, channels: 4 } }).png().toFile(join(dir, 'model/m1.png'));
  const summary = await runEval({ photosDir: dir, outDir: out, engine: createPainterEngine(), filter: 'm1__navy' });
  assert.equal(summary.succeeded, 1);

  const { data, info } = await sharp(join(out, 'm1__navy.result.png')).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 4, 'RGBA result');
  const repaint = await sharp(join(out, 'm1__navy.mask.png')).extractChannel(0).raw().toBuffer();
  let kept = 0;
  for (let i = 0; i < MODEL_SIZE.width * MODEL_SIZE.height; i++) {
    if (repaint[i] !== 0) {
      assert.equal(data[i * 4 + 3], 255, `repainted pixel ${i} is opaque`);
      continue;
    }
    assert.equal(data[i * 4 + 3], rgba[i * 4 + 3], `alpha at pixel ${i}`);
    kept++;
  }
  assert.ok(kept > 1000);
  assert.equal(data[3], 0, 'the corner stays transparent');
  // The opaque models of the same eval keep writing RGB results.
  const opaque = join(root, 'good', 'm2__green.result.png');
  assert.equal((await sharp(opaque).metadata()).channels, 3);
});
