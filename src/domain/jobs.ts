/**
 * Async jobs (`/v1`): an API 1 or API 2 call accepted at once (202 with a job id) and run in the
 * background through the same GenerationService. The job id is the call's request id (a job of
 * several samples uses `JOBID`, `JOBID.2`, ... for the others), so its reservations, charges and
 * any refund name the job in the ledger.
 *
 * Cancelling (DELETE) a job that has not finished marks it cancelled at once; the work already
 * under way is not interrupted (the engine job cannot be), but whatever it is charged when it
 * completes is refunded, so a cancelled job costs nothing. DELETE on a finished job deletes its
 * images at once (the retention rule: not those another live job points at) and keeps the job,
 * with `result` null and `imagesDeletedAt` set, until it expires; its credits are untouched.
 *
 * A job that ends (succeeded, failed, cancelled) gets, in the same transaction, its expiry
 * (`retentionSeconds` later the retention sweeper deletes it and its images) and, when it has a
 * `webhook_url`, a webhook delivery row (src/webhooks/dispatcher.ts sends it). No HTTP here.
 *
 * While a job has not ended, its `progress` says where its work is (generation.ts CALL_STAGES) and
 * which sample (src/domain/call-stages.ts): the running work writes each stage it reaches to the job's row, so whichever node
 * a poll reaches reads it.
 */
import type { Database, Queryable } from '../db/database.ts';
import type { CreditService } from './credits.ts';
import type { CallStage } from './call-stages.ts';
import { ApiError } from './errors.ts';
import { isId, newId } from './ids.ts';

export type JobKind = 'tryon' | 'prompt';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface WebhookLog {
  url: string;
  /** `pending` until a 2xx answer (`delivered`) or the retry time runs out (`failed`). */
  status: 'pending' | 'delivered' | 'failed';
  /** Every attempt so far, oldest first. */
  attempts: Array<{ at: string; statusCode: number | null; error: string | null; ms: number }>;
  /** When the next attempt is due, while pending. */
  nextAttemptAt: string | null;
}

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
  /** How many results the job makes (num_samples), each charged. */
  numSamples: number;
  createdAt: string;
  finishedAt: string | null;
  /** When the job and its images are deleted (retention), once it has ended. */
  expiresAt: string | null;
  /** When DELETE removed the finished job's images (its `result` is null from then on); null while they exist. */
  imagesDeletedAt: string | null;
  /** The webhook target and its delivery log; null when the job has no webhook_url. */
  webhook: WebhookLog | null;
  /** While queued or running: the stage its work is at, and which sample (1-based) of numSamples; null once ended. */
  progress: { stage: CallStage; sample: number } | null;
}

