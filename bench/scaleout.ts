/**
 * Scale-out benchmark on real PostgreSQL, Redis and S3 servers started on loopback (as in the
 * integration tier; skipped with the reason when the binaries are missing):
 * 1. try-on throughput through `ROLE=api` with one `ROLE=worker` process, then with two (the second
 *    joins the same deployment, same run), one engine thread each; the ratio is what a second
 *    worker machine buys. The engine is the test engine holding its thread on the CPU for
 *    ENGINE_HOLD_MS per call (`garmentDesc` `hold:N`), a stand-in for a CPU-bound engine; uploads
 *    are not cached, so every call reaches a worker. Each phase also reports the CPU time per call
 *    of every process (./proc-cpu.ts: API node, workers, PostgreSQL, Redis, S3 server, this load
 *    generator), which says where a 2-core machine's CPU goes besides the engines.
 * 2. cache-hit requests per second (preset pair) through PostgreSQL versus the embedded PGlite, and
 *    on PostgreSQL again through a second API node whose rate limit is on (a limit too high to
 *    refuse anything): the cost of the bucket shared through Redis (src/cluster/shared-limits.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDeploymentSettings, type ClusterSpec } from '../test/helpers/cluster.ts';
import { API1_PATH, api1Parts, bearer, multipart, textPart } from '../test/helpers/http.ts';
import { garmentImage, personImage } from '../test/helpers/images.ts';
import { missingBinaries, startAllServers } from '../test/helpers/real-services.ts';
import { createUser, startServer, startWorker, type StartedServer } from '../test/helpers/server.ts';
import { CONCURRENCY, HIT_MAX_REQUESTS, HIT_MAX_SECONDS, load, warmPresetPair } from './api.ts';
import { cpuByRole, cpuMsPerCall } from './proc-cpu.ts';
import { percentile, printTable, round, type Bench } from './types.ts';

/** CPU time the stand-in engine spends per call, ms. */
const ENGINE_HOLD_MS = 400;
/** Calls per throughput phase, and calls in flight (enough to keep two workers busy). */
const THROUGHPUT_CALLS = 24;
const THROUGHPUT_CONCURRENCY = 4;
const THROUGHPUT_MAX_SECONDS = 120;
/** A rate limit on but never reached: every call takes a token from the shared bucket, none is refused. */
const UNREACHED_RATE_LIMIT = { FITROOM_RATE_LIMIT_PER_MINUTE: '100000000', FITROOM_RATE_LIMIT_BURST: '100000000' };

async function throughput(server: StartedServer, apiKey: string, body: ReturnType<typeof multipart>) {
  const roles = new Map<number, string>([[server.process.pid!, 'api'], ...server.workers.map((w) => [w.process.pid!, 'worker'] as [number, string])]);
  const before = cpuByRole(roles);
  const run = await load(server.url + API1_PATH, bearer(apiKey), body, THROUGHPUT_CONCURRENCY, THROUGHPUT_CALLS, THROUGHPUT_MAX_SECONDS);
  const cpuMs = cpuMsPerCall(before, cpuByRole(roles), run.requests);
  return { calls: run.requests, statuses: run.statuses, seconds: round(run.seconds), callsPerSec: round(run.requests / run.seconds, 2), p50Ms: round(percentile(run.latenciesMs, 50)), cpuMsPerCall: cpuMs };
}

async function cacheHitRate(server: StartedServer, dir: string) {
  const user = await createUser(server, { credits: 1_000_000 });
  const body = await warmPresetPair(server, user.apiKey, dir);
  const hits = await load(server.url + API1_PATH, bearer(user.apiKey), body, CONCURRENCY, HIT_MAX_REQUESTS, HIT_MAX_SECONDS);
  return { requests: hits.requests, statuses: hits.statuses, reqPerSec: round(hits.requests / hits.seconds, 1), p50Ms: round(percentile(hits.latenciesMs, 50)) };
}

