/**
 * Credits: an append-only ledger and a balance it sums to. A call reserves its cost up front
 * (`reserve`), then is charged when it succeeds (`charge`) or released when it fails (`release`).
 *
 * Exactness under concurrency: every step is one transaction that locks the user's row
 * (`SELECT ... FOR UPDATE`), so two reservations can never both spend the same credit, on PGlite
 * (which runs transactions one at a time anyway) and on a PostgreSQL server alike.
 *
 * Balance model: `users.balance` is the settled balance and always equals the ledger sum;
 * `users.reserved` is what calls in flight hold; available = balance - reserved. A failed call
 * therefore leaves no ledger entry at all. Trial calls: a user who has never held credits spends one
 * of `trial_remaining` when short; the trial is taken at reservation and given back on release, and
 * a charged trial call is a 0-amount `trial` ledger entry naming its request.
 */
import type { Database, Queryable } from '../db/database.ts';
import { ApiError, invalidParam } from './errors.ts';
import type { UsageRow } from './usage.ts';

/**
 * A charged call's usage row is written in the same statement or transaction as its charge, so a
 * charge never exists without its row (the HTTP layer later updates status and duration).
 */
const USAGE_INSERT = `INSERT INTO requests (id, user_id, key_id, route, status_code, code, engine_ms, total_ms, cache_hit, result_key, mask_key)`;
const USAGE_CONFLICT = 'ON CONFLICT (id) DO NOTHING';

function usageParams(u: UsageRow): unknown[] {
  return [u.requestId, u.userId, u.keyId, u.route, u.statusCode, u.code, u.engineMs, u.totalMs, u.cacheHit, u.resultKey ?? null, u.maskKey ?? null];
}

/** `$n::type` placeholders for a usage row starting at parameter `first`. */
function usagePlaceholders(first: number): string {
  const types = ['text', 'text', 'text', 'text', 'integer', 'integer', 'integer', 'integer', 'boolean', 'text', 'text'];
  return types.map((t, i) => `$${first + i}::${t}`).join(', ');
}

export type ReservationKind = 'credits' | 'trial' | 'free';

export interface Reservation {
  requestId: string;
  userId: string;
  kind: ReservationKind;
  amount: number;
}

interface PendingCharge {
  userId: string;
  requestId: string;
  cost: number;
  usage: UsageRow | undefined;
  resolve: (r: Reservation) => void;
  reject: (err: unknown) => void;
}

interface LockedUser {
  balance: string | number;
  reserved: string | number;
  trial_remaining: number;
  ever_held_credits: boolean;
  status: string;
}

export class CreditService {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Adds `amount` credits (a `grant` ledger entry); returns the new balance. */
  async grant(userId: string, amount: number, note = 'operator grant'): Promise<number> {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw invalidParam('credits', 'a positive integer', String(amount));
    return this.db.transaction(async (tx) => {
      const result = await tx.query<{ balance: string | number }>(
        'UPDATE users SET balance = balance + $2, ever_held_credits = true WHERE id = $1 RETURNING balance',
        [userId, amount],
      );
      if (result.rows.length === 0) throw new ApiError('INVALID_PARAM', `user: no user ${userId}`);
      await tx.query("INSERT INTO credit_ledger (user_id, kind, amount, note) VALUES ($1, 'grant', $2, $3)", [userId, amount, note]);
      return Number(result.rows[0].balance);
    });
  }

  /**
   * Holds `cost` for the call `requestId`. Throws 10003 (not enough credits) or 10006 (a trial
   * user out of free calls).
   */
  async reserve(userId: string, requestId: string, cost: number): Promise<Reservation> {
    if (cost > 0) {
      // Fast path, one atomic statement: enough available credits → hold them.
      const held = await this.db.query(
        `WITH u AS (
           UPDATE users SET reserved = reserved + $2
           WHERE id = $1 AND status = 'active' AND balance - reserved >= $2 RETURNING id
         )
         INSERT INTO reservations (request_id, user_id, kind, amount) SELECT $3, id, 'credits', $2 FROM u RETURNING request_id`,
        [userId, cost, requestId],
      );
      if (held.rows.length === 1) return { requestId, userId, kind: 'credits', amount: cost };
    }
    // Short of credits, free calls, disabled users: the full transaction decides.
    return this.db.transaction((tx) => this.reserveIn(tx, userId, requestId, cost));
  }

