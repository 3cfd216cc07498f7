import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { BENCH_SIZE, benchEngine, loadBenchPairFromManifest } from '../../eval/bench-engine.ts';
import { parseEvalArgs } from '../../eval/tryon.ts';
import { createPainterEngine } from './fixtures/painter-engine.ts';
import { writeSyntheticPhotos } from './fixtures/scene.ts';

let root: string;
let photos: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'fitroom-eval-cli-'));
  photos = join(root, 'photos');
  await writeSyntheticPhotos(photos);
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'eval/tryon.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('parseEvalArgs: defaults, numbers checked, required folders', () => {
  assert.deepEqual(parseEvalArgs(['--photos', 'p', '--out', 'o']), {
    photos: 'p', out: 'o', engine: 'classic', pairs: undefined, filter: undefined, minOutsidePsnr: undefined, warmup: true,
  });
  const full = parseEvalArgs(['--photos', 'p', '--out', 'o', '--engine', 'test', '--pairs', '3', '--filter', 'x', '--min-outside-psnr', '50', '--no-warmup']);
  assert.equal(full.pairs, 3);
  assert.equal(full.minOutsidePsnr, 50);
  assert.equal(full.warmup, false);
  assert.throws(() => parseEvalArgs(['--photos', 'p']), /--out DIR is required/);
  assert.throws(() => parseEvalArgs(['--photos', 'p', '--out', 'o', '--pairs', '0']), /--pairs/);
  assert.throws(() => parseEvalArgs(['--photos', 'p', '--out', 'o', '--min-outside-psnr', 'high']), /--min-outside-psnr/);
  assert.throws(() => parseEvalArgs(['--photos', 'p', '--out', 'o', '--bogus']));
});

test('npm run eval with the registry\'s test engine: exit 0, table on stdout, summary.json written', () => {
  const out = join(root, 'cli');
  const r = runCli(['--photos', photos, '--out', out, '--engine', 'test', '--min-outside-psnr', '50']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^pair\s+category\s+ms\s+out dB/m);
  assert.match(r.stdout, /3\/3 ok/);
  return readFile(join(out, 'summary.json'), 'utf8').then((text) => {
    const summary = JSON.parse(text);
    assert.equal(summary.engine.id, 'test');
    assert.equal(summary.outside_psnr_db_min, 99);
  });
});

test('npm run eval exits 1 when a pair fails and 2 on bad arguments or a bad manifest', async () => {
  // The test engine refuses a garment photo of one flat colour.
  const bad = join(root, 'bad-photos');
  await writeSyntheticPhotos(bad);
  await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 200, b: 200 } } }).png().toFile(join(bad, 'garment/flat.png'));
  const manifest = JSON.parse(await readFile(join(bad, 'manifest.json'), 'utf8'));
  manifest.garments.push({ id: 'blank', file: 'garment/flat.png', category: 'upper_body' });
  manifest.pairs = [{ model: 'm1', garment: 'navy', category: 'upper_body' }, { model: 'm2', garment: 'blank', category: 'upper_body' }];
  await writeFile(join(bad, 'manifest.json'), JSON.stringify(manifest));

  const failed = runCli(['--photos', bad, '--out', join(root, 'cli-bad'), '--engine', 'test']);
  assert.equal(failed.status, 1, failed.stderr);
  assert.match(failed.stdout, /FAILED: EngineInputError: garment image is blank/);
  assert.equal(runCli(['--photos', bad]).status, 2);
  await writeFile(join(bad, 'manifest.json'), JSON.stringify({ models: [], garments: [], pairs: [{ model: 'nobody', garment: 'x', category: 'upper_body' }] }));
  const unknown = runCli(['--photos', bad, '--out', join(root, 'cli-bad2'), '--engine', 'test']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown model "nobody"/);
});

test('benchEngine: model brought to 768x1024, warm runs, per-stage medians in the engine\'s order, total median', async () => {
  const engine = createPainterEngine();
  let calls = 0;
  const counting = { ...engine, tryOn: (req: Parameters<typeof engine.tryOn>[0]) => { calls++; return engine.tryOn(req); } };
  const pair = await loadBenchPairFromManifest(photos, 0);
  assert.deepEqual([pair.model.width, pair.model.height], [BENCH_SIZE.width, BENCH_SIZE.height]);
  const report = await benchEngine(counting, pair, { runs: 3, warmupRuns: 1 });
  assert.equal(calls, 4);
  assert.equal(report.runs, 3);
  assert.deepEqual(Object.keys(report.stages_ms), ['analyse', 'paint']);
  assert.ok(report.min_ms <= report.total_ms && report.total_ms <= report.max_ms);
  assert.ok(report.stage_sum_ms <= report.max_ms + 0.1, 'stages are timed inside the call');
  assert.deepEqual([report.width, report.height], [768, 1024]);
});

test('benchEngine sums only top-level stages (a dotted name is a sub-stage)', async () => {
  const nested = {
    id: 'nested', version: '1', async init() {},
    async tryOn(req: Parameters<ReturnType<typeof createPainterEngine>['tryOn']>[0]) {
      return { image: req.model, repaintMask: { width: req.model.width, height: req.model.height, data: new Uint8Array(req.model.width * req.model.height) }, timings: { person: 30, 'person.pose': 20, 'person.mask': 10, render: 5 } };
    },
  };
  const pair = await loadBenchPairFromManifest(photos, 0);
  const report = await benchEngine(nested, pair, { runs: 2, warmupRuns: 0 });
  assert.equal(report.stage_sum_ms, 35);
  assert.deepEqual(Object.keys(report.stages_ms), ['person', 'person.pose', 'person.mask', 'render']);
});
