/**
 * Deleting the images (result and mask objects) jobs point at, for the retention sweeper (expired
 * jobs) and for DELETE /v1/jobs/{id} on a finished job. One rule for both: an object that another
 * live job (one not expired and not being deleted) also points at is kept — two jobs served by one
 * cache entry share their images — and the result cache entries that point at a deleted object go
 * first (in the database and in this process's memory), so no later call is handed a deleted image.
 * Usage rows that name a deleted object lose its keys (GET /v1/usage then shows no URL for it).
 */
import type { Database } from '../db/database.ts';
import type { ResultCache } from '../domain/cache.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export class JobImages {
  private readonly db: Database;
  private readonly store: ObjectStore;
  private readonly cache: ResultCache;

  constructor(deps: { db: Database; store: ObjectStore; cache: ResultCache }) {
    this.db = deps.db;
    this.store = deps.store;
    this.cache = deps.cache;
  }

  /**
   * Deletes the objects `keys` (the images of the jobs `leavingJobIds`) except those another live
   * job points at; returns how many were deleted. The jobs' own rows are the caller's to change.
   */
  async remove(keys: readonly string[], leavingJobIds: readonly string[]): Promise<number> {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return 0;
    const kept = await this.db.query<{ key: string }>(
      `SELECT DISTINCT unnest(object_keys) AS key FROM jobs
       WHERE NOT (id = ANY($1)) AND (expires_at IS NULL OR expires_at > now()) AND object_keys && $2`,
      [leavingJobIds, unique],
    );
    const keep = new Set(kept.rows.map((r) => r.key));
    const doomed = unique.filter((k) => !keep.has(k));
    if (doomed.length === 0) return 0;
    // The cache first: once its entries are gone no call can be handed these images.
    await this.db.query('DELETE FROM result_cache WHERE result_key = ANY($1) OR mask_key = ANY($1)', [doomed]);
    this.cache.forgetObjects(doomed);
    // A result and its mask are made and deleted together (one job's object_keys hold both).
    await this.db.query('UPDATE requests SET result_key = NULL, mask_key = NULL WHERE result_key = ANY($1)', [doomed]);
    for (const key of doomed) await this.store.delete(key);
    return doomed.length;
  }
}
