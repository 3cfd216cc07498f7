/**
 * Weighted colour palettes in L*a*b*: k-means (k chosen in 3..5) and the Earth Mover's Distance
 * between two palettes with CIEDE2000 as the ground distance.
 */
import type { Lab } from './ciede2000.ts';
import { ciede2000 } from './ciede2000.ts';

export interface PaletteEntry {
  lab: Lab;
  /** Share of the pixels in this cluster; a palette's weights sum to 1. */
  weight: number;
}

/** Cap on the pixels fed to k-means; a fixed stride keeps it deterministic. */
const MAX_SAMPLES = 10000;
const ITERATIONS = 25;
/** Take k + 1 clusters only when they cut the within-cluster squared error by at least this share. */
const SPLIT_GAIN = 0.25;

/**
 * Dominant colours of interleaved Lab pixels (n*3). Runs k-means for k = 3, then 4 and 5 while the
 * extra cluster explains at least 25 % more of the spread (a plain garment stays at 3 near-equal
 * clusters; a print earns more). Deterministic: k-means++ seeding from a fixed-seed generator.
 * Empty clusters are dropped, so a palette may have fewer than k entries.
 */
export function dominantPalette(lab: Float32Array): PaletteEntry[] {
  const points = subsample(lab);
  const n = points.length / 3;
  if (n === 0) return [];
  let best = kMeans(points, 3);
  for (let k = 4; k <= 5; k++) {
    const next = kMeans(points, k);
    if (next.sse > (1 - SPLIT_GAIN) * best.sse) break;
    best = next;
  }
  return best.palette;
}

function subsample(lab: Float32Array): Float32Array {
  const n = lab.length / 3;
  if (n <= MAX_SAMPLES) return lab;
  const stride = n / MAX_SAMPLES;
  const out = new Float32Array(MAX_SAMPLES * 3);
  for (let i = 0; i < MAX_SAMPLES; i++) {
    const src = Math.floor(i * stride) * 3;
    out[i * 3] = lab[src];
    out[i * 3 + 1] = lab[src + 1];
    out[i * 3 + 2] = lab[src + 2];
  }
  return out;
}

interface Clustering {
  palette: PaletteEntry[];
  sse: number;
}

function kMeans(points: Float32Array, k: number): Clustering {
  const n = points.length / 3;
  const centres = seedPlusPlus(points, k);
  const assignment = new Int32Array(n);
  let sse = 0;
  for (let iter = 0; iter < ITERATIONS; iter++) {
    sse = 0;
    let changed = false;
    for (let i = 0; i < n; i++) {
      let bestC = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = sqDist(points, i, centres, c);
        if (d < bestD) {
          bestD = d;
          bestC = c;
        }
      }
      if (assignment[i] !== bestC) changed = true;
      assignment[i] = bestC;
      sse += bestD;
    }
    const sums = new Float64Array(k * 3);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = assignment[i];
      counts[c]++;
      sums[c * 3] += points[i * 3];
      sums[c * 3 + 1] += points[i * 3 + 1];
      sums[c * 3 + 2] += points[i * 3 + 2];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      centres[c * 3] = sums[c * 3] / counts[c];
      centres[c * 3 + 1] = sums[c * 3 + 1] / counts[c];
      centres[c * 3 + 2] = sums[c * 3 + 2] / counts[c];
    }
    if (!changed && iter > 0) break;
  }
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[assignment[i]]++;
  const palette: PaletteEntry[] = [];
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    palette.push({ lab: [centres[c * 3], centres[c * 3 + 1], centres[c * 3 + 2]], weight: counts[c] / n });
  }
  palette.sort((a, b) => b.weight - a.weight);
  return { palette, sse };
}

/** k-means++ seeding (Arthur & Vassilvitskii) with a fixed-seed generator. */
function seedPlusPlus(points: Float32Array, k: number): Float64Array {
  const n = points.length / 3;
  const random = mulberry32(0x5eed);
  const centres = new Float64Array(k * 3);
  const first = Math.floor(random() * n);
  centres.set([points[first * 3], points[first * 3 + 1], points[first * 3 + 2]], 0);
  const nearest = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = sqDist(points, i, centres, c - 1);
      if (d < nearest[i]) nearest[i] = d;
      total += nearest[i];
    }
    let pick = 0;
    if (total > 0) {
      let target = random() * total;
      for (let i = 0; i < n; i++) {
        target -= nearest[i];
        if (target <= 0) {
          pick = i;
          break;
        }
      }
    }
    centres.set([points[pick * 3], points[pick * 3 + 1], points[pick * 3 + 2]], c * 3);
  }
  return centres;
}

