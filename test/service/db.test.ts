import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../../src/db/database.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { openEmptyTestDatabase } from './helpers.ts';

let db: Database;
before(async () => {
  db = await openEmptyTestDatabase();
});
after(async () => {
  await db.close();
});

test('migrations apply once, in order, and are recorded', async () => {
  const first = await migrate(db);
  assert.deepEqual(first, listMigrations().map((m) => m.name));
  assert.ok(first.includes('001_initial'));
  assert.deepEqual(await migrate(db), [], 'a second run applies nothing');
  const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  assert.deepEqual(rows.rows.map((r) => r.version), listMigrations().map((m) => m.version));
  for (const table of ['users', 'api_keys', 'credit_ledger', 'reservations', 'requests', 'presets', 'result_cache', 'seen_signatures']) {
    await db.query(`SELECT count(*) FROM ${table}`);
  }
});

test('migrate: an up-to-date database is left alone, and a migration added later is still applied', async () => {
  const fresh = await openEmptyTestDatabase();
  try {
    const all = listMigrations();
    assert.deepEqual(await migrate(fresh, all.slice(0, 2)), all.slice(0, 2).map((m) => m.name));
    assert.deepEqual(await migrate(fresh, all.slice(0, 2)), [], 'nothing pending: nothing applied');
    assert.deepEqual(await migrate(fresh, all), all.slice(2).map((m) => m.name), 'the ones after the first two are applied');
    const extra = { version: all.length + 1, name: `${String(all.length + 1).padStart(3, '0')}_later`, sql: 'CREATE TABLE later_table (id integer);' };
    assert.deepEqual(await migrate(fresh, [...all, extra]), [extra.name], 'a new file is applied on the next start');
    await fresh.query('SELECT count(*) FROM later_table');
    assert.deepEqual(await migrate(fresh, [...all, extra]), []);
  } finally {
    await fresh.close();
  }
});

test('the embedded database takes a smaller buffer pool when asked (the CLI does)', async () => {
  const small = await openEmptyTestDatabase({ sharedBuffersMb: 8 });
  try {
    const r = await small.query<{ shared_buffers: string }>('SHOW shared_buffers');
    assert.equal(r.rows[0].shared_buffers, '8MB');
  } finally {
    await small.close();
  }
  const r = await db.query<{ shared_buffers: string }>('SHOW shared_buffers');
  assert.equal(r.rows[0].shared_buffers, '128MB', 'the default (a server) is unchanged');
});

test('a failing transaction rolls back and rethrows', async () => {
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query("INSERT INTO users (id, email) VALUES ('usr_x', 'x@example.com')");
      throw new Error('boom');
    }),
    /boom/,
  );
  const r = await db.query("SELECT 1 FROM users WHERE id = 'usr_x'");
  assert.equal(r.rows.length, 0);
});

test('config: defaults, parsing, and every bad variable listed at once', () => {
  const c = loadConfig({}, '/srv');
  assert.equal(c.port, 3000);
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.dataDir, '/srv/data');
  assert.equal(c.publicUrl, undefined);
  assert.equal(c.engine, 'classic');
  assert.equal(c.cache, 'presets');
  assert.equal(c.cacheHitCharge, true);
  assert.equal(c.trialCalls, 5);
  assert.equal(c.allowPrivateUrls, false);
  assert.equal(c.pgSharedBuffersMb, undefined, "PGlite's own buffer pool unless set");
  assert.equal(c.moderation.preload, true, 'the moderation model loads at start unless told otherwise');
  assert.ok(Object.isFrozen(c));
  const d = loadConfig({ PORT: '0', FITROOM_PUBLIC_URL: 'https://x.example/', FITROOM_CACHE: 'off', FITROOM_CACHE_HIT_CHARGE: 'false', FITROOM_ALLOW_PRIVATE_URLS: 'true', FITROOM_WORKERS: '3', FITROOM_PG_SHARED_BUFFERS_MB: '16', FITROOM_MODERATION_PRELOAD: 'false' }, '/srv');
  assert.equal(d.port, 0);
  assert.equal(d.publicUrl, 'https://x.example');
  assert.equal(d.cache, 'off');
  assert.equal(d.cacheHitCharge, false);
  assert.equal(d.allowPrivateUrls, true);
  assert.equal(d.workers, 3);
  assert.equal(d.pgSharedBuffersMb, 16);
  assert.equal(d.moderation.preload, false);
  try {
    loadConfig({ PORT: 'abc', FITROOM_CACHE: 'sometimes', FITROOM_TRIAL_CALLS: '-1', FITROOM_PUBLIC_URL: 'ftp://x', FITROOM_PG_SHARED_BUFFERS_MB: '0' });
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    const names = err.issues.map((i) => i.split('=')[0]).sort();
    assert.deepEqual(names, ['FITROOM_CACHE', 'FITROOM_PG_SHARED_BUFFERS_MB', 'FITROOM_PUBLIC_URL', 'FITROOM_TRIAL_CALLS', 'PORT']);
    assert.match(err.message, /PORT="abc"/);
  }
});
