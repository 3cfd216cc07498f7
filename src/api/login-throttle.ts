/**
 * Slows down password guessing at the dashboard's log-in. After FREE_FAILURES wrong passwords in a row for an email, each further attempt must
 * wait a delay that doubles per failure (LOCK_BASE_MS, up to LOCK_MAX_MS) and is answered 429 with
 * Retry-After until then, right password or not. An address that fails across many emails is
 * held back the same way. A correct log-in clears the email's count.
 *
 * `LoginThrottle` counts in this process's memory (the embedded deployment is one process); the API
 * nodes of a scale-out deployment share their counts in Redis (src/cluster/shared-limits.ts), so
 * spreading guesses over N nodes does not buy N times the attempts.
 */

/** Wrong passwords in a row an email gets before attempts are delayed. */
export const FREE_FAILURES = 5;
/** First delay after FREE_FAILURES failures, ms. */
export const LOCK_BASE_MS = 30_000;
/** Longest delay, ms. */
export const LOCK_MAX_MS = 15 * 60_000;
/** Failures from one address (any emails) before it is delayed too. */
export const FREE_FAILURES_PER_ADDRESS = 50;
/** Failures older than this are forgotten, ms. */
export const FORGET_AFTER_MS = 60 * 60_000;
/** Most entries kept; the oldest go first beyond it (a bound on memory under a spray of emails). */
const MAX_ENTRIES = 100_000;

/** The delay after `failures` wrong passwords in a row, given `free` allowed ones, ms (0: none yet). */
export function lockMs(failures: number, free: number): number {
  return failures >= free ? Math.min(LOCK_MAX_MS, LOCK_BASE_MS * 2 ** (failures - free)) : 0;
}

/** What the log-in route asks: emails are normalised (trimmed, lower case); `address` is the client's IP. */
export interface LoginAttempts {
  /** Seconds to wait before this attempt may be checked, or 0 when it may go ahead. */
  retryAfterSeconds(email: string, address: string): Promise<number>;
  recordFailure(email: string, address: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

export class LoginThrottle implements LoginAttempts {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  async retryAfterSeconds(email: string, address: string): Promise<number> {
    const t = this.now();
    const wait = Math.max(this.lockedUntil(`e:${email}`, t), this.lockedUntil(`a:${address}`, t)) - t;
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  async recordFailure(email: string, address: string): Promise<void> {
    this.fail(`e:${email}`, FREE_FAILURES);
    this.fail(`a:${address}`, FREE_FAILURES_PER_ADDRESS);
  }

  async recordSuccess(email: string): Promise<void> {
    this.entries.delete(`e:${email}`);
  }

  private lockedUntil(key: string, t: number): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    if (t - entry.lastFailure > FORGET_AFTER_MS) {
      this.entries.delete(key);
      return 0;
    }
    return entry.lockedUntil;
  }

  private fail(key: string, free: number): void {
    const t = this.now();
    const entry = this.entries.get(key) ?? { failures: 0, lastFailure: t, lockedUntil: 0 };
    entry.failures++;
    entry.lastFailure = t;
    if (entry.failures >= free) entry.lockedUntil = t + lockMs(entry.failures, free);
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}
