/**
 * `npm run fuzz [-- --count 10000 --seed N --concurrency 8 --only I]`: starts the real server on
 * 127.0.0.1 (test engine, moderation on, a 1 s upload idle deadline) and sends `count` generated
 * and mutated hostile requests (./cases.ts), `concurrency` at a time. Checks every answer:
 *
 * - an answer arrives (no hang past the deadlines; a client timeout is a failure);
 * - never a 500; a 503 only as a deliberate overload, with `Retry-After`;
 * - the contract's envelope: JSON `{code, msg}` (errors `NAME: detail`, a contract code, no
 *   `data`, no stack frame or file path), and an `X-Request-Id` (`req_...`) on every answer,
 *   raw-socket ones included; files, docs and metrics answer in their own formats on success;
 *
 * and afterwards: every user's credits moved by exactly one per successful API 1/2 call (the only
 * charged answers), the ledger sums to the balance, nothing is left reserved, `/healthz` answers,
 * and the server's resident memory grew by less than 200 MB. Prints the seed; exits 1 on any
 * failure, listing up to 20 with the command that replays each.
 */
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { createUser, showUser, startServer, type StartedServer } from '../helpers/server.ts';
import { buildImages, generateCase, seedBodies, type FuzzCase, type FuzzWorld } from './cases.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
  },
});
const COUNT = Number(values.count);
const SEED = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const CONCURRENCY = Number(values.concurrency);
/** A request with no answer after this long is a hang (the server's own deadlines are far shorter). */
const CLIENT_TIMEOUT_MS = 60_000;
/** The server's upload idle deadline in this run, ms: stalled uploads are answered after it. */
const BODY_IDLE_MS = 1000;
const MEMORY_GROWTH_LIMIT_MB = 200;
/** Requests sent before the memory baseline is read (not counted in the run). */
const WARM_UP_CASES = 64;
const INITIAL_CREDITS = 1_000_000;
const CONTRACT_CODES = new Set([500, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 20001, 30001, 30002]);
const CHARGED_PATHS = new Set(['/api/openapi/change-clothes-ai', '/api/openapi/change-clothes-by-prompt']);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function sendHttp(url: string, c: Extract<FuzzCase, { kind: 'http' }>, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...c.headers };
    if (c.body) headers['content-length'] = String(c.body.length);
    const req = httpRequest(url + c.path, { method: c.method, headers, agent, timeout: CLIENT_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${CLIENT_TIMEOUT_MS} ms`)));
    // The server may answer (413, 401) and close before the whole body is written: keep its answer.
    req.on('error', (err: NodeJS.ErrnoException) => reject(err));
    req.end(c.body);
  });
}

/** Writes raw bytes and reads the whole answer until the server closes the connection. */
function sendRaw(url: string, c: Extract<FuzzCase, { kind: 'raw' }>): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${CLIENT_TIMEOUT_MS} ms`)), CLIENT_TIMEOUT_MS);
    socket.on('connect', () => socket.write(c.bytes));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // One answer is all we wait for: with its headers and Content-Length bytes in, we are done.
      const parsed = parseRaw(Buffer.concat(chunks));
      if (parsed) {
        clearTimeout(timer);
        socket.destroy();
        resolve(parsed);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      const parsed = parseRaw(Buffer.concat(chunks));
      if (parsed) resolve(parsed);
      else reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const parsed = parseRaw(Buffer.concat(chunks));
      if (parsed) resolve(parsed);
      else reject(new Error(`connection closed without an answer (${chunks.length ? 'partial answer' : 'nothing'} received)`));
    });
  });
}

function parseRaw(bytes: Buffer): Answer | null {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const length = Number(headers['content-length'] ?? NaN);
  const body = bytes.subarray(end + 4);
  if (Number.isFinite(length) && body.length < length) return null;
  return { status, headers, body: Number.isFinite(length) ? body.subarray(0, length) : body };
}