function sqDist(points: Float32Array, i: number, centres: Float64Array, c: number): number {
  const dl = points[i * 3] - centres[c * 3];
  const da = points[i * 3 + 1] - centres[c * 3 + 1];
  const db = points[i * 3 + 2] - centres[c * 3 + 2];
  return dl * dl + da * da + db * db;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Earth Mover's Distance between two weighted palettes (weights normalised to 1 each), ground
 * distance ΔE00: the least average colour change needed to turn one palette into the other. Unlike
 * nearest-colour matching it notices when the proportions change (a white shirt with a small black
 * logo rendered half black). Solved exactly as a min-cost flow (successive shortest paths).
 */
export function paletteDistance(from: PaletteEntry[], to: PaletteEntry[]): number {
  if (from.length === 0 || to.length === 0) throw new Error('paletteDistance: empty palette');
  const supply = normalise(from.map((e) => e.weight));
  const demand = normalise(to.map((e) => e.weight));
  const cost = from.map((a) => to.map((b) => ciede2000(a.lab, b.lab)));
  return minCostTransport(supply, demand, cost);
}

function normalise(weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) throw new Error('palette weights must sum to a positive number');
  return weights.map((w) => w / total);
}

interface Edge {
  to: number;
  capacity: number;
  cost: number;
  reverse: number;
}

/**
 * Transportation problem on a tiny bipartite graph: source → supplies → demands → sink, each
 * augmentation along the cheapest residual path (Bellman-Ford, since residual costs go negative).
 */
function minCostTransport(supply: number[], demand: number[], cost: number[][]): number {
  const m = supply.length;
  const n = demand.length;
  const source = 0;
  const sink = m + n + 1;
  const graph: Edge[][] = Array.from({ length: m + n + 2 }, () => []);
  const addEdge = (u: number, v: number, capacity: number, c: number): void => {
    graph[u].push({ to: v, capacity, cost: c, reverse: graph[v].length });
    graph[v].push({ to: u, capacity: 0, cost: -c, reverse: graph[u].length - 1 });
  };
  for (let i = 0; i < m; i++) addEdge(source, 1 + i, supply[i], 0);
  for (let j = 0; j < n; j++) addEdge(1 + m + j, sink, demand[j], 0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) addEdge(1 + i, 1 + m + j, Infinity, cost[i][j]);

  const EPS = 1e-12;
  let flowLeft = 1;
  let totalCost = 0;
  while (flowLeft > 1e-9) {
    const dist = new Array<number>(graph.length).fill(Infinity);
    const prevNode = new Array<number>(graph.length).fill(-1);
    const prevEdge = new Array<number>(graph.length).fill(-1);
    dist[source] = 0;
    for (let round = 0; round < graph.length; round++) {
      let relaxed = false;
      for (let u = 0; u < graph.length; u++) {
        if (dist[u] === Infinity) continue;
        graph[u].forEach((e, idx) => {
          if (e.capacity > EPS && dist[u] + e.cost < dist[e.to] - 1e-12) {
            dist[e.to] = dist[u] + e.cost;
            prevNode[e.to] = u;
            prevEdge[e.to] = idx;
            relaxed = true;
          }
        });
      }
      if (!relaxed) break;
    }
    if (dist[sink] === Infinity) break;
    let push = flowLeft;
    for (let v = sink; v !== source; v = prevNode[v]) push = Math.min(push, graph[prevNode[v]][prevEdge[v]].capacity);
    for (let v = sink; v !== source; v = prevNode[v]) {
      const e = graph[prevNode[v]][prevEdge[v]];
      e.capacity -= push;
      graph[v][e.reverse].capacity += push;
    }
    totalCost += push * dist[sink];
    flowLeft -= push;
  }
  return totalCost;
}
