import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, median, min, quantile } from '../../eval/stats.ts';
import type { PairRow } from '../../eval/summary.ts';
import { buildSummary, exitCodeFor, formatTable } from '../../eval/summary.ts';

test('quantiles interpolate linearly between order statistics and skip nulls', () => {
  const xs = [5, 1, 4, 2, 3, null, undefined];
  assert.equal(median(xs), 3);
  assert.equal(median([1, 2, 3, 4]), 2.5);
  // p95 of 1..20: position 0.95 · 19 = 18.05 → 19 + 0.05 · (20 - 19).
  assert.ok(Math.abs((quantile(Array.from({ length: 20 }, (_, i) => i + 1), 0.95) as number) - 19.05) < 1e-12);
  assert.equal(median([]), null);
  assert.equal(mean([2, null, 4]), 3);
  assert.equal(min([Infinity, 60, null]), 60);
  assert.equal(median([Infinity, Infinity, 70]), Infinity);
});

function row(pair: string, over: Partial<PairRow>): PairRow {
  return { pair, model: 'm', garment: 'g', category: 'upper_body', ok: true, ms: 100, timings: { a: 60, b: 40 }, outside_psnr_db: Infinity, color_delta_e: 2, remnant: 0.01, paired_ssim: null, paired_psnr_db: null, ...over };
}

test('summary: Infinity capped at 99 with a note, per-category aggregates, failures listed', () => {
  const summary = buildSummary({
    engine: { id: 'x', version: '1' },
    photos: '/p',
    peakRssMb: 512.4,
    osMaxRssMb: 600,
    rows: [
      row('a', { ms: 100, outside_psnr_db: 55.123 }),
      row('b', { ms: 300, color_delta_e: 6, remnant: 0.03, remnant_outside: 0.3, straight_cut: 0.66666, flags: ['remnant_outside', 'straight_cut'], badness: 2.1 }),
      row('c', { category: 'lower_body', ms: 200, color_delta_e: 4, remnant: null }),
      { pair: 'd', model: 'm', garment: 'g', category: 'dresses', ok: false, reason: 'EngineInputError: no person found' },
    ],
  });
  assert.equal(summary.pairs, 4);
  assert.equal(summary.succeeded, 3);
  assert.deepEqual(summary.failed, [{ pair: 'd', reason: 'EngineInputError: no person found' }]);
  assert.equal(summary.p50_ms, 200);
  assert.equal(summary.p95_ms, 290);
  assert.equal(summary.outside_psnr_db_min, 55.12);
  assert.equal(summary.outside_psnr_db_median, 99);
  assert.equal(summary.color_delta_e_median, 4);
  assert.equal(summary.remnant_median, 0.02);
  assert.equal(summary.paired_ssim_mean, null);
  assert.equal(summary.peak_rss_mb, 512);
  assert.deepEqual(summary.stage_median_ms, { a: 60, b: 40 });
  assert.equal(summary.categories.upper_body?.pairs, 2);
  assert.equal(summary.categories.lower_body?.color_delta_e_median, 4);
  assert.equal(summary.categories.dresses?.succeeded, 0);
  assert.equal(summary.rows[1].outside_psnr_db, 99);
  assert.ok(summary.notes.some((n) => n.includes('99')));
  // Every number is finite, so JSON (which writes Infinity and NaN as null) loses nothing.
  const numbers: number[] = [];
  JSON.stringify(summary, (_key, value: unknown) => {
    if (typeof value === 'number') numbers.push(value);
    return value;
  });
  assert.ok(numbers.length > 20 && numbers.every(Number.isFinite));
  assert.equal(exitCodeFor(summary), 1);
  assert.match(formatTable(summary), /FAILED: EngineInputError: no person found/);
  assert.deepEqual(summary.flag_counts, { remnant_outside: 1, flat_fill: 0, above_chin: 0, outside_envelope: 0, straight_cut: 1 });
  assert.equal(summary.categories.upper_body?.flag_counts.straight_cut, 1);
  assert.equal(summary.categories.lower_body?.flag_counts.straight_cut, 0);
  assert.equal(summary.rows[1].straight_cut, 0.667);
  const table = formatTable(summary).split('\n');
  assert.match(table[0], /bad\s+flags\s+status/);
  assert.match(table[2], /\s2\.10\s+rem\+cut\s+ok$/);
  assert.match(table[1], /\s-\s+ok$/);
  assert.match(formatTable(summary), /flags over their limits: rem 1 · flat 0 · chin 0 · env 0 · cut 1/);
});

test('exit code: 0 when all pass, 1 below --min-outside-psnr or with no pairs', () => {
  const base = { engine: { id: 'x', version: '1' }, photos: '/p', peakRssMb: 1, osMaxRssMb: 1 };
  const ok = buildSummary({ ...base, rows: [row('a', { outside_psnr_db: 51 })] });
  assert.equal(exitCodeFor(ok), 0);
  assert.equal(exitCodeFor(ok, 50), 0);
  assert.equal(exitCodeFor(ok, 52), 1);
  assert.equal(exitCodeFor(buildSummary({ ...base, rows: [] })), 1);
  const unmeasurable = buildSummary({ ...base, rows: [row('a', { outside_psnr_db: null })] });
  assert.equal(exitCodeFor(unmeasurable, 50), 1);
});

test('summary: p50 of the pairs whose model photo the engine had not just been given', () => {
  // Run order m1 (the warm-up's photo) m1 m2 m2 m3: an engine keeping its last analysis serves pairs
  // a, b... from it where the photo repeats; the new-photo p50 leaves those out.
  const rows = [
    row('a', { model: 'm1', ms: 50 }),
    row('b', { model: 'm1', ms: 60 }),
    row('c', { model: 'm2', ms: 300 }),
    row('d', { model: 'm2', ms: 70 }),
    row('e', { model: 'm3', ms: 500 }),
  ];
  const warmed = buildSummary({ engine: { id: 'x', version: '1' }, photos: '/p', peakRssMb: 1, osMaxRssMb: 1, rows, warmedModel: 'm1' });
  assert.equal(warmed.new_photo_pairs, 2);
  assert.equal(warmed.p50_new_photo_ms, 400);
  assert.equal(warmed.p50_ms, 70);
  assert.match(formatTable(warmed), /new photo 400 ms, n=2/);
  // Without a warm-up the first pair's photo is new too.
  const cold = buildSummary({ engine: { id: 'x', version: '1' }, photos: '/p', peakRssMb: 1, osMaxRssMb: 1, rows });
  assert.equal(cold.new_photo_pairs, 3);
  assert.equal(cold.p50_new_photo_ms, 300);
});
