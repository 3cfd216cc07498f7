/** The scale-out settings: unset means the embedded default; bad or inconsistent values are listed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

test('no scale-out setting: one process on PGlite, the local queue and files (the embedded default)', () => {
  const c = loadConfig({});
  assert.deepEqual({ role: c.scaleout.role, db: c.scaleout.databaseUrl, redis: c.scaleout.redisUrl, s3: c.scaleout.s3 }, { role: 'all', db: undefined, redis: undefined, s3: undefined });
});

test('a full scale-out configuration is read with its defaults', () => {
  const c = loadConfig({
    ROLE: 'worker',
    DATABASE_URL: 'postgres://u:p@db:5432/fitroom',
    REDIS_URL: 'redis://cache:6379',
    S3_BUCKET: 'fitroom-results',
    S3_ENDPOINT: 'http://minio:9000/',
    S3_ACCESS_KEY_ID: 'a',
    S3_SECRET_ACCESS_KEY: 'b',
    S3_FORCE_PATH_STYLE: 'true',
  });
  assert.equal(c.scaleout.role, 'worker');
  assert.equal(c.scaleout.jobDeadlineMs, 120_000);
  assert.equal(c.scaleout.jobLockMs, 30_000);
  assert.deepEqual(c.scaleout.s3, {
    endpoint: 'http://minio:9000',
    bucket: 'fitroom-results',
    region: 'us-east-1',
    accessKeyId: 'a',
    secretAccessKey: 'b',
    forcePathStyle: true,
    publicUrl: undefined,
    presignSeconds: 0,
  });
});

test('inconsistent scale-out settings are refused, each with its reason', () => {
  assert.match(issuesOf({ ROLE: 'worker' }).join('\n'), /ROLE="worker": needs REDIS_URL/);
  assert.match(issuesOf({ REDIS_URL: 'redis://x:6379' }).join('\n'), /REDIS_URL: needs DATABASE_URL/);
  assert.match(issuesOf({ S3_ENDPOINT: 'http://minio:9000' }).join('\n'), /S3_BUCKET="": required/);
  assert.match(issuesOf({ S3_BUCKET: 'bucket-a', S3_ACCESS_KEY_ID: 'a' }).join('\n'), /set both or neither/);
  assert.match(issuesOf({ ROLE: 'both' }).join('\n'), /ROLE="both": expected api, worker or all/);
  assert.match(issuesOf({ DATABASE_URL: 'mysql://x' }).join('\n'), /DATABASE_URL="mysql:\/\/x": expected a postgres:\/\/ URL/);
  assert.match(issuesOf({ FITROOM_JOB_LOCK_MS: '10' }).join('\n'), /FITROOM_JOB_LOCK_MS="10"/);
});
