/**
 * Settings for one scale-out test deployment on shared PostgreSQL, Redis and S3 test servers
 * (./real-services.ts): a fresh database, a Redis prefix and a bucket of its own, so deployments of
 * several test files never see each other's data. Short job locks and node timeouts make a killed
 * worker or API node noticed within seconds.
 */
import { randomBytes } from 'node:crypto';

export interface ClusterSpec {
  /** URL of the server's maintenance database (postgres://.../postgres). */
  postgres: string;
  redis: string;
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string; region: string };
}

/** Lock of a job on a worker in tests, ms: a SIGKILLed worker's job moves on within about twice this. */
export const TEST_JOB_LOCK_MS = 2000;
/** An API node without a heartbeat for this long is dead in tests, ms. */
export const TEST_NODE_TIMEOUT_MS = 3000;

export async function clusterSettings(specJson: string): Promise<Record<string, string>> {
  const spec = JSON.parse(specJson) as ClusterSpec;
  const suffix = randomBytes(6).toString('hex');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: spec.postgres });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE fr_${suffix}`);
  } finally {
    await client.end();
  }
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ endpoint: spec.s3.endpoint, region: spec.s3.region, forcePathStyle: true, credentials: spec.s3 });
  const bucket = `fr-${suffix}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  return {
    ROLE: 'api',
    DATABASE_URL: spec.postgres.replace(/\/[^/]*$/, `/fr_${suffix}`),
    REDIS_URL: spec.redis,
    FITROOM_REDIS_PREFIX: `fr${suffix}`,
    S3_ENDPOINT: spec.s3.endpoint,
    S3_BUCKET: bucket,
    S3_REGION: spec.s3.region,
    S3_ACCESS_KEY_ID: spec.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: spec.s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    FITROOM_JOB_LOCK_MS: String(TEST_JOB_LOCK_MS),
    FITROOM_NODE_TIMEOUT_MS: String(TEST_NODE_TIMEOUT_MS),
    // The API's admission slots: the two workers' engine threads (each worker runs one).
    FITROOM_WORKERS: '2',
  };
}

/**
 * The shared servers' settings of a running deployment: another API node started with them (and
 * a data dir of its own) joins that deployment, same database, queue and bucket.
 */
export function sharedDeploymentSettings(env: Record<string, string>): Record<string, string> {
  const shared: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (/^(ROLE|DATABASE_URL|REDIS_URL|S3_.*|FITROOM_(REDIS_PREFIX|JOB_.*|NODE_TIMEOUT_MS|WORKERS))$/.test(k)) shared[k] = v;
  return shared;
}
