/**
 * The per-key limits of the API shared by every API node of a scale-out deployment through Redis
 * (`REDIS_URL`, which such a deployment has for its engine queue): the rate-limit buckets, the
 * dashboard's log-in throttle and the cap on calls in progress. Kept in each node's memory, N
 * nodes behind a load balancer let a client through N times each limit.
 *
 * Each check is one Lua script, so it reads and writes its counters atomically however many nodes
 * ask at once, and reads the clock of the Redis server (`TIME`), so nodes whose clocks disagree
 * still refill one bucket at one rate. Every key written expires: a bucket when it would be full
 * again, a log-in count FORGET_AFTER_MS after its last failure, a call's place CALL_LEASE_MS after
 * its node last renewed it (renewed while the call runs) (a node that dies mid-call gives its places back within that time).
 *
 * When Redis cannot be reached (no answer within COMMAND_TIMEOUT_MS, or not connected), the rule is:
 * - rate limit: open. The call goes ahead unlimited (and the failure is logged): what it can do
 *   without Redis is read the database (polling, account, usage, presets); engine work needs Redis
 *   for its queue anyway and fails on its own.
 * - log-in throttle: closed. 503 with Retry-After: a Redis outage must not become a window for
 *   unlimited password guessing.
 * - calls in progress: closed. 503 with Retry-After: the call could not reach an engine either.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { FORGET_AFTER_MS, FREE_FAILURES, FREE_FAILURES_PER_ADDRESS, LOCK_BASE_MS, LOCK_MAX_MS, type LoginAttempts } from '../api/login-throttle.ts';
import { bucketState, rateLimited, tokensPerMs, type KeyRateLimit, type RateLimitSettings, type RateLimitState } from '../api/rate-limit.ts';
import { tooManyCallsInProgress, type CallsPerKey } from '../domain/calls-per-key.ts';
import { ApiError } from '../domain/errors.ts';
import { rateLimitInForce } from '../domain/user-limits.ts';

/** Longest wait for one Redis command before the rule for an unreachable Redis applies, ms. */
export const COMMAND_TIMEOUT_MS = 1000;
/** A call's place on its key's count lasts this long unless its node renews it, ms. */
export const CALL_LEASE_MS = 30_000;
/** A node renews the places of its calls still in progress every lease / this (three chances before one lapses). */
const RENEWALS_PER_LEASE = 3;
/** A bucket's key outlives the moment it would be full again by this much, ms (a full bucket is no bucket). */
const BUCKET_EXPIRY_MARGIN_MS = 1000;
/** Seconds a client is told to wait when a limit cannot be checked. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = '5';

/** The Redis clock in ms, inside a script (Redis 5+ replicates a script's effects, so TIME is allowed before writes). */
const NOW_MS = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

/**
 * KEYS[1]: the key's bucket (hash: tokens, at). ARGV: tokens per ms, burst, '1' to take a token.
 * Returns {taken (1|0), tokens left as a string (Lua numbers become integers in replies)}.
 */
const TAKE_TOKEN = `${NOW_MS}
local perMs = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(stored[1])
local at = tonumber(stored[2])
if tokens == nil or at == nil then tokens = burst; at = now end
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
if ARGV[3] ~= '1' then return {0, tostring(tokens)} end
local taken = 0
if tokens >= 1 then tokens = tokens - 1; taken = 1 end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + tonumber(ARGV[4]))
return {taken, tostring(tokens)}`;

/**
 * KEYS: the email's and the address's counts (hash: failures, lockedUntil).
 * ARGV: free failures for the email, for the address, LOCK_BASE_MS, LOCK_MAX_MS, FORGET_AFTER_MS.
 * The delay is login-throttle.ts's lockMs.
 */
const RECORD_FAILURE = `${NOW_MS}
local base = tonumber(ARGV[3])
local longest = tonumber(ARGV[4])
local forget = tonumber(ARGV[5])
for i, key in ipairs(KEYS) do
  local free = tonumber(ARGV[i])
  local failures = redis.call('HINCRBY', key, 'failures', 1)
  if failures >= free then
    redis.call('HSET', key, 'lockedUntil', now + math.min(longest, base * 2 ^ (failures - free)))
  end
  redis.call('PEXPIRE', key, forget)
end
return 1`;

