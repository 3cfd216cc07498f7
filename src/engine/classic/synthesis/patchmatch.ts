/**
 * The machinery of patch-based synthesis: PatchMatch nearest-neighbour fields (Barnes et al.,
 * "PatchMatch", SIGGRAPH 2009) driven by Wexler-style expectation–maximisation over an image
 * pyramid (Wexler, Shechtman & Irani, "Space-Time Completion of Video", PAMI 2007).
 *
 * The problem is a float field (`SynthesisLevel`): interleaved values, a set of unknown pixels to
 * synthesise, and a set of usable pixels that patches may be copied from. Every unknown pixel ends
 * up as a weighted average of usable pixels only, so a colour that occurs only outside the usable
 * set can never appear in the fill. The field is float (photo colours, as the inpainting fills
 * them; a skin's signed detail layer is quilted instead, see ./grain.ts).
 *
 * Per level, coarse to fine: the nearest-neighbour field (NNF) maps the centre of every target patch
 * (one that overlaps an unknown pixel) to the centre of a source patch lying wholly in usable pixels;
 * it is improved by propagation (a neighbour's match, shifted by one) and random search (samples in
 * windows halving around the current match), scanning forwards and backwards in turn (the finest
 * level, the costliest and already close, scans forwards only); then every
 * unknown pixel is re-estimated by voting (the distance-weighted average of what all overlapping
 * matched patches say about it). The coarsest level starts from a smooth pull–push fill and a
 * random NNF; each finer level starts from the coarser NNF scaled up by 2, which already places the
 * structure, so its search only refines locally, and from the pixels that NNF copies. All state lives in typed arrays allocated per
 * level, never per pixel, and the random numbers come from one seeded generator in a fixed scan
 * order, so the same inputs and seed give the same output bit for bit.
 */
import { createUniformRandom } from '../render/noise.ts';
import { pullPushFill } from '../render/pushpull.ts';

/** One pyramid level of a synthesis problem. Masks are 0/1 per pixel, `values` w·h·channels. */
export interface SynthesisLevel {
  width: number;
  height: number;
  channels: number;
  values: Float32Array;
  /** 1 = synthesise this pixel. */
  unknown: Uint8Array;
  /** 1 = patches may be copied from here. Never overlaps `unknown`. */
  usable: Uint8Array;
}

export interface SynthesisSettings {
  /** Patch side in px (odd). */
  patchSize: number;
  seed: number;
  /** Maximum number of pyramid levels (1 = finest only). */
  levels: number;
  /** EM iterations (PatchMatch + vote) at the coarsest level; finer levels do at most
   * MIDDLE_LEVEL_EM_ITERATIONS, the finest FINEST_LEVEL_EM_ITERATIONS. */
  iterations: number;
  /**
   * Cost of a source patch lying above or below its target, in value units per patch side beyond
   * the first (0: none). The distance gains (rowPrior · excess)² per compared value, so a source
   * `excess` patch sides too high or low counts as a patch that differs by rowPrior · excess in
   * every value (patch sides of the finest level, at every level; excess at most
   * ROW_PRIOR_MAX_EXCESS). A photo's backdrop is layered by height (wall, skirting board, floor;
   * sky, buildings, street): copied from the same rows, a fill continues its layers across the hole. With it, the coarsest level starts from each row
   * interpolated across the hole, and no level is built whose sources leave a row of the hole
   * without a patch near it.
   */
  rowPrior?: number;
  /**
   * At the finest level, each unknown pixel ends as the pixel its own patch's match puts there
   * (see copyMatchedCentres), not as the vote's average of every overlapping match. The vote
   * averages matches that disagree (stair edges, brick joints, cobbles copied from shifted places)
   * into a soft smear; the copy keeps the source's own sharpness and grain, at the cost of seams
   * where neighbouring matches come from different places, which a textured backdrop hides.
   */
  sharpFinest?: boolean;
}

/**
 * Patch sides (beyond the first) up to which the row prior grows: farther rows cost no more. The
 * prior is to break ties between layers of the same backdrop; unbounded, it preferred a dark door
 * in the same rows across the person to the wall right above a held bouquet (wide 41, 42).
 */
