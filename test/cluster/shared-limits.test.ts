/**
 * The per-key limits API nodes share through Redis (src/cluster/shared-limits.ts), against a real
 * redis-server on loopback: two `SharedLimits` on one Redis stand for two API nodes. Each limit is
 * spent across both and holds as one; a dead node's places on the calls-in-progress count lapse
 * with their lease while a live node's are renewed; with Redis gone the stated rule applies (rate
 * limit open, log-in throttle and calls in progress closed with a 503).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { FORGET_AFTER_MS, FREE_FAILURES } from '../../src/api/login-throttle.ts';
import { openSharedLimits, type SharedLimits } from '../../src/cluster/shared-limits.ts';
import { ApiError } from '../../src/domain/errors.ts';
import { integrationSkip, startRedis, type RunningRedis } from '../helpers/real-services.ts';

const skip = integrationSkip();
/** 60 a minute: one token back a second. */
const PER_MINUTE = 60;
const BURST = 4;
/** A short lease, so a dead node's places lapse within the test, ms. */
const TEST_LEASE_MS = 400;

let redis: RunningRedis | undefined;
const opened: SharedLimits[] = [];
const errors: string[] = [];

/** One API node's limits; every node of a test shares one fresh prefix, as one deployment. */
async function node(prefix: string): Promise<SharedLimits> {
  const limits = await openSharedLimits({
    redisUrl: redis!.url,
    prefix,
    rateLimit: { perMinute: PER_MINUTE, burst: BURST },
    callLeaseMs: TEST_LEASE_MS,
    onError: (_err, limit) => errors.push(limit),
  });
  opened.push(limits);
  return limits;
}

async function twoNodes(): Promise<[SharedLimits, SharedLimits, string]> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  return [await node(prefix), await node(prefix), prefix];
}

