/**
 * Keeping in-process memos right when several API nodes share one PostgreSQL server. Each node
 * memoises what every call looks up (authenticated keys, presets, result-cache entries); another
 * node can revoke a key, disable a user, remove a preset or delete a job's images at any moment. The
 * database keeps a counter that every such change bumps in its own transaction (migration 007,
 * triggers), and a node reads it at the start of each call (`check()`): a new value drops every
 * memo. So a change committed anywhere is seen by every call that starts after it, at the cost of
 * one tiny read per call instead of one per lookup (measured: `npm run bench -- scaleout`).
 *
 * A memo fills itself from a database read that may predate a change while the counter moves on:
 * it stores what it read only if `generation()` is still the one it saw before reading, so a
 * value read before a change can never outlive the check that saw the change.
 *
 * Why not Redis pub/sub: a message arrives some time after the deletion and may be lost on a
 * reconnect, so a node could hand out a deleted image's URL after the DELETE answered; the counter
 * is exact. The embedded deployment (PGlite) is the only process on its database: it needs none
 * of this, its services forget their memos themselves when they delete.
 */
import type { Database } from '../db/database.ts';

export class MemoEpoch {
  private readonly db: Database;
  private readonly onChange: Array<() => void> = [];
  private seen: string | null = null;
  private current = 0;

  constructor(db: Database) {
    this.db = db;
  }

  /** `clear` runs whenever the counter has moved: the memo it clears may hold changed data. */
  register(clear: () => void): void {
    this.onChange.push(clear);
  }

  /** Reads the counter; when it moved since the last read, drops every registered memo. */
  async check(): Promise<void> {
    const result = await this.db.query<{ value: string | number }>('SELECT value FROM memo_epoch WHERE id = 1');
    const value = String(result.rows[0]?.value);
    if (value === this.seen) return;
    this.seen = value;
    this.current++;
    for (const clear of this.onChange) clear();
  }

  /** Changes whenever the memos are dropped: take it before a database read, store only if unchanged after. */
  generation(): number {
    return this.current;
  }
}
