/**
 * Dashboard accounts: sign-up (open, invite-only or closed), log-in with a password, browser
 * sessions, password-reset tokens (printed by the CLI: no mail server is assumed) and invitations.
 * Users are the same rows API keys belong to (src/domain/users.ts); this adds a password to them.
 * Every token (session, reset, invite) is 32 random bytes, handed out once and stored as its sha256.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { ApiError, invalidParam } from '../domain/errors.ts';
import { normaliseEmail, USER_COLUMNS, userFromRow, type User, type UserService } from '../domain/users.ts';
import { decoyHash, hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from './passwords.ts';

export type SignupMode = 'open' | 'invite' | 'closed';

/** How long a log-in lasts, ms (a week: a console people come back to, not a bank). */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
/** How long a password-reset token printed by the CLI stays usable, ms. */
export const RESET_TTL_MS = 24 * 3600 * 1000;
/** How long an invitation stays usable, ms. */
export const INVITE_TTL_MS = 14 * 24 * 3600 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function checkPasswordRules(password: unknown): string {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw invalidParam('password', `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
  }
  return password;
}

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export class AccountService {
  private readonly db: Database;
  private readonly users: UserService;
  readonly signupMode: SignupMode;
  private readonly now: () => number;

  constructor(deps: { db: Database; users: UserService; signupMode: SignupMode; now?: () => number }) {
    this.db = deps.db;
    this.users = deps.users;
    this.signupMode = deps.signupMode;
    this.now = deps.now ?? Date.now;
  }

  /** Creates a user with a password. Refused when sign-up is closed, or invite-only without a valid invitation for this email. */
  async signUp(input: { email: unknown; password: unknown; inviteToken?: unknown }): Promise<User> {
    if (typeof input.email !== 'string') throw invalidParam('email', 'an email address');
    const email = normaliseEmail(input.email);
    const password = checkPasswordRules(input.password);
    if (this.signupMode === 'closed') throw new ApiError('INVALID_PARAM', 'signup: sign-up is closed on this server; ask the operator for an account', { status: 403 });
    let inviteHash: string | null = null;
    if (this.signupMode === 'invite') {
      if (typeof input.inviteToken !== 'string' || input.inviteToken === '') {
        throw new ApiError('INVALID_PARAM', 'invite: sign-up needs an invitation on this server', { status: 403 });
      }
      inviteHash = hashToken(input.inviteToken);
      const invite = await this.db.query<{ email: string }>(
        'SELECT email FROM invites WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
        [inviteHash, new Date(this.now())],
      );
      if (invite.rows.length === 0 || invite.rows[0].email !== email) {
        throw new ApiError('INVALID_PARAM', 'invite: the invitation is unknown, used, expired or for another email', { status: 403 });
      }
    }
    const passwordHash = await hashPassword(password);
    const user = await this.users.create(email);
    await this.db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, passwordHash]);
    if (inviteHash !== null) await this.db.query('UPDATE invites SET used_at = now() WHERE token_hash = $1', [inviteHash]);
    return user;
  }

  /** The user when email and password match an active account, else null (the same time either way). */
  async verifyLogin(emailInput: unknown, password: unknown): Promise<User | null> {
    if (typeof emailInput !== 'string' || typeof password !== 'string' || password.length > PASSWORD_MAX_LENGTH) return null;
    let email: string;
    try {
      email = normaliseEmail(emailInput);
    } catch {
      return null;
    }
    const result = await this.db.query<Parameters<typeof userFromRow>[0] & { password_hash: string | null }>(
      `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE email = $1`,
      [email],
    );
    const row = result.rows[0];
    const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
    if (!row || row.password_hash === null || !ok) return null;
    const user = userFromRow(row);
    if (user.status !== 'active') throw new ApiError('USER_NOT_EXIST', 'this account is disabled; ask the operator');
    return user;
  }

  async createSession(userId: string): Promise<NewSession> {
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(this.now() + SESSION_TTL_MS);
    await this.db.query('INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)', [hashToken(token), userId, csrfToken, expiresAt]);
    // Expired sessions of this user go now: the table stays the size of live log-ins.
    await this.db.query('DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2', [userId, new Date(this.now())]);
    return { token, csrfToken, expiresAt };
  }

  /** The live session of a cookie token, with its (active) user; null when unknown, expired or the user is disabled. */
  async resolveSession(token: string): Promise<Session | null> {
    const result = await this.db.query<Parameters<typeof userFromRow>[0] & { csrf_token: string; expires_at: Date }>(
      `SELECT ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')}, s.csrf_token, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2`,
      [hashToken(token), new Date(this.now())],
    );
    const row = result.rows[0];
    if (!row) return null;
    const user = userFromRow(row);
    if (user.status !== 'active') return null;
    return { user, csrfToken: row.csrf_token, expiresAt: new Date(row.expires_at) };
  }

  async endSession(token: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
  }

  async endSessionsOf(userId: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  }

  /** A one-time token that sets a new password (the CLI prints it; the admin's first log-in uses one). */
  async createPasswordReset(emailInput: string): Promise<{ email: string; token: string; expiresAt: Date }> {
    const user = await this.users.getByEmail(emailInput);
    const token = newToken();
    const expiresAt = new Date(this.now() + RESET_TTL_MS);
    await this.db.query('INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hashToken(token), user.id, expiresAt]);
    return { email: user.email, token, expiresAt };
  }

  /** Sets the password of the token's user, uses the token up and ends every session of that user. */
  async resetPassword(token: unknown, password: unknown): Promise<User> {
    const newPassword = checkPasswordRules(password);
    if (typeof token !== 'string' || token === '') throw invalidParam('token', 'the reset token the CLI printed');
    const passwordHash = await hashPassword(newPassword);
    const userId = await this.db.transaction(async (tx) => {
      const used = await tx.query<{ user_id: string }>(
        'UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id',
        [hashToken(token), new Date(this.now())],
      );
      if (used.rows.length === 0) throw new ApiError('INVALID_PARAM', 'token: the reset token is unknown, used or expired; print a new one with fitroom users reset-password EMAIL');
      const id = used.rows[0].user_id;
      await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
      await tx.query('DELETE FROM sessions WHERE user_id = $1', [id]);
      return id;
    });
    const user = await this.users.getById(userId);
    if (!user) throw new Error(`user ${userId} vanished during a password reset`);
    return user;
  }

  async createInvite(emailInput: string, createdBy: string | null): Promise<{ email: string; token: string; expiresAt: Date }> {
    const email = normaliseEmail(emailInput);
    if (await this.users.findByEmail(email)) throw new ApiError('INVALID_PARAM', `email: a user with email ${email} already exists`);
    const token = newToken();
    const expiresAt = new Date(this.now() + INVITE_TTL_MS);
    await this.db.query('INSERT INTO invites (token_hash, email, created_by, expires_at) VALUES ($1, $2, $3, $4)', [hashToken(token), email, createdBy, expiresAt]);
    return { email, token, expiresAt };
  }
}
