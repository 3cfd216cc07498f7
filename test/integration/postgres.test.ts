/**
 * The database on a real PostgreSQL server (DATABASE_URL): the same migrations as PGlite, applied
 * once when several nodes start together, and the credit ledger exact when two processes' pools
 * compete for one user's credits.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/index.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { openPostgresDatabase } from '../../src/db/postgres.ts';
import { CreditService } from '../../src/domain/credits.ts';
import type { ApiError } from '../../src/domain/errors.ts';
import { newId } from '../../src/domain/ids.ts';
import { UserService } from '../../src/domain/users.ts';
import { integrationSkip, startPostgres, type RunningPostgres } from '../helpers/real-services.ts';

const skip = integrationSkip();
let server: RunningPostgres;

before(async () => {
  if (!skip) server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

test('two nodes migrating one fresh database at once: every migration applied exactly once', { skip }, async () => {
  const url = await server.createDatabase('migrate_race');
  const [a, b] = await Promise.all([openPostgresDatabase({ url }), openPostgresDatabase({ url })]);
  try {
    const [appliedA, appliedB] = await Promise.all([migrate(a), migrate(b)]);
    const all = listMigrations().map((m) => m.name);
    // One node applied everything, the other found nothing left to do.
    assert.deepEqual([...appliedA, ...appliedB].sort(), all.sort());
    assert.ok(appliedA.length === 0 || appliedB.length === 0, `both applied something: ${appliedA} / ${appliedB}`);
    const rows = await a.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows.rows.map((r) => r.version), all.map((_, i) => i + 1));
    // A node started later migrates nothing and opens fine.
    assert.deepEqual(await migrate(b), []);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('credits on PostgreSQL: two nodes race 30 reservations for 12 credits; exactly 12 charged, ledger equals balance, rows name their node', { skip }, async () => {
  const url = await server.createDatabase('credits_race');
  const nodeA = await openDatabase({ dataDir: '/nonexistent', databaseUrl: url, nodeId: 'node_a' });
  const nodeB = await openDatabase({ dataDir: '/nonexistent', databaseUrl: url, nodeId: 'node_b' });
  const dbs: Database[] = [nodeA, nodeB];
  try {
    const users = new UserService(nodeA, { trialCalls: 0, limitDefaults: { perMinute: 60, burst: 10, inProgress: 4 } });
    const user = await users.create('race@example.com');
    const credits = dbs.map((db) => new CreditService(db));
    await credits[0].grant(user.id, 12);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, async (_, i) => {
        const service = credits[i % 2];
        const requestId = newId('req');
        await service.reserve(user.id, requestId, 1);
        await new Promise((r) => setTimeout(r, 1));
        await service.charge(requestId);
        return requestId;
      }),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const codes = new Set(outcomes.filter((o) => o.status === 'rejected').map((o) => ((o as PromiseRejectedResult).reason as ApiError).code));
    assert.equal(ok.length, 12);
    assert.deepEqual([...codes], [10003]);
    const u = (await users.getById(user.id))!;
    assert.equal(u.balance, 0);
    assert.equal(u.reserved, 0);
    assert.equal(await users.ledgerSum(user.id), 0);
    const byNode = await nodeA.query<{ node_id: string; n: string }>(
      "SELECT node_id, count(*) AS n FROM reservations WHERE user_id = $1 AND status = 'charged' GROUP BY node_id ORDER BY node_id",
      [user.id],
    );
    assert.deepEqual(byNode.rows.map((r) => r.node_id), ['node_a', 'node_b']);
    assert.equal(byNode.rows.reduce((sum, r) => sum + Number(r.n), 0), 12);
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
});
