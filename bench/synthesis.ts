/**
 * Patch synthesis speed (src/engine/classic/synthesis): inpaintPatches and transferDetail on a
 * drawn 768x1024 texture (woven stripes plus seeded grain) with a ~40,000 px elliptical hole and a
 * ~200,000 px source ring around it, the size of a background hole behind a removed sleeve.
 * Median of warm runs; compare with `uptime` (the machine is shared).
 */
import { loadavg } from 'node:os';
import { createMask, createRaster, type Mask, type Raster } from '../src/imaging/raster.ts';
import { createGaussianRandom } from '../src/engine/classic/render/noise.ts';
import { inpaintPatches, transferDetail } from '../src/engine/classic/synthesis/inpaint.ts';
import { printTable, round, type Bench } from './types.ts';

const WIDTH = 768;
const HEIGHT = 1024;
/** Hole: an ellipse of these semi-axes (π·120·106 ≈ 40,000 px). */
const HOLE_RX = 120;
const HOLE_RY = 106;
/** Source: the ring between the hole and an ellipse of these semi-axes, minus the hole (≈ 200,000 px). */
const SOURCE_RX = 280;
const SOURCE_RY = 270;

function scene(): { image: Raster; hole: Mask; source: Mask } {
  const image = createRaster(WIDTH, HEIGHT, 3);
  const grain = createGaussianRandom(7);
  const hole = createMask(WIDTH, HEIGHT);
  const source = createMask(WIDTH, HEIGHT);
  const cx = WIDTH / 2;
  const cy = HEIGHT / 2;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = y * WIDTH + x;
      const weave = 40 * Math.sin((2 * Math.PI * x) / 11) * Math.sin((2 * Math.PI * y) / 17);
      for (let k = 0; k < 3; k++) image.data[i * 3 + k] = Math.max(0, Math.min(255, Math.round(120 + 30 * k + weave + 8 * grain())));
      const inHole = ((x - cx) / HOLE_RX) ** 2 + ((y - cy) / HOLE_RY) ** 2 <= 1;
      const inSource = ((x - cx) / SOURCE_RX) ** 2 + ((y - cy) / SOURCE_RY) ** 2 <= 1;
      hole.data[i] = inHole ? 255 : 0;
      source.data[i] = inSource && !inHole ? 255 : 0;
    }
  }
  return { image, hole, source };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** Wall-clock and CPU (user + system) milliseconds per run, after one warm-up run (JIT). CPU time
 * is what the machine's other users cannot inflate by much; wall time is what a request waits. */
function time(runs: number, once: () => void): { wall: number[]; cpu: number[] } {
  once();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    once();
    const used = process.cpuUsage(cpuStarted);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

export const synthesisBench: Bench = {
  name: 'synthesis',
  description: 'patch synthesis: median ms for a ~40k px hole, ~200k px source, 768x1024',
  async run() {
    const runs = Number(process.env.FITROOM_BENCH_RUNS ?? 9);
    const { image, hole, source } = scene();
    let holePx = 0;
    let sourcePx = 0;
    for (let i = 0; i < hole.data.length; i++) {
      if (hole.data[i] >= 128) holePx++;
      if (source.data[i] >= 128) sourcePx++;
    }
    const inpaint = time(runs, () => inpaintPatches({ ...image, data: image.data.slice() }, hole, source));
    const detail = time(runs, () => transferDetail({ ...image, data: image.data.slice() }, hole, source));
    const load = loadavg().map((v) => round(v, 2));
    printTable([
      ['hole / source px', `${holePx} / ${sourcePx}`],
      ['runs', runs],
      ['inpaintPatches p50 ms', round(median(inpaint.wall), 1)],
      ['  min / max ms', `${round(Math.min(...inpaint.wall), 1)} / ${round(Math.max(...inpaint.wall), 1)}`],
      ['  CPU p50 ms', round(median(inpaint.cpu), 1)],
      ['transferDetail p50 ms', round(median(detail.wall), 1)],
      ['  min / max ms', `${round(Math.min(...detail.wall), 1)} / ${round(Math.max(...detail.wall), 1)}`],
      ['  CPU p50 ms', round(median(detail.cpu), 1)],
      ['load average 1/5/15', load.join(' ')],
    ]);
    return {
      hole_px: holePx, source_px: sourcePx, runs, load_average: load,
      inpaint_p50_ms: median(inpaint.wall), inpaint_cpu_p50_ms: median(inpaint.cpu),
      detail_p50_ms: median(detail.wall), detail_cpu_p50_ms: median(detail.cpu),
    };
  },
};
