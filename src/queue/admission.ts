/**
 * Admission to expensive work. A call that needs pixels (decoding its images, the engine run,
 * encoding the result) holds one slot from before its images are decoded until its result is
 * encoded, so decoding counts against the same limit as engine jobs: at most `slots` calls
 * (one per engine worker) hold decoded images at once, and a flood of large images costs memory
 * for `slots` calls, not for every call in flight. Calls waiting for a slot hold only their
 * encoded bytes, and so do calls storing their encoded result (I/O: the slot goes to the next
 * call meanwhile); past `maxWaiting` waiting calls the answer is 503 with Retry-After, as for a
 * full queue.
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
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}
