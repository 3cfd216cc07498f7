/**
 * What the dashboard shows and changes for one signed-in user (their keys, ledger and usage) and
 * for an operator (users, presets). Every per-user query is scoped by the session's user id, so one
 * user can never read or revoke another's keys or calls.
 */
import type { Database } from '../db/database.ts';
import type { CreditService } from '../domain/credits.ts';
import { ApiError, invalidParam } from '../domain/errors.ts';
import type { KeyService } from '../domain/keys.ts';
import { USER_LIMITS_COLUMNS, userLimitsFromRow, type UserLimitsRow } from '../domain/user-limits.ts';
import type { UserService } from '../domain/users.ts';

/** Longest key name, characters. */
export const KEY_NAME_MAX = 80;
/** Most rows a list answers (the dashboard pages through nothing; it shows the latest). */
export const LIST_LIMIT = 200;
/** Days the usage chart covers at most. */
export const USAGE_MAX_DAYS = 90;

export interface KeySummary {
  id: string;
  name: string | null;
  prefix: string;
  signing: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface UsageFilter {
  /** The API route (`/api/openapi/change-clothes-ai`, ...); undefined: all. */
  route?: string;
  /** `ok`: code 200 only; `failed`: everything else. */
  outcome?: 'ok' | 'failed';
  keyId?: string;
  days: number;
}

export class ConsoleService {
  private readonly db: Database;
  private readonly keys: KeyService;
  private readonly users: UserService;
  private readonly credits: CreditService;

  constructor(deps: { db: Database; keys: KeyService; users: UserService; credits: CreditService }) {
    this.db = deps.db;
    this.keys = deps.keys;
    this.users = deps.users;
    this.credits = deps.credits;
  }