const ROW_PRIOR_MAX_EXCESS = 1.5;
/** EM iterations at the finest level, which starts from an upsampled NNF that is already close and
 * is where most of the time goes (4× the pixels of the next level). */
const FINEST_LEVEL_EM_ITERATIONS = 1;
/** EM iterations at the levels between the coarsest (which does `iterations`) and the finest. */
const MIDDLE_LEVEL_EM_ITERATIONS = 2;
/** PatchMatch sweeps per EM iteration (forward then backward scan). */
const SWEEPS_PER_EM_ITERATION = 2;
/** Sweeps at the finest level: one forward scan refines the upsampled NNF as well as two do (same
 * fill errors on the drawn test textures) at half the cost of the most expensive step. */
const FINEST_LEVEL_SWEEPS = 1;
/** Random-search window half-width in px at levels finer than the coarsest, where the upsampled
 * NNF is already close and only needs refining (the coarsest level searches its whole extent). */
const REFINE_SEARCH_RADIUS_PX = 8;
/** A level is only built when it still has at least this many source patches to choose from. */
const MIN_SOURCE_PATCHES = 24;
/** Stop adding coarser levels once the unknown region's longer side is at most this many patch sides. */
const COARSEST_HOLE_SIDE_PATCHES = 2;
/** A coarser level must be at least this many patch sides wide and high. */
const MIN_LEVEL_SIDE_PATCHES = 3;

/** Largest patch side in px: its pixel count (121) must stay below UNKNOWN. */
export const MAX_PATCH_SIZE = 11;
/** Pixel kinds in `LevelState.kind`. UNKNOWN is a power of two above any patch's pixel count, so
 * a window sum of kinds holds both counts at once. */
const USABLE = 1;
const UNKNOWN_SHIFT = 7;
const UNKNOWN = 1 << UNKNOWN_SHIFT;

/** Derived per-level state: where patches may sit, and the current NNF. */
interface LevelState {
  level: SynthesisLevel;
  radius: number;
  /** See SynthesisSettings.rowPrior (0: none). */
  rowPrior: number;
  /** Finest-level pixels per pixel of this level (1, 2, 4, …): the row prior counts finest-level patch sides. */
  scale: number;
  /** 1 where a patch centred here lies wholly in usable pixels (and inside the level). */
  isSource: Uint8Array;
  sources: Int32Array;
  /** Centres of patches that overlap an unknown pixel, in raster order. */
  targets: Int32Array;
  /** Number of compared (unknown or usable) pixels in each target's patch, indexed by target number. */
  comparedCount: Float32Array;
  /** Per pixel USABLE, UNKNOWN or 0 (neither: such pixels are no constraint in patch distances). */
  kind: Uint8Array;
  unknownList: Int32Array;
  /** Per pixel: matched source centre (−1 for non-targets). */
  nnf: Int32Array;
  /** Per target number: the match's sum of squared differences. */
  distance: Float32Array;
  scratch: Scratch;
}

/**
 * Buffers sized for the finest level and shared by all levels of one synthesis (the levels run one
 * after another): allocating them per level would double the memory churn of a call.
 */
interface Scratch {
  /** Window-sum passes. */
  rows: Int32Array;
  counts: Int32Array;
  /** Voting accumulators (per value, per pixel), zero between votes. */
  voteSum: Float32Array;
  voteWeight: Float32Array;
}

/**
 * Synthesises the unknown pixels of `finest` in place. Returns false (and changes nothing) when
 * there is nothing to do or no patch lies wholly in usable pixels.
 */
