/**
 * The scale-out `Database`: a PostgreSQL server reached through `DATABASE_URL` (the `pg` driver,
 * a connection pool). Same SQL and migrations as the embedded PGlite. Many processes on many
 * machines share one server; row locks and advisory locks do the coordinating.
 *
 * Every connection carries `fitroom.node_id` (a session setting): rows that record which process
 * made them (reservations, jobs) take it as their column default, so a process that dies can be
 * recognised by its node id and its held credits given back (src/cluster/nodes.ts).
 */
import pg from 'pg';
import type { Database, QueryResult, Queryable } from './database.ts';

/** Connections per process: enough for the API's concurrent statements without crowding the server. */
const DEFAULT_POOL_SIZE = 10;
/** A server that does not accept a connection in this long is reported unreachable, ms. */
const CONNECT_TIMEOUT_MS = 10_000;

// int8 (bigint) columns (balances, amounts) arrive as text by default; the services call Number() on
// them either way, as PGlite returns them as numbers. Left as text so no value is ever rounded here.

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Recorded on rows this process creates (see the file comment); omit for none. */
  nodeId?: string;
  poolSize?: number;
}

function wrap(client: Pick<pg.Pool | pg.PoolClient, 'query'>): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as T[], affectedRows: result.command === 'SELECT' ? 0 : (result.rowCount ?? 0) };
    },
  };
}

export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A custom setting sent in the start-up packet: no extra round trip per connection.
    options: options.nodeId === undefined ? undefined : `-c fitroom.node_id=${options.nodeId}`,
  });
  // An idle connection the server closes (restart, failover) must not crash the process; the pool
  // drops it and the next query opens a new one.
  pool.on('error', () => {});
  // Fail at start-up, with the driver's message, when the server cannot be reached.
  await pool.query('SELECT 1');
  const base = wrap(pool);
  return {
    query: base.query,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql: string): Promise<void> {
      await pool.query(sql);
    },
    async withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
      // A session lock on a connection of its own, held while `fn` uses the rest of the pool.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
