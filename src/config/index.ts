/**
 * Configuration: every environment variable the service reads, parsed once at start-up into a
 * frozen typed object. A bad value fails fast with every problem listed in one error, so an
 * operator fixes them all at once. Nothing else in the project reads `process.env`.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { scaleoutEnv, scaleoutFrom, scaleoutIssues, type ScaleoutConfig } from './scaleout.ts';

export type { Role, S3Config, ScaleoutConfig } from './scaleout.ts';
import { DEFAULT_HENTAI_THRESHOLD, DEFAULT_PORN_THRESHOLD, DEFAULT_PROMPT_TERMS, type ModerationSettings } from './moderation.ts';

export type CachePolicy = 'presets' | 'all' | 'off';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** TCP port; 0 = any free port. */
  readonly port: number;
  readonly host: string;
  /** Absolute path of the data directory (database, objects, admin token). */
  readonly dataDir: string;
  /** Public base URL for result links, without a trailing slash; undefined = the bound address. */
  readonly publicUrl: string | undefined;
  /** Engine id for the worker pool (`classic`, `test`, ...). */
  readonly engine: string;
  readonly workers: number;
  /** Most jobs waiting for a worker before the API answers 503. */
  readonly maxQueued: number;
  readonly allowPrivateUrls: boolean;
  /** Free calls for a new user who has never held credits. */
  readonly trialCalls: number;
  readonly costTryon: number;
  readonly costPrompt: number;
  readonly cache: CachePolicy;
  readonly cacheHitCharge: boolean;
  readonly logLevel: LogLevel;
  /** Credits granted to the admin user created on a first start. */
  readonly adminCredits: number;
  /** An upload that sends no byte for this long is answered 408 and closed, ms. */
  readonly bodyIdleTimeoutMs: number;
  /** An upload not complete this long after its body started is answered 408 and closed, ms. */
  readonly bodyTimeoutMs: number;
  /** Calls a minute each API key gets back (token bucket); 0 = no rate limit. */
  readonly rateLimitPerMinute: number;
  /** Calls a key may make at once after being idle (the bucket's size). */
  readonly rateLimitBurst: number;
  /** Engine calls (cache misses) one API key may have in flight at once; one more is 429. */
  readonly maxJobsPerKey: number;
  /** Bearer token `GET /metrics` requires; undefined = open (the default, for a scraper on a private network). */
  readonly metricsToken: string | undefined;
  /** Browser origins allowed to call the API (CORS); empty = CORS off. `*` allows any origin. */
  readonly corsOrigins: readonly string[];
  /** Server key (32 bytes) sealing signing secrets at rest; undefined = DATA_DIR/secret.key. */
  readonly secretKey: Buffer | undefined;
  /** Earlier server keys, still able to open secrets (rotation). */
  readonly secretKeyPrevious: readonly Buffer[];
  /** Dashboard sign-up: anyone (`open`), with an operator's invitation (`invite`), or nobody (`closed`). */
  readonly signupMode: 'open' | 'invite' | 'closed';
  /** The embedded database's (PGlite's) buffer pool, MB; undefined = PGlite's default (128 MB). */
  readonly pgSharedBuffersMb: number | undefined;
  /** PostgreSQL, Redis/BullMQ, S3 and the process role (./scaleout.ts); all unset = embedded. */
  readonly scaleout: ScaleoutConfig;
  /** HARMFUL_CONTENT (10005) checks: image classifier thresholds and prompt terms (./moderation.ts). */
  readonly moderation: ModerationSettings;
  /** How long an async job and its images are kept after it ended, seconds. */
  readonly jobRetentionSeconds: number;
  /** How often the retention sweeper looks for expired jobs, ms. */
  readonly retentionSweepMs: number;
  /** Wait before a failed webhook's first retry, ms (each later wait doubles, up to 1 h). */
  readonly webhookFirstRetryMs: number;
  /** No webhook attempt starts later than this after its job ended, ms. */
  readonly webhookGiveUpAfterMs: number;
}

/** Thrown by `loadConfig`; `issues` has one line per bad variable. */
export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'));

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected an integer ${min}..${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `expected an integer ${min}..${max}` }).max(max, { message: `expected an integer ${min}..${max}` }));

/** A 32-byte key as base64 / base64url (43 or 44 characters) or 64 hex digits. */
const secretKey = z
  .string()
  .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, { message: 'expected 32 bytes as base64 or 64 hex digits (openssl rand -base64 32)' })
  .transform((v) => (/^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v.replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, ''), 'base64url')));

