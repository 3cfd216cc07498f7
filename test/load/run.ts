/**
 * `npm run load [-- --clients 100 --seconds 60 --engine test]`: a load generator against the real
 * server on 127.0.0.1. Clients, each with its own API key (spread over ten users):
 *
 * - 60 % ask for a preset pair (result cache hits, charged like any call);
 * - 30 % ("upload") send their own images (real engine calls through admission and the worker pool);
 * - 10 % share one greedy key with a small rate limit (FITROOM_RATE_LIMIT_* for the whole server
 *   are set so that only that key, which sends far more, is refused: 429 with Retry-After).
 *
 * Images: with the test engine, drawn figures (each upload client its own pixels). With
 * `--engine classic` (a real engine, which finds no person in a drawn figure: 20001), real photo
 * pairs from `--photos DIR` (default ../shared/photos beside the checkout; its manifest.json): the
 * preset pair is the manifest's first pair, upload client c sends pair c mod N. Those photos are
 * research-licensed and read in place, never copied into the project; without them that mode
 * exits 2 and says so.
 *
 * A probe asks `/healthz` every 200 ms. Reports throughput, p50/p99 latency per kind and of
 * /healthz, and load average. Then checks: no unexpected status (200; 429 for the greedy key; 503
 * with Retry-After as deliberate overload), every 200 carries a result URL that serves a WebP (all
 * engine results, one hit in 20), and after the server stops, per user: credits moved by exactly
 * the successful calls, ledger = balance, nothing reserved, one usage row per charged call.
 * Exits 1 on any failure.
 */
import { Agent, request as httpRequest } from 'node:http';
import { loadavg } from 'node:os';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadManifest } from '../../eval/manifest.ts';
import { openDatabase } from '../../src/db/index.ts';
import { API1_PATH, multipart, type MultipartBody } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { REPO_ROOT, createUser, startServer } from '../helpers/server.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '60' },
    engine: { type: 'string', default: 'test' },
    photos: { type: 'string', default: join(REPO_ROOT, '..', 'shared', 'photos') },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const USERS = 10;
const CREDITS = 1_000_000;
const HEALTH_PROBE_MS = 200;
/** Calls a minute per key: the ordinary clients stay below it, the greedy key (many clients) goes over. */
const RATE_PER_MINUTE = 3000;
const RATE_BURST = 50;
/** One cache hit in this many has its result URL fetched (every engine result is). */
const HIT_RESULT_SAMPLE = 20;

type Kind = 'hit' | 'upload' | 'greedy';

/** One try-on's inputs: image bytes with a file name the server may see, and the category. */
interface PairInput {
  model: { bytes: Buffer; filename: string };
  garment: { bytes: Buffer; filename: string };
  category: string;
}

/**
 * The pairs the clients send: index 0 becomes the preset pair, upload client c sends pair c mod N
 * (the test engine: one drawn figure per client, different pixels, so nothing is coalesced).
 */
async function loadPairs(engine: string, photos: string, clients: number): Promise<PairInput[]> {
  if (engine === 'test') {
    const garment = { bytes: await garmentImage('png'), filename: 'g.png' };
    return Promise.all(
      Array.from({ length: Math.max(1, clients) }, async (_, c) => ({ model: { bytes: await personImage('jpeg', undefined, c + 1), filename: 'm.jpg' }, garment, category: 'upper_body' })),
    );
  }
  if (!existsSync(join(photos, 'manifest.json'))) {
    console.error(`load: --engine ${engine} needs real photos (a drawn figure is no person to a real engine), and ${join(photos, 'manifest.json')} does not exist; pass --photos DIR`);
    process.exit(2);
  }
  const file = (path: string) => ({ bytes: readFileSync(path), filename: `photo${extname(path)}` });
  return (await loadManifest(photos)).map((p) => ({ model: file(p.modelFile), garment: file(p.garmentFile), category: p.category }));
}

