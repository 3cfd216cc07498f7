/**
 * Per-user overrides of the per-key limits: an operator gives one user more (a big customer) or
 * less (a trial) than the configured defaults. Stored on the user (migration 010), read with the
 * key on every authentication (src/domain/keys.ts), and applied by the rate limit (in memory or
 * shared through Redis, src/api/rate-limit.ts, src/cluster/shared-limits.ts) and the cap on calls in
 * progress (src/domain/calls-per-key.ts) to each key of the user separately.
 */
import type { RateLimitSettings } from '../api/rate-limit.ts';
import { invalidParam } from './errors.ts';

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

/** Largest value of any limit (the columns are PostgreSQL integers); calls a minute or at once. */
export const USER_LIMIT_MAX = 1_000_000_000;

/** Smallest value of each limit: a rate of 0 turns the rate limit off; a burst or cap of 0 would refuse every call. */
const USER_LIMIT_MIN: Record<keyof UserLimits, number> = { perMinute: 0, burst: 1, inProgress: 1 };

/**
 * A change of a user's limits as sent by the CLI or the dashboard, checked: only the three fields,
 * each a whole number in range or null (back to the default). Throws 10004 naming the field.
 */
export function checkLimitsChange(change: unknown): Partial<UserLimits> {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) throw invalidParam('limits', 'an object');
  const checked: Partial<UserLimits> = {};
  for (const [field, value] of Object.entries(change)) {
    if (!Object.hasOwn(USER_LIMIT_MIN, field)) throw invalidParam(field, 'perMinute, burst or inProgress', JSON.stringify(field).slice(0, 40));
    const name = field as keyof UserLimits;
    const min = USER_LIMIT_MIN[name];
    if (value !== null && (!Number.isInteger(value) || (value as number) < min || (value as number) > USER_LIMIT_MAX)) {
      throw invalidParam(name, `null (the default) or a whole number from ${min} to ${USER_LIMIT_MAX}`, JSON.stringify(value)?.slice(0, 40) ?? String(value));
    }
    checked[name] = value as number | null;
  }
  return checked;
}

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
