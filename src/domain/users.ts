/** Users: created by an operator (CLI) or on first start (the admin), disabled but never deleted. */
import type { Database } from '../db/database.ts';
import { ApiError, invalidParam } from './errors.ts';
import { newId } from './ids.ts';
import { USER_LIMITS_COLUMNS, checkLimitsChange, limitsInForce, userLimitsFromRow, type LimitsInForce, type UserLimits, type UserLimitsRow } from './user-limits.ts';

export interface User {
  id: string;
  email: string;
  status: 'active' | 'disabled';
  isAdmin: boolean;
  balance: number;
  reserved: number;
  trialRemaining: number;
  everHeldCredits: boolean;
}

interface UserRow {
  id: string;
  email: string;
  status: 'active' | 'disabled';
  is_admin: boolean;
  balance: string | number;
  reserved: string | number;
  trial_remaining: number;
  ever_held_credits: boolean;
}

export const USER_COLUMNS = 'id, email, status, is_admin, balance, reserved, trial_remaining, ever_held_credits';

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    isAdmin: row.is_admin,
    balance: Number(row.balance),
    reserved: Number(row.reserved),
    trialRemaining: row.trial_remaining,
    everHeldCredits: row.ever_held_credits,
  };
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

export function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL_RE.test(e) || e.length > 254) throw invalidParam('email', 'an email address', JSON.stringify(email));
  return e;
}

export interface UserServiceOptions {
  /** Free calls a new user gets (FITROOM_TRIAL_CALLS). */
  trialCalls: number;
  /** The configured per-key limits, in force for users without their own (FITROOM_RATE_LIMIT_*, FITROOM_MAX_JOBS_PER_KEY). */
  limitDefaults: LimitsInForce;
  /** Called after a user changes status or limits, so caches of authenticated keys drop it. */
  onUserChanged?: (userId: string) => void;
}

export class UserService {
  private readonly db: Database;
  private readonly options: UserServiceOptions;

  constructor(db: Database, options: UserServiceOptions) {
    this.db = db;
    this.options = options;
  }

  /** Creates an active user with the configured trial allowance. Throws 10004 when the email is taken. */
  async create(email: string, options: { isAdmin?: boolean } = {}): Promise<User> {
    const e = normaliseEmail(email);
    const id = newId('usr');
    const result = await this.db.query<UserRow>(
      `INSERT INTO users (id, email, is_admin, trial_remaining) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) DO NOTHING RETURNING ${USER_COLUMNS}`,
      [id, e, options.isAdmin ?? false, this.options.trialCalls],
    );
    if (result.rows.length === 0) throw new ApiError('INVALID_PARAM', `email: a user with email ${e} already exists`);
    return userFromRow(result.rows[0]);
  }

  async findByEmail(email: string): Promise<User | null> {
    const result = await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [normaliseEmail(email)]);
    return result.rows.length ? userFromRow(result.rows[0]) : null;
  }

  async getByEmail(email: string): Promise<User> {
    const user = await this.findByEmail(email);
    if (!user) throw new ApiError('INVALID_PARAM', `email: no user with email ${normaliseEmail(email)}`);
    return user;
  }

  async getById(id: string): Promise<User | null> {
    const result = await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return result.rows.length ? userFromRow(result.rows[0]) : null;
  }

  async count(): Promise<number> {
    const result = await this.db.query<{ n: string | number }>('SELECT count(*) AS n FROM users');
    return Number(result.rows[0].n);
  }

  async disable(email: string): Promise<User> {
    const result = await this.db.query<UserRow>(
      `UPDATE users SET status = 'disabled' WHERE email = $1 RETURNING ${USER_COLUMNS}`,
      [normaliseEmail(email)],
    );
    if (result.rows.length === 0) throw new ApiError('INVALID_PARAM', `email: no user with email ${normaliseEmail(email)}`);
    const user = userFromRow(result.rows[0]);
    this.options.onUserChanged?.(user.id);
    return user;
  }

  /**
   * Changes the user's own limits: each given value replaces the stored one (null: back to the
   * configured default), absent ones are kept; every key of the user gets them from its next call.
   * Answers the user's own limits and the ones in force. Throws 10004 for a value out of range
   * (checkLimitsChange) or when there is no such user.
   */
  async setLimits(email: string, requested: Partial<UserLimits>): Promise<{ email: string; own: UserLimits; inForce: LimitsInForce }> {
    const e = normaliseEmail(email);
    const change = checkLimitsChange(requested);
    // One statement: a value not given keeps what is stored, whatever another change wrote meanwhile.
    const given = (value: number | null | undefined) => [value !== undefined, value ?? null];
    const result = await this.db.query<{ id: string } & UserLimitsRow>(
      `UPDATE users SET
         rate_limit_per_minute = CASE WHEN $2::boolean THEN $3::integer ELSE rate_limit_per_minute END,
         rate_limit_burst = CASE WHEN $4::boolean THEN $5::integer ELSE rate_limit_burst END,
         max_calls_in_progress = CASE WHEN $6::boolean THEN $7::integer ELSE max_calls_in_progress END
       WHERE email = $1 RETURNING id, ${USER_LIMITS_COLUMNS}`,
      [e, ...given(change.perMinute), ...given(change.burst), ...given(change.inProgress)],
    );
    if (result.rows.length === 0) throw new ApiError('INVALID_PARAM', `email: no user with email ${e}`);
    this.options.onUserChanged?.(result.rows[0].id);
    const own = userLimitsFromRow(result.rows[0]);
    return { email: e, own, inForce: limitsInForce(this.options.limitDefaults, own) };
  }

  /** Sum of the user's ledger amounts: equals `balance` unless something is badly wrong. */
  async ledgerSum(userId: string): Promise<number> {
    const result = await this.db.query<{ s: string | number }>(
      'SELECT COALESCE(sum(amount), 0) AS s FROM credit_ledger WHERE user_id = $1',
      [userId],
    );
    return Number(result.rows[0].s);
  }
}