  /**
   * Charges the call's reservation (success), writing `usage` (its usage row) in the same statement.
   * Idempotent: a settled reservation is left alone (and no row is written).
   */
  async charge(requestId: string, usage?: UsageRow): Promise<void> {
    // Fast path for held credits, one atomic statement: settle, debit, write the ledger entry (and the usage row).
    const usageCte = usage ? `, w AS (${USAGE_INSERT} SELECT ${usagePlaceholders(2)} FROM r ${USAGE_CONFLICT})` : '';
    const charged = await this.db.query(
      `WITH r AS (
         UPDATE reservations SET status = 'charged', settled_at = now()
         WHERE request_id = $1 AND status = 'held' AND kind = 'credits' RETURNING user_id, amount
       ),
       u AS (
         UPDATE users SET balance = users.balance - r.amount, reserved = users.reserved - r.amount
         FROM r WHERE users.id = r.user_id RETURNING users.id
       ),
       l AS (
         INSERT INTO credit_ledger (user_id, kind, amount, request_id) SELECT r.user_id, 'charge', -r.amount, $1 FROM r RETURNING id
       )${usageCte}
       SELECT id FROM l`,
      usage ? [requestId, ...usageParams(usage)] : [requestId],
    );
    if (charged.rows.length === 1) return;
    // Trial and free reservations (or nothing held any more): the full transaction.
    await this.db.transaction((tx) => this.chargeIn(tx, requestId, usage));
  }

  /**
   * Reserve and charge at once, for a call whose result is already known (a cache hit).
   *
   * Cache hits are the hot path and PGlite runs one statement at a time, so hits that arrive
   * together are charged together: one statement debits every user of the batch (only when each
   * user's available credits cover that user's whole share) and writes one ledger entry per request.
   * A request the batch could not charge (a user short of credits, trials, free calls) takes the
   * full transaction on its own, which decides exactly as `reserve` does (10003 / 10006).
   */
  reserveAndCharge(userId: string, requestId: string, cost: number, usage?: UsageRow): Promise<Reservation> {
    if (cost <= 0) return this.reserveAndChargeAlone(userId, requestId, cost, usage);
    return new Promise((resolve, reject) => {
      this.pendingCharges.push({ userId, requestId, cost, usage, resolve, reject });
      if (!this.chargeFlushScheduled) {
        this.chargeFlushScheduled = true;
        // Let every request whose bytes arrived in this turn of the event loop join the batch.
        setImmediate(() => void this.flushCharges());
      }
    });
  }

  private readonly pendingCharges: PendingCharge[] = [];
  private chargeFlushScheduled = false;

