/**
 * Per-user overrides of the per-key limits: an operator gives one user more (a big customer) or
 * less (a trial) than the configured defaults. Stored on the user (migration 010), read with the
 * key on every authentication (src/domain/keys.ts), and applied by the rate limit (in memory or
 * shared through Redis, src/api/rate-limit.ts, src/cluster/shared-limits.ts) and the cap on calls in
 * progress (src/domain/calls-per-key.ts) to each key of the user separately.
 */
import type { RateLimitSettings } from '../api/rate-limit.ts';

/** A user's own limits; null: the configured default. */
export interface UserLimits {
  /** Calls a minute each key gets back (FITROOM_RATE_LIMIT_PER_MINUTE); 0 turns the limit off. */
  perMinute: number | null;
  /** Calls each key may make at once (FITROOM_RATE_LIMIT_BURST), at least 1. */
  burst: number | null;
  /** Calls each key may have in progress (FITROOM_MAX_JOBS_PER_KEY), at least 1. */
  inProgress: number | null;
}

/** No overrides: every limit is the configured default. */
export const DEFAULT_USER_LIMITS: UserLimits = Object.freeze({ perMinute: null, burst: null, inProgress: null });

/** The users columns holding the overrides (NULL: default). */
export interface UserLimitsRow {
  rate_limit_per_minute: number | null;
  rate_limit_burst: number | null;
  max_calls_in_progress: number | null;
}

export const USER_LIMITS_COLUMNS = 'rate_limit_per_minute, rate_limit_burst, max_calls_in_progress';

export function userLimitsFromRow(row: UserLimitsRow): UserLimits {
  return { perMinute: row.rate_limit_per_minute, burst: row.rate_limit_burst, inProgress: row.max_calls_in_progress };
}

/** Every limit set, as in force for a user: own or default. */
export type LimitsInForce = { [K in keyof UserLimits]: number };

/** The limits a user's keys get: each override in place of its default. */
export function limitsInForce(defaults: LimitsInForce, own: UserLimits): LimitsInForce {
  return { perMinute: own.perMinute ?? defaults.perMinute, burst: own.burst ?? defaults.burst, inProgress: own.inProgress ?? defaults.inProgress };
}

/** The bucket a key of a user with `own` limits gets: each override in place of its default. */
export function rateLimitInForce(defaults: RateLimitSettings, own: UserLimits | undefined): RateLimitSettings {
  return { perMinute: own?.perMinute ?? defaults.perMinute, burst: own?.burst ?? defaults.burst };
}
