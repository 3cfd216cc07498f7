/**
 * Versioned migrations: `migrations/NNN_name.sql`, applied in order, each in its own transaction,
 * recorded in `schema_migrations`. A migration that has run is never edited; add a new file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      sql: fs.readFileSync(path.join(dir, file), 'utf8'),
    }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name}: expected version ${i + 1} (numbers must be consecutive)`);
  });
  return migrations;
}

/** Advisory lock key held while migrating (any number that no other lock of ours uses). */
export const MIGRATION_LOCK_KEY = 7246501;

/**
 * Applies every pending migration; returns the names applied. On a PostgreSQL server the whole run
 * holds an advisory lock, so nodes starting together migrate once: the first applies, the others
 * wait, then find nothing pending (even `CREATE TABLE IF NOT EXISTS` races without it).
 */
export async function migrate(db: Database, migrations = listMigrations()): Promise<string[]> {
  // Every start (and every CLI command) comes here; an up-to-date database answers two reads
  // instead of a transaction per migration (and, on a server, without queueing for the lock).
  if (await allApplied(db, migrations)) return [];
  if (db.withAdvisoryLock) return db.withAdvisoryLock(MIGRATION_LOCK_KEY, () => migrateLocked(db, migrations));
  return migrateLocked(db, migrations);
}

/** True when `schema_migrations` exists and records every one of `migrations`. */
async function allApplied(db: Database, migrations: Migration[]): Promise<boolean> {
  const table = await db.query<{ exists: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`);
  if (!table.rows[0]?.exists) return false;
  const versions = migrations.map((m) => m.version);
  const result = await db.query<{ applied: number }>('SELECT count(*)::int AS applied FROM schema_migrations WHERE version = ANY($1::int[])', [versions]);
  return result.rows[0]?.applied === versions.length;
}

async function migrateLocked(db: Database, migrations: Migration[]): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (seen.rows.length > 0) return false;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}

/** The highest migration version applied to `db` (0 when none is). */
export async function schemaVersion(db: Database): Promise<number> {
  const result = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return result.rows[0]?.version ?? 0;
}

/** Splits a migration file on `;` at line ends (a function body or quoted text keeps its semicolons inside a line). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
