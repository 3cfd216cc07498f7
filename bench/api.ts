/**
 * API benchmark on loopback with the test engine (so it measures the service, not an engine):
 * 1. cache-hit calls (a preset model + preset garment, hits charged as by default) at a fixed
 *    concurrency: p50/p99 latency and requests per second;
 * 2. the overhead the service adds around an engine call: p50 of end-to-end API 1 latency with
 *    uploaded images (no cache) minus p50 of the engine's own time for the same inputs (the test
 *    engine timed in-process), at two model sizes. /metrics engine timings are reported beside it.
 * The load generator is a bounded loop of keep-alive node:http requests with a pre-built body.
 */
import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../src/engine/registry.ts';
import { decodeToRaster } from '../src/imaging/decode.ts';
import { API1_PATH, api1Parts, bearer, multipart, post, textPart, type MultipartBody } from '../test/helpers/http.ts';
import { garmentImage, personImage } from '../test/helpers/images.ts';
import { createUser, startServer, type StartedServer } from '../test/helpers/server.ts';
import { percentile, printTable, round, type Bench } from './types.ts';

export const CONCURRENCY = 16;
export const HIT_MAX_REQUESTS = 5000;
export const HIT_MAX_SECONDS = 10;
const OVERHEAD_CALLS = 25;

export interface LoadResult {
  requests: number;
  seconds: number;
  latenciesMs: number[];
  statuses: Record<number, number>;
}

/** Sends `body` to `url` from `concurrency` loops until `maxRequests` are sent or `maxSeconds` pass. */
export async function load(
  url: string,
  headers: Record<string, string>,
  body: MultipartBody,
  concurrency: number,
  maxRequests: number,
  maxSeconds: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  const statuses: Record<number, number> = {};
  const allHeaders = { ...headers, 'content-type': body.contentType, 'content-length': String(body.body.length) };
  const deadline = performance.now() + maxSeconds * 1000;
  let sent = 0;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = httpRequest(url, { method: 'POST', headers: allHeaders, agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          latenciesMs.push(performance.now() - t0);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < maxRequests && performance.now() < deadline) {
        sent += 1;
        await once();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latenciesMs.sort((a, b) => a - b);
  return { requests: latenciesMs.length, seconds, latenciesMs, statuses };
}

/**
 * Registers a preset model and garment (768x1024) on `server`, fills the result cache with their
 * pair, warms the JIT and connections, and returns the API 1 body that is now a cache hit.
 */
export async function warmPresetPair(server: StartedServer, apiKey: string, dir: string): Promise<MultipartBody> {
  const model = await personImage('jpeg', { width: 768, height: 1024 });
  const garment = await garmentImage('jpeg', 2, { width: 768, height: 1024 });
  writeFileSync(join(dir, 'model.jpg'), model);
  writeFileSync(join(dir, 'garment.jpg'), garment);
  const m = await server.cli(['presets', 'add', 'model', join(dir, 'model.jpg')]);
  const g = await server.cli(['presets', 'add', 'garment', join(dir, 'garment.jpg')]);
  const hitBody = multipart(
    api1Parts(model, garment, {
      modelImg: textPart('modelImg', String(m.url)),
      garmentImg: textPart('garmentImg', String(g.url)),
    }),
  );
  const url = server.url + API1_PATH;
  await load(url, bearer(apiKey), hitBody, 1, 1, 60);
  await load(url, bearer(apiKey), hitBody, CONCURRENCY, 200, 5);
  const probe = await post(server.url, API1_PATH, hitBody, bearer(apiKey));
  if (probe.json?.code !== 200 || (probe.json.data as { cacheHit?: unknown }).cacheHit !== true) {
    throw new Error(`the preset pair is not served from the cache: ${probe.status} ${probe.text.slice(0, 300)}`);
  }
  return hitBody;
}

/** Sum and count of every engine stage histogram (excluding the queue's own stages) in /metrics. */
async function engineStageTotals(server: StartedServer): Promise<{ engineSeconds: number; workerSeconds: number; count: number }> {
  const text = await (await fetch(server.url + '/metrics')).text();
  let engineSeconds = 0;
  let workerSeconds = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const m = /^fitroom_engine_stage_seconds_(sum|count)\{stage="([^"]+)"\} (\S+)$/.exec(line);
    if (!m) continue;
    const [, kind, stage, value] = m;
    const v = Number(value);
    if (stage === 'worker_total') {
      if (kind === 'sum') workerSeconds += v;
      else count = v;
    } else if (stage !== 'queue_wait' && kind === 'sum') {
      engineSeconds += v;
    }
  }
  return { engineSeconds, workerSeconds, count };
}