export function synthesise(finest: SynthesisLevel, settings: SynthesisSettings): boolean {
  const radius = settings.patchSize >> 1;
  const n = finest.width * finest.height;
  const scratch: Scratch = {
    rows: new Int32Array(n),
    counts: new Int32Array(n),
    voteSum: new Float32Array(n * finest.channels),
    voteWeight: new Float32Array(n),
  };
  const rowPrior = settings.rowPrior ?? 0;
  const first = prepareLevel(finest, radius, rowPrior, 1, scratch);
  if (first.targets.length === 0 || first.sources.length === 0) return false;
  const states = [first];
  const holeSide = unknownSide(first);
  while (states.length < settings.levels) {
    const last = states[states.length - 1].level;
    const scale = 2 ** states.length;
    if (holeSide / (scale / 2) <= COARSEST_HOLE_SIDE_PATCHES * settings.patchSize) break;
    const minSide = MIN_LEVEL_SIDE_PATCHES * settings.patchSize;
    if (Math.ceil(last.width / 2) < minSide || Math.ceil(last.height / 2) < minSide) break;
    const coarser = prepareLevel(downsampleLevel(last), radius, rowPrior, scale, scratch);
    if (coarser.sources.length < MIN_SOURCE_PATCHES || coarser.targets.length === 0) break;
    // Copied from its own rows, every row of the hole needs source patches near it: coarser, the
    // thin layers beside a tall hole (a floor's strip beside a skirt) hold no whole patch any more,
    // and the hole was filled from the layers that still did (the wall, down over the floor).
    if (rowPrior > 0 && !everyRowNearSources(coarser)) break;
    states.push(coarser);
  }

  const random = createUniformRandom(settings.seed);
  for (let k = states.length - 1; k >= 0; k--) {
    const state = states[k];
    const coarsest = k === states.length - 1;
    if (coarsest) {
      smoothFill(state.level, rowPrior > 0);
      randomField(state, random);
    } else {
      upsampleField(states[k + 1], state, random);
      copyMatchedCentres(state);
    }
    const searchRadius = coarsest ? Math.max(state.level.width, state.level.height) : REFINE_SEARCH_RADIUS_PX;
    const iterations = coarsest ? settings.iterations : Math.min(settings.iterations, k === 0 ? FINEST_LEVEL_EM_ITERATIONS : MIDDLE_LEVEL_EM_ITERATIONS);
    for (let it = 0; it < Math.max(1, iterations); it++) {
      if (it > 0 || !coarsest) measureField(state);
      // A finest level that is also the coarsest starts from a random NNF: it gets the full sweeps.
      const sweeps = k === 0 && !coarsest ? FINEST_LEVEL_SWEEPS : SWEEPS_PER_EM_ITERATION;
      for (let sweep = 0; sweep < sweeps; sweep++) improveField(state, sweep % 2 === 0, searchRadius, random);
      if (k === 0 && settings.sharpFinest && it === Math.max(1, iterations) - 1) copyMatchedCentres(state);
      else vote(state);
    }
  }
  return true;
}

/** Does every row holding an unknown pixel have a source patch centred within a patch radius of it? */
function everyRowNearSources(state: LevelState): boolean {
  const { width: w, height: h, unknown } = state.level;
  const r = state.radius;
  const sourceRows = new Uint8Array(h);
  for (const s of state.sources) sourceRows[Math.floor(s / w)] = 1;
  for (let y = 0; y < h; y++) {
    if (!unknown.subarray(y * w, (y + 1) * w).includes(1)) continue;
    let near = false;
    for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r) && !near; yy++) near = sourceRows[yy] === 1;
    if (!near) return false;
  }
  return true;
}

/** Longer side of the bounding box of the unknown pixels (0 when there are none). */
function unknownSide(state: LevelState): number {
  const { unknownList } = state;
  const w = state.level.width;
  if (unknownList.length === 0) return 0;
  // The list is in raster order: the rows come from its ends, the columns need a pass.
  const y0 = Math.floor(unknownList[0] / w);
  const y1 = Math.floor(unknownList[unknownList.length - 1] / w);
  let x0 = w;
  let x1 = -1;
  for (let j = 0; j < unknownList.length; j++) {
    const x = unknownList[j] % w;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
  }
  return Math.max(x1 - x0 + 1, y1 - y0 + 1);
}

