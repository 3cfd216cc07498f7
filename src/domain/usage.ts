/**
 * Usage rows (one per API call, success or failure), written in small batches off the request
 * path: a busy server makes one multi-row INSERT every few milliseconds instead of one per call.
 * A charged call's row is already written with its charge (CreditService); the row recorded here
 * when the answer is sent then only updates its final HTTP status and duration.
 */
import type { Database } from '../db/database.ts';

export interface UsageRow {
  requestId: string;
  userId: string | null;
  keyId: string | null;
  route: string;
  statusCode: number;
  code: number;
  engineMs: number | null;
  totalMs: number;
  cacheHit: boolean;
  /** Object key of the result image a successful call made or was served (the dashboard's thumbnail). */
  resultKey?: string | null;
  /** Object key of that call's mask image. */
  maskKey?: string | null;
}

export class UsageRecorder {
  private readonly db: Database;
  private readonly onError: (err: unknown) => void;
  private buffer: UsageRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(db: Database, options: { onError: (err: unknown) => void }) {
    this.db = db;
    this.onError = options.onError;
  }

  record(row: UsageRow): void {
    this.buffer.push(row);
    if (this.buffer.length >= 200) void this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => void this.flush(), 20);
  }

  /** Writes everything recorded so far; resolves when it is in the database. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const rows = this.buffer;
    this.buffer = [];
    if (rows.length > 0) {
      this.flushing = this.flushing.then(() => this.write(rows)).catch(this.onError);
    }
    return this.flushing;
  }

  private async write(rows: UsageRow[]): Promise<void> {
    const values: unknown[] = [];
    const tuples = rows.map((r, i) => {
      values.push(r.requestId, r.userId, r.keyId, r.route, r.statusCode, r.code, r.engineMs, r.totalMs, r.cacheHit);
      const b = i * 9;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
    });
    await this.db.query(
      `INSERT INTO requests (id, user_id, key_id, route, status_code, code, engine_ms, total_ms, cache_hit)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (id) DO UPDATE SET status_code = EXCLUDED.status_code, total_ms = EXCLUDED.total_ms`,
      values,
    );
  }
}
