/**
 * The API conformance suite (test/conformance) against the scale-out deployment: the same black-box
 * tests, but every server they start is `ROLE=api` on PostgreSQL, with results in an S3 bucket
 * and two `ROLE=worker` processes taking its engine jobs from BullMQ on Redis (test/helpers/server.ts,
 * cluster mode). The real servers are started here on loopback and shared by the suite's files,
 * each of which gets its own database, bucket and Redis prefix.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ClusterSpec } from '../helpers/cluster.ts';
import { integrationSkip, startAllServers, type RealServers } from '../helpers/real-services.ts';
import { REPO_ROOT } from '../helpers/server.ts';

const skip = integrationSkip();
/** The whole suite in cluster mode on a 2-core CI machine, with margin, ms. */
const SUITE_TIMEOUT_MS = 1_200_000;

let servers: RealServers | undefined;

before(async () => {
  if (!skip) servers = await startAllServers();
});
after(async () => {
  await servers?.stop();
});

test('the conformance suite passes against ROLE=api + two ROLE=worker on PostgreSQL, Redis and S3', { skip, timeout: SUITE_TIMEOUT_MS }, async () => {
  const { pg, redis, s3 } = servers!;
  const spec: ClusterSpec = { postgres: pg.url, redis: redis.url, s3 };
  const dir = join(REPO_ROOT, 'test', 'conformance');
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', 'conformance', f));
  // Without NODE_TEST_CONTEXT (set for us by our own runner) the inner runner reports in plain text.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
    cwd: REPO_ROOT,
    env: { ...env, FITROOM_TEST_CLUSTER: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Streamed as it comes, so a run cut short by the timeout still shows how far it got.
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    process.stderr.write(d);
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const summary = output.split('\n').filter((l) => /^ℹ (tests|pass|fail|skipped)/.test(l)).join('; ');
  const failures = output.slice(output.indexOf('✖ failing tests:') >= 0 ? output.indexOf('✖ failing tests:') : Math.max(0, output.length - 6000)).slice(0, 20_000);
  assert.equal(code, 0, `conformance suite in cluster mode failed (${summary}):\n${failures}`);
  assert.match(summary, /ℹ fail 0/);
});