  private async flushCharges(): Promise<void> {
    const batch = this.pendingCharges.splice(0);
    this.chargeFlushScheduled = false;
    let charged = new Set<string>();
    const rows = batch.flatMap((b) => (b.usage ? [b.usage] : []));
    const column = <T>(pick: (u: UsageRow) => T) => rows.map(pick);
    try {
      const result = await this.db.query<{ request_id: string }>(
        `WITH req AS (
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) AS r(user_id, amount, request_id)
         ),
         share AS (SELECT user_id, sum(amount) AS total FROM req GROUP BY user_id),
         debited AS (
           UPDATE users SET balance = users.balance - share.total FROM share
           WHERE users.id = share.user_id AND users.status = 'active' AND users.balance - users.reserved >= share.total
           RETURNING users.id
         ),
         ledger AS (
           INSERT INTO credit_ledger (user_id, kind, amount, request_id)
           SELECT req.user_id, 'charge', -req.amount, req.request_id FROM req JOIN debited ON debited.id = req.user_id
           RETURNING request_id
         ),
         usage AS (
           ${USAGE_INSERT}
           SELECT w.* FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::integer[], $9::integer[], $10::integer[], $11::integer[], $12::boolean[], $13::text[], $14::text[])
             AS w(id, user_id, key_id, route, status_code, code, engine_ms, total_ms, cache_hit, result_key, mask_key)
           JOIN debited ON debited.id = w.user_id
           ${USAGE_CONFLICT}
         )
         SELECT request_id FROM ledger`,
        [
          batch.map((b) => b.userId),
          batch.map((b) => b.cost),
          batch.map((b) => b.requestId),
          column((u) => u.requestId),
          column((u) => u.userId),
          column((u) => u.keyId),
          column((u) => u.route),
          column((u) => u.statusCode),
          column((u) => u.code),
          column((u) => u.engineMs),
          column((u) => u.totalMs),
          column((u) => u.cacheHit),
          column((u) => u.resultKey ?? null),
          column((u) => u.maskKey ?? null),
        ],
      );
      charged = new Set(result.rows.map((r) => r.request_id));
    } catch {
      // The statement is atomic: nothing was charged; every request takes the full path below.
    }
    for (const b of batch) {
      if (charged.has(b.requestId)) b.resolve({ requestId: b.requestId, userId: b.userId, kind: 'credits', amount: b.cost });
      else this.reserveAndChargeAlone(b.userId, b.requestId, b.cost, b.usage).then(b.resolve, b.reject);
    }
  }

  private reserveAndChargeAlone(userId: string, requestId: string, cost: number, usage?: UsageRow): Promise<Reservation> {
    return this.db.transaction(async (tx) => {
      const reservation = await this.reserveIn(tx, userId, requestId, cost);
      await this.chargeIn(tx, requestId, usage);
      return reservation;
    });
  }