/** A probability threshold, 0 < t <= 1, as a decimal such as 0.8. */
const threshold = z
  .string()
  .regex(/^(0?\.\d+|1(\.0+)?)$/, { message: 'expected a probability above 0 and at most 1, such as 0.8' })
  .transform(Number)
  .pipe(z.number().gt(0, { message: 'expected a probability above 0 and at most 1, such as 0.8' }));

const envSchema = z.object({
  PORT: int(0, 65535).optional(),
  HOST: z.string().min(1).optional(),
  FITROOM_DATA_DIR: z.string().min(1).optional(),
  FITROOM_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://fitroom.example.com' })
    .optional(),
  FITROOM_ENGINE: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected an engine id such as classic or test' }).optional(),
  FITROOM_WORKERS: int(1, 256).optional(),
  FITROOM_PG_SHARED_BUFFERS_MB: int(1, 65_536).optional(),
  FITROOM_MAX_QUEUED: int(1, 100000).optional(),
  FITROOM_ALLOW_PRIVATE_URLS: bool(false),
  FITROOM_TRIAL_CALLS: int(0, 1_000_000).optional(),
  FITROOM_COST_TRYON: int(0, 1_000_000).optional(),
  FITROOM_COST_PROMPT: int(0, 1_000_000).optional(),
  FITROOM_CACHE: z.enum(['presets', 'all', 'off'], { message: 'expected presets, all or off' }).optional(),
  FITROOM_CACHE_HIT_CHARGE: bool(true),
  FITROOM_ADMIN_CREDITS: int(0, 1_000_000_000).optional(),
  FITROOM_BODY_IDLE_TIMEOUT_MS: int(100, 3_600_000).optional(),
  FITROOM_BODY_TIMEOUT_MS: int(100, 3_600_000).optional(),
  FITROOM_RATE_LIMIT_PER_MINUTE: int(0, 100_000_000).optional(),
  FITROOM_RATE_LIMIT_BURST: int(1, 100_000_000).optional(),
  FITROOM_MAX_JOBS_PER_KEY: int(1, 100_000).optional(),
  FITROOM_SECRET_KEY: secretKey.optional(),
  FITROOM_SECRET_KEY_PREVIOUS: z
    .string()
    .transform((v) => v.split(',').map((k) => k.trim()))
    .pipe(z.array(secretKey))
    .optional(),
  FITROOM_METRICS_TOKEN: z.string().min(16, { message: 'expected a token of at least 16 characters' }).optional(),
  FITROOM_CORS_ORIGINS: z
    .string()
    .regex(/^(\*|https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*)$/, {
      message: 'expected * or a comma-separated list of origins such as https://app.example.com',
    })
    .optional(),
  FITROOM_SIGNUP: z.enum(['open', 'invite', 'closed'], { message: 'expected open, invite or closed' }).optional(),
  FITROOM_MODERATION: bool(true),
  FITROOM_MODERATION_PRELOAD: bool(true),
  FITROOM_MODERATION_PORN_THRESHOLD: threshold.optional(),
  FITROOM_MODERATION_HENTAI_THRESHOLD: threshold.optional(),
  // Comma-separated; `none` turns the prompt check off.
  FITROOM_MODERATION_PROMPT_TERMS: z
    .string()
    .regex(/^[^,]+(,[^,]+)*$/, { message: 'expected comma-separated terms such as nude,topless, or none' })
    .optional(),
  FITROOM_JOB_RETENTION_SECONDS: int(1, 10 * 365 * 86_400).optional(),
  FITROOM_RETENTION_SWEEP_MS: int(50, 86_400_000).optional(),
  FITROOM_WEBHOOK_FIRST_RETRY_MS: int(10, 86_400_000).optional(),
  FITROOM_WEBHOOK_GIVE_UP_AFTER_MS: int(0, 30 * 86_400_000).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .optional(),
  ...scaleoutEnv,
});

