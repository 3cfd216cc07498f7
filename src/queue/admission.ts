/**
 * Admission to expensive work. A call that needs pixels holds one slot from before its images are
 * decoded until the engine has run, so decoding counts against the same limit as engine jobs: at
 * most `slots` calls (one per engine worker) decode or wait for an engine at once. Encoding the
 * result takes a place of a second Admission with as many places (GenerationService): the call
 * takes it before it gives its slot back, so the next call's decode and engine run do not wait
 * for this call's encode, and a flood of large images costs memory for at most twice `slots`
 * calls, not for every call in flight. Calls waiting for a slot hold only their encoded bytes, and
 * so do calls storing their encoded result; past `maxWaiting` waiting calls the answer is 503
 * with Retry-After, as for a full queue.
 */
import { ApiError } from '../domain/errors.ts';

/** Seconds a client is told to wait when no slot and no waiting place is free. */
const RETRY_AFTER_SECONDS = '5';

export class Admission {
  private readonly slots: number;
  private readonly maxWaiting: number;
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(options: { slots: number; maxWaiting: number }) {
    if (!Number.isInteger(options.slots) || options.slots < 1) throw new RangeError(`slots: expected an integer >= 1, got ${options.slots}`);
    this.slots = options.slots;
    this.maxWaiting = options.maxWaiting;
  }

  /** Calls holding a slot now. */
  running(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  waiting(): number {
    return this.waiters.length;
  }

  /** Runs `work` once a slot is free; rejects with 503 (Retry-After) when too many calls already wait. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Waits for a slot as `run()` does and returns the function that gives it back (calling it
   * again does nothing), for a slot held across a hand-over to another Admission.
   */
  async acquire(): Promise<() => void> {
    if (this.active >= this.slots) {
      if (this.waiters.length >= this.maxWaiting) {
        throw new ApiError('SERVER_ERROR', 'server is busy, retry later', {
          status: 503,
          headers: { 'Retry-After': RETRY_AFTER_SECONDS },
          retryable: true,
        });
      }
      // The slot is handed over by release() (active stays counted), so no late arrival can take it first.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    } else {
      this.active++;
    }
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.release();
    };
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}
