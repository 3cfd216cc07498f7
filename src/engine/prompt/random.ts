/**
 * The seeded randomness of prompt edits. Every random choice (stripe width and phase, print
 * placement, default colours, small shape variation) comes from a `Random` made from the request's
 * seed, so the same seed gives the same bytes.
 *
 * Generator: mulberry32 (32-bit state, period 2^32, passes gjrand/PractRand to 2^32 bytes): tiny,
 * fast and exact in JavaScript's 32-bit integer arithmetic on every platform. `fork(label)` gives
 * an independent stream per named purpose (hash of seed and label), so adding a random choice to
 * one stage never shifts the numbers another stage draws.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Integer uniform in [min, max] (inclusive). */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A 32-bit unsigned integer, e.g. to seed per-pixel hashes. */
  uint32(): number;
  /** An independent stream for a named purpose. */
  fork(label: string): Random;
}

/** FNV-1a over the label's UTF-16 code units, mixed with the seed. */
function hashLabel(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return mix32(h);
}

/** A 32-bit finaliser (murmur3 fmix32): spreads nearby seeds far apart. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0..2^32-1, got ${seed}`);
  const origin = seed >>> 0;
  let state = mix32(origin ^ 0x9e3779b9);
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => uint32() / 4294967296;
  return {
    next,
    uint32,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    fork: (label) => createRandom(hashLabel(origin, label)),
  };
}

/**
 * Stateless hash of integer lattice coordinates to [0, 1): per-cell randomness for procedural
 * textures (dot jitter, flower placement) that any pixel can evaluate in any order.
 */
export function hash2(seed: number, x: number, y: number): number {
  let h = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ seed;
  h = mix32(h);
  return h / 4294967296;
}
