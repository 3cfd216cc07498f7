/**
 * Delivers webhooks from their rows (`webhook_deliveries`): a job that ends with a `webhook_url`
 * gets a row in the same transaction that finishes it, and this dispatcher POSTs due rows, signed
 * (./signature.ts). A 2xx answer delivers; anything else (another status, no answer, a refused
 * address) is logged on the row and retried with exponential backoff, the first retry after
 * `firstRetryMs`, each wait doubling up to MAX_RETRY_INTERVAL_MS, until `giveUpAfterMs` after the
 * job ended; then the delivery is failed. Rows, not timers: a delivery pending when the process
 * stops is sent by the next start. Claiming a row pushes its due time past the attempt's deadline,
 * so two dispatchers (or two polls) never send the same attempt.
 */
import type { Database } from '../db/database.ts';
import type { WebhookSecrets } from './secrets.ts';
import { WEBHOOK_HEADERS, signWebhook } from './signature.ts';
import type { WebhookSend } from './sender.ts';

export interface WebhookSettings {
  /** Wait before the first retry, ms; each later wait doubles. */
  firstRetryMs: number;
  /** No attempt starts later than this after the job ended, ms. */
  giveUpAfterMs: number;
  /** How often due deliveries are looked for when nothing kicks the dispatcher, ms. */
  pollMs: number;
  /** Deadline of one attempt, ms. */
  attemptTimeoutMs: number;
}

/** The longest wait between two attempts, ms (1 hour). */
export const MAX_RETRY_INTERVAL_MS = 60 * 60 * 1000;

/** Deliveries sent at once by one poll. */
const BATCH = 8;

export interface WebhookAttemptLog {
  at: string;
  statusCode: number | null;
  error: string | null;
  ms: number;
}

interface DeliveryRow {
  job_id: string;
  url: string;
  body: string;
  attempts: WebhookAttemptLog[];
  give_up_at: Date | string;
  user_id: string;
  key_id: string | null;
}

/** The wait after the `failures`-th failed attempt, ms. */
export function retryDelayMs(failures: number, firstRetryMs: number): number {
  return Math.min(MAX_RETRY_INTERVAL_MS, firstRetryMs * 2 ** Math.max(0, failures - 1));
}

export class WebhookDispatcher {
  private readonly db: Database;
  private readonly secrets: WebhookSecrets;
  private readonly send: WebhookSend;
  private readonly settings: WebhookSettings;
  private readonly onError: (err: unknown) => void;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(deps: { db: Database; secrets: WebhookSecrets; send: WebhookSend; settings: WebhookSettings; onError: (err: unknown) => void }) {
    this.db = deps.db;
    this.secrets = deps.secrets;
    this.send = deps.send;
    this.settings = deps.settings;
    this.onError = deps.onError;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.settings.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks for due deliveries now (a job just ended); overlapping kicks run one more pass. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while ((await this.pass()) === BATCH && !this.stopped);
        } catch (err) {
          this.onError(err);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  /** Stops polling and waits for attempts under way (they are logged before this resolves). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Claims and sends up to BATCH due deliveries; returns how many it claimed. */
  private async pass(): Promise<number> {
    const claimMs = this.settings.attemptTimeoutMs * 2;
    const claimed = await this.db.query<DeliveryRow>(
      `UPDATE webhook_deliveries d SET next_attempt_at = now() + ($1 * interval '1 millisecond')
       FROM jobs j
       WHERE j.id = d.job_id AND d.job_id IN (
         SELECT job_id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT ${BATCH}
       )
       RETURNING d.job_id, d.url, d.body, d.attempts, d.give_up_at, j.user_id, j.key_id`,
      [claimMs],
    );
    await Promise.all(claimed.rows.map((row) => this.attempt(row).catch(this.onError)));
    return claimed.rows.length;
  }

  private async attempt(row: DeliveryRow): Promise<void> {
    if (Date.now() > new Date(row.give_up_at).getTime()) {
      await this.db.query("UPDATE webhook_deliveries SET status = 'failed' WHERE job_id = $1", [row.job_id]);
      return;
    }
    const { kind, secret } = await this.secrets.forJob(row.user_id, row.key_id);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const number = row.attempts.length + 1;
    const started = Date.now();
    const outcome = await this.send(row.url, row.body, {
      [WEBHOOK_HEADERS.timestamp]: timestamp,
      [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, row.body),
      [WEBHOOK_HEADERS.secret]: kind,
      [WEBHOOK_HEADERS.id]: row.job_id,
      [WEBHOOK_HEADERS.attempt]: String(number),
    });
    const log: WebhookAttemptLog = { at: new Date(started).toISOString(), statusCode: outcome.statusCode, error: outcome.error, ms: Date.now() - started };
    const delivered = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const next = Date.now() + retryDelayMs(number, this.settings.firstRetryMs);
    const status = delivered ? 'delivered' : next > new Date(row.give_up_at).getTime() ? 'failed' : 'pending';
    await this.db.query(
      `UPDATE webhook_deliveries SET attempts = attempts || $2::jsonb, status = $3, next_attempt_at = $4 WHERE job_id = $1`,
      [row.job_id, JSON.stringify([log]), status, new Date(next)],
    );
  }
}