  async listKeys(userId: string): Promise<KeySummary[]> {
    const result = await this.db.query<{
      id: string;
      name: string | null;
      prefix: string;
      signing: boolean;
      created_at: Date;
      last_used_at: Date | null;
      revoked_at: Date | null;
    }>(
      `SELECT id, name, prefix, signing_secret IS NOT NULL AS signing, created_at, last_used_at, revoked_at
       FROM api_keys WHERE user_id = $1 ORDER BY revoked_at IS NOT NULL, created_at DESC LIMIT ${LIST_LIMIT}`,
      [userId],
    );
    return result.rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      signing: r.signing,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }));
  }

  async createKey(userId: string, nameInput: unknown, signing: unknown) {
    const name = typeof nameInput === 'string' ? nameInput.trim() : '';
    if (name === '' || name.length > KEY_NAME_MAX) throw invalidParam('name', `a name of 1 to ${KEY_NAME_MAX} characters`);
    const key = await this.keys.create(userId, { signing: signing === true });
    await this.db.query('UPDATE api_keys SET name = $2 WHERE id = $1', [key.id, name]);
    return { id: key.id, name, apiKey: key.apiKey, signingSecret: key.signingSecret };
  }

  /** Revokes one of the user's own keys; another user's key id answers exactly like an unknown one. */
  async revokeKey(userId: string, keyId: string): Promise<void> {
    const owned = await this.db.query('SELECT 1 FROM api_keys WHERE id = $1 AND user_id = $2', [keyId, userId]);
    if (owned.rows.length === 0) throw new ApiError('INVALID_PARAM', `key: no key with id ${keyId.slice(0, 40)}`, { status: 404 });
    await this.keys.revoke(keyId);
  }

  /** The ledger, newest first, each entry with the balance right after it (for the chart). */
  async ledger(userId: string) {
    const result = await this.db.query<{ id: string | number; kind: string; amount: string | number; request_id: string | null; note: string | null; created_at: Date; balance_after: string | number }>(
      `SELECT id, kind, amount, request_id, note, created_at,
              sum(amount) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS balance_after
       FROM credit_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT ${LIST_LIMIT}`,
      [userId],
    );
    return result.rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      amount: Number(r.amount),
      requestId: r.request_id,
      note: r.note,
      createdAt: r.created_at,
      balanceAfter: Number(r.balance_after),
    }));
  }

  /** Recent calls with what each was charged (from the ledger), newest first. */
  async usage(userId: string, filter: UsageFilter) {
    const where = ['r.user_id = $1', `r.created_at > now() - make_interval(days => $2)`];
    const params: unknown[] = [userId, filter.days];
    if (filter.route) {
      params.push(filter.route);
      where.push(`r.route = $${params.length}`);
    }
    if (filter.keyId) {
      params.push(filter.keyId);
      where.push(`r.key_id = $${params.length}`);
    }
    if (filter.outcome === 'ok') where.push('r.code = 200');
    if (filter.outcome === 'failed') where.push('r.code <> 200');
    const result = await this.db.query<{
      id: string;
      key_id: string | null;
      key_name: string | null;
      key_prefix: string | null;
      route: string;
      status_code: number;
      code: number;
      engine_ms: number | null;
      total_ms: number | null;
      cache_hit: boolean;
      created_at: Date;
      credits: string | number | null;
      trial: boolean;
      result_key: string | null;
    }>(
      `SELECT r.id, r.key_id, k.name AS key_name, k.prefix AS key_prefix, r.route, r.status_code, r.code, r.engine_ms,
              r.total_ms, r.cache_hit, r.created_at, r.result_key,
              (SELECT -sum(l.amount) FROM credit_ledger l WHERE l.request_id = r.id AND l.user_id = r.user_id AND l.kind IN ('charge', 'refund')) AS credits,
              EXISTS (SELECT 1 FROM credit_ledger l WHERE l.request_id = r.id AND l.user_id = r.user_id AND l.kind = 'trial') AS trial
       FROM requests r LEFT JOIN api_keys k ON k.id = r.key_id
       WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC LIMIT ${LIST_LIMIT}`,
      params,
    );
    const daily = await this.db.query<{ day: string; calls: string | number; failures: string | number; credits: string | number }>(
      `SELECT to_char(date_trunc('day', r.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
              count(*) AS calls, count(*) FILTER (WHERE r.code <> 200) AS failures,
              COALESCE(sum((SELECT -sum(l.amount) FROM credit_ledger l WHERE l.request_id = r.id AND l.user_id = r.user_id AND l.kind IN ('charge', 'refund'))), 0) AS credits
       FROM requests r WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`,
      params,
    );
    return {
      calls: result.rows.map((r) => ({
        id: r.id,
        keyId: r.key_id,
        keyName: r.key_name,
        keyPrefix: r.key_prefix,
        route: r.route,
        status: r.status_code,
        code: r.code,
        engineMs: r.engine_ms,
        totalMs: r.total_ms,
        cacheHit: r.cache_hit,
        createdAt: r.created_at,
        credits: r.credits === null ? 0 : Number(r.credits),
        trial: r.trial,
        /** The result image's object key (for a thumbnail), null when the call made none. */
        resultKey: r.result_key,
      })),
      daily: daily.rows.map((d) => ({ day: d.day, calls: Number(d.calls), failures: Number(d.failures), credits: Number(d.credits) })),
    };
  }

  /** Operator: users matching `query` (part of an email), with their key and recent call counts. */
  async searchUsers(query: string) {
    const pattern = `%${query.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const result = await this.db.query<{
      id: string;
      email: string;
      status: string;
      is_admin: boolean;
      balance: string | number;
      trial_remaining: number;
      created_at: Date;
      keys: string | number;
      calls_30d: string | number;
      has_password: boolean;
    } & UserLimitsRow>(
      `SELECT u.id, u.email, u.status, u.is_admin, u.balance, u.trial_remaining, u.created_at, ${USER_LIMITS_COLUMNS},
              (SELECT count(*) FROM api_keys k WHERE k.user_id = u.id AND k.revoked_at IS NULL) AS keys,
              (SELECT count(*) FROM requests r WHERE r.user_id = u.id AND r.created_at > now() - interval '30 days') AS calls_30d,
              u.password_hash IS NOT NULL AS has_password
       FROM users u WHERE u.email LIKE $1 ORDER BY u.created_at DESC LIMIT ${LIST_LIMIT}`,
      [pattern],
    );
    return result.rows.map((r) => ({
      id: r.id,
      email: r.email,
      status: r.status,
      isAdmin: r.is_admin,
      balance: Number(r.balance),
      trialRemaining: r.trial_remaining,
      createdAt: r.created_at,
      activeKeys: Number(r.keys),
      calls30d: Number(r.calls_30d),
      hasPassword: r.has_password,
      // The user's own per-key limits (null: the configured default), for the Admin page's form.
      limits: userLimitsFromRow(r),
    }));
  }

  async grant(userId: string, amount: unknown, byEmail: string): Promise<number> {
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0 || amount > 1_000_000_000) {
      throw invalidParam('amount', 'a whole number of credits, 1 to 1000000000', JSON.stringify(amount));
    }
    return this.credits.grant(userId, amount, `dashboard grant by ${byEmail}`);
  }

  async setStatus(userId: string, status: 'active' | 'disabled'): Promise<void> {
    const user = await this.users.getById(userId);
    if (!user) throw new ApiError('INVALID_PARAM', `user: no user with id ${userId.slice(0, 40)}`, { status: 404 });
    if (status === 'disabled') {
      await this.users.disable(user.email);
      await this.db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    } else {
      await this.db.query("UPDATE users SET status = 'active' WHERE id = $1", [userId]);
      this.keys.forgetUser(userId);
    }
  }

  /** Share of calls that failed, and that failed on the server's side (500), over the last `minutes`. */
  async recentErrorRate(minutes: number) {
    const result = await this.db.query<{ calls: string | number; failures: string | number; server_errors: string | number }>(
      `SELECT count(*) AS calls, count(*) FILTER (WHERE code <> 200) AS failures, count(*) FILTER (WHERE code = 500) AS server_errors
       FROM requests WHERE created_at > now() - make_interval(mins => $1)`,
      [minutes],
    );
    const row = result.rows[0];
    return { minutes, calls: Number(row.calls), failures: Number(row.failures), serverErrors: Number(row.server_errors) };
  }
}
