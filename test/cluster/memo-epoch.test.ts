/**
 * The change counter behind the memos of a shared database (src/cluster/memo-epoch.ts, migration
 * 007), on an in-memory PGlite (the same SQL as a PostgreSQL server): the changes that can make a
 * memo wrong bump it, a call's work (charges, key use) does not, and a memo read before a change is
 * never stored after the check that saw the change.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MemoEpoch } from '../../src/cluster/memo-epoch.ts';
import type { Database } from '../../src/db/database.ts';
import { ResultCache } from '../../src/domain/cache.ts';
import { openTestDatabase } from '../service/helpers.ts';

let db: Database;
before(async () => {
  db = await openTestDatabase();
  await db.query(`INSERT INTO users (id, email, status) VALUES ('usr_a', 'a@example.test', 'active')`);
  await db.query(`INSERT INTO api_keys (id, user_id, key_hash, prefix) VALUES ('key_a', 'usr_a', 'h', 'fr_x')`);
});
after(async () => {
  await db.close();
});

const value = async () => Number((await db.query<{ value: string }>('SELECT value FROM memo_epoch WHERE id = 1')).rows[0].value);

test('revoking a key, disabling a user, deleting cache entries or presets bump the counter; charges and key use do not', async () => {
  const bumps: Array<[string, string]> = [
    ['key revoked', `UPDATE api_keys SET revoked_at = now() WHERE id = 'key_a'`],
    ['user disabled', `UPDATE users SET status = 'disabled' WHERE id = 'usr_a'`],
    ['cache entry deleted', `DELETE FROM result_cache WHERE result_key = 'results/x.webp'`],
    ['preset removed', `DELETE FROM presets WHERE id = 'pre_x'`],
  ];
  for (const [what, sql] of bumps) {
    const before = await value();
    await db.query(sql);
    assert.equal(await value(), before + 1, what);
  }
  const before = await value();
  await db.query(`UPDATE users SET balance = balance + 5 WHERE id = 'usr_a'`);
  await db.query(`UPDATE api_keys SET last_used_at = now() WHERE id = 'key_a'`);
  await db.query(`INSERT INTO result_cache (cache_key, result_key, mask_key) VALUES ('k1', 'results/1.webp', 'masks/1.webp')`);
  assert.equal(await value(), before, 'a call\'s own writes leave memos valid');
});

test('a memoised cache entry is dropped at the next check after its deletion elsewhere, and a stale read is not stored', async () => {
  const epoch = new MemoEpoch(db);
  await epoch.check();
  const cache = new ResultCache(db, { epoch });
  await cache.put('k2', { resultKey: 'results/2.webp', maskKey: 'masks/2.webp', seed: null });
  assert.equal((await cache.get('k2'))?.resultKey, 'results/2.webp');
  // Another node deletes the entry: this process's memo still has it until the next check.
  await db.query(`DELETE FROM result_cache WHERE cache_key = 'k2'`);
  assert.equal((await cache.get('k2'))?.resultKey, 'results/2.webp', 'without a check the memo answers (why each call checks)');
  await epoch.check();
  assert.equal(await cache.get('k2'), null, 'the check dropped the memo; the database has no entry');

  // A read racing a deletion elsewhere: whichever finishes first, the entry does not outlive the check.
  await cache.put('k3', { resultKey: 'results/3.webp', maskKey: 'masks/3.webp', seed: null });
  const reading = cache.get('k3');
  await db.query(`DELETE FROM result_cache WHERE cache_key = 'k3'`);
  await epoch.check();
  await reading;
  assert.equal(await cache.get('k3'), null);
});
