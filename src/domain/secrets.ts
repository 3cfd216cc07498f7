/**
 * Signing secrets at rest: AES-256-GCM under a server key, bound to the row they belong to (the key
 * id is the additional authenticated data, so a sealed secret copied onto another row does not
 * open). Stored form: `enc1.KID.BASE64URL(iv | ciphertext | tag)`, where KID names the server key
 * (first 8 hex digits of its sha256), so that rotation can keep older keys readable.
 *
 * Server key: FITROOM_SECRET_KEY, or else DATA_DIR/secret.key, generated (mode 0600) on the first
 * start so that the embedded default needs no set-up. Older keys (FITROOM_SECRET_KEY_PREVIOUS, and
 * the key file when FITROOM_SECRET_KEY replaces it) still open secrets; the server re-seals every
 * secret under the current key at start-up. A value without the prefix is a plaintext secret from an
 * earlier version: it is read as it is and sealed at the next start.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PREFIX = 'enc1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** AES-256: 32-byte keys. */
export const SECRET_KEY_BYTES = 32;

export function secretKeyFile(dataDir: string): string {
  return path.join(dataDir, 'secret.key');
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export class SecretBox {
  private readonly current: Buffer;
  private readonly currentId: string;
  private readonly byId = new Map<string, Buffer>();

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    if (current.length !== SECRET_KEY_BYTES) throw new RangeError(`secret key: expected ${SECRET_KEY_BYTES} bytes, got ${current.length}`);
    this.current = current;
    this.currentId = keyId(current);
    for (const key of [current, ...previous]) this.byId.set(keyId(key), key);
  }

  /**
   * The server's box: `configured` (FITROOM_SECRET_KEY) when set, else the key file in `dataDir`,
   * created when absent. `previous` keys and a key file replaced by a configured key stay readable.
   */
  static open(options: { dataDir: string; configured?: Buffer; previous?: readonly Buffer[] }): SecretBox {
    const file = secretKeyFile(options.dataDir);
    let fileKey: Buffer | null = null;
    try {
      fileKey = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (options.configured) return new SecretBox(options.configured, [...(options.previous ?? []), ...(fileKey ? [fileKey] : [])]);
    if (!fileKey) {
      fileKey = randomBytes(SECRET_KEY_BYTES);
      fs.mkdirSync(options.dataDir, { recursive: true });
      // 'wx': two processes starting at once cannot both write a key; the loser reads the winner's.
      try {
        fs.writeFileSync(file, `${fileKey.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        fileKey = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
      }
    }
    return new SecretBox(fileKey, options.previous ?? []);
  }

  /** Seals `secret` for the row `rowId`. */
  seal(secret: string, rowId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    cipher.setAAD(Buffer.from(rowId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${PREFIX}.${this.currentId}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The secret of row `rowId`; a plaintext value (earlier versions) comes back as it is. Throws when it cannot be opened. */
  open(stored: string, rowId: string): string {
    if (!this.isSealed(stored)) return stored;
    const [, kid, payload] = stored.split('.');
    const key = this.byId.get(kid);
    if (!key) throw new Error(`signing secret of ${rowId} is sealed under an unknown server key ${kid} (FITROOM_SECRET_KEY_PREVIOUS?)`);
    const raw = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(rowId, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  isSealed(stored: string): boolean {
    return stored.startsWith(`${PREFIX}.`);
  }

  /** Whether `stored` is sealed under the current key (nothing to re-seal). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}.${this.currentId}.`);
  }
}