/** What is wrong with an answer, or null. */
function check(c: FuzzCase, a: Answer): string | null {
  const requestId = String(a.headers['x-request-id'] ?? '');
  if (!/^req_[a-z2-7]{20}$/.test(requestId)) return `no X-Request-Id (status ${a.status})`;
  if (a.status === 500) return `500: ${a.body.toString('utf8').slice(0, 300)}`;
  if (a.status === 503 && !a.headers['retry-after']) return '503 without Retry-After';
  if (a.status === 429 && !a.headers['retry-after']) return '429 without Retry-After';
  if (a.status < 100 || a.status > 599) return `bad status ${a.status}`;
  const method = c.kind === 'http' ? c.method : 'RAW';
  const path = c.kind === 'http' ? c.path : '';
  // HEAD answers carry no body by definition; files, docs, metrics and the dashboard's pages
  // succeed in their own formats, and a redirect (`/` to the dashboard) is its Location.
  const redirect = a.status >= 300 && a.status < 400 && typeof a.headers.location === 'string' && a.headers.location !== '';
  const ownFormat = a.status < 400 && (method === 'OPTIONS' || redirect || /^\/(files|docs|metrics|dashboard)/.test(path));
  if (method === 'HEAD' || ownFormat || a.status === 204 || a.status === 304) return null;
  const text = a.body.toString('utf8');
  let json: { code?: unknown; msg?: unknown; data?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    return `${a.status} body is not JSON: ${text.slice(0, 200)}`;
  }
  if (typeof json.code !== 'number' || typeof json.msg !== 'string') return `${a.status} without {code,msg}: ${text.slice(0, 200)}`;
  if (/\bat .+\(.*:\d+:\d+\)/.test(text) || /\/(src|node_modules|tmp|home|root|work)\/[\w./-]+\.(ts|js|mjs)/.test(text)) return `internals in ${text.slice(0, 300)}`;
  if (a.status >= 400) {
    if (!CONTRACT_CODES.has(json.code)) return `unknown code ${json.code}`;
    if (!/^[A-Z_]+: \S/.test(json.msg)) return `msg not "NAME: detail": ${json.msg.slice(0, 200)}`;
    if ('data' in json) return 'an error carries data';
  } else if (json.code !== 200) return `${a.status} with code ${json.code}`;
  return null;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function makeWorld(server: StartedServer): Promise<FuzzWorld> {
  const images = await buildImages();
  const main = await createUser(server, { credits: INITIAL_CREDITS, email: 'main@fuzz.test' });
  const signing = await createUser(server, { credits: INITIAL_CREDITS, signing: true, email: 'signing@fuzz.test' });
  const broke = await createUser(server, { credits: 0, email: 'broke@fuzz.test' });
  // One credit, no trial calls: one call may succeed, every later one is 10003.
  await server.admin({ name: 'credits grant', email: 'broke@fuzz.test', amount: 1 });
  const brokeState = await showUser(server, 'broke@fuzz.test');
  if (brokeState.credits !== 1) throw new Error('could not set up the broke user');
  const disabled = await createUser(server, { credits: 5, email: 'disabled@fuzz.test' });
  await server.admin({ name: 'users disable', email: 'disabled@fuzz.test' });
  const revoked = await createUser(server, { credits: 5, email: 'revoked@fuzz.test' });
  await server.admin({ name: 'keys revoke', keyId: revoked.keyId });
  const model = await server.admin({ name: 'presets add', kind: 'model', bytesBase64: images.person.toString('base64') });
  const garment = await server.admin({ name: 'presets add', kind: 'garment', bytesBase64: images.garment.toString('base64') });
  const asUser = (name: string, u: { apiKey: string; signingSecret: string | null }) => ({ name, apiKey: u.apiKey, signingSecret: u.signingSecret });
  return {
    users: { main: asUser('main', main), signing: asUser('signing', signing), broke: asUser('broke', broke), disabled: asUser('disabled', disabled), revoked: asUser('revoked', revoked) },
    presets: { modelUrl: String(model.url), garmentUrl: String(garment.url), modelId: String(model.id) },
    images,
  };
}

const EMAILS: Record<string, string> = { main: 'main@fuzz.test', signing: 'signing@fuzz.test', broke: 'broke@fuzz.test' };
const STARTING_CREDITS: Record<string, number> = { main: INITIAL_CREDITS, signing: INITIAL_CREDITS, broke: 1 };

async function main(): Promise<void> {
  console.log(`fuzz: seed ${SEED}, ${COUNT} requests, concurrency ${CONCURRENCY} (replay: npm run fuzz -- --seed ${SEED} --count ${COUNT})`);
  const server = await startServer({
    keepLogs: false,
    env: {
      FITROOM_BODY_IDLE_TIMEOUT_MS: String(BODY_IDLE_MS),
      // The fuzzer is one client sending as fast as it can: its rate limit is not what is tested.
      FITROOM_RATE_LIMIT_PER_MINUTE: '0',
      FITROOM_WORKERS: '2',
    },
  });
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  const families = new Map<string, number>();
  const charged = new Map<string, number>();
  try {
    const world = await makeWorld(server);
    const bodies = seedBodies(world);
    const pid = server.process.pid!;
    // Warm up (the classifier loads, buffers and caches fill) before the memory baseline.
    const warmAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    await Promise.all(
      Array.from({ length: WARM_UP_CASES }, (_, i) => generateCase(SEED, -1 - i, world, bodies))
        .filter((c): c is Extract<FuzzCase, { kind: 'http' }> => c.kind === 'http')
        .map((c) => sendHttp(server.url, c, warmAgent).then((a) => {
          if (a.status === 200 && c.method === 'POST' && CHARGED_PATHS.has(c.path) && c.user) charged.set(c.user, (charged.get(c.user) ?? 0) + 1);
        }, () => undefined)),
    );
    warmAgent.destroy();
    const rssBefore = rssMb(pid);
    const indices = values.only !== undefined ? [Number(values.only)] : Array.from({ length: COUNT }, (_, i) => i);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let next = 0;
    const started = performance.now();
    const workerLoop = async () => {
      while (next < indices.length) {
        const index = indices[next++];
        const c = generateCase(SEED, index, world, bodies);
        families.set(c.family, (families.get(c.family) ?? 0) + 1);
        let answer: Answer;
        try {
          answer = c.kind === 'http' ? await sendHttp(server.url, c, agent) : await sendRaw(server.url, c);
        } catch (err) {
          failures.push(`case ${index} (${c.family}): ${(err as Error).message}`);
          continue;
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem = check(c, answer);
        if (problem) failures.push(`case ${index} (${c.family} ${c.kind === 'http' ? `${c.method} ${c.path.slice(0, 80)}` : 'raw'}): ${problem}`);
        if (answer.status === 200 && c.kind === 'http' && c.method === 'POST' && CHARGED_PATHS.has(c.path) && c.user) {
          charged.set(c.user, (charged.get(c.user) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, workerLoop));
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();

    // Calls whose client was answered early may still be finishing: wait until nothing is held.
    const deadline = Date.now() + 30_000;
    for (const [name, email] of Object.entries(EMAILS)) {
      let state = await showUser(server, email);
      while (state.reserved > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        state = await showUser(server, email);
      }
      const expected = STARTING_CREDITS[name] - (charged.get(name) ?? 0);
      if (state.credits !== expected) failures.push(`credits of ${name}: ${state.credits}, expected ${expected} (${charged.get(name) ?? 0} successful calls)`);
      if (state.ledgerSum !== state.credits) failures.push(`ledger of ${name} sums to ${state.ledgerSum}, balance ${state.credits}`);
      if (state.reserved !== 0) failures.push(`${name} still has ${state.reserved} credits reserved`);
    }
    const health = await fetch(`${server.url}/healthz`);
    if (health.status !== 200) failures.push(`/healthz answered ${health.status} after the run`);
    const rssAfter = rssMb(pid);
    if (rssAfter - rssBefore > MEMORY_GROWTH_LIMIT_MB) failures.push(`server memory grew ${Math.round(rssAfter - rssBefore)} MB (${Math.round(rssBefore)} -> ${Math.round(rssAfter)} MB)`);

    console.log(JSON.stringify({ seed: SEED, requests: indices.length, seconds: +seconds.toFixed(1), perSecond: +(indices.length / seconds).toFixed(0), statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])), charged: Object.fromEntries(charged), rssMb: { before: Math.round(rssBefore), after: Math.round(rssAfter) } }));
    console.log(JSON.stringify({ families: Object.fromEntries([...families].sort()) }));
  } finally {
    await server.stop({ timeoutMs: 20_000, keepData: true });
  }
  // The audit trail: every charge has a usage row, and that row says the call succeeded (200, or
  // 499 when its client had gone). A charge behind any other answer is named here.
  const db = await PGlite.create({ dataDir: join(server.dataDir, 'pg') });
  try {
    const odd = await db.query<{ request_id: string; status_code: number | null; code: number | null; route: string | null }>(
      "SELECT l.request_id, r.status_code, r.code, r.route FROM credit_ledger l LEFT JOIN requests r ON r.id = l.request_id WHERE l.kind = 'charge' AND (r.id IS NULL OR r.status_code NOT IN (200, 499))",
    );
    for (const row of odd.rows) failures.push(`charge ${row.request_id} has ${row.status_code === null ? 'no usage row' : `usage row ${row.status_code}/${row.code} on ${row.route}`}`);
  } finally {
    await db.close();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.log(`fuzz: ${failures.length} failure(s); seed ${SEED}`);
    for (const f of failures.slice(0, 20)) console.log(`  ${f}  (replay: npm run fuzz -- --seed ${SEED} --only ${/^case (\d+)/.exec(f)?.[1] ?? '?'})`);
    process.exitCode = 1;
  } else {
    console.log(`seed ${SEED}: every answer checked`);
    console.log(`fuzz: ${values.only !== undefined ? 1 : COUNT} passed, 0 failed`);
  }
}

await main();
