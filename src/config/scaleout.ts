/**
 * Settings of the scale-out deployment (PostgreSQL, Redis/BullMQ, S3, process roles). Every one is
 * optional: unset, the service runs embedded in one process exactly as before. Parsed with the
 * rest of the configuration (./index.ts), so a bad value is listed with every other problem.
 */
import { z } from 'zod';

export type Role = 'api' | 'worker' | 'all';

export interface S3Config {
  /** e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000; undefined = AWS by region. */
  readonly endpoint: string | undefined;
  readonly bucket: string;
  readonly region: string;
  /** undefined = the AWS SDK's default credential chain (environment, instance profile...). */
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
  /** Path-style addressing (`endpoint/bucket/key`), which most self-hosted S3 servers need. */
  readonly forcePathStyle: boolean;
  /** Objects are readable at `publicUrl/key` (a public bucket or a CDN): result URLs point there. */
  readonly publicUrl: string | undefined;
  /** Without publicUrl: `GET /files/KEY` answers 302 to a presigned URL valid this long (s); 0 = the API streams the object itself. */
  readonly presignSeconds: number;
}

export interface ScaleoutConfig {
  /** What this process runs: the HTTP API, engine workers, or both (the embedded default). */
  readonly role: Role;
  /** postgres://... ; undefined = the embedded PGlite under the data dir. */
  readonly databaseUrl: string | undefined;
  /** redis://... ; undefined = the in-process worker_threads queue. */
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key this deployment uses (several deployments may share one Redis). */
  readonly redisPrefix: string;
  /** Longest a synchronous call waits for its job's result across processes before a 503, ms. */
  readonly jobDeadlineMs: number;
  /** Runs of a job that failed with an unexpected error (an engine input error is never retried). */
  readonly jobAttempts: number;
  /** A worker holds a job under a lock it renews; a lock not renewed this long marks the worker dead, ms. */
  readonly jobLockMs: number;
  /** Times a job may lose its worker (death) before it fails for good. */
  readonly jobMaxStalls: number;
  /** An API node with no heartbeat for this long is dead: its held credits and unfinished jobs are released, ms. */
  readonly nodeTimeoutMs: number;
  /** undefined = result files under the data dir. */
  readonly s3: S3Config | undefined;
}

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected an integer ${min}..${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `expected an integer ${min}..${max}` }).max(max, { message: `expected an integer ${min}..${max}` }));

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

export const scaleoutEnv = {
  ROLE: z.enum(['api', 'worker', 'all'], { message: 'expected api, worker or all' }).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, { message: 'expected a postgres:// URL' }).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, { message: 'expected a redis:// or rediss:// URL' }).optional(),
  FITROOM_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'expected 1..40 letters, digits, _ or -' }).optional(),
  FITROOM_JOB_DEADLINE_MS: int(1000, 3_600_000).optional(),
  FITROOM_JOB_ATTEMPTS: int(1, 10).optional(),
  FITROOM_JOB_LOCK_MS: int(500, 600_000).optional(),
  FITROOM_JOB_MAX_STALLS: int(0, 10).optional(),
  FITROOM_NODE_TIMEOUT_MS: int(1000, 3_600_000).optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).optional(),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'expected an S3 bucket name' }).optional(),
  S3_REGION: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.optional(),
  S3_PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).optional(),
  S3_PRESIGN_SECONDS: int(0, 604_800).optional(),
};

type ScaleoutEnv = z.output<z.ZodObject<typeof scaleoutEnv>>;

/** Cross-field rules, one message per problem (listed with the rest by loadConfig). */
export function scaleoutIssues(e: ScaleoutEnv): string[] {
  const issues: string[] = [];
  const s3Vars = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE', 'S3_PUBLIC_URL', 'S3_PRESIGN_SECONDS'] as const;
  if (!e.S3_BUCKET && s3Vars.some((name) => e[name] !== undefined)) issues.push('S3_BUCKET="": required when any other S3_ setting is set');
  if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
    issues.push('S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY: set both or neither');
  }
  // A lone worker process has nothing to take jobs from without Redis.
  if (e.ROLE !== undefined && e.ROLE !== 'all' && !e.REDIS_URL) issues.push(`ROLE=${JSON.stringify(e.ROLE)}: needs REDIS_URL (the job queue between API and workers)`);
  // API nodes and workers on several machines must share the database.
  if (e.REDIS_URL && !e.DATABASE_URL) issues.push('REDIS_URL: needs DATABASE_URL (every node shares one PostgreSQL database)');
  return issues;
}

export function scaleoutFrom(e: ScaleoutEnv): ScaleoutConfig {
  return Object.freeze({
    role: e.ROLE ?? 'all',
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.FITROOM_REDIS_PREFIX ?? 'fitroom',
    // Two minutes: a classic-engine call on a busy 2-core worker takes seconds, a queue behind it more.
    jobDeadlineMs: e.FITROOM_JOB_DEADLINE_MS ?? 120_000,
    jobAttempts: e.FITROOM_JOB_ATTEMPTS ?? 2,
    // BullMQ's default: a dead worker's job moves to another after at most this long (plus one check interval).
    jobLockMs: e.FITROOM_JOB_LOCK_MS ?? 30_000,
    jobMaxStalls: e.FITROOM_JOB_MAX_STALLS ?? 2,
    nodeTimeoutMs: e.FITROOM_NODE_TIMEOUT_MS ?? 30_000,
    s3: e.S3_BUCKET
      ? Object.freeze({
          endpoint: e.S3_ENDPOINT?.replace(/\/+$/, ''),
          bucket: e.S3_BUCKET,
          region: e.S3_REGION ?? 'us-east-1',
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? false,
          publicUrl: e.S3_PUBLIC_URL?.replace(/\/+$/, ''),
          presignSeconds: e.S3_PRESIGN_SECONDS ?? 0,
        })
      : undefined,
  });
}
