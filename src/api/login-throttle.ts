/**
 * Slows down password guessing at the dashboard's log-in (in memory: the embedded deployment is one
 * process). After FREE_FAILURES wrong passwords in a row for an email, each further attempt must
 * wait a delay that doubles per failure (LOCK_BASE_MS, up to LOCK_MAX_MS) and is answered 429 with
 * Retry-After until then, right password or not. An address that fails across many emails is
 * held back the same way. A correct log-in clears the email's count.
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
const FORGET_AFTER_MS = 60 * 60_000;
/** Most entries kept; the oldest go first beyond it (a bound on memory under a spray of emails). */
const MAX_ENTRIES = 100_000;

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds to wait before this attempt may be checked, or 0 when it may go ahead. */
  retryAfterSeconds(email: string, address: string): number {
    const t = this.now();
    const wait = Math.max(this.lockedUntil(`e:${email}`, t), this.lockedUntil(`a:${address}`, t)) - t;
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  recordFailure(email: string, address: string): void {
    this.fail(`e:${email}`, FREE_FAILURES);
    this.fail(`a:${address}`, FREE_FAILURES_PER_ADDRESS);
  }

  recordSuccess(email: string): void {
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
    if (entry.failures >= free) entry.lockedUntil = t + Math.min(LOCK_MAX_MS, LOCK_BASE_MS * 2 ** (entry.failures - free));
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}