/** The test engine's own p50 for these inputs, timed in this process. */
async function inProcessEngineP50(model: Buffer, garment: Buffer, runs: number): Promise<number> {
  const engine = await createEngine('test');
  await engine.init();
  const [m, g] = await Promise.all([decodeToRaster(model), decodeToRaster(garment)]);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await engine.tryOn({ model: m, garment: g, category: 'upper_body' });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return percentile(times, 50);
}

async function overheadAt(server: StartedServer, key: string, size: { width: number; height: number }) {
  const model = await personImage('jpeg', size, 1);
  const garment = await garmentImage('jpeg', 5);
  const body = multipart(api1Parts(model, garment));
  await load(server.url + API1_PATH, bearer(key), body, 1, 2, 30); // warm-up
  const before = await engineStageTotals(server);
  const r = await load(server.url + API1_PATH, bearer(key), body, 1, OVERHEAD_CALLS, 30);
  const after = await engineStageTotals(server);
  const calls = after.count - before.count;
  const e2eP50 = percentile(r.latenciesMs, 50);
  const engineP50 = await inProcessEngineP50(model, garment, OVERHEAD_CALLS);
  return {
    size: `${size.width}x${size.height}`,
    calls: r.requests,
    statuses: r.statuses,
    e2eP50Ms: round(e2eP50),
    e2eP99Ms: round(percentile(r.latenciesMs, 99)),
    engineP50InProcessMs: round(engineP50, 3),
    engineMeanFromMetricsMs: calls > 0 ? round(((after.engineSeconds - before.engineSeconds) / calls) * 1000, 3) : null,
    workerTotalMeanFromMetricsMs: calls > 0 ? round(((after.workerSeconds - before.workerSeconds) / calls) * 1000, 3) : null,
    overheadP50Ms: round(e2eP50 - engineP50),
  };
}

export const apiBench: Bench = {
  name: 'api',
  description: `service API on loopback, test engine (cache hits at concurrency ${CONCURRENCY}; overhead around an engine call)`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'fitroom-bench-'));
    // The per-key rate limit would turn most of one key's load into 429s: the bench measures the service without it.
    const server = await startServer({ keepLogs: false, env: { FITROOM_RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      const user = await createUser(server, { credits: 1_000_000 });
      const hitBody = await warmPresetPair(server, user.apiKey, dir);
      const url = server.url + API1_PATH;
      const hits = await load(url, bearer(user.apiKey), hitBody, CONCURRENCY, HIT_MAX_REQUESTS, HIT_MAX_SECONDS);
      const sequential = await load(url, bearer(user.apiKey), hitBody, 1, 200, 10);
      const cacheHit = {
        sequentialP50Ms: round(percentile(sequential.latenciesMs, 50)),
        concurrency: CONCURRENCY,
        requests: hits.requests,
        statuses: hits.statuses,
        p50Ms: round(percentile(hits.latenciesMs, 50)),
        p99Ms: round(percentile(hits.latenciesMs, 99)),
        reqPerSec: round(hits.requests / hits.seconds, 1),
      };
      const overhead = [
        await overheadAt(server, user.apiKey, { width: 384, height: 512 }),
        await overheadAt(server, user.apiKey, { width: 768, height: 1024 }),
      ];
      console.log('  cache-hit API 1 calls (preset pair, hits charged)');
      printTable([
        ['requests', `${cacheHit.requests} (${JSON.stringify(cacheHit.statuses)})`],
        ['concurrency', cacheHit.concurrency],
        ['p50 latency ms', cacheHit.p50Ms],
        ['p99 latency ms', cacheHit.p99Ms],
        ['requests/s', cacheHit.reqPerSec],
        ['p50 ms, one at a time', cacheHit.sequentialP50Ms],
      ]);
      for (const o of overhead) {
        console.log(`  service overhead around an engine call, uploaded ${o.size} JPEG model, sequential`);
        printTable([
          ['calls', `${o.calls} (${JSON.stringify(o.statuses)})`],
          ['end-to-end p50 / p99 ms', `${o.e2eP50Ms} / ${o.e2eP99Ms}`],
          ['engine p50 ms (in-process)', o.engineP50InProcessMs],
          ['engine mean ms (/metrics)', o.engineMeanFromMetricsMs ?? 'n/a'],
          ['worker total mean ms (/metrics)', o.workerTotalMeanFromMetricsMs ?? 'n/a'],
          ['overhead p50 ms', o.overheadP50Ms],
        ]);
      }
      // Client and server share the machine's cores; other work on it skews every figure.
      const load1m = round(loadavg()[0], 1);
      const cores = availableParallelism();
      if (load1m > cores) console.log(`  note: load average ${load1m} on ${cores} cores while measuring: figures are pessimistic`);
      return { engine: 'test', cores, loadAverage1mAfter: load1m, cacheHit, overhead };
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