/**
 * Half-size level: values are 2×2 means; a pixel is unknown when any child is (so no unknown
 * content leaks into a known coarse pixel) and usable only when every child is (so no forbidden
 * or unknown colour is averaged into a source pixel).
 */
function downsampleLevel(level: SynthesisLevel): SynthesisLevel {
  const { width: w, height: h, channels: c } = level;
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  const values = new Float32Array(cw * ch * c);
  const unknown = new Uint8Array(cw * ch);
  const usable = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const ya = 2 * y;
    const yb = Math.min(ya + 1, h - 1);
    for (let x = 0; x < cw; x++) {
      const xa = 2 * x;
      const xb = Math.min(xa + 1, w - 1);
      const i00 = ya * w + xa;
      const i01 = ya * w + xb;
      const i10 = yb * w + xa;
      const i11 = yb * w + xb;
      const o = y * cw + x;
      unknown[o] = level.unknown[i00] | level.unknown[i01] | level.unknown[i10] | level.unknown[i11];
      usable[o] = level.usable[i00] & level.usable[i01] & level.usable[i10] & level.usable[i11];
      for (let k = 0; k < c; k++) {
        const v = level.values;
        values[o * c + k] = (v[i00 * c + k] + v[i01 * c + k] + v[i10 * c + k] + v[i11 * c + k]) / 4;
      }
    }
  }
  return { width: cw, height: ch, channels: c, values, unknown, usable };
}

/**
 * Number of `flags` set in the (2r+1)² window around each pixel, for centres at least r from every
 * edge (elsewhere 0): running sums along rows, then down columns.
 */
function windowCounts(flags: Uint8Array, w: number, h: number, r: number, rows: Int32Array, out: Int32Array): void {
  out.fill(0);
  // `rows` is scratch: only its columns r..w−r−1 are read, and they are all written first.
  const side = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let sum = 0;
    for (let x = 0; x < side - 1; x++) sum += flags[row + x];
    for (let x = r; x < w - r; x++) {
      sum += flags[row + x + r];
      rows[row + x] = sum;
      sum -= flags[row + x - r];
    }
  }
  // Columns a row at a time (cache friendly), one running sum per column.
  const sums = new Int32Array(w);
  for (let y = 0; y < side - 1; y++) {
    for (let x = r; x < w - r; x++) sums[x] += rows[y * w + x];
  }
  for (let y = r; y < h - r; y++) {
    const add = (y + r) * w;
    const sub = (y - r) * w;
    const row = y * w;
    for (let x = r; x < w - r; x++) {
      sums[x] += rows[add + x];
      out[row + x] = sums[x];
      sums[x] -= rows[sub + x];
    }
  }
}

function prepareLevel(level: SynthesisLevel, radius: number, rowPrior: number, scale: number, scratch: Scratch): LevelState {
  const { width: w, height: h, unknown, usable } = level;
  const n = w * h;
  const kind = new Uint8Array(n);
  for (let i = 0; i < n; i++) kind[i] = usable[i] ? USABLE : unknown[i] ? UNKNOWN : 0;
  // One window sum counts both kinds: usable pixels in the low bits, unknown ones from UNKNOWN up.
  const counts = scratch.counts.subarray(0, n);
  windowCounts(kind, w, h, radius, scratch.rows.subarray(0, n), counts);
  const area = (2 * radius + 1) ** 2;
  const isSource = new Uint8Array(n);
  let sourceTotal = 0;
  let targetTotal = 0;
  let unknownTotal = 0;
  for (let i = 0; i < n; i++) {
    if (counts[i] === area * USABLE) {
      isSource[i] = 1;
      sourceTotal++;
    } else if (counts[i] >= UNKNOWN) {
      targetTotal++;
    }
    unknownTotal += unknown[i];
  }
  const sources = new Int32Array(sourceTotal);
  const targets = new Int32Array(targetTotal);
  const comparedCount = new Float32Array(targetTotal);
  const unknownList = new Int32Array(unknownTotal);
  let s = 0;
  let t = 0;
  let u = 0;
  for (let i = 0; i < n; i++) {
    if (isSource[i]) sources[s++] = i;
    else if (counts[i] >= UNKNOWN) {
      comparedCount[t] = (counts[i] & (UNKNOWN - 1)) + (counts[i] >> UNKNOWN_SHIFT);
      targets[t++] = i;
    }
    if (unknown[i]) unknownList[u++] = i;
  }
  return {
    level, radius, rowPrior, scale, isSource, kind, sources, targets, unknownList, comparedCount,
    nnf: new Int32Array(n).fill(-1),
    distance: new Float32Array(targetTotal),
    scratch,
  };
}

