/**
 * Prefixed random ids (`usr_`, `key_`, `req_`, `res_`, `pre_`, `job_`): the prefix says what a thing is in
 * logs and support tickets; the rest is 100 random bits in lowercase base32 (safe in URLs and
 * object keys, no ambiguous case).
 */
import { randomBytes } from 'node:crypto';

export type IdPrefix = 'usr' | 'key' | 'req' | 'res' | 'pre' | 'job';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newId(prefix: IdPrefix): string {
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}

const ID_BODY_RE = /^[a-z2-7]{20}$/;

export function isId(prefix: IdPrefix, value: string): boolean {
  return value.length === prefix.length + 21 && value.startsWith(`${prefix}_`) && ID_BODY_RE.test(value.slice(prefix.length + 1));
}