export const scaleoutBench: Bench = {
  name: 'scaleout',
  description: `API + 1 vs 2 worker processes on PostgreSQL, Redis and S3 (engine holding the CPU ${ENGINE_HOLD_MS} ms a call); cache hits on PostgreSQL vs PGlite`,
  async run() {
    const missing = missingBinaries();
    if (missing.length > 0) {
      const reason = `skipped: missing ${missing.join(', ')} (Debian: apt-get install postgresql redis-server)`;
      console.log(`  ${reason}`);
      return { skipped: reason };
    }
    const servers = await startAllServers();
    const { pg, redis, s3 } = servers;
    const dir = mkdtempSync(join(tmpdir(), 'fitroom-bench-'));
    const noRateLimit = { FITROOM_RATE_LIMIT_PER_MINUTE: '0' };
    try {
      const spec: ClusterSpec = { postgres: pg.url, redis: redis.url, s3 };
      process.env.FITROOM_TEST_CLUSTER = JSON.stringify(spec);
      const cluster = await startServer({ keepLogs: false, workers: 1, env: noRateLimit });
      let postgresHits;
      let sharedLimitHits;
      let oneWorker;
      let twoWorkers;
      try {
        const user = await createUser(cluster, { credits: 1_000_000 });
        const [model, garment] = await Promise.all([personImage('jpeg', { width: 384, height: 512 }), garmentImage('jpeg', 1, { width: 384, height: 512 })]);
        const body = multipart(api1Parts(model, garment, { garmentDesc: textPart('garmentDesc', `hold:${ENGINE_HOLD_MS}`) }));
        await load(cluster.url + API1_PATH, bearer(user.apiKey), body, 1, 2, 30); // warm-up
        oneWorker = await throughput(cluster, user.apiKey, body);
        cluster.workers.push(await startWorker(cluster.env));
        twoWorkers = await throughput(cluster, user.apiKey, body);
        postgresHits = await cacheHitRate(cluster, dir);
        const limited = await startServer({ keepLogs: false, workers: 0, dataDir: mkdtempSync(join(tmpdir(), 'fitroom-bench-node-')), env: { ...sharedDeploymentSettings(cluster.env), ...UNREACHED_RATE_LIMIT } });
        try {
          sharedLimitHits = await cacheHitRate(limited, dir);
        } finally {
          await limited.stop();
        }
      } finally {
        await cluster.stop();
        delete process.env.FITROOM_TEST_CLUSTER;
      }
      const embedded = await startServer({ keepLogs: false, env: noRateLimit });
      let pgliteHits;
      try {
        pgliteHits = await cacheHitRate(embedded, dir);
      } finally {
        await embedded.stop();
      }
      const ratio = round(twoWorkers.callsPerSec / oneWorker.callsPerSec, 2);
      const load1 = round(loadavg()[0], 2);
      console.log(`  try-on throughput, ${THROUGHPUT_CALLS} uploaded 384x512 calls at concurrency ${THROUGHPUT_CONCURRENCY}, engine ${ENGINE_HOLD_MS} ms CPU each`);
      printTable([
        ['1 worker: calls/s (p50 ms)', `${oneWorker.callsPerSec} (${oneWorker.p50Ms}) ${JSON.stringify(oneWorker.statuses)}`],
        ['2 workers: calls/s (p50 ms)', `${twoWorkers.callsPerSec} (${twoWorkers.p50Ms}) ${JSON.stringify(twoWorkers.statuses)}`],
        ['ratio 2 / 1 (goal >= 1.8)', ratio],
        ['1 worker: CPU ms per call by process', JSON.stringify(oneWorker.cpuMsPerCall)],
        ['2 workers: CPU ms per call by process', JSON.stringify(twoWorkers.cpuMsPerCall)],
      ]);
      console.log(`  cache-hit API 1 calls at concurrency ${CONCURRENCY}`);
      printTable([
        ['PostgreSQL: req/s (p50 ms)', `${postgresHits.reqPerSec} (${postgresHits.p50Ms}) ${JSON.stringify(postgresHits.statuses)}`],
        ['PostgreSQL, rate limit shared in Redis: req/s (p50 ms)', `${sharedLimitHits.reqPerSec} (${sharedLimitHits.p50Ms}) ${JSON.stringify(sharedLimitHits.statuses)}`],
        ['PGlite: req/s (p50 ms)', `${pgliteHits.reqPerSec} (${pgliteHits.p50Ms}) ${JSON.stringify(pgliteHits.statuses)}`],
        ['cores / load average (1 min)', `${availableParallelism()} / ${load1}`],
      ]);
      return { engineHoldMs: ENGINE_HOLD_MS, oneWorker, twoWorkers, ratio, cacheHit: { postgres: postgresHits, postgresSharedRateLimit: sharedLimitHits, pglite: pgliteHits }, cores: availableParallelism(), loadAverage1m: load1 };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await servers.stop();
    }
  },
};
