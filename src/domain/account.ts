/**
 * What an API key's own account can read about itself (`/v1/account`, `/v1/usage`): its balance
 * and trial calls, and its usage rows newest first, paged by an opaque cursor (keyset paging on
 * (created_at, id), so new calls arriving between pages never shift or repeat rows). No HTTP here.
 */
import type { Database } from '../db/database.ts';
import { invalidParam } from './errors.ts';
import { USER_COLUMNS, userFromRow, type User } from './users.ts';

export interface UsageEntry {
  requestId: string;
  route: string;
  statusCode: number;
  code: number;
  cacheHit: boolean;
  engineMs: number | null;
  totalMs: number | null;
  /** Credits this call cost in the end (charges minus refunds); 0 for a free, failed or trial call. */
  credits: number;
  createdAt: string;
  /** Object keys of the result and mask images the call made or was served; null when it made none or they were deleted. */
  resultKey: string | null;
  maskKey: string | null;
}

export interface UsagePage {
  items: UsageEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

interface UsageRowDb {
  id: string;
  route: string;
  status_code: number;
  code: number;
  cache_hit: boolean;
  engine_ms: number | null;
  total_ms: number | null;
  credits: string | number | null;
  created_at: Date | string;
  result_key: string | null;
  mask_key: string | null;
}

/** A cursor is the last row's (created_at in microseconds since 1970, id), base64url JSON. */
function encodeCursor(createdAtMicros: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAtMicros, id])).toString('base64url');
}

function decodeCursor(cursor: string): { micros: string; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && /^\d{1,20}$/.test(String(parsed[0])) && typeof parsed[1] === 'string' && parsed[1].length <= 64) {
      return { micros: String(parsed[0]), id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw invalidParam('cursor', 'the nextCursor of an earlier page', 'something else');
}

export class AccountService {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async user(userId: string): Promise<User> {
    const found = await this.db.query<Parameters<typeof userFromRow>[0]>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [userId]);
    if (found.rows.length === 0) throw new Error(`no user ${userId}`);
    return userFromRow(found.rows[0]);
  }

  /** The account's usage rows, newest first, `limit` at a time. */
  async usage(userId: string, options: { limit: number; cursor?: string }): Promise<UsagePage> {
    const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
    const params: unknown[] = [userId, options.limit + 1];
    let where = 'r.user_id = $1';
    if (after) {
      params.push(after.micros, after.id);
      where += ` AND (floor(extract(epoch from r.created_at) * 1000000)::bigint, r.id) < ($3::bigint, $4)`;
    }
    const rows = await this.db.query<UsageRowDb & { micros: string }>(
      `SELECT r.id, r.route, r.status_code, r.code, r.cache_hit, r.engine_ms, r.total_ms, r.created_at, r.result_key, r.mask_key,
              floor(extract(epoch from r.created_at) * 1000000)::bigint::text AS micros,
              (SELECT -COALESCE(sum(l.amount), 0) FROM credit_ledger l WHERE l.request_id = r.id AND l.kind IN ('charge', 'refund')) AS credits
       FROM requests r WHERE ${where}
       ORDER BY floor(extract(epoch from r.created_at) * 1000000)::bigint DESC, r.id DESC LIMIT $2`,
      params,
    );
    const page = rows.rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        requestId: r.id,
        route: r.route,
        statusCode: r.status_code,
        code: r.code,
        cacheHit: r.cache_hit,
        engineMs: r.engine_ms,
        totalMs: r.total_ms,
        credits: Number(r.credits ?? 0),
        createdAt: new Date(r.created_at).toISOString(),
        resultKey: r.result_key,
        maskKey: r.mask_key,
      })),
      nextCursor: rows.rows.length > options.limit && last ? encodeCursor(last.micros, last.id) : null,
    };
  }
}
