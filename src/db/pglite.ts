/**
 * The embedded `Database`: PGlite (PostgreSQL compiled to WASM) in this process, files under
 * `DATA_DIR/pg`. PGlite has one connection, so it runs statements and transactions one at a time;
 * a transaction holds that connection from BEGIN to COMMIT, which makes it fully serialised.
 * Only one process may open a data directory at a time (the CLI forwards to a running server).
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, Queryable } from './database.ts';

type PgliteLike = Pick<PGlite, 'query'>;

function wrap(pg: PgliteLike): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await pg.query<T>(sql, params as unknown[]);
      return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
    },
  };
}

export interface PgliteOptions {
  /** Start from a dump made by `dump()` (tests skip the slow initdb this way). */
  loadDataDir?: Blob;
  /**
   * PostgreSQL's `shared_buffers` in MB; undefined = PGlite's default (128 MB). PostgreSQL sets the
   * whole pool up at start, which in WASM costs ~0.4 s for 128 MB: a short-lived process that reads
   * a few pages (a CLI command) starts faster with a small pool.
   */
  sharedBuffersMb?: number;
}

/** Opens (creating when absent) the database in `dir`; `dir` undefined = in memory (tests). */
export async function openPgliteDatabase(dir: string | undefined, options: PgliteOptions = {}): Promise<Database & { dump(): Promise<Blob> }> {
  if (dir !== undefined) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const startParams = options.sharedBuffersMb === undefined ? undefined : [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffersMb}MB`];
  const pg = await PGlite.create({ dataDir: dir, loadDataDir: options.loadDataDir, startParams });
  const base = wrap(pg);
  return {
    query: base.query,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pg.transaction(async (tx) => fn(wrap(tx)));
    },
    async exec(sql: string): Promise<void> {
      await pg.exec(sql);
    },
    async dump(): Promise<Blob> {
      return pg.dumpDataDir('none');
    },
    async close(): Promise<void> {
      if (!pg.closed) await pg.close();
    },
  };
}
