/**
 * The processes of a scale-out deployment, as the shared PostgreSQL database sees them. Each
 * process registers a row in `nodes` and refreshes `last_seen` on a heartbeat; rows a process
 * creates for calls in flight (reservations, async jobs) carry its node id (src/db/postgres.ts).
 *
 * A node whose heartbeat stopped for `timeoutMs` is dead (SIGKILL, lost machine): any live API
 * node's sweep gives its held credits back and fails its unfinished async jobs, so no credit stays
 * reserved forever. Only calls in flight are affected: a charge and its stored result are written
 * before the answer, so nothing charged is lost. Timestamps are the database's `now()`, so the
 * machines' clocks do not need to agree.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '../config/index.ts';
import type { Database } from '../db/database.ts';
import type { CreditService } from '../domain/credits.ts';

/** A node refreshes its row this many times per timeout, so one late heartbeat is never fatal. */
const HEARTBEATS_PER_TIMEOUT = 6;
/** Rows of nodes dead for this many timeouts are deleted (their leftovers are swept long before). */
const FORGET_AFTER_TIMEOUTS = 100;

export interface NodeInfo {
  [key: string]: unknown;
}

export interface LiveNode {
  id: string;
  role: Role;
  info: NodeInfo;
  lastSeenMsAgo: number;
}

/** A fresh node id: `node_` and 16 hex digits (safe inside a connection's start-up options). */
export function newNodeId(): string {
  return `node_${randomBytes(8).toString('hex')}`;
}

export interface SweepResult {
  released: number;
  failedJobs: number;
}

export class ClusterNodes {
  private readonly db: Database;
  private readonly options: { nodeId: string; role: Role; info: NodeInfo; timeoutMs: number; credits?: CreditService; onError: (err: unknown) => void };
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();

  constructor(
    db: Database,
    options: { nodeId: string; role: Role; info?: NodeInfo; timeoutMs: number; credits?: CreditService; onError?: (err: unknown) => void },
  ) {
    this.db = db;
    this.options = { info: {}, onError: () => {}, ...options };
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Registers this node and starts its heartbeat (and, with `credits`, the sweep of dead nodes). */
  async start(): Promise<void> {
    await this.db.query(
      `INSERT INTO nodes (id, role, info) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role, info = EXCLUDED.info, last_seen = now()`,
      [this.options.nodeId, this.options.role, this.options.info],
    );
    if (this.options.credits) await this.sweep();
    const interval = Math.max(100, Math.floor(this.options.timeoutMs / HEARTBEATS_PER_TIMEOUT));
    this.timer = setInterval(() => {
      this.beating = this.beat().catch(this.options.onError);
    }, interval);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    await this.db.query('UPDATE nodes SET last_seen = now() WHERE id = $1', [this.options.nodeId]);
    if (this.options.credits) await this.sweep();
  }

  /** Releases the held credits and fails the unfinished jobs of every dead node. */
  async sweep(): Promise<SweepResult> {
    const dead = `node_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM nodes n WHERE n.id = node_id AND n.last_seen > now() - make_interval(secs => $1::double precision / 1000))`;
    const timeout = this.options.timeoutMs;
    const failed = await this.db.query(
      `UPDATE jobs SET status = 'failed', error = $2, finished_at = now()
       WHERE status IN ('queued', 'running') AND ${dead} RETURNING id`,
      [timeout, { code: 500, msg: 'SERVER_ERROR: the server node running this job stopped before it finished; submit it again' }],
    );
    let released = 0;
    if (this.options.credits) {
      const held = await this.db.query<{ request_id: string }>(`SELECT request_id FROM reservations WHERE status = 'held' AND ${dead}`, [timeout]);
      for (const row of held.rows) await this.options.credits.release(row.request_id);
      released = held.rows.length;
    }
    await this.db.query('DELETE FROM nodes WHERE last_seen < now() - make_interval(secs => $1::double precision / 1000)', [timeout * FORGET_AFTER_TIMEOUTS]);
    return { released, failedJobs: failed.rows.length };
  }

  /** Nodes with a recent heartbeat, optionally of one role. */
  async live(role?: Role): Promise<LiveNode[]> {
    const rows = await this.db.query<{ id: string; role: Role; info: NodeInfo; ago: number }>(
      `SELECT id, role, info, (extract(epoch FROM now() - last_seen) * 1000)::float8 AS ago FROM nodes
       WHERE last_seen > now() - make_interval(secs => $1::double precision / 1000) AND ($2::text IS NULL OR role = $2 OR role = 'all')
       ORDER BY started_at`,
      [this.options.timeoutMs, role ?? null],
    );
    return rows.rows.map((r) => ({ id: r.id, role: r.role, info: r.info, lastSeenMsAgo: Math.round(Number(r.ago)) }));
  }

  /** Stops the heartbeat and removes this node's row (its calls have finished: shutdown drains first). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    await this.db.query('DELETE FROM nodes WHERE id = $1', [this.options.nodeId]);
  }
}
