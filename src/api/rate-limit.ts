/**
 * Per-key rate limit: a token bucket per API key. A key may spend `burst` calls at once and gets
 * back `perMinute` calls a minute, continuously. A call with no token left is answered 10007
 * TOO_MANY_REQUESTS (HTTP 429) with `Retry-After`: the whole seconds until a token is back.
 *
 * `RateLimiter` keeps the buckets in this process's memory (the embedded deployment has one API
 * process); API nodes of a scale-out deployment share theirs in Redis (src/cluster/shared-limits.ts)
 * so N nodes do not give a key N times its limit.
 */
import { ApiError } from '../domain/errors.ts';
import { rateLimitInForce, type UserLimits } from '../domain/user-limits.ts';

export interface RateLimitSettings {
  /** Calls a minute a key gets back; 0 turns the limit off. */
  perMinute: number;
  /** Calls a key may make at once after being idle (bucket size). */
  burst: number;
}

/** A key's bucket as `GET /v1/account` shows it. */
export interface RateLimitState {
  enabled: boolean;
  perMinute: number;
  burst: number;
  /** Whole calls the key may make now. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  fullInSeconds: number;
}

/**
 * What every authenticated route asks before it reads a body. `own` are the limits of the key's
 * user (src/domain/user-limits.ts): each one set replaces the configured default for this check, so
 * the bucket's settings travel with every check (also to Redis) and a change applies at the next call.
 */
export interface KeyRateLimit {
  /** Takes one token for `keyId` or throws 10007 with Retry-After. */
  take(keyId: string, own?: UserLimits): Promise<void>;
  /** The key's bucket now, without taking a token. */
  peek(keyId: string, own?: UserLimits): Promise<RateLimitState>;
}

/** Tokens a minute → tokens a millisecond. */
export function tokensPerMs(settings: RateLimitSettings): number {
  return settings.perMinute / 60_000;
}

/** The 10007 answer for a bucket holding `tokens` (< 1). */
export function rateLimited(settings: RateLimitSettings, tokens: number): ApiError {
  const retryAfter = Math.max(1, Math.ceil((1 - tokens) / tokensPerMs(settings) / 1000));
  return new ApiError('TOO_MANY_REQUESTS', `this key is limited to ${settings.perMinute} calls a minute (bursts of ${settings.burst}); retry in ${retryAfter} s`, {
    headers: { 'Retry-After': String(retryAfter) },
    retryable: true,
  });
}

/** The state shown for a bucket holding `tokens` (burst when the key has no bucket). */
export function bucketState(settings: RateLimitSettings, tokens: number): RateLimitState {
  const { perMinute, burst } = settings;
  if (perMinute <= 0) return { enabled: false, perMinute, burst, remaining: burst, fullInSeconds: 0 };
  return { enabled: true, perMinute, burst, remaining: Math.floor(tokens), fullInSeconds: Math.ceil((burst - tokens) / tokensPerMs(settings) / 1000) };
}

interface Bucket {
  tokens: number;
  /** ms (performance.now) of the last refill. */
  at: number;
  /** The settings of the bucket's last check (its user's limits may differ from the defaults). */
  settings: RateLimitSettings;
}

/** Buckets kept before idle (full) ones are dropped; a full bucket is the same as no bucket. */
const PRUNE_AT_BUCKETS = 10_000;

/** The buckets in this process's memory. */
export class RateLimiter implements KeyRateLimit {
  /** The configured limits (FITROOM_RATE_LIMIT_*), for keys whose user has none of their own. */
  private readonly defaults: RateLimitSettings;
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(defaults: RateLimitSettings, now: () => number = () => performance.now()) {
    this.defaults = defaults;
    this.now = now;
  }

  async take(keyId: string, own?: UserLimits): Promise<void> {
    const settings = rateLimitInForce(this.defaults, own);
    const { perMinute, burst } = settings;
    if (perMinute <= 0) return;
    const t = this.now();
    let bucket = this.buckets.get(keyId);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_AT_BUCKETS) this.prune(t);
      bucket = { tokens: burst, at: t, settings };
      this.buckets.set(keyId, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.at) * tokensPerMs(settings));
      bucket.at = t;
      bucket.settings = settings;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    throw rateLimited(settings, bucket.tokens);
  }

  async peek(keyId: string, own?: UserLimits): Promise<RateLimitState> {
    const settings = rateLimitInForce(this.defaults, own);
    const bucket = this.buckets.get(keyId);
    const { burst } = settings;
    const tokens = bucket ? Math.min(burst, bucket.tokens + (this.now() - bucket.at) * tokensPerMs(settings)) : burst;
    return bucketState(settings, tokens);
  }

  private prune(t: number): void {
    for (const [key, bucket] of this.buckets) {
      const { settings } = bucket;
      if (bucket.tokens + (t - bucket.at) * tokensPerMs(settings) >= settings.burst) this.buckets.delete(key);
    }
  }
}
