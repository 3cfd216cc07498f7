import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../../src/db/database.ts';
import { CreditService } from '../../src/domain/credits.ts';
import { ApiError } from '../../src/domain/errors.ts';
import { newId } from '../../src/domain/ids.ts';
import { UserService } from '../../src/domain/users.ts';
import { openTestDatabase } from './helpers.ts';

let db: Database;
let users: UserService;
let credits: CreditService;
before(async () => {
  db = await openTestDatabase();
  users = new UserService(db, { trialCalls: 3, limitDefaults: { perMinute: 60, burst: 10, inProgress: 4 } });
  credits = new CreditService(db);
});
after(async () => {
  await db.close();
});

function codeOf(err: unknown): number {
  return err instanceof ApiError ? err.code : -1;
}

test('40 concurrent reservations against 15 credits: exactly 15 succeed, the rest 10003, ledger sums to balance', async () => {
  const user = await users.create('rush@example.com');
  await credits.grant(user.id, 15);
  const outcomes = await Promise.allSettled(
    Array.from({ length: 40 }, async () => {
      const requestId = newId('req');
      await credits.reserve(user.id, requestId, 1);
      // Yield so that reservations interleave with charges.
      await new Promise((r) => setTimeout(r, 1));
      await credits.charge(requestId);
    }),
  );
  const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
  const codes = outcomes.filter((o) => o.status === 'rejected').map((o) => codeOf((o as PromiseRejectedResult).reason));
  assert.equal(ok, 15);
  assert.deepEqual([...new Set(codes)], [10003]);
  const after = await users.getById(user.id);
  assert.equal(after!.balance, 0);
  assert.equal(after!.reserved, 0);
  assert.equal(await users.ledgerSum(user.id), 0);
  const charges = await db.query<{ n: string }>("SELECT count(*) AS n FROM credit_ledger WHERE user_id = $1 AND kind = 'charge' AND request_id IS NOT NULL", [user.id]);
  assert.equal(Number(charges.rows[0].n), 15);
});

test('a released reservation leaves balance and ledger unchanged', async () => {
  const user = await users.create('fail@example.com');
  await credits.grant(user.id, 2);
  const requestId = newId('req');
  await credits.reserve(user.id, requestId, 1);
  assert.equal((await users.getById(user.id))!.reserved, 1);
  await credits.release(requestId);
  await credits.charge(requestId); // a settled reservation is not charged afterwards
  const u = (await users.getById(user.id))!;
  assert.equal(u.balance, 2);
  assert.equal(u.reserved, 0);
  assert.equal(await users.ledgerSum(user.id), 2);
});

test('held credits cannot be spent twice: a second reservation waits for settlement', async () => {
  const user = await users.create('hold@example.com');
  await credits.grant(user.id, 1);
  const first = newId('req');
  await credits.reserve(user.id, first, 1);
  await assert.rejects(credits.reserve(user.id, newId('req'), 1), (e) => codeOf(e) === 10003);
  await credits.release(first);
  await credits.reserve(user.id, newId('req'), 1);
});

test('trials: a user who never held credits spends free calls, then gets 10006; failures give the trial back', async () => {
  const user = await users.create('trial@example.com');
  const failed = newId('req');
  await credits.reserve(user.id, failed, 1);
  await credits.release(failed);
  for (let i = 0; i < 3; i++) {
    const r = newId('req');
    const reservation = await credits.reserve(user.id, r, 1);
    assert.equal(reservation.kind, 'trial');
    await credits.charge(r);
  }
  await assert.rejects(credits.reserve(user.id, newId('req'), 1), (e) => codeOf(e) === 10006 && /trial/.test((e as ApiError).msg));
  const u = (await users.getById(user.id))!;
  assert.equal(u.trialRemaining, 0);
  assert.equal(u.balance, 0);
  const trials = await db.query<{ n: string }>("SELECT count(*) AS n FROM credit_ledger WHERE user_id = $1 AND kind = 'trial'", [user.id]);
  assert.equal(Number(trials.rows[0].n), 3, 'each charged trial call is in the ledger, the released one is not');
});

test('a user who has held credits gets 10003, not trials, when short', async () => {
  const user = await users.create('former@example.com');
  await credits.grant(user.id, 1);
  const r = newId('req');
  await credits.reserve(user.id, r, 1);
  await credits.charge(r);
  assert.equal((await users.getById(user.id))!.trialRemaining, 3, 'trial calls untouched while credits last');
  await assert.rejects(credits.reserve(user.id, newId('req'), 1), (e) => codeOf(e) === 10003);
});

test('reserveAndCharge and releaseAllHeld', async () => {
  const user = await users.create('hit@example.com');
  await credits.grant(user.id, 5);
  await credits.reserveAndCharge(user.id, newId('req'), 2);
  await credits.reserve(user.id, newId('req'), 1);
  assert.ok((await credits.releaseAllHeld()) >= 1);
  const u = (await users.getById(user.id))!;
  assert.equal(u.balance, 3);
  assert.equal(u.reserved, 0);
  assert.equal(await users.ledgerSum(user.id), 3);
});

test('a disabled user cannot reserve', async () => {
  const user = await users.create('gone@example.com');
  await credits.grant(user.id, 5);
  await users.disable('gone@example.com');
  await assert.rejects(credits.reserve(user.id, newId('req'), 1), (e) => codeOf(e) === 10002);
});

