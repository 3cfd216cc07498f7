/**
 * Async jobs (`/v1`): an API 1 or API 2 call accepted at once (202 with a job id) and run in the
 * background through the same GenerationService. The job id is the call's request id, so its
 * reservation, charge and any refund name the job in the ledger.
 *
 * Cancelling (DELETE) a job that has not finished marks it cancelled at once; the work already
 * under way is not interrupted (the engine job cannot be), but whatever it is charged when it
 * completes is refunded, so a cancelled job costs nothing. A finished job cannot be cancelled.
 * No HTTP here.
 */
import type { Database } from '../db/database.ts';
import type { CreditService } from './credits.ts';
import { ApiError } from './errors.ts';
import { isId, newId } from './ids.ts';

export type JobKind = 'tryon' | 'prompt';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  jobId: string;
  kind: JobKind;
  status: JobStatus;
  /** The synchronous API's success data, once succeeded. */
  result: Record<string, unknown> | null;
  /** The synchronous API's error envelope, once failed. */
  error: { code: number; msg: string } | null;
  /** true once the charge of a cancelled job's finished work has been given back. */
  refunded: boolean;
  createdAt: string;
  finishedAt: string | null;
}

interface JobRow {
  id: string;
  kind: JobKind;
  status: JobStatus;
  result: Record<string, unknown> | null;
  error: { code: number; msg: string } | null;
  refunded: boolean;
  created_at: Date | string;
  finished_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

function toJob(row: JobRow): Job {
  return {
    jobId: row.id,
    kind: row.kind,
    status: row.status,
    result: row.result,
    error: row.error,
    refunded: row.refunded,
    createdAt: iso(row.created_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
  };
}

/** The work of a job: the synchronous call, with the job id as its request id. */
export type JobWork = (jobId: string) => Promise<Record<string, unknown>>;

export class JobService {
  private readonly db: Database;
  private readonly credits: CreditService;
  private readonly onInternalError: (err: unknown, jobId: string) => void;
  /** Work under way in this process, so shutdown can wait for it. */
  private readonly running = new Set<Promise<void>>();

  constructor(db: Database, credits: CreditService, options: { onInternalError?: (err: unknown, jobId: string) => void } = {}) {
    this.db = db;
    this.credits = credits;
    this.onInternalError = options.onInternalError ?? (() => {});
  }

  /** Records a queued job and starts its work in the background; resolves once it is recorded. */
  async submit(userId: string, kind: JobKind, work: JobWork): Promise<Job> {
    const id = newId('job');
    const inserted = await this.db.query<JobRow>('INSERT INTO jobs (id, user_id, kind) VALUES ($1, $2, $3) RETURNING *', [id, userId, kind]);
    const done = this.run(id, work).finally(() => this.running.delete(done));
    this.running.add(done);
    return toJob(inserted.rows[0]);
  }

  private async run(id: string, work: JobWork): Promise<void> {
    const started = await this.db.query("UPDATE jobs SET status = 'running' WHERE id = $1 AND status = 'queued' RETURNING id", [id]);
    if (started.rows.length === 0) return; // cancelled before it started: no work, no charge
    let result: Record<string, unknown> | null = null;
    let error: { code: number; msg: string } | null = null;
    try {
      result = await work(id);
    } catch (err) {
      if (!(err instanceof ApiError)) this.onInternalError(err, id);
      error = err instanceof ApiError ? { code: err.code, msg: err.msg } : { code: 500, msg: 'SERVER_ERROR: internal error' };
    }
    try {
      const finished = await this.db.query(
        "UPDATE jobs SET status = $2, result = $3, error = $4, finished_at = now() WHERE id = $1 AND status = 'running' RETURNING id",
        [id, result ? 'succeeded' : 'failed', result, error],
      );
      // Cancelled while it ran: whatever the finished work was charged goes back.
      if (finished.rows.length === 0 && result && (await this.credits.refund(id))) {
        await this.db.query('UPDATE jobs SET refunded = true WHERE id = $1', [id]);
      }
    } catch (err) {
      this.onInternalError(err, id);
    }
  }

  /** The caller's job; 10004 (HTTP 404) for an unknown id or another user's job. */
  async get(userId: string, jobId: string): Promise<Job> {
    if (!isId('job', jobId)) throw notFound(jobId);
    const found = await this.db.query<JobRow>('SELECT * FROM jobs WHERE id = $1 AND user_id = $2', [jobId, userId]);
    if (found.rows.length === 0) throw notFound(jobId);
    return toJob(found.rows[0]);
  }

  /** Cancels the caller's unfinished job (see the file comment); 10004 with HTTP 409 when it has finished. */
  async cancel(userId: string, jobId: string): Promise<Job> {
    if (!isId('job', jobId)) throw notFound(jobId);
    const cancelled = await this.db.query<JobRow>(
      "UPDATE jobs SET status = 'cancelled', finished_at = now() WHERE id = $1 AND user_id = $2 AND status IN ('queued', 'running') RETURNING *",
      [jobId, userId],
    );
    if (cancelled.rows.length === 1) return toJob(cancelled.rows[0]);
    const job = await this.get(userId, jobId);
    throw new ApiError('INVALID_PARAM', `job: ${jobId} has already finished (${job.status}) and cannot be cancelled`, { status: 409 });
  }

  /**
   * Jobs left queued or running by a process that stopped: their work is gone, so they fail
   * (their reservations are released by `CreditService.releaseAllHeld`). Returns how many.
   */
  async failInterrupted(): Promise<number> {
    const failed = await this.db.query(
      "UPDATE jobs SET status = 'failed', error = $1, finished_at = now() WHERE status IN ('queued', 'running') RETURNING id",
      [{ code: 500, msg: 'SERVER_ERROR: the server restarted before the job finished; submit it again' }],
    );
    return failed.rows.length;
  }

  /** Waits for every job under way in this process (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

function notFound(jobId: string): ApiError {
  return new ApiError('INVALID_PARAM', `job: no job ${JSON.stringify(jobId.slice(0, 40))} for this key`, { status: 404 });
}
