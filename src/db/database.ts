/**
 * The one database interface the domain services use. PostgreSQL dialect only, so the same SQL and
 * migrations run on PGlite (embedded default) and on a PostgreSQL server (scale-out).
 */

export interface QueryResult<T> {
  rows: T[];
  /** Rows inserted, updated or deleted by the statement (0 for a plain SELECT). */
  affectedRows: number;
}

export interface Queryable {
  /** One statement with `$1..$n` parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

export interface Database extends Queryable {
  /**
   * Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws (the error is
   * rethrown). Implementations serialise as needed; row locks (`SELECT ... FOR UPDATE`) are honoured.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` while holding the cluster-wide advisory lock `key` (PostgreSQL server: one holder
   * across every process). Absent on the embedded database, where one process owns the data dir.
   */
  withAdvisoryLock?<T>(key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