interface JobRow {
  id: string;
  kind: JobKind;
  status: JobStatus;
  result: Record<string, unknown> | null;
  error: { code: number; msg: string } | null;
  refunded: boolean;
  samples: number;
  webhook_url: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
  expires_at: Date | string | null;
  images_deleted_at: Date | string | null;
  object_keys: string[];
  stage: CallStage | null;
  stage_sample: number | null;
  d_status?: WebhookLog['status'] | null;
  d_attempts?: WebhookLog['attempts'] | null;
  d_next?: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

function toJob(row: JobRow): Job {
  const pending = row.d_status === 'pending';
  return {
    jobId: row.id,
    kind: row.kind,
    status: row.status,
    result: row.result,
    error: row.error,
    refunded: row.refunded,
    numSamples: row.samples,
    createdAt: iso(row.created_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
    expiresAt: row.expires_at === null ? null : iso(row.expires_at),
    imagesDeletedAt: row.images_deleted_at === null ? null : iso(row.images_deleted_at),
    webhook:
      row.webhook_url === null
        ? null
        : {
            url: row.webhook_url,
            status: row.d_status ?? 'pending',
            attempts: row.d_attempts ?? [],
            nextAttemptAt: pending && row.d_next ? iso(row.d_next) : null,
          },
    progress: row.status === 'queued' || row.status === 'running' ? { stage: row.stage ?? 'queued', sample: row.stage_sample ?? 1 } : null,
  };
}

/** The request ids of a job's samples: the job id, then `JOBID.2`, `JOBID.3`, ... */
export function sampleRequestIds(jobId: string, samples: number): string[] {
  return Array.from({ length: samples }, (_, i) => (i === 0 ? jobId : `${jobId}.${i + 1}`));
}

/** What a job's work produced: the result data and the stored objects it points at. */
export interface JobOutput {
  result: Record<string, unknown>;
  /** Object-store keys of the results and masks (the retention sweeper deletes them). */
  objectKeys: string[];
}

/** Tells the job's row that the work of sample `sample` (1-based) has reached `stage`. */
export type ReportStage = (sample: number, stage: CallStage) => void;

/**
 * The work of a job: the synchronous call(s), with the job id as the (first) request id; it reports
 * its stages through `progress`.
 */
export type JobWork = (jobId: string, progress: ReportStage) => Promise<JobOutput>;

export interface SubmitOptions {
  /** The key that submitted the job (its signing secret signs the webhook, when it has one). */
  keyId: string;
  /** Checked already (src/webhooks/target.ts). */
  webhookUrl?: string;
  /** num_samples (1 when absent). */
  samples?: number;
}

/** Deletes stored images of jobs (src/retention/job-images.ts): all but those another live job points at. */
export interface JobImageRemover {
  remove(keys: readonly string[], leavingJobIds: readonly string[]): Promise<number>;
}

const SELECT_JOB = `SELECT j.*, d.status AS d_status, d.attempts AS d_attempts, d.next_attempt_at AS d_next
  FROM jobs j LEFT JOIN webhook_deliveries d ON d.job_id = j.id`;

export class JobService {
  private readonly db: Database;
  private readonly credits: CreditService;
  private readonly onInternalError: (err: unknown, jobId: string) => void;
  private readonly retentionSeconds: number;
  private readonly webhookGiveUpAfterMs: number;
  private readonly images: JobImageRemover;
  private onEnded: () => void = () => {};
  /** Work under way in this process, so shutdown can wait for it. */
  private readonly running = new Set<Promise<void>>();

  constructor(
    db: Database,
    credits: CreditService,
    options: {
      onInternalError?: (err: unknown, jobId: string) => void;
      retentionSeconds: number;
      webhookGiveUpAfterMs: number;
      images: JobImageRemover;
    },
  ) {
    this.db = db;
    this.credits = credits;
    this.onInternalError = options.onInternalError ?? (() => {});
    this.retentionSeconds = options.retentionSeconds;
    this.webhookGiveUpAfterMs = options.webhookGiveUpAfterMs;
    this.images = options.images;
  }

  /** Called after a job has ended with its rows written (the webhook dispatcher's kick). */
  setOnEnded(listener: () => void): void {
    this.onEnded = listener;
  }

  /** Records a queued job and starts its work in the background; resolves once it is recorded. */
  async submit(userId: string, kind: JobKind, work: JobWork, options: SubmitOptions): Promise<Job> {
    const id = newId('job');
    const samples = options.samples ?? 1;
    const inserted = await this.db.query<JobRow>(
      'INSERT INTO jobs (id, user_id, kind, key_id, webhook_url, samples) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
      [id, userId, kind, options.keyId, options.webhookUrl ?? null, samples],
    );
    const done = this.run(id, samples, work).finally(() => this.running.delete(done));
    this.running.add(done);
    return toJob(inserted.rows[0]);
  }

  private async run(id: string, samples: number, work: JobWork): Promise<void> {
    const started = await this.db.query("UPDATE jobs SET status = 'running' WHERE id = $1 AND status = 'queued' RETURNING id", [id]);
    if (started.rows.length === 0) return; // cancelled before it started: no work, no charge
    let output: JobOutput | null = null;
    let error: { code: number; msg: string } | null = null;
    try {
      output = await work(id, this.stageWriter(id));
    } catch (err) {
      if (!(err instanceof ApiError)) this.onInternalError(err, id);
      error = err instanceof ApiError ? { code: err.code, msg: err.msg } : { code: 500, msg: 'SERVER_ERROR: internal error' };
    }
    try {
      const finished = await this.end(
        `status = $2, result = $3, error = $4, object_keys = $5`,
        "status = 'running'",
        [id, output ? 'succeeded' : 'failed', output?.result ?? null, error, output?.objectKeys ?? []],
      );
      if (finished) return;
      // Cancelled while it ran: the images it made expire with the job, and whatever the finished
      // work was charged goes back.
      if (output) {
        const recorded = await this.db.query('UPDATE jobs SET object_keys = $2 WHERE id = $1 AND images_deleted_at IS NULL RETURNING id', [id, output.objectKeys]);
        // Its images were deleted (DELETE again after the cancel) or it expired while the work ran.
        if (recorded.rows.length === 0) await this.images.remove(output.objectKeys, [id]);
        let refunded = false;
        for (const requestId of sampleRequestIds(id, samples)) refunded = (await this.credits.refund(requestId)) || refunded;
        if (refunded) await this.db.query('UPDATE jobs SET refunded = true WHERE id = $1', [id]);
      }
    } catch (err) {
      this.onInternalError(err, id);
    }
  }

  /**
   * Writes a running job's stages as its work reaches them, one write after another, so the row
   * always ends on the latest stage (never an earlier write finishing last). A stage may come
   * round again: a try-on with category auto analyses its garment, then its call queues for its
   * photos and a slot like any other. Once the job has ended the writes change nothing; a failed
   * write only leaves the previous stage showing.
   */
  private stageWriter(id: string): ReportStage {
    let shown = { sample: 1, stage: 'queued' as CallStage };
    let writes = Promise.resolve();
    return (sample, stage) => {
      if (sample === shown.sample && stage === shown.stage) return;
      shown = { sample, stage };
      writes = writes
        .then(() => this.db.query("UPDATE jobs SET stage = $2, stage_sample = $3 WHERE id = $1 AND status = 'running'", [id, stage, sample]))
        .then(
          () => undefined,
          (err: unknown) => this.onInternalError(err, id),
        );
    };
  }

  /**
   * Ends job `$1` when `condition` holds: sets `assignments`, finished_at and expires_at, and
   * queues its webhook in the same transaction. Returns false when the condition did not hold.
   */
  private async end(assignments: string, condition: string, params: unknown[]): Promise<boolean> {
    const ended = await this.db.transaction(async (tx) => {
      const rows = await tx.query<JobRow>(
        `UPDATE jobs SET ${assignments}, finished_at = now(), expires_at = now() + ($${params.length + 1} * interval '1 second')
         WHERE id = $1 AND ${condition} RETURNING *`,
        [...params, this.retentionSeconds],
      );
      for (const row of rows.rows) await this.queueWebhook(tx, row);
      return rows.rows.length > 0;
    });
    if (ended) this.onEnded();
    return ended;
  }

  private async queueWebhook(tx: Queryable, row: JobRow): Promise<void> {
    if (row.webhook_url === null) return;
    const { webhook: _, ...job } = toJob(row);
    const body = JSON.stringify({ event: 'job.ended', job });
    await tx.query(
      `INSERT INTO webhook_deliveries (job_id, url, body, give_up_at) VALUES ($1, $2, $3, now() + ($4 * interval '1 millisecond'))
       ON CONFLICT (job_id) DO NOTHING`,
      [row.id, row.webhook_url, body, this.webhookGiveUpAfterMs],
    );
  }

  /** The caller's job; 10004 (HTTP 404) for an unknown id or another user's job. */
  async get(userId: string, jobId: string): Promise<Job> {
    if (!isId('job', jobId)) throw notFound(jobId);
    const found = await this.db.query<JobRow>(`${SELECT_JOB} WHERE j.id = $1 AND j.user_id = $2`, [jobId, userId]);
    if (found.rows.length === 0) throw notFound(jobId);
    return toJob(found.rows[0]);
  }

  /**
   * DELETE: cancels the caller's unfinished job, or deletes a finished job's images (see the file
   * comment). Answers the job as it is afterwards; a second DELETE changes nothing.
   */
  async cancelOrDeleteImages(userId: string, jobId: string): Promise<Job> {
    if (!isId('job', jobId)) throw notFound(jobId);
    const cancelled = await this.end("status = 'cancelled'", "user_id = $2 AND status IN ('queued', 'running')", [jobId, userId]);
    if (!cancelled) await this.deleteImages(userId, jobId);
    return this.get(userId, jobId);
  }

  /**
   * Deletes a finished job's images, then records that. The record is conditional on the keys it
   * deleted: a cancelled job whose work completes meanwhile adds keys, and the loop deletes those.
   */
  private async deleteImages(userId: string, jobId: string): Promise<void> {
    for (;;) {
      const found = await this.db.query<JobRow>('SELECT * FROM jobs WHERE id = $1 AND user_id = $2', [jobId, userId]);
      if (found.rows.length === 0) throw notFound(jobId);
      const { object_keys: keys, images_deleted_at: deletedAt } = found.rows[0];
      if (deletedAt !== null) return;
      await this.images.remove(keys, [jobId]);
      const recorded = await this.db.query(
        "UPDATE jobs SET result = NULL, object_keys = '{}', images_deleted_at = now() WHERE id = $1 AND images_deleted_at IS NULL AND object_keys = $2 RETURNING id",
        [jobId, keys],
      );
      if (recorded.rows.length > 0) return;
    }
  }

  /**
   * Jobs left queued or running by a process that stopped: their work is gone, so they fail
   * (their reservations are released by `CreditService.releaseAllHeld`). Returns how many.
   */
  async failInterrupted(): Promise<number> {
    const ids = await this.db.query<{ id: string }>("SELECT id FROM jobs WHERE status IN ('queued', 'running')");
    let failed = 0;
    for (const { id } of ids.rows) {
      const ended = await this.end('status = $2, error = $3', "status IN ('queued', 'running')", [
        id,
        'failed',
        { code: 500, msg: 'SERVER_ERROR: the server restarted before the job finished; submit it again' },
      ]);
      if (ended) failed++;
    }
    return failed;
  }

  /** Waits for every job under way in this process (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

function notFound(jobId: string): ApiError {
  return new ApiError('INVALID_PARAM', `job: no job ${JSON.stringify(jobId.slice(0, 40))} for this key`, { status: 404 });
}
