/**
 * Retention: an async job and the images it made are kept `FITROOM_JOB_RETENTION_SECONDS` after it
 * ended (72 h by default), then this sweeper deletes them: the result and mask objects, the result
 * cache entries that point at them (in the database and in the cache's memory, so no later call is
 * served a deleted image), the job row and its webhook delivery. An object that an unexpired job
 * also points at (two jobs served by one cache entry) stays until that job expires too (the rule
 * lives in ./job-images.ts, shared with DELETE /v1/jobs/{id}).
 * Usage rows and the credit ledger are accounting and are kept.
 */
import type { Database } from '../db/database.ts';
import type { ResultCache } from '../domain/cache.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { JobImages } from './job-images.ts';

/** Expired jobs deleted per database round trip. */
const BATCH = 100;

export class RetentionSweeper {
  private readonly db: Database;
  private readonly images: JobImages;
  private readonly everyMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly onSwept: (counts: { jobs: number; objects: number }) => void;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(deps: {
    db: Database;
    store: ObjectStore;
    cache: ResultCache;
    everyMs: number;
    onError: (err: unknown) => void;
    onSwept?: (counts: { jobs: number; objects: number }) => void;
  }) {
    this.db = deps.db;
    this.images = new JobImages(deps);
    this.everyMs = deps.everyMs;
    this.onError = deps.onError;
    this.onSwept = deps.onSwept ?? (() => {});
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.sweep()
      .then((counts) => {
        if (counts.jobs > 0) this.onSwept(counts);
      })
      .catch(this.onError)
      .finally(() => {
        this.running = null;
      });
  }

  /** Deletes every job expired by now, with its images; returns how many jobs and objects went. */
  async sweep(): Promise<{ jobs: number; objects: number }> {
    let jobs = 0;
    let objects = 0;
    for (;;) {
      const expired = await this.db.query<{ id: string; object_keys: string[] }>(
        'SELECT id, object_keys FROM jobs WHERE expires_at <= now() ORDER BY expires_at LIMIT $1',
        [BATCH],
      );
      if (expired.rows.length === 0) return { jobs, objects };
      const ids = expired.rows.map((r) => r.id);
      objects += await this.images.remove(expired.rows.flatMap((r) => r.object_keys), ids);
      await this.db.query('DELETE FROM jobs WHERE id = ANY($1)', [ids]);
      jobs += ids.length;
    }
  }
}