test('cache-hit charging (reserveAndCharge) is exact under concurrency too', async () => {
  const user = await users.create('hits@example.com');
  await credits.grant(user.id, 15);
  const outcomes = await Promise.allSettled(Array.from({ length: 40 }, () => credits.reserveAndCharge(user.id, newId('req'), 1)));
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 15);
  const codes = new Set(outcomes.filter((o) => o.status === 'rejected').map((o) => codeOf((o as PromiseRejectedResult).reason)));
  assert.deepEqual([...codes], [10003]);
  const u = (await users.getById(user.id))!;
  assert.equal(u.balance, 0);
  assert.equal(await users.ledgerSum(user.id), 0);
});

test('batched cache-hit charges: a user whose share exceeds the balance falls back per call, others are charged together', async () => {
  const a = await users.create('batch-a@example.com');
  await credits.grant(a.id, 10);
  const b = await users.create('batch-b@example.com');
  await credits.grant(b.id, 100);
  const calls = [
    ...Array.from({ length: 12 }, () => credits.reserveAndCharge(a.id, newId('req'), 1)),
    ...Array.from({ length: 12 }, () => credits.reserveAndCharge(b.id, newId('req'), 1)),
  ];
  const outcomes = await Promise.allSettled(calls);
  assert.equal(outcomes.slice(0, 12).filter((o) => o.status === 'fulfilled').length, 10);
  assert.equal(outcomes.slice(12).filter((o) => o.status === 'fulfilled').length, 12);
  assert.equal((await users.getById(a.id))!.balance, 0);
  assert.equal((await users.getById(b.id))!.balance, 88);
  assert.equal(await users.ledgerSum(a.id), 0);
  assert.equal(await users.ledgerSum(b.id), 88);
  const perRequest = await db.query<{ n: string }>('SELECT count(DISTINCT request_id) AS n FROM credit_ledger WHERE user_id = $1 AND kind = $2', [b.id, 'charge']);
  assert.equal(Number(perRequest.rows[0].n), 12, 'one ledger entry per request');
});

test('refund gives a charge back once; released reservations and trial calls are handled', async () => {
  const user = await users.create('refund@example.com');
  await credits.grant(user.id, 5);
  const charged = newId('job');
  await credits.reserve(user.id, charged, 2);
  await credits.charge(charged);
  assert.equal((await users.getByEmail(user.email)).balance, 3);
  assert.equal(await credits.refund(charged), true);
  assert.equal(await credits.refund(charged), false, 'at most once');
  assert.equal((await users.getByEmail(user.email)).balance, 5);
  assert.equal(await users.ledgerSum(user.id), 5);

  const released = newId('job');
  await credits.reserve(user.id, released, 1);
  await credits.release(released);
  assert.equal(await credits.refund(released), false, 'nothing was charged');
  assert.equal(await credits.refund(newId('job')), false, 'unknown request');

  const trial = await users.create('refund-trial@example.com');
  const call = newId('job');
  await credits.reserve(trial.id, call, 1);
  await credits.charge(call);
  assert.equal((await users.getByEmail(trial.email)).trialRemaining, 2);
  assert.equal(await credits.refund(call), true);
  assert.equal((await users.getByEmail(trial.email)).trialRemaining, 3, 'the trial call is given back');
  assert.equal(await users.ledgerSum(trial.id), 0);
});

test('a charge writes the call’s usage row in the same statement: held credits, trial, batched hits; none without a charge', async () => {
  const usage = (userId: string, requestId: string, cacheHit = false) => ({
    requestId,
    userId,
    keyId: 'key_test',
    route: '/api/openapi/change-clothes-ai',
    statusCode: 200,
    code: 200,
    engineMs: cacheHit ? null : 12,
    totalMs: 34,
    cacheHit,
  });
  const rowsOf = async (userId: string) =>
    (await db.query<{ id: string; cache_hit: boolean }>('SELECT id, cache_hit FROM requests WHERE user_id = $1 ORDER BY id', [userId])).rows;

  const paid = await users.create('usage-paid@example.com');
  await credits.grant(paid.id, 3);
  const held = newId('req');
  await credits.reserve(paid.id, held, 1);
  await credits.charge(held, usage(paid.id, held));
  await credits.charge(held, usage(paid.id, held)); // settled: neither a second charge nor a second row
  const hits = [newId('req'), newId('req'), newId('req')];
  const outcomes = await Promise.allSettled(hits.map((r) => credits.reserveAndCharge(paid.id, r, 1, usage(paid.id, r, true))));
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 2, 'one hit short of credits');
  const charged = hits.filter((_, i) => outcomes[i].status === 'fulfilled');
  assert.deepEqual((await rowsOf(paid.id)).map((r) => r.id), [held, ...charged].sort());

  const rich = await users.create('usage-rich@example.com');
  await credits.grant(rich.id, 10);
  const batch = [newId('req'), newId('req'), newId('req')];
  await Promise.all(batch.map((r) => credits.reserveAndCharge(rich.id, r, 1, usage(rich.id, r, true))));
  assert.equal((await users.getById(rich.id))!.balance, 7);
  const richRows = await rowsOf(rich.id);
  assert.deepEqual(richRows.map((r) => r.id), [...batch].sort(), 'the batched statement wrote every row');
  assert.ok(richRows.every((r) => r.cache_hit));

  const trial = await users.create('usage-trial@example.com');
  const t = newId('req');
  await credits.reserve(trial.id, t, 1);
  await credits.charge(t, usage(trial.id, t));
  assert.deepEqual((await rowsOf(trial.id)).map((r) => r.id), [t]);

  const released = newId('req');
  await credits.reserve(trial.id, released, 1);
  await credits.release(released);
  await credits.charge(released, usage(trial.id, released));
  assert.equal((await rowsOf(trial.id)).length, 1, 'a released reservation gets no row from charge');
});