/**
 * Smooth first guess for the unknown pixels at the coarsest level: pull–push from the usable ones,
 * or, `alongRows`, each row's unknown run interpolated between the usable pixels either side of it
 * in that row (pull–push only where the row has none). Pull–push blends across rows too: in a hole
 * over a wall and a floor it started the wall's colour down over the floor, which the matches then
 * kept.
 */
function smoothFill(level: SynthesisLevel, alongRows: boolean): void {
  const { width: w, height: h, channels: c, values, usable, unknown } = level;
  const weights = new Float32Array(w * h);
  for (let i = 0; i < weights.length; i++) weights[i] = usable[i];
  const filled = pullPushFill(values, weights, w, h, c);
  if (!filled) return;
  for (let i = 0; i < unknown.length; i++) {
    if (unknown[i] === 0) continue;
    for (let k = 0; k < c; k++) values[i * c + k] = filled[i * c + k];
  }
  if (!alongRows) return;
  // Each run of unknown pixels takes the usable pixels right beside it in its row (one side's
  // alone where only one is usable: never across what is neither, a person between two walls).
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!unknown[row + x]) continue;
      let end = x;
      while (end + 1 < w && unknown[row + end + 1]) end++;
      const left = x > 0 && usable[row + x - 1] ? row + x - 1 : -1;
      const right = end + 1 < w && usable[row + end + 1] ? row + end + 1 : -1;
      if (left >= 0 || right >= 0) {
        for (let u = x; u <= end; u++) {
          const t = left < 0 ? 1 : right < 0 ? 0 : (u - x + 1) / (end - x + 2);
          for (let k = 0; k < c; k++) {
            const a = values[(left >= 0 ? left : right) * c + k];
            const b = values[(right >= 0 ? right : left) * c + k];
            values[(row + u) * c + k] = a + (b - a) * t;
          }
        }
      }
      x = end;
    }
  }
}

/**
 * Sum of squared differences between the patches centred at target number j (pixel t) and source
 * s, over the target's compared pixels. Stops early (returning a value ≥ bound) once a row takes it
 * past `bound`. Targets whose whole patch is compared (most of them) take a branch-free path.
 */
function patchDistance(state: LevelState, j: number, t: number, s: number, bound: number): number {
  const { values, width: w, channels: c } = state.level;
  const r = state.radius;
  const side = 2 * r + 1;
  let d = 0;
  if (state.rowPrior > 0) {
    const excess = (Math.abs(Math.floor(t / w) - Math.floor(s / w)) * state.scale) / side - 1;
    if (excess > 0) {
      const cost = state.rowPrior * Math.min(excess, ROW_PRIOR_MAX_EXCESS);
      d = cost * cost * state.comparedCount[j] * c;
      if (d >= bound) return d;
    }
  }
  if (c === 3 && state.comparedCount[j] === side * side) {
    for (let dy = -r; dy <= r; dy++) {
      let a = (t + dy * w - r) * 3;
      let b = (s + dy * w - r) * 3;
      const end = a + side * 3;
      for (; a < end; a += 3, b += 3) {
        const e0 = values[a] - values[b];
        const e1 = values[a + 1] - values[b + 1];
        const e2 = values[a + 2] - values[b + 2];
        d += e0 * e0 + e1 * e1 + e2 * e2;
      }
      if (d >= bound) return d;
    }
    return d;
  }
  const kind = state.kind;
  for (let dy = -r; dy <= r; dy++) {
    const rowT = t + dy * w;
    const rowS = s + dy * w;
    for (let dx = -r; dx <= r; dx++) {
      const pt = rowT + dx;
      if (kind[pt] === 0) continue;
      const a = pt * c;
      const b = (rowS + dx) * c;
      for (let k = 0; k < c; k++) {
        const e = values[a + k] - values[b + k];
        d += e * e;
      }
    }
    if (d >= bound) return d;
  }
  return d;
}