  /** Gives the reservation back (the call failed): the balance is as if the call never happened. */
  async release(requestId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const r = await this.settle(tx, requestId, 'released');
      if (!r) return;
      if (r.kind === 'credits') {
        await tx.query('UPDATE users SET reserved = reserved - $2 WHERE id = $1', [r.userId, r.amount]);
      } else if (r.kind === 'trial') {
        await tx.query('UPDATE users SET trial_remaining = trial_remaining + 1 WHERE id = $1', [r.userId]);
      }
    });
  }

  /**
   * Gives back what the call `requestId` was charged (a cancelled async job whose work finished, a
   * try-on sample that repeated an earlier one: `reason`, the ledger entry's note): credits return to the balance with a `refund` ledger entry, a trial call returns to the trial
   * allowance (a 0-amount `refund` entry). Returns false when nothing was charged (released, free,
   * or already refunded: a request is refunded at most once).
   */
  async refund(requestId: string, reason = 'cancelled job'): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const charged = await tx.query<{ user_id: string; kind: ReservationKind; amount: string | number }>(
        "SELECT user_id, kind, amount FROM reservations WHERE request_id = $1 AND status = 'charged' FOR UPDATE",
        [requestId],
      );
      const r = charged.rows[0];
      if (!r || r.kind === 'free') return false;
      const done = await tx.query("SELECT 1 FROM credit_ledger WHERE request_id = $1 AND kind = 'refund'", [requestId]);
      if (done.rows.length > 0) return false;
      if (r.kind === 'credits') {
        await tx.query('UPDATE users SET balance = balance + $2 WHERE id = $1', [r.user_id, Number(r.amount)]);
        await tx.query("INSERT INTO credit_ledger (user_id, kind, amount, request_id, note) VALUES ($1, 'refund', $2, $3, $4)", [r.user_id, Number(r.amount), requestId, reason]);
      } else {
        await tx.query('UPDATE users SET trial_remaining = trial_remaining + 1 WHERE id = $1', [r.user_id]);
        await tx.query("INSERT INTO credit_ledger (user_id, kind, amount, request_id, note) VALUES ($1, 'refund', 0, $2, $3)", [r.user_id, requestId, `${reason}: trial call returned`]);
      }
      return true;
    });
  }

  /**
   * Releases every reservation still held (calls cut short by a crash or kill). Run at start-up by
   * the embedded deployment, where no other process can have calls in flight.
   */
  async releaseAllHeld(): Promise<number> {
    const held = await this.db.query<{ request_id: string }>("SELECT request_id FROM reservations WHERE status = 'held'");
    for (const row of held.rows) await this.release(row.request_id);
    return held.rows.length;
  }

  private async reserveIn(tx: Queryable, userId: string, requestId: string, cost: number): Promise<Reservation> {
    const locked = await tx.query<LockedUser>(
      'SELECT balance, reserved, trial_remaining, ever_held_credits, status FROM users WHERE id = $1 FOR UPDATE',
      [userId],
    );
    if (locked.rows.length === 0 || locked.rows[0].status !== 'active') {
      throw new ApiError('USER_NOT_EXIST', 'the user of this key does not exist or is disabled');
    }
    const u = locked.rows[0];
    const available = Number(u.balance) - Number(u.reserved);
    let kind: ReservationKind;
    if (cost === 0) {
      kind = 'free';
    } else if (available >= cost) {
      kind = 'credits';
      await tx.query('UPDATE users SET reserved = reserved + $2 WHERE id = $1', [userId, cost]);
    } else if (!u.ever_held_credits && u.trial_remaining > 0) {
      kind = 'trial';
      await tx.query('UPDATE users SET trial_remaining = trial_remaining - 1 WHERE id = $1', [userId]);
    } else if (!u.ever_held_credits) {
      throw new ApiError('INSUFFICIENT_TRAIL_COUNT', 'all free trial calls have been used; ask the operator for credits');
    } else {
      throw new ApiError('INSUFFICIENT_CREDITS', `this call costs ${cost} credit${cost === 1 ? '' : 's'}, available balance is ${Math.max(0, available)}`);
    }
    const amount = kind === 'credits' ? cost : 0;
    await tx.query('INSERT INTO reservations (request_id, user_id, kind, amount) VALUES ($1, $2, $3, $4)', [requestId, userId, kind, amount]);
    return { requestId, userId, kind, amount };
  }

  private async chargeIn(tx: Queryable, requestId: string, usage?: UsageRow): Promise<void> {
    const r = await this.settle(tx, requestId, 'charged');
    if (!r) return;
    if (usage) await tx.query(`${USAGE_INSERT} VALUES (${usagePlaceholders(1)}) ${USAGE_CONFLICT}`, usageParams(usage));
    if (r.kind === 'credits') {
      await tx.query('UPDATE users SET balance = balance - $2, reserved = reserved - $2 WHERE id = $1', [r.userId, r.amount]);
      await tx.query("INSERT INTO credit_ledger (user_id, kind, amount, request_id) VALUES ($1, 'charge', $2, $3)", [r.userId, -r.amount, requestId]);
    } else if (r.kind === 'trial') {
      await tx.query("INSERT INTO credit_ledger (user_id, kind, amount, request_id, note) VALUES ($1, 'trial', 0, $2, 'free trial call')", [r.userId, requestId]);
    }
  }

  /** Marks a held reservation settled; returns it, or null when none is held for this request. */
  private async settle(tx: Queryable, requestId: string, status: 'charged' | 'released'): Promise<Reservation | null> {
    const result = await tx.query<{ user_id: string; kind: ReservationKind; amount: string | number }>(
      `UPDATE reservations SET status = $2, settled_at = now()
       WHERE request_id = $1 AND status = 'held' RETURNING user_id, kind, amount`,
      [requestId, status],
    );
    if (result.rows.length === 0) return null;
    const row = result.rows[0];
    return { requestId, userId: row.user_id, kind: row.kind, amount: Number(row.amount) };
  }
}
