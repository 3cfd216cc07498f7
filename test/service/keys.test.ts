import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Database } from '../../src/db/database.ts';
import { ApiError } from '../../src/domain/errors.ts';
import { KeyService, hashKey, signRequest } from '../../src/domain/keys.ts';
import { SecretBox } from '../../src/domain/secrets.ts';
import { UserService } from '../../src/domain/users.ts';
import { cacheKey } from '../../src/domain/cache.ts';
import { openTestDatabase } from './helpers.ts';

let db: Database;
let users: UserService;
let keys: KeyService;
const clock = Math.floor(Date.now() / 1000) * 1000; // whole seconds: skew messages are exact
before(async () => {
  db = await openTestDatabase();
  keys = new KeyService(db, { signatureWindowSeconds: 300, now: () => clock, memoMs: 60_000, secrets: new SecretBox(randomBytes(32)) });
  users = new UserService(db, { trialCalls: 5, limitDefaults: { perMinute: 60, burst: 10, inProgress: 4 }, onUserChanged: (id) => keys.forgetUser(id) });
});
after(async () => {
  await db.close();
});

const code = (c: number) => (e: unknown) => e instanceof ApiError && e.code === c;

test('keys are fr_ + 32 random bytes, stored only as sha256, and authenticate with any Bearer casing', async () => {
  const user = await users.create('k@example.com');
  const key = await keys.create(user.id);
  assert.match(key.apiKey, /^fr_[A-Za-z0-9_-]{43}$/);
  assert.match(key.id, /^key_[a-z2-7]{20}$/);
  assert.equal(key.signingSecret, null);
  const stored = await db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [key.id]);
  assert.equal(stored.rows[0].key_hash, createHash('sha256').update(key.apiKey).digest('hex'));
  assert.ok(!JSON.stringify(stored.rows[0]).includes(key.apiKey.slice(3)), 'the key itself is not stored');
  for (const header of [`Bearer ${key.apiKey}`, `bearer ${key.apiKey}`, `BEARER   ${key.apiKey} `]) {
    const auth = await keys.authenticate(header);
    assert.equal(auth.userId, user.id);
    assert.equal(auth.keyId, key.id);
  }
});

test('10001 for a missing or non-Bearer header, 30001 for unknown or revoked keys, 10002 for a disabled user', async () => {
  await assert.rejects(keys.authenticate(undefined), code(10001));
  await assert.rejects(keys.authenticate(''), code(10001));
  await assert.rejects(keys.authenticate('Basic dXNlcjpwYXNz'), code(10001));
  await assert.rejects(keys.authenticate('Bearer'), code(10001));
  await assert.rejects(keys.authenticate('Bearer fr_notakey'), code(30001));
  const user = await users.create('r@example.com');
  const key = await keys.create(user.id);
  await keys.authenticate(`Bearer ${key.apiKey}`); // memoised now
  await keys.revoke(key.id);
  await assert.rejects(keys.authenticate(`Bearer ${key.apiKey}`), code(30001), 'revocation applies at once despite the memo');
  const other = await keys.create(user.id);
  await keys.authenticate(`Bearer ${other.apiKey}`);
  await users.disable('r@example.com');
  await assert.rejects(keys.authenticate(`Bearer ${other.apiKey}`), code(10002));
  await assert.rejects(keys.revoke('key_aaaaaaaaaaaaaaaaaaaa'), code(10004));
});

test('signatures: valid passes once; wrong, stale, malformed, missing and replayed get 30002', async () => {
  const user = await users.create('s@example.com');
  const key = await keys.create(user.id, { signing: true });
  assert.ok(key.signingSecret && key.signingSecret.length >= 40);
  const auth = await keys.authenticate(`Bearer ${key.apiKey}`);
  assert.equal(auth.signingSecret, key.signingSecret);
  const body = createHash('sha256').update('some body').digest('hex');
  const path = '/api/openapi/change-clothes-ai';
  const ts = String(Math.floor(clock / 1000));
  const good = signRequest(key.signingSecret!, ts, 'POST', path, body);
  assert.match(good, /^[0-9a-f]{64}$/);
  const input = { timestamp: ts, signature: good, method: 'POST', path, bodySha256: body };

  await assert.rejects(keys.verifySignature(auth, { ...input, signature: signRequest('wrong', ts, 'POST', path, body) }), code(30002));
  await assert.rejects(keys.verifySignature(auth, { ...input, bodySha256: hashKey('other body') }), code(30002));
  await assert.rejects(keys.verifySignature(auth, { ...input, timestamp: undefined }), code(30002));
  await assert.rejects(keys.verifySignature(auth, { ...input, signature: undefined }), code(30002));
  await assert.rejects(keys.verifySignature(auth, { ...input, signature: 'xyz' }), code(30002));
  await assert.rejects(keys.verifySignature(auth, { ...input, timestamp: 'yesterday' }), code(30002));
  const staleTs = String(Math.floor(clock / 1000) - 301);
  await assert.rejects(
    keys.verifySignature(auth, { ...input, timestamp: staleTs, signature: signRequest(key.signingSecret!, staleTs, 'POST', path, body) }),
    (e) => e instanceof ApiError && e.code === 30002 && /301 s/.test(e.msg),
  );
  await keys.verifySignature(auth, input);
  await assert.rejects(keys.verifySignature(auth, input), (e) => e instanceof ApiError && e.code === 30002 && /replay/.test(e.msg));
  // Within the window a fresh timestamp signs again.
  const ts2 = String(Number(ts) + 1);
  await keys.verifySignature(auth, { ...input, timestamp: ts2, signature: signRequest(key.signingSecret!, ts2, 'POST', path, body) });
  // An unsigned key skips the check entirely.
  await keys.verifySignature({ ...auth, signingSecret: null }, { ...input, signature: undefined });
});

test('cache key: order-independent, and changes with engine version, any input hash or any parameter', () => {
  const base = {
    engine: { id: 'test', version: '1' },
    route: 'tryon' as const,
    images: { modelImg: 'a'.repeat(64), garmentImg: 'b'.repeat(64) },
    params: { category: 'upper_body', garmentDesc: null },
  };
  const k = cacheKey(base);
  assert.match(k, /^[0-9a-f]{64}$/);
  assert.equal(cacheKey({ ...base, images: { garmentImg: 'b'.repeat(64), modelImg: 'a'.repeat(64) } }), k);
  const variants = [
    { ...base, engine: { id: 'test', version: '2' } },
    { ...base, engine: { id: 'classic', version: '1' } },
    { ...base, route: 'prompt' as const },
    { ...base, images: { modelImg: 'c'.repeat(64), garmentImg: 'b'.repeat(64) } },
    { ...base, images: { modelImg: 'b'.repeat(64), garmentImg: 'a'.repeat(64) } },
    { ...base, params: { category: 'dresses', garmentDesc: null } },
    { ...base, params: { category: 'upper_body', garmentDesc: 'cropped' } },
  ];
  const all = new Set([k, ...variants.map(cacheKey)]);
  assert.equal(all.size, variants.length + 1);
});
