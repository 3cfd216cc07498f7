/**
 * The per-key cap on calls in progress (FITROOM_MAX_JOBS_PER_KEY): a call holds one of its key's
 * places from before its cache lookup until it has its answer (a preset pair served from the
 * cache, waiting for an identical call's engine run, for admission and the engine all included),
 * so one key cannot fill the engine queue, or the server, for everyone. One more call is answered 10007
 * TOO_MANY_REQUESTS (HTTP 429) with Retry-After.
 *
 * `LocalCallsPerKey` counts in this process's memory (the embedded deployment has one API process);
 * the API nodes of a scale-out deployment share their counts in Redis (src/cluster/shared-limits.ts),
 * so N nodes do not let a key run N times its cap.
 */
import { ApiError } from './errors.ts';

/** Seconds a key at its cap on calls in progress is told to wait (about one engine call). */
const RETRY_AFTER_SECONDS = '2';

export interface CallsPerKey {
  /**
   * Takes one of `keyId`'s places for a call, or throws 10007 when `max` calls of the key are in
   * progress already. Resolves with the function that gives the place back (call it exactly once).
   */
  enter(keyId: string, max: number): Promise<() => void>;
}

/** The 10007 answer for a key that has `inProgress` calls running and a cap of `max`. */
export function tooManyCallsInProgress(inProgress: number, max: number): ApiError {
  return new ApiError('TOO_MANY_REQUESTS', `this key already has ${inProgress} calls in progress (the limit is ${max}); retry when one has finished`, {
    headers: { 'Retry-After': RETRY_AFTER_SECONDS },
    retryable: true,
  });
}

export class LocalCallsPerKey implements CallsPerKey {
  /** API key id → its calls in progress (absent: none). */
  private readonly counts = new Map<string, number>();

  async enter(keyId: string, max: number): Promise<() => void> {
    const inProgress = this.counts.get(keyId) ?? 0;
    if (inProgress >= max) throw tooManyCallsInProgress(inProgress, max);
    this.counts.set(keyId, inProgress + 1);
    return () => {
      const left = (this.counts.get(keyId) ?? 1) - 1;
      if (left > 0) this.counts.set(keyId, left);
      else this.counts.delete(keyId);
    };
  }
}