interface Sample {
  kind: Kind;
  user: number;
  status: number;
  ms: number;
}

function post(url: string, key: string, body: MultipartBody, agent: Agent): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> | null }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': body.contentType, 'content-length': String(body.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          let json: Record<string, unknown> | null = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body.body);
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main(): Promise<void> {
  // Before the server starts: a missing photo folder ends the run with nothing to clean up.
  const pairs = await loadPairs(values.engine!, values.photos!, CLIENTS);
  const server = await startServer({
    keepLogs: false,
    env: { FITROOM_ENGINE: values.engine!, FITROOM_RATE_LIMIT_PER_MINUTE: String(RATE_PER_MINUTE), FITROOM_RATE_LIMIT_BURST: String(RATE_BURST) },
  });
  const failures: string[] = [];
  const samples: Sample[] = [];
  const health: number[] = [];
  let dataDir = server.dataDir;
  try {
    const presetPair = pairs[0];
    const pm = await server.admin({ name: 'presets add', kind: 'model', bytesBase64: presetPair.model.bytes.toString('base64') });
    const pg = await server.admin({ name: 'presets add', kind: 'garment', bytesBase64: presetPair.garment.bytes.toString('base64') });
    const users = [];
    for (let u = 0; u < USERS; u++) users.push(await createUser(server, { credits: CREDITS, email: `load${u}@load.test` }));
    const greedy = await createUser(server, { credits: CREDITS, email: 'greedy@load.test' });
    const keys: string[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const email = `load${c % USERS}@load.test`;
      keys.push(c % USERS === c ? users[c].apiKey : String((await server.admin({ name: 'keys add', email, signing: false })).apiKey));
    }
    const hitBody = multipart([{ name: 'modelImg', value: String(pm.url) }, { name: 'garmentImg', value: String(pg.url) }, { name: 'category', value: presetPair.category }]);
    const engineBodies = Array.from({ length: CLIENTS }, (_, c) => {
      const pair = pairs[c % pairs.length];
      return multipart([
        { name: 'modelImg', value: pair.model.bytes, filename: pair.model.filename },
        { name: 'garmentImg', value: pair.garment.bytes, filename: pair.garment.filename },
        { name: 'category', value: pair.category },
      ]);
    });

    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + 1 });
    const url = server.url + API1_PATH;
    const deadline = performance.now() + SECONDS * 1000;
    const resultChecks: Promise<void>[] = [];
    const client = async (c: number) => {
      const kind: Kind = c % 10 < 6 ? 'hit' : c % 10 < 9 ? 'upload' : 'greedy';
      const key = kind === 'greedy' ? greedy.apiKey : keys[c];
      const user = kind === 'greedy' ? USERS : c % USERS;
      let n = 0;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        let res;
        try {
          res = await post(url, key, kind === 'upload' ? engineBodies[c] : hitBody, agent);
        } catch (err) {
          failures.push(`${kind} client ${c}: ${(err as Error).message}`);
          break;
        }
        samples.push({ kind, user, status: res.status, ms: performance.now() - t0 });
        n++;
        const expected = res.status === 200 || (res.status === 503 && res.headers['retry-after']) || (res.status === 429 && res.headers['retry-after'] && kind === 'greedy');
        if (!expected) failures.push(`${kind} client ${c}: unexpected ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
        if (res.status === 200) {
          const data = (res.json?.data ?? {}) as { resultImgUrl?: string };
          if (typeof data.resultImgUrl !== 'string') failures.push(`${kind} client ${c}: 200 without resultImgUrl`);
          else if (kind === 'upload' || n % HIT_RESULT_SAMPLE === 0) {
            resultChecks.push(
              fetch(data.resultImgUrl).then(async (r) => {
                const bytes = Buffer.from(await r.arrayBuffer());
                if (r.status !== 200 || bytes.subarray(8, 12).toString('latin1') !== 'WEBP') failures.push(`result ${data.resultImgUrl}: ${r.status}, not a WebP`);
              }),
            );
          }
        } else if (res.status === 429 || res.status === 503) {
          // Honour Retry-After loosely (a busy client retries soon): keeps the refusal path under load too.
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const probe = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const r = await fetch(`${server.url}/healthz`);
        await r.arrayBuffer();
        health.push(performance.now() - t0);
        if (r.status !== 200) failures.push(`/healthz answered ${r.status} under load`);
        await new Promise((res) => setTimeout(res, HEALTH_PROBE_MS));
      }
    };
    const started = performance.now();
    await Promise.all([...Array.from({ length: CLIENTS }, (_, c) => client(c)), probe()]);
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(resultChecks);
    agent.destroy();

    const report: Record<string, unknown> = { clients: CLIENTS, seconds: +seconds.toFixed(1), engine: values.engine, images: values.engine === 'test' ? 'drawn' : `${pairs.length} pairs from ${values.photos}`, loadavg1m: +loadavg()[0].toFixed(2) };
    for (const kind of ['hit', 'upload', 'greedy'] as Kind[]) {
      const mine = samples.filter((s) => s.kind === kind);
      const ok = mine.filter((s) => s.status === 200).map((s) => s.ms);
      const statuses: Record<number, number> = {};
      for (const s of mine) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
      report[kind] = { requests: mine.length, perSecond: +(mine.length / seconds).toFixed(1), statuses, okP50Ms: +percentile(ok, 50).toFixed(1), okP99Ms: +percentile(ok, 99).toFixed(1) };
    }
    report.healthz = { probes: health.length, p50Ms: +percentile(health, 50).toFixed(1), p99Ms: +percentile(health, 99).toFixed(1), maxMs: +Math.max(...health).toFixed(1) };
    console.log(JSON.stringify(report, null, 2));

    // Ledger, balances and usage rows, read from the database once the server has stopped.
    dataDir = server.dataDir;
    await server.stop({ keepData: true, timeoutMs: 60_000 });
    const db = await openDatabase({ dataDir });
    try {
      const emails = [...users.map((u) => u.email), greedy.email];
      for (let u = 0; u < emails.length; u++) {
        const ok = samples.filter((s) => s.user === u && s.status === 200).length;
        const row = (await db.query<{ id: string; balance: string; reserved: string }>('SELECT id, balance, reserved FROM users WHERE email = $1', [emails[u]])).rows[0];
        const ledger = Number((await db.query<{ s: string }>('SELECT COALESCE(sum(amount), 0) AS s FROM credit_ledger WHERE user_id = $1', [row.id])).rows[0].s);
        const usage = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM requests WHERE user_id = $1 AND status_code = 200 AND route LIKE '/api/openapi/%'", [row.id])).rows[0].n);
        const charges = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM credit_ledger WHERE user_id = $1 AND kind = 'charge'", [row.id])).rows[0].n);
        if (Number(row.balance) !== CREDITS - ok) failures.push(`${emails[u]}: balance ${row.balance}, expected ${CREDITS - ok} (${ok} successful calls)`);
        if (ledger !== Number(row.balance)) failures.push(`${emails[u]}: ledger ${ledger} != balance ${row.balance}`);
        if (Number(row.reserved) !== 0) failures.push(`${emails[u]}: ${row.reserved} still reserved`);
        if (charges !== ok) failures.push(`${emails[u]}: ${charges} charges for ${ok} successful calls`);
        if (usage !== ok) failures.push(`${emails[u]}: ${usage} usage rows with status 200 for ${ok} successful calls`);
      }
    } finally {
      await db.close();
    }
  } finally {
    if (server.process.exitCode === null && server.process.signalCode === null) await server.stop({ timeoutMs: 60_000 });
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.log(`load: ${failures.length} failure(s)`);
    for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
    process.exitCode = 1;
  } else {
    console.log('load: ledger, balances and usage rows agree with every answer');
  }
}

await main();