function randomField(state: LevelState, random: () => number): void {
  const { targets, sources, nnf, distance } = state;
  for (let j = 0; j < targets.length; j++) {
    const t = targets[j];
    nnf[t] = sources[Math.floor(random() * sources.length)];
    distance[j] = patchDistance(state, j, t, nnf[t], Infinity);
  }
}

/** Recomputes every target's distance to its current match (the values changed in the last vote). */
function measureField(state: LevelState): void {
  const { targets, nnf, distance } = state;
  for (let j = 0; j < targets.length; j++) distance[j] = patchDistance(state, j, targets[j], nnf[targets[j]], Infinity);
}

/**
 * Initial NNF of a level from the next coarser one: the coarse match of the pixel's parent, scaled
 * by 2 and shifted by the pixel's position within its parent (keeping the coarse offset). Falls back
 * to the parent-aligned position, then to a random source patch, when that is not a source patch here.
 */
function upsampleField(coarse: LevelState, fine: LevelState, random: () => number): void {
  const cw = coarse.level.width;
  const ch = coarse.level.height;
  const w = fine.level.width;
  const cr = coarse.radius;
  const { targets, sources, isSource, nnf, distance } = fine;
  for (let j = 0; j < targets.length; j++) {
    const t = targets[j];
    const x = t % w;
    const y = (t - x) / w;
    // Parents near the level's edge may not be coarse targets themselves: clamp into the centre range.
    const px = Math.min(Math.max(x >> 1, cr), cw - 1 - cr);
    const py = Math.min(Math.max(y >> 1, cr), ch - 1 - cr);
    const parentMatch = coarse.nnf[py * cw + px];
    let s = -1;
    if (parentMatch >= 0) {
      const sx = parentMatch % cw;
      const sy = (parentMatch - sx) / cw;
      const shifted = (2 * sy + (y - 2 * py)) * w + 2 * sx + (x - 2 * px);
      const aligned = 2 * sy * w + 2 * sx;
      if (shifted >= 0 && shifted < isSource.length && isSource[shifted]) s = shifted;
      else if (aligned < isSource.length && isSource[aligned]) s = aligned;
    }
    if (s < 0) s = sources[Math.floor(random() * sources.length)];
    nnf[t] = s;
    distance[j] = 0;
  }
}

/**
 * First estimate at a finer level: each unknown pixel copies the pixel under it in the source patch
 * matched to the patch centred on it (or, within a patch radius of the level's edge, on the nearest
 * patch centre, whose patch still covers it). Sharp where a weighted vote would already blur, and
 * one read per pixel instead of one per patch pixel.
 */
function copyMatchedCentres(state: LevelState): void {
  const { level, nnf, unknownList, radius: r } = state;
  const { width: w, height: h, channels: c, values } = level;
  for (let j = 0; j < unknownList.length; j++) {
    const p = unknownList[j];
    const x = p % w;
    const y = (p - x) / w;
    const centre = Math.min(Math.max(y, r), h - 1 - r) * w + Math.min(Math.max(x, r), w - 1 - r);
    const from = (nnf[centre] + p - centre) * c;
    for (let k = 0; k < c; k++) values[p * c + k] = values[from + k];
  }
}

/**
 * One PatchMatch sweep over the targets: propagation from the previous neighbour in the scan
 * direction (left and above going forwards, right and below going backwards), then random search
 * in windows of half-width searchRadius, searchRadius/2, … 1 around the current best match.
 */
