/**
 * API keys: `fr_` + 32 random bytes (base64url), shown once, stored only as their sha256. A key may
 * require signed requests; it then has a signing secret (also shown once) and every request carries
 * the contract's HMAC-SHA256 signature, checked against a 300 s window and a replay store.
 *
 * Authentication runs on every call, so resolved keys are memoised for a few seconds; this process
 * drops a key or user from the memo the moment it revokes or disables it (the CLI talks to the
 * running server, so operator changes apply at once). On a shared database (several API nodes)
 * another node may revoke or disable: there every authentication first reads the database's change
 * counter (`epoch`, src/cluster/memo-epoch.ts), which drops the memo after any such change.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MemoEpoch } from '../cluster/memo-epoch.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from './errors.ts';
import { newId } from './ids.ts';
import type { SecretBox } from './secrets.ts';
import { userLimitsFromRow, type UserLimits, type UserLimitsRow } from './user-limits.ts';

export interface CreatedKey {
  id: string;
  userId: string;
  /** The full key: shown once, never stored. */
  apiKey: string;
  /** HMAC secret when signing is required, else null. Shown once. */
  signingSecret: string | null;
}

/** Who is calling, after a successful `authenticate`. */
export interface AuthContext {
  keyId: string;
  userId: string;
  /** Non-null when the key requires signed requests. */
  signingSecret: string | null;
  /** The user's own rate limit and cap on calls in progress (null each: the configured default). */
  limits: UserLimits;
}

export interface SignatureInput {
  timestamp: string | undefined;
  signature: string | undefined;
  method: string;
  /** The request path, without the query string. */
  path: string;
  /** Lowercase hex sha256 of the raw request body (of the empty string when there is none). */
  bodySha256: string;
}

interface KeyRow extends UserLimitsRow {
  id: string;
  user_id: string;
  signing_secret: string | null;
  revoked_at: Date | null;
  status: 'active' | 'disabled';
}

interface MemoEntry {
  row: KeyRow | null;
  expires: number;
}

const BEARER_RE = /^bearer[ \t]+([^\s]+)[ \t]*$/i;

