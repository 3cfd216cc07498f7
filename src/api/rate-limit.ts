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

/** What every authenticated route asks before it reads a body. */
export interface KeyRateLimit {
  /** Takes one token for `keyId` or throws 10007 with Retry-After. */
  take(keyId: string): Promise<void>;
  /** The key's bucket now, without taking a token. */
  peek(keyId: string): Promise<RateLimitState>;
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
}

/** Buckets kept before idle (full) ones are dropped; a full bucket is the same as no bucket. */
const PRUNE_AT_BUCKETS = 10_000;

/** The buckets in this process's memory. */
export class RateLimiter implements KeyRateLimit {
  private readonly settings: RateLimitSettings;
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(settings: RateLimitSettings, now: () => number = () => performance.now()) {
    this.settings = settings;
    this.now = now;
  }

  async take(keyId: string): Promise<void> {
    const { perMinute, burst } = this.settings;
    if (perMinute <= 0) return;
    const perMs = tokensPerMs(this.settings);
    const t = this.now();
    let bucket = this.buckets.get(keyId);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_AT_BUCKETS) this.prune(t, perMs);
      bucket = { tokens: burst, at: t };
      this.buckets.set(keyId, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    throw rateLimited(this.settings, bucket.tokens);
  }

  async peek(keyId: string): Promise<RateLimitState> {
    const bucket = this.buckets.get(keyId);
    const { burst } = this.settings;
    const tokens = bucket ? Math.min(burst, bucket.tokens + (this.now() - bucket.at) * tokensPerMs(this.settings)) : burst;
    return bucketState(this.settings, tokens);
  }

  private prune(t: number, perMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (t - bucket.at) * perMs >= this.settings.burst) this.buckets.delete(key);
    }
  }
}