/**
 * Parses the environment (default `process.env`) into a frozen Config.
 * Empty strings count as unset, so `PORT= npm start` means the default.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const present: Record<string, string> = {};
  for (const name of Object.keys(envSchema.shape)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') present[name] = value.trim();
  }
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      return `${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(issues);
  }
  const e = parsed.data;
  const crossIssues = scaleoutIssues(e);
  if (crossIssues.length > 0) throw new ConfigError(crossIssues);
  const workers = e.FITROOM_WORKERS ?? Math.max(1, os.availableParallelism());
  return Object.freeze({
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    dataDir: path.resolve(cwd, e.FITROOM_DATA_DIR ?? './data'),
    publicUrl: e.FITROOM_PUBLIC_URL?.replace(/\/+$/, ''),
    engine: e.FITROOM_ENGINE ?? 'classic',
    workers,
    maxQueued: e.FITROOM_MAX_QUEUED ?? Math.max(64, workers * 32),
    allowPrivateUrls: e.FITROOM_ALLOW_PRIVATE_URLS,
    trialCalls: e.FITROOM_TRIAL_CALLS ?? 5,
    costTryon: e.FITROOM_COST_TRYON ?? 1,
    costPrompt: e.FITROOM_COST_PROMPT ?? 1,
    cache: e.FITROOM_CACHE ?? 'presets',
    cacheHitCharge: e.FITROOM_CACHE_HIT_CHARGE,
    logLevel: e.LOG_LEVEL ?? 'info',
    adminCredits: e.FITROOM_ADMIN_CREDITS ?? 100,
    // 30 s without a byte is a stalled client, not a slow network; 5 min lets a 45 MB body through
    // at about 1.2 Mbit/s.
    bodyIdleTimeoutMs: e.FITROOM_BODY_IDLE_TIMEOUT_MS ?? 30_000,
    bodyTimeoutMs: e.FITROOM_BODY_TIMEOUT_MS ?? 300_000,
    // Generous defaults: they stop a runaway client, not a busy integration (100 calls a second).
    rateLimitPerMinute: e.FITROOM_RATE_LIMIT_PER_MINUTE ?? 6000,
    rateLimitBurst: e.FITROOM_RATE_LIMIT_BURST ?? 300,
    // One key may use the whole default queue of a 2-worker machine, not more.
    maxJobsPerKey: e.FITROOM_MAX_JOBS_PER_KEY ?? 64,
    metricsToken: e.FITROOM_METRICS_TOKEN,
    secretKey: e.FITROOM_SECRET_KEY,
    secretKeyPrevious: Object.freeze(e.FITROOM_SECRET_KEY_PREVIOUS ?? []),
    signupMode: e.FITROOM_SIGNUP ?? 'invite',
    pgSharedBuffersMb: e.FITROOM_PG_SHARED_BUFFERS_MB,
    scaleout: scaleoutFrom(e),
    moderation: Object.freeze({
      images: e.FITROOM_MODERATION,
      preload: e.FITROOM_MODERATION_PRELOAD,
      pornThreshold: e.FITROOM_MODERATION_PORN_THRESHOLD ?? DEFAULT_PORN_THRESHOLD,
      hentaiThreshold: e.FITROOM_MODERATION_HENTAI_THRESHOLD ?? DEFAULT_HENTAI_THRESHOLD,
      promptTerms: Object.freeze(promptTerms(e.FITROOM_MODERATION_PROMPT_TERMS, e.FITROOM_MODERATION)),
    }),
    // 72 h, as the leading hosted try-on API keeps its results.
    jobRetentionSeconds: e.FITROOM_JOB_RETENTION_SECONDS ?? 72 * 3600,
    retentionSweepMs: e.FITROOM_RETENTION_SWEEP_MS ?? 10 * 60_000,
    // 10 s, 20 s, 40 s, ... up to 1 h between attempts, for a day: a receiver's deploy or outage is bridged.
    webhookFirstRetryMs: e.FITROOM_WEBHOOK_FIRST_RETRY_MS ?? 10_000,
    webhookGiveUpAfterMs: e.FITROOM_WEBHOOK_GIVE_UP_AFTER_MS ?? 86_400_000,
    corsOrigins: Object.freeze(e.FITROOM_CORS_ORIGINS === undefined ? [] : e.FITROOM_CORS_ORIGINS.split(',').map((o) => o.trim())),
  });
}

/** The prompt terms: the default list, an operator's own list, or none (`none`, or moderation off). */
function promptTerms(setting: string | undefined, moderation: boolean): string[] {
  if (!moderation) return [];
  if (setting === undefined) return [...DEFAULT_PROMPT_TERMS];
  if (setting.trim().toLowerCase() === 'none') return [];
  return setting.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0);
}

// The contract's fixed limits live in ./limits.ts (one home: the validators, the OpenAPI document and
// the messages all read them there); re-exported because the HTTP layer reads them with the config.
export { LIMITS } from './limits.ts';
