/** Chooses and opens the database from configuration, migrated and ready. */
import path from 'node:path';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPgliteDatabase } from './pglite.ts';

export type { Database, Queryable, QueryResult } from './database.ts';

/** The embedded database under `DATA_DIR/pg`, with every migration applied. */
export async function openDatabase(options: { dataDir: string }): Promise<Database> {
  const db = await openPgliteDatabase(path.join(options.dataDir, 'pg'));
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
