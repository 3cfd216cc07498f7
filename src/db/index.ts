/** Chooses and opens the database from configuration, migrated and ready. */
import path from 'node:path';
import type { Database } from './database.ts';
import { lockDataDir } from './lock.ts';
import { migrate } from './migrate.ts';
import { openPgliteDatabase } from './pglite.ts';

export type { Database, Queryable, QueryResult } from './database.ts';

/**
 * The embedded database under `DATA_DIR/pg`, with every migration applied, holding the data-dir
 * lock until `close()`. `waitMs`: how long to wait for another process to release the lock.
 */
export async function openDatabase(options: { dataDir: string; waitMs?: number }): Promise<Database> {
  const lock = await lockDataDir(options.dataDir, options.waitMs ?? 30_000);
  let db: Database;
  try {
    db = await openPgliteDatabase(path.join(options.dataDir, 'pg'));
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
