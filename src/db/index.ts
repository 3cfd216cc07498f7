/** Chooses and opens the database from configuration, migrated and ready. */
import path from 'node:path';
import type { Database } from './database.ts';
import { lockDataDir } from './lock.ts';
import { migrate } from './migrate.ts';
import { openPgliteDatabase } from './pglite.ts';

export type { Database, Queryable, QueryResult } from './database.ts';

export interface OpenDatabaseOptions {
  dataDir: string;
  /** How long to wait for another process to release the data-dir lock (embedded database), ms. */
  waitMs?: number;
  /** A PostgreSQL server (`DATABASE_URL`) instead of the embedded PGlite. */
  databaseUrl?: string;
  /** This process's node id, recorded on the rows it creates (PostgreSQL server only). */
  nodeId?: string;
  /** The embedded database's buffer pool, MB (see `PgliteOptions`); undefined = PGlite's default. */
  sharedBuffersMb?: number;
}

/**
 * With `databaseUrl`: a pool on that PostgreSQL server, migrated under an advisory lock (many
 * processes share it; no data-dir lock). Without: the embedded database under `DATA_DIR/pg`,
 * holding the data-dir lock until `close()`.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl !== undefined) {
    const { openPostgresDatabase } = await import('./postgres.ts');
    const db = await openPostgresDatabase({ url: options.databaseUrl, nodeId: options.nodeId });
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return db;
  }
  const lock = await lockDataDir(options.dataDir, options.waitMs ?? 30_000);
  let db: Database;
  try {
    db = await openPgliteDatabase(path.join(options.dataDir, 'pg'), { sharedBuffersMb: options.sharedBuffersMb });
  } catch (err) {
    lock.release();
    throw err;
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    lock.release();
    throw err;
  }
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}