export function hashKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** The contract's signature: lowercase hex HMAC-SHA256 of `TIMESTAMP.METHOD.PATH.SHA256HEX(BODY)`. */
export function signRequest(secret: string, timestamp: string, method: string, path: string, bodySha256: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${method.toUpperCase()}.${path}.${bodySha256}`).digest('hex');
}

export interface KeyServiceOptions {
  /** Allowed clock skew and replay window, seconds (the contract: 300). */
  signatureWindowSeconds: number;
  /** Seals signing secrets at rest (AES-GCM under the server key). */
  secrets: SecretBox;
  /** How long an authenticated key is memoised, ms (default 5000). */
  memoMs?: number;
  /** The shared database's change counter (absent: this process is the database's only user). */
  epoch?: MemoEpoch;
  /** Clock, injectable for tests. */
  now?: () => number;
}

export class KeyService {
  private readonly db: Database;
  private readonly windowSeconds: number;
  private readonly memoMs: number;
  private readonly now: () => number;
  private readonly memo = new Map<string, MemoEntry>();
  /** Key id → last time `last_used_at` was written, so busy keys cost one write a minute. */
  private readonly lastUsedWritten = new Map<string, number>();
  private signaturesSincePrune = 0;
  private readonly secrets: SecretBox;
  private readonly epoch: MemoEpoch | undefined;

  constructor(db: Database, options: KeyServiceOptions) {
    this.db = db;
    this.windowSeconds = options.signatureWindowSeconds;
    this.secrets = options.secrets;
    this.memoMs = options.memoMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.epoch = options.epoch;
    this.epoch?.register(() => this.memo.clear());
  }

  async create(userId: string, options: { signing?: boolean } = {}): Promise<CreatedKey> {
    const apiKey = `fr_${randomBytes(32).toString('base64url')}`;
    const signingSecret = options.signing ? randomBytes(32).toString('base64url') : null;
    const id = newId('key');
    await this.db.query(
      'INSERT INTO api_keys (id, user_id, key_hash, prefix, signing_secret) VALUES ($1, $2, $3, $4, $5)',
      [id, userId, hashKey(apiKey), apiKey.slice(0, 10), signingSecret === null ? null : this.secrets.seal(signingSecret, id)],
    );
    return { id, userId, apiKey, signingSecret };
  }

  /**
   * Seals every signing secret not yet sealed under the current server key: plaintext rows from
   * earlier versions, and rows sealed under a previous key (rotation). Run at start-up; returns how
   * many rows it rewrote.
   */
  async sealStoredSecrets(): Promise<number> {
    const rows = await this.db.query<{ id: string; signing_secret: string }>('SELECT id, signing_secret FROM api_keys WHERE signing_secret IS NOT NULL');
    let sealed = 0;
    for (const row of rows.rows) {
      if (this.secrets.isCurrent(row.signing_secret)) continue;
      const secret = this.secrets.open(row.signing_secret, row.id);
      // Only if unchanged since it was read, so a concurrent write is never overwritten with an older value.
      await this.db.query('UPDATE api_keys SET signing_secret = $1 WHERE id = $2 AND signing_secret = $3', [
        this.secrets.seal(secret, row.id),
        row.id,
        row.signing_secret,
      ]);
      sealed++;
    }
    if (sealed > 0) this.memo.clear();
    return sealed;
  }

  /** Revokes a key at once. Throws 10004 when there is no such key. */
  async revoke(keyId: string): Promise<void> {
    const result = await this.db.query(
      'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id',
      [keyId],
    );
    if (result.rows.length === 0) throw new ApiError('INVALID_PARAM', `key: no key with id ${keyId}`);
    this.memo.clear();
  }

  /** Forget memoised keys of this user (after it was disabled or its limits changed). */
  forgetUser(_userId: string): void {
    this.memo.clear();
  }

  /**
   * Resolves the `Authorization` header to a caller. Throws 10001 (missing or not Bearer),
   * 30001 (unknown or revoked key) or 10002 (the key's user is disabled).
   */
  async authenticate(authorization: string | undefined): Promise<AuthContext> {
    if (authorization === undefined || authorization.trim() === '') {
      throw new ApiError('NOT_LOGIN', 'missing Authorization header; send Authorization: Bearer <api key>');
    }
    const m = BEARER_RE.exec(authorization.trim());
    if (!m) throw new ApiError('NOT_LOGIN', 'Authorization header is not a Bearer token; send Authorization: Bearer <api key>');
    const hash = hashKey(m[1]);
    // The first lookup of every call: on a shared database, memos older than a change made anywhere go now.
    await this.epoch?.check();
    const row = await this.lookup(hash);
    if (!row || row.revoked_at !== null) throw new ApiError('INVALID_API_KEY', 'unknown or revoked API key');
    if (row.status !== 'active') throw new ApiError('USER_NOT_EXIST', 'the user of this key does not exist or is disabled');
    this.touch(row.id);
    return {
      keyId: row.id,
      userId: row.user_id,
      signingSecret: row.signing_secret === null ? null : this.secrets.open(row.signing_secret, row.id),
      limits: userLimitsFromRow(row),
    };
  }

  /**
   * Checks a signed request (only for keys that require signing). Throws 30002 for a missing or
   * malformed header, a timestamp more than the window away from now, a wrong signature, or a
   * signature already seen within the window.
   */
  async verifySignature(auth: AuthContext, input: SignatureInput): Promise<void> {
    if (auth.signingSecret === null) return;
    const fail = (detail: string) => new ApiError('INVALID_SIGNATURE', detail);
    if (input.timestamp === undefined || input.timestamp === '') throw fail('missing X-Fitroom-Timestamp header');
    if (input.signature === undefined || input.signature === '') throw fail('missing X-Fitroom-Signature header');
    if (!/^\d{1,12}$/.test(input.timestamp)) throw fail('X-Fitroom-Timestamp must be Unix seconds');
    const signature = input.signature.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(signature)) throw fail('X-Fitroom-Signature must be 64 hex digits (HMAC-SHA256)');
    const skew = Math.abs(this.now() / 1000 - Number(input.timestamp));
    if (skew > this.windowSeconds) throw fail(`timestamp is ${Math.round(skew)} s away from the server clock (limit ${this.windowSeconds} s)`);
    const expected = signRequest(auth.signingSecret, input.timestamp, input.method, input.path, input.bodySha256);
    if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature, 'hex'))) throw fail('signature does not match');
    // Replay: the same signature (same timestamp and body) is accepted once per key.
    const inserted = await this.db.query(
      'INSERT INTO seen_signatures (key_id, signature) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key_id',
      [auth.keyId, signature],
    );
    if (inserted.rows.length === 0) throw fail('signature already used (replayed request)');
    if (++this.signaturesSincePrune >= 100) {
      this.signaturesSincePrune = 0;
      // A signature older than twice the window can no longer pass the timestamp check.
      await this.db.query(`DELETE FROM seen_signatures WHERE seen_at < now() - interval '${2 * this.windowSeconds} seconds'`);
    }
  }

  private async lookup(hash: string): Promise<KeyRow | null> {
    const t = this.now();
    const hit = this.memo.get(hash);
    if (hit && hit.expires > t) return hit.row;
    const generation = this.epoch?.generation();
    const result = await this.db.query<KeyRow>(
      `SELECT k.id, k.user_id, k.signing_secret, k.revoked_at, u.status,
              u.rate_limit_per_minute, u.rate_limit_burst, u.max_calls_in_progress
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1`,
      [hash],
    );
    const row = result.rows[0] ?? null;
    // Not if the memos were dropped meanwhile: the row may have been read before the change.
    if (this.epoch?.generation() !== generation) return row;
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(hash, { row, expires: t + this.memoMs });
    return row;
  }

  /** Records `last_used_at`, at most once a minute per key, without delaying the call. */
  private touch(keyId: string): void {
    const t = this.now();
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (t - last < 60_000) return;
    this.lastUsedWritten.set(keyId, t);
    this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [keyId]).catch(() => {
      this.lastUsedWritten.delete(keyId);
    });
  }
}
