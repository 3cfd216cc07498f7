/**
 * Per-key rate limit: a token bucket per API key, in this process's memory (the embedded
 * deployment has one API process). A key may spend `burst` calls at once and gets back
 * `perMinute` calls a minute, continuously. A call with no token left is answered 10007
 * TOO_MANY_REQUESTS (HTTP 429) with `Retry-After`: the whole seconds until a token is back.
 */
import { ApiError } from '../domain/errors.ts';

export interface RateLimitSettings {
  /** Calls a minute a key gets back; 0 turns the limit off. */
  perMinute: number;
  /** Calls a key may make at once after being idle (bucket size). */
  burst: number;
}

interface Bucket {
  tokens: number;
  /** ms (performance.now) of the last refill. */
  at: number;
}

/** Buckets kept before idle (full) ones are dropped; a full bucket is the same as no bucket. */
const PRUNE_AT_BUCKETS = 10_000;

export class RateLimiter {
  private readonly settings: RateLimitSettings;
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(settings: RateLimitSettings, now: () => number = () => performance.now()) {
    this.settings = settings;
    this.now = now;
  }

  /** Takes one token for `keyId` or throws 10007 with Retry-After. */
  take(keyId: string): void {
    const { perMinute, burst } = this.settings;
    if (perMinute <= 0) return;
    const perMs = perMinute / 60_000;
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
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    throw new ApiError('TOO_MANY_REQUESTS', `this key is limited to ${perMinute} calls a minute (bursts of ${burst}); retry in ${retryAfter} s`, {
      headers: { 'Retry-After': String(retryAfter) },
      retryable: true,
    });
  }

  /** The key's bucket now, without taking a token: whole calls left and seconds until it is full again. */
  peek(keyId: string): { enabled: boolean; perMinute: number; burst: number; remaining: number; fullInSeconds: number } {
    const { perMinute, burst } = this.settings;
    if (perMinute <= 0) return { enabled: false, perMinute, burst, remaining: burst, fullInSeconds: 0 };
    const perMs = perMinute / 60_000;
    const bucket = this.buckets.get(keyId);
    const tokens = bucket ? Math.min(burst, bucket.tokens + (this.now() - bucket.at) * perMs) : burst;
    return { enabled: true, perMinute, burst, remaining: Math.floor(tokens), fullInSeconds: Math.ceil((burst - tokens) / perMs / 1000) };
  }

  private prune(t: number, perMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (t - bucket.at) * perMs >= this.settings.burst) this.buckets.delete(key);
    }
  }
}