/** The ApiError a promise rejects with (fails the test when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await Promise.all(opened.map((l) => l.close()));
  await redis?.stop();
});

describe('limits shared through Redis', { skip }, () => {
  it(`a key's burst of ${BURST} is spent across two nodes, then both refuse with 10007 and Retry-After; another key is unaffected`, async () => {
    const [a, b] = await twoNodes();
    await a.rateLimit.take('key1');
    await b.rateLimit.take('key1');
    await a.rateLimit.take('key1');
    await b.rateLimit.take('key1');
    for (const n of [a, b]) {
      const err = await refusal(n.rateLimit.take('key1'));
      assert.equal(err.code, 10007);
      assert.equal(err.status, 429);
      assert.equal(err.headers['Retry-After'], '1', 'one token a second comes back');
    }
    const peeked = await b.rateLimit.peek('key1');
    assert.equal(peeked.remaining, 0);
    assert.ok(peeked.fullInSeconds >= BURST - 1 && peeked.fullInSeconds <= BURST, `fullInSeconds ${peeked.fullInSeconds}`);
    await a.rateLimit.take('key2');
    assert.equal((await b.rateLimit.peek('key2')).remaining, BURST - 1);
  });

  it("a key's user's own limits travel with each check: a smaller and a bigger burst hold across two nodes", async () => {
    const [a, b] = await twoNodes();
    // 6 a minute: one token back every 10 s.
    const trial = { perMinute: 6, burst: 2, inProgress: null };
    await a.rateLimit.take('trialKey', trial);
    await b.rateLimit.take('trialKey', trial);
    for (const n of [a, b]) {
      const err = await refusal(n.rateLimit.take('trialKey', trial));
      assert.equal(err.code, 10007);
      assert.equal(err.headers['Retry-After'], '10', 'the user\'s own rate: one token every 10 s');
    }
    assert.deepEqual(await b.rateLimit.peek('trialKey', trial), { enabled: true, perMinute: 6, burst: 2, remaining: 0, fullInSeconds: 20 });

    const big = { perMinute: null, burst: BURST + 2, inProgress: null };
    for (let i = 0; i < BURST + 2; i++) await (i % 2 === 0 ? a : b).rateLimit.take('bigKey', big);
    await refusal(a.rateLimit.take('bigKey', big));
    // Without limits of its own a key keeps the configured burst.
    for (let i = 0; i < BURST; i++) await (i % 2 === 0 ? a : b).rateLimit.take('plainKey');
    await refusal(b.rateLimit.take('plainKey'));
  });

  it('tokens come back at the configured rate, whichever node spent them', async () => {
    const [a, b] = await twoNodes();
    for (let i = 0; i < BURST; i++) await a.rateLimit.take('key');
    await refusal(b.rateLimit.take('key'));
    // One token a second: after a little more than a second, exactly one call goes through.
    await sleep(1100);
    await b.rateLimit.take('key');
    await refusal(a.rateLimit.take('key'));
  });

  it(`${FREE_FAILURES} wrong passwords spread over two nodes hold the email back on both; a correct log-in clears it`, async () => {
    const [a, b] = await twoNodes();
    for (let i = 0; i < FREE_FAILURES; i++) {
      const n = i % 2 === 0 ? a : b;
      assert.equal(await n.loginAttempts.retryAfterSeconds('who@example.com', '10.0.0.1'), 0, `attempt ${i + 1} may go ahead`);
      await n.loginAttempts.recordFailure('who@example.com', '10.0.0.1');
    }
    const wait = await b.loginAttempts.retryAfterSeconds('who@example.com', '10.0.0.2');
    assert.ok(wait >= 29 && wait <= 30, `the first delay is 30 s, got ${wait}`);
    assert.equal(await a.loginAttempts.retryAfterSeconds('other@example.com', '10.0.0.2'), 0, 'another email from another address goes ahead');
    await a.loginAttempts.recordSuccess('who@example.com');
    assert.equal(await b.loginAttempts.retryAfterSeconds('who@example.com', '10.0.0.2'), 0);
  });

  it('the cap on calls in progress counts the calls of both nodes; a place given back is free again', async () => {
    const [a, b] = await twoNodes();
    const leaveA = await a.callsPerKey.enter('key', 2);
    const leaveB = await b.callsPerKey.enter('key', 2);
    const err = await refusal(a.callsPerKey.enter('key', 2));
    assert.equal(err.code, 10007);
    assert.match(err.msg, /already has 2 calls in progress \(the limit is 2\)/);
    await b.callsPerKey.enter('other key', 2);
    leaveA();
    // The place goes back in the background: the next call sees it once Redis has it.
    await sleep(50);
    const leaveAgain = await b.callsPerKey.enter('key', 2);
    leaveB();
    leaveAgain();
  });

  it('a live node keeps its places past the lease by renewing them; a dead node\'s lapse', async () => {
    const [a, b] = await twoNodes();
    await a.callsPerKey.enter('key', 1);
    await sleep(TEST_LEASE_MS * 2.5);
    await refusal(b.callsPerKey.enter('key', 1));
    // Node A dies: its renewals stop, its call never gives its place back.
    await a.close();
    await sleep(TEST_LEASE_MS * 1.5);
    const leave = await b.callsPerKey.enter('key', 1);
    leave();
  });

  it('every key written expires: a bucket when it would be full again, log-in counts after FORGET_AFTER_MS, calls with their lease', async () => {
    const [a, , prefix] = await twoNodes();
    await a.rateLimit.take('key');
    await a.loginAttempts.recordFailure('who@example.com', '10.0.0.9');
    const leave = await a.callsPerKey.enter('key', 3);
    const client = new Redis(redis!.url);
    try {
      const ttl = async (...parts: string[]) => client.pttl([prefix, 'limits', ...parts].join(':'));
      // One token spent at one a second: full again in 1 s (plus the 1 s margin).
      const bucket = await ttl('rate', 'key');
      assert.ok(bucket > 0 && bucket <= 2000, `bucket expires in ${bucket} ms`);
      for (const parts of [['login', 'email', 'who@example.com'], ['login', 'address', '10.0.0.9']]) {
        const count = await ttl(...parts);
        assert.ok(count > FORGET_AFTER_MS - 5000 && count <= FORGET_AFTER_MS, `${parts.join(':')} expires in ${count} ms`);
      }
      const calls = await ttl('calls', 'key');
      assert.ok(calls > 0 && calls <= TEST_LEASE_MS, `calls expire in ${calls} ms`);
      leave();
    } finally {
      client.disconnect();
    }
  });

  it('with Redis gone: the rate limit lets calls through, log-in and calls in progress answer 503', async () => {
    const [a] = await twoNodes();
    for (let i = 0; i < BURST; i++) await a.rateLimit.take('key');
    errors.length = 0;
    await redis!.stop();
    for (let i = 0; i < BURST; i++) await a.rateLimit.take('key');
    assert.equal((await a.rateLimit.peek('key')).remaining, BURST);
    for (const attempt of [a.loginAttempts.retryAfterSeconds('who@example.com', '10.0.0.1'), a.loginAttempts.recordFailure('who@example.com', '10.0.0.1'), a.callsPerKey.enter('key', 5)]) {
      const err = await refusal(attempt);
      assert.equal(err.status, 503);
      assert.equal(err.headers['Retry-After'], '5');
      assert.doesNotMatch(err.msg, /redis|ECONNREFUSED|127\.0\.0\.1/i, 'no internals in the answer');
    }
    assert.ok(errors.includes('rate limit') && errors.includes('log-in throttle') && errors.includes('calls in progress'), `reported: ${errors.join(', ')}`);
    redis = undefined;
  });
});