function improveField(state: LevelState, forward: boolean, searchRadius: number, random: () => number): void {
  const { targets, isSource, nnf, distance } = state;
  const w = state.level.width;
  const h = state.level.height;
  const r = state.radius;
  const step = forward ? 1 : -1;
  const n = targets.length;
  for (let j = forward ? 0 : n - 1; j >= 0 && j < n; j += step) {
    const t = targets[j];
    let best = nnf[t];
    let bestD = distance[j];
    const sideways = nnf[t - step];
    // The sideways candidate, once measured (−1: none): in a coherent field the vertical neighbour
    // proposes the same patch, which, if it lost, loses again (bestD only falls), so it is not measured twice.
    let tried = -1;
    if (sideways >= 0) {
      const s = sideways + step;
      if (s !== best && isSource[s]) {
        tried = s;
        const d = patchDistance(state, j, t, s, bestD);
        if (d < bestD) {
          best = s;
          bestD = d;
        }
      }
    }
    const vertical = nnf[t - step * w];
    if (vertical >= 0) {
      const s = vertical + step * w;
      if (s !== best && s !== tried && isSource[s]) {
        const d = patchDistance(state, j, t, s, bestD);
        if (d < bestD) {
          best = s;
          bestD = d;
        }
      }
    }
    for (let radius = searchRadius; radius >= 1; radius >>= 1) {
      const bx = best % w;
      const by = (best - bx) / w;
      const sx = Math.min(Math.max(bx + Math.floor(random() * (2 * radius + 1)) - radius, r), w - 1 - r);
      const sy = Math.min(Math.max(by + Math.floor(random() * (2 * radius + 1)) - radius, r), h - 1 - r);
      const s = sy * w + sx;
      if (s === best || !isSource[s]) continue;
      const d = patchDistance(state, j, t, s, bestD);
      if (d < bestD) {
        best = s;
        bestD = d;
      }
    }
    nnf[t] = best;
    distance[j] = bestD;
  }
}

/**
 * Re-estimates every unknown pixel as the weighted mean of the values that the matched source
 * patches overlapping it put there. Weights fall with the match's mean squared difference per
 * value, relative to the level's mean, so good matches dominate and the fill stays sharp.
 */
function vote(state: LevelState): void {
  const { level, targets, nnf, distance, comparedCount, unknownList, radius: r } = state;
  const { width: w, channels: c, values, unknown } = level;
  let meanError = 0;
  for (let j = 0; j < targets.length; j++) meanError += distance[j] / (comparedCount[j] * c);
  meanError /= Math.max(1, targets.length);
  // A level of exact matches (mean 0) votes with equal weights instead of dividing by zero.
  const scale = meanError > 0 ? -1 / (2 * meanError) : 0;
  const sum = state.scratch.voteSum;
  const weightSum = state.scratch.voteWeight;
  for (let j = 0; j < targets.length; j++) {
    const t = targets[j];
    const s = nnf[t];
    const weight = Math.exp((distance[j] / (comparedCount[j] * c)) * scale);
    if (c === 3) {
      for (let dy = -r; dy <= r; dy++) {
        const rowT = t + dy * w;
        const rowS = s + dy * w;
        for (let dx = -r; dx <= r; dx++) {
          const p = rowT + dx;
          if (unknown[p] === 0) continue;
          weightSum[p] += weight;
          const a = p * 3;
          const b = (rowS + dx) * 3;
          sum[a] += weight * values[b];
          sum[a + 1] += weight * values[b + 1];
          sum[a + 2] += weight * values[b + 2];
        }
      }
      continue;
    }
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        const offset = dy * w + dx;
        const p = t + offset;
        if (unknown[p] === 0) continue;
        weightSum[p] += weight;
        const a = p * c;
        const b = (s + offset) * c;
        for (let k = 0; k < c; k++) sum[a + k] += weight * values[b + k];
      }
    }
  }
  for (let j = 0; j < unknownList.length; j++) {
    const p = unknownList[j];
    const total = weightSum[p];
    weightSum[p] = 0;
    for (let k = 0; k < c; k++) {
      if (total > 0) values[p * c + k] = sum[p * c + k] / total;
      sum[p * c + k] = 0;
    }
  }
}
