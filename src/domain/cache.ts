/**
 * The result cache. Key = sha256 over a canonical JSON of: the engine's id and version, the route,
 * the content hashes of every input image, and every parameter that changes the output. Anything
 * left out of the key would serve a wrong picture; anything extra only lowers the hit rate.
 *
 * Policy (FITROOM_CACHE): `presets` caches calls whose images are all operator presets, `all`
 * caches every call, `off` none. Entries point at stored objects (result and mask).
 */
import { createHash } from 'node:crypto';
import type { CachePolicy } from '../config/index.ts';
import type { MemoEpoch } from '../cluster/memo-epoch.ts';
import type { Database } from '../db/database.ts';

export interface CacheKeyParts {
  engine: { id: string; version: string };
  route: 'tryon' | 'prompt';
  /** Field name → content hash (hex sha256 of the decoded pixels). */
  images: Record<string, string>;
  /** Output-changing parameters, already normalised (defaults applied). */
  params: Record<string, string | number | null>;
}

/** Deterministic: key order in the objects does not matter. */
export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** Whether a call may use the cache under `policy`, given whether all of its images are presets. */
export function cacheable(policy: CachePolicy, allImagesArePresets: boolean): boolean {
  return policy === 'all' || (policy === 'presets' && allImagesArePresets);
}

export interface CacheEntry {
  resultKey: string;
  maskKey: string;
  seed: number | null;
}

/**
 * Cache entries in the database, with the most recent ones memoised in memory (hits are hot). On a
 * shared database another node may delete an entry (its images are going): `epoch` then drops the
 * memo whenever one was deleted anywhere (src/cluster/memo-epoch.ts).
 */
export class ResultCache {
  private readonly db: Database;
  private readonly memo = new Map<string, CacheEntry>();
  private readonly memoLimit: number;
  private readonly epoch: MemoEpoch | undefined;

  /** `memoEntries`: most entries memoised (default 10,000). `epoch`: the shared database's change counter. */
  constructor(db: Database, options: { memoEntries?: number; epoch?: MemoEpoch } = {}) {
    this.db = db;
    this.memoLimit = options.memoEntries ?? 10_000;
    this.epoch = options.epoch;
    this.epoch?.register(() => this.memo.clear());
  }

  /**
   * The entry for `key`, or null. `recheck`: the call's start is long past (a lookup after waiting
   * for admission and decoding), so on a shared database the change counter is read again first.
   */
  async get(key: string, options: { recheck?: boolean } = {}): Promise<CacheEntry | null> {
    if (options.recheck) await this.epoch?.check();
    const hit = this.memo.get(key);
    if (hit) return hit;
    const generation = this.epoch?.generation();
    const result = await this.db.query<{ result_key: string; mask_key: string; seed: string | number | null }>(
      'SELECT result_key, mask_key, seed FROM result_cache WHERE cache_key = $1',
      [key],
    );
    if (result.rows.length === 0) return null;
    const row = result.rows[0];
    const entry = { resultKey: row.result_key, maskKey: row.mask_key, seed: row.seed === null ? null : Number(row.seed) };
    // Not if the memos were dropped meanwhile: the row may have been read before its deletion.
    if (this.epoch?.generation() === generation) this.remember(key, entry);
    return entry;
  }

  /** First writer wins: concurrent misses of one key store one entry (results are deterministic). */
  async put(key: string, entry: CacheEntry): Promise<void> {
    await this.db.query(
      'INSERT INTO result_cache (cache_key, result_key, mask_key, seed) VALUES ($1, $2, $3, $4) ON CONFLICT (cache_key) DO NOTHING',
      [key, entry.resultKey, entry.maskKey, entry.seed],
    );
  }

  /** Drops memoised entries that point at any of these objects (deleted by retention). */
  forgetObjects(objectKeys: readonly string[]): void {
    const gone = new Set(objectKeys);
    for (const [key, entry] of this.memo) {
      if (gone.has(entry.resultKey) || gone.has(entry.maskKey)) this.memo.delete(key);
    }
  }

  private remember(key: string, entry: CacheEntry): void {
    if (this.memo.size >= this.memoLimit) {
      const oldest = this.memo.keys().next().value;
      if (oldest !== undefined) this.memo.delete(oldest);
    }
    this.memo.set(key, entry);
  }
}
