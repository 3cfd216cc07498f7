/**
 * Which secret signs a job's webhook: the signing secret of the key that submitted the job when
 * that key has one (the client already holds it), else the account's webhook secret, created on
 * first use and shown to the account at `GET /v1/account`. Both are sealed at rest (SecretBox).
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { SecretBox } from '../domain/secrets.ts';

export type WebhookSecretKind = 'key' | 'account';

export class WebhookSecrets {
  private readonly db: Database;
  private readonly box: SecretBox;

  constructor(db: Database, box: SecretBox) {
    this.db = db;
    this.box = box;
  }

  /** The account's webhook secret, created (once, even under concurrent calls) when it has none. */
  async forAccount(userId: string): Promise<string> {
    const fresh = randomBytes(32).toString('base64url');
    await this.db.query('UPDATE users SET webhook_secret = $2 WHERE id = $1 AND webhook_secret IS NULL', [userId, this.box.seal(fresh, userId)]);
    const row = await this.db.query<{ webhook_secret: string }>('SELECT webhook_secret FROM users WHERE id = $1', [userId]);
    if (row.rows.length === 0) throw new Error(`no user ${userId}`);
    return this.box.open(row.rows[0].webhook_secret, userId);
  }

  /** The secret for a job submitted by `keyId` (null for jobs of earlier versions) of `userId`. */
  async forJob(userId: string, keyId: string | null): Promise<{ kind: WebhookSecretKind; secret: string }> {
    if (keyId !== null) {
      const key = await this.db.query<{ signing_secret: string | null }>('SELECT signing_secret FROM api_keys WHERE id = $1', [keyId]);
      const sealed = key.rows[0]?.signing_secret ?? null;
      if (sealed !== null) return { kind: 'key', secret: this.box.open(sealed, keyId) };
    }
    return { kind: 'account', secret: await this.forAccount(userId) };
  }
}