/** KEYS: the email's and the address's counts. Returns the ms until both are unlocked (0: go ahead). */
const LOCKED_FOR = `${NOW_MS}
local wait = 0
for _, key in ipairs(KEYS) do
  local lockedUntil = tonumber(redis.call('HGET', key, 'lockedUntil'))
  if lockedUntil ~= nil and lockedUntil - now > wait then wait = lockedUntil - now end
end
return wait`;

/**
 * KEYS[1]: the key's calls in progress (sorted set: call id → lease end, ms). ARGV: the cap, the
 * call id, CALL_LEASE_MS. Drops expired places, then takes one if fewer than the cap are held.
 * Returns {entered (1|0), places held before this call}.
 */
const ENTER_CALL = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[1]) then return {0, held} end
local lease = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
if redis.call('PTTL', KEYS[1]) < lease then redis.call('PEXPIRE', KEYS[1], lease) end
return {1, held}`;

/** KEYS[1]: as ENTER_CALL. ARGV: CALL_LEASE_MS, then the ids of this node's calls still in progress. */
const RENEW_CALLS = `${NOW_MS}
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i]) end
if redis.call('PTTL', KEYS[1]) < lease then redis.call('PEXPIRE', KEYS[1], lease) end
return 1`;

/** A Lua script sent once per connection (EVALSHA, and EVAL when the server does not know it yet). */
class Script {
  private readonly source: string;
  private readonly sha: string;

  constructor(source: string) {
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const SCRIPTS = {
  takeToken: new Script(TAKE_TOKEN),
  recordFailure: new Script(RECORD_FAILURE),
  lockedFor: new Script(LOCKED_FOR),
  enterCall: new Script(ENTER_CALL),
  renewCalls: new Script(RENEW_CALLS),
};

function unavailable(what: string): ApiError {
  return new ApiError('SERVER_ERROR', `${what} cannot be checked right now; retry later`, {
    status: 503,
    headers: { 'Retry-After': UNAVAILABLE_RETRY_AFTER_SECONDS },
    retryable: true,
  });
}

export interface SharedLimitsOptions {
  redisUrl: string;
  /** The deployment's Redis key prefix (FITROOM_REDIS_PREFIX): several deployments may share one Redis. */
  prefix: string;
  /** The configured bucket, for keys whose user has no limits of its own. */
  rateLimit: RateLimitSettings;
  /** Default CALL_LEASE_MS; tests shorten it to see a dead node's places lapse. */
  callLeaseMs?: number;
  /** A Redis command failed (the rule above was applied); for the log. */
  onError: (err: unknown, limit: 'rate limit' | 'log-in throttle' | 'calls in progress') => void;
}

export interface SharedLimits {
  rateLimit: KeyRateLimit;
  loginAttempts: LoginAttempts;
  callsPerKey: CallsPerKey;
  close(): Promise<void>;
}

/** Connects to Redis (rejects when it cannot) and returns the three shared limits. */
export async function openSharedLimits(options: SharedLimitsOptions): Promise<SharedLimits> {
  // No offline queue and no retries: a command while Redis is away fails at once, so the rule for
  // an unreachable Redis applies instead of requests piling up; the connection itself reconnects.
  const redis = new Redis(options.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: COMMAND_TIMEOUT_MS });
  // ioredis reports connection errors as events; each failed command is reported through onError.
  redis.on('error', () => {});
  await redis.connect();
  const key = (...parts: string[]) => [options.prefix, 'limits', ...parts].join(':');
  const { onError } = options;
  const defaults = options.rateLimit;
  const leaseMs = options.callLeaseMs ?? CALL_LEASE_MS;

  // The bucket's settings (its user's own limits, else the defaults) are arguments of each check.
  const rateLimit: KeyRateLimit = {
    async take(keyId, own) {
      const settings = rateLimitInForce(defaults, own);
      if (settings.perMinute <= 0) return;
      let reply: [number, string];
      try {
        reply = (await SCRIPTS.takeToken.run(redis, [key('rate', keyId)], [tokensPerMs(settings), settings.burst, '1', BUCKET_EXPIRY_MARGIN_MS])) as [number, string];
      } catch (err) {
        onError(err, 'rate limit');
        return;
      }
      if (reply[0] !== 1) throw rateLimited(settings, Number(reply[1]));
    },
    async peek(keyId, own) {
      const settings = rateLimitInForce(defaults, own);
      if (settings.perMinute <= 0) return bucketState(settings, settings.burst);
      try {
        const reply = (await SCRIPTS.takeToken.run(redis, [key('rate', keyId)], [tokensPerMs(settings), settings.burst, '0', BUCKET_EXPIRY_MARGIN_MS])) as [number, string];
        return bucketState(settings, Number(reply[1]));
      } catch (err) {
        onError(err, 'rate limit');
        // Open: while Redis is away the key is not limited, so its whole burst is what it may spend.
        return bucketState(settings, settings.burst) satisfies RateLimitState;
      }
    },
  };

  const loginKeys = (email: string, address: string) => [key('login', 'email', email), key('login', 'address', address)];
  const loginAttempts: LoginAttempts = {
    async retryAfterSeconds(email, address) {
      try {
        const waitMs = Number(await SCRIPTS.lockedFor.run(redis, loginKeys(email, address), []));
        return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
      } catch (err) {
        onError(err, 'log-in throttle');
        throw unavailable('log-in attempts');
      }
    },
    async recordFailure(email, address) {
      try {
        await SCRIPTS.recordFailure.run(redis, loginKeys(email, address), [FREE_FAILURES, FREE_FAILURES_PER_ADDRESS, LOCK_BASE_MS, LOCK_MAX_MS, FORGET_AFTER_MS]);
      } catch (err) {
        onError(err, 'log-in throttle');
        throw unavailable('log-in attempts');
      }
    },
    async recordSuccess(email) {
      try {
        await redis.del(key('login', 'email', email));
      } catch (err) {
        // The log-in itself succeeded; a count left behind only expires later.
        onError(err, 'log-in throttle');
      }
    },
  };

  /** This node's calls in progress: key id → call ids, renewed together RENEWALS_PER_LEASE times a lease. */
  const held = new Map<string, Set<string>>();
  const renew = async () => {
    for (const [keyId, calls] of held) {
      try {
        await SCRIPTS.renewCalls.run(redis, [key('calls', keyId)], [leaseMs, ...calls]);
      } catch (err) {
        onError(err, 'calls in progress');
      }
    }
  };
  const renewTimer = setInterval(() => void renew(), leaseMs / RENEWALS_PER_LEASE);
  renewTimer.unref();

  const callsPerKey: CallsPerKey = {
    async enter(keyId, max) {
      const callId = randomBytes(9).toString('base64url');
      let reply: [number, number];
      try {
        reply = (await SCRIPTS.enterCall.run(redis, [key('calls', keyId)], [max, callId, leaseMs])) as [number, number];
      } catch (err) {
        onError(err, 'calls in progress');
        throw unavailable('calls in progress');
      }
      if (reply[0] !== 1) throw tooManyCallsInProgress(reply[1], max);
      const mine = held.get(keyId) ?? new Set<string>();
      mine.add(callId);
      held.set(keyId, mine);
      return () => {
        mine.delete(callId);
        if (mine.size === 0 && held.get(keyId) === mine) held.delete(keyId);
        // A place not given back (Redis away) ends with its lease.
        redis.zrem(key('calls', keyId), callId).catch((err: unknown) => onError(err, 'calls in progress'));
      };
    },
  };

  return {
    rateLimit,
    loginAttempts,
    callsPerKey,
    async close() {
      clearInterval(renewTimer);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
