/**
 * Starts the real service as `npm start` does (`node main.js serve` on src/ compiled to JavaScript,
 * ./server-build.ts) in a child process on a free loopback port with its own temporary data dir (by
 * default a copy of a migrated database template), and runs the real CLI against the same data dir.
 * Black-box: nothing here imports the service's code.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { serverBuild } from './server-build.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface LogLine {
  msg?: string;
  [key: string]: unknown;
}

export interface ServerOptions {
  /** Extra environment, on top of the test defaults (test engine, port 0, loopback, temp data dir). */
  env?: Record<string, string>;
  /** Milliseconds to wait for the "listening" line. */
  startTimeoutMs?: number;
  /** Reuse this data dir (a restart) instead of a fresh temporary one. */
  dataDir?: string;
  /**
   * true: start on a truly empty data dir (the server runs initdb and every migration, ~15 s).
   * Default: the fresh data dir gets a copy of the migrated, user-less database template, so the
   * server still creates the admin user and prints its key, but skips initdb.
   */
  emptyDataDir?: boolean;
  /** false: stop parsing stdout once listening (benchmarks: keeps the parent's CPU for the load). */
  keepLogs?: boolean;
  /** Cluster mode only: `ROLE=worker` processes to start with the API (default CLUSTER_WORKERS). */
  workers?: number;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface StartedServer {
  /** Base URL from the "listening" line, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  dataDir: string;
  /** The environment the server (and `cli`) run with. */
  env: Record<string, string>;
  process: ChildProcess;
  /** Every stdout line that parsed as JSON, in order. */
  logs: LogLine[];
  /** Raw stderr, for diagnostics. */
  stderr(): string;
  /** The admin key printed once on the first start (waits briefly for the line). */
  adminKey(): Promise<string>;
  /** Runs the CLI with the server's environment; resolves with the parsed JSON or rejects. */
  cli(args: string[]): Promise<Record<string, unknown>>;
  /**
   * Runs one operator command the way the CLI forwards it to this server (`POST /admin/cli` with
   * the token from DATA_DIR/admin.json), without starting a CLI process: test set-up makes many
   * users, and each CLI process costs a second or more of start-up on a busy 2-core machine.
   */
  admin(command: Record<string, unknown>): Promise<Record<string, unknown>>;
  cliRaw(args: string[]): Promise<CliResult>;
  /** SIGTERM, then waits for exit (SIGKILL after `timeoutMs`); removes the data dir unless `keepData`. */
  stop(options?: { timeoutMs?: number; keepData?: boolean }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the process has exited (however it was stopped). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line (past or future) matching `predicate`. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Cluster mode: the `ROLE=worker` processes of this deployment (empty otherwise). */
  workers: StartedWorker[];
  /** Cluster mode: stops `worker` (if it still runs) and starts a fresh one in its place. */
  replaceWorker(worker: StartedWorker): Promise<StartedWorker>;
}

// Children still running when the test process exits are killed, so a failed test leaks nothing.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Scale-out settings a developer's shell may hold (a test server sets its own in cluster mode). */
const SCALEOUT_VARS = /^(ROLE|DATABASE_URL|REDIS_URL|S3_.*)$/;

/**
 * The embedded database's buffer pool in a test server, MB: a test database holds a few hundred rows,
 * and PGlite's default 128 MB pool costs about 1.5 s of every server's start on this 2-core machine.
 */
const TEST_PG_SHARED_BUFFERS_MB = 16;

/**
 * Node flags of every test server and cluster worker process: the WebAssembly of PGlite (and of the
 * moderation model) runs on V8's baseline compiler only. A test server lives for seconds and runs a
 * few hundred small queries; optimising PGlite's WebAssembly in the background cost about 1.3 s of
 * CPU per server start on this 2-core machine, more than that code ever saves in a test. The flag
 * chooses how V8 compiles, not what the code does: production (`npm start`) keeps V8's defaults.
 */
export const TEST_SERVER_NODE_FLAGS: readonly string[] = Object.freeze(['--liftoff-only']);

/** The environment every test server gets unless a test overrides it. */
export function testEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Settings from the developer's own shell must not leak into a test server.
    if (v !== undefined && !k.startsWith('FITROOM_') && !SCALEOUT_VARS.test(k) && k !== 'PORT' && k !== 'HOST') base[k] = v;
  }
  return {
    ...base,
    PORT: '0',
    HOST: '127.0.0.1',
    FITROOM_DATA_DIR: dataDir,
    FITROOM_ENGINE: 'test',
    LOG_LEVEL: 'info',
    FITROOM_PG_SHARED_BUFFERS_MB: String(TEST_PG_SHARED_BUFFERS_MB),
    // The moderation model loads with a server's first image, not at its start: a test server that
    // never receives one never pays for it (the others still classify every image with the real model).
    FITROOM_MODERATION_PRELOAD: 'false',
    ...extra,
  };
}

/**
 * `npx fitroom ARGS` as it runs after `npm run build`: bin/fitroom.js imports the build's
 * cli/main.js when the build is fresh, and this runs the test build's (./server-build.ts) the same
 * way, with plain node. Through tsx (bin/fitroom.js without a build, as test/conformance/cli.test.ts
 * runs it) each command costs about 0.8 s more CPU on this 2-core machine.
 */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  const entry = join(await serverBuild(), 'cli', 'main.js');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI ${args.join(' ')} did not finish in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      live.delete(child);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Parses the one JSON object a successful CLI command prints; rejects with its error otherwise. */
export async function cliJson(args: string[], env: Record<string, string>): Promise<Record<string, unknown>> {
  const r = await runCli(args, env);
  if (r.code !== 0) {
    throw new Error(`CLI "${args.join(' ')}" exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  const lines = r.stdout.trim().split('\n').filter((l) => l.trim().startsWith('{'));
  if (lines.length === 0) throw new Error(`CLI "${args.join(' ')}" printed no JSON: ${r.stdout}`);
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/**
 * What makes a database template: the migrations and the PGlite build that wrote it. Read as files
 * (not imported), so the template is rebuilt whenever either changes.
 */
function templateDigest(): string {
  const hash = createHash('sha256');
  const migrations = join(REPO_ROOT, 'src/db/migrations');
  for (const file of readdirSync(migrations).sort()) hash.update(file).update(readFileSync(join(migrations, file)));
  hash.update(readFileSync(join(REPO_ROOT, 'node_modules/@electric-sql/pglite/package.json')));
  return hash.digest('hex').slice(0, 16);
}

let template: Promise<string> | null = null;

/**
 * A data dir holding only a migrated database with no users, made once (by the real CLI's
 * `db migrate` on an empty data dir) and shared by every test file of every run through the temp
 * dir. initdb costs ~15 s per database on this machine; copying the template costs well under 1 s.
 */
export function databaseTemplate(): Promise<string> {
  template ??= (async () => {
    const target = join(tmpdir(), `fitroom-test-template-${templateDigest()}`);
    if (existsSync(join(target, 'pg', 'PG_VERSION'))) return target;
    const building = mkdtempSync(join(tmpdir(), 'fitroom-test-template-building-'));
    try {
      const r = await runCli(['db', 'migrate'], testEnv(building));
      if (r.code !== 0) throw new Error(`db migrate for the test template exited ${r.code}: ${r.stderr}`);
      rmSync(join(building, 'db.lock'), { force: true });
      // Complete or absent: another test process may have won the race, then its copy is used.
      try {
        renameSync(building, target);
      } catch (err) {
        if (!existsSync(join(target, 'pg', 'PG_VERSION'))) throw err;
      }
      return target;
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
  })();
  // A failed build is not remembered: the next server tries again.
  template.catch(() => {
    template = null;
  });
  return template;
}

/** A fresh temporary data dir holding a copy of the database template. */
export async function preparedDataDir(): Promise<string> {
  const source = await databaseTemplate();
  const dataDir = mkdtempSync(join(tmpdir(), 'fitroom-test-'));
  cpSync(join(source, 'pg'), join(dataDir, 'pg'), { recursive: true });
  return dataDir;
}

/**
 * A stopped test server's database (DATA_DIR/pg), opened in this process to read what the server
 * wrote, with the test servers' buffer pool: PGlite's default 128 MB pool costs about 0.9 s more CPU
 * per open on this 2-core machine.
 */
export async function openDataDirDatabase(dataDir: string): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create({ dataDir: join(dataDir, 'pg'), startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${TEST_PG_SHARED_BUFFERS_MB}MB`] });
}

/** The CLI's door into a running server (src/api/routes/admin.ts), as the CLI uses it. */
async function adminCommand(dataDir: string, command: Record<string, unknown>): Promise<Record<string, unknown>> {
  const admin = JSON.parse(readFileSync(join(dataDir, 'admin.json'), 'utf8')) as { url: string; token: string };
  const res = await fetch(`${admin.url}/admin/cli`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ command }),
  });
  const body = (await res.json()) as { code: number; msg: string; data?: Record<string, unknown> };
  if (res.status !== 200 || body.code !== 200 || !body.data) throw new Error(`${command.name as string}: ${res.status} ${body.msg}`);
  return body.data;
}

/**
 * Cluster mode (the integration tier, test/integration/cluster-conformance.suite.ts (`npm run test:cluster`)): with
 * FITROOM_TEST_CLUSTER set to the JSON of running PostgreSQL, Redis and S3 servers, every server
 * started here becomes a scale-out deployment: `ROLE=api` on a fresh database, Redis prefix and
 * bucket of its own, plus two `ROLE=worker` processes. A restart on the same data dir keeps them.
 */
const clusterEnvs = new Map<string, Record<string, string>>();

async function clusterEnv(dataDir: string): Promise<Record<string, string> | null> {
  const spec = process.env.FITROOM_TEST_CLUSTER;
  if (!spec) return null;
  const known = clusterEnvs.get(dataDir);
  if (known) return known;
  const { clusterSettings } = await import('./cluster.ts');
  const env = await clusterSettings(spec);
  clusterEnvs.set(dataDir, env);
  return env;
}

export async function startServer(options: ServerOptions = {}): Promise<StartedServer> {
  // In cluster mode the database is PostgreSQL: the data dir holds no PGlite, so no template copy.
  const fresh = options.emptyDataDir || process.env.FITROOM_TEST_CLUSTER;
  const dataDir = options.dataDir ?? (fresh ? mkdtempSync(join(tmpdir(), 'fitroom-test-')) : await preparedDataDir());
  const cluster = await clusterEnv(dataDir);
  const env = testEnv(dataDir, { ...cluster, ...options.env });
  const workers = cluster ? await startWorkers(env, options.workers ?? CLUSTER_WORKERS) : [];
  const child = spawn(process.execPath, [...TEST_SERVER_NODE_FLAGS, join(await serverBuild(), 'main.js'), 'serve'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const logs: LogLine[] = [];
  const waiters: Array<{ predicate: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  let listened = false;
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (listened && options.keepLogs === false) return;
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    logs.push(line);
    for (const w of [...waiters]) {
      if (w.predicate(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      res({ code, signal });
    });
  });

  function waitForLog(predicate: (l: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    const found = logs.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((res, rej) => {
      const w = {
        predicate,
        resolve: (l: LogLine) => {
          clearTimeout(timer);
          res(l);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        rej(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
      }, timeoutMs);
      waiters.push(w);
    });
  }

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  let listening: LogLine;
  try {
    listening = await Promise.race([
      waitForLog((l) => l.msg === 'listening' && typeof l.url === 'string', timeoutMs),
      exited.then((e) => {
        throw new Error(`server exited before listening (code ${e.code}, signal ${e.signal}): ${stderr.slice(-3000)}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    for (const w of workers) w.process.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const url = String(listening.url).replace(/\/$/, '');
  listened = true;

  return {
    url,
    dataDir,
    env,
    process: child,
    logs,
    stderr: () => stderr,
    waitForLog,
    async adminKey() {
      const line = await waitForLog((l) => l.msg === 'admin api key created', 5_000);
      return String(line.apiKey);
    },
    cli: (args) => cliJson(args, env),
    admin: (command) => adminCommand(dataDir, command),
    cliRaw: (args) => runCli(args, env),
    exited,
    workers,
    async replaceWorker(worker) {
      await worker.stop();
      const fresh = await startWorker(env);
      workers.splice(workers.indexOf(worker), 1, fresh);
      return fresh;
    },
    async stop({ timeoutMs: stopTimeoutMs = 20_000, keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      const result = await exited;
      clearTimeout(timer);
      await Promise.all(workers.map((w) => w.stop()));
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
}

/** The shared servers of this process, by their settings. */
const shared = new Map<string, Promise<StartedServer>>();
let keepShared = false;

/**
 * A test server shared by the test files of this process that ask for one with the same settings
 * (`env` of startServer; none: the defaults): the first starts it. For files whose tests make their
 * own users and need no fresh database, no restart and no log line counted across the server: each
 * saves a server start (about 1.4 s of CPU on this 2-core machine, and 0.65 s more for the
 * moderation model's load with its first image). Such a file calls releaseSharedServers() in its
 * after(). `npm test` runs the files that use one in one process (test/helpers/test-files.mjs), which
 * calls keepSharedServers() first and stopSharedServers() after the last file; a file run on its own
 * (or by `npm run test:cluster`) stops its server in its after(), as it would a server of its own.
 */
export function sharedServer(settings: Record<string, string> = {}): Promise<StartedServer> {
  const key = JSON.stringify(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  let server = shared.get(key);
  if (!server) {
    const starting = startServer({ env: settings });
    // A failed start is not remembered: the next file tries again.
    starting.catch(() => {
      if (shared.get(key) === starting) shared.delete(key);
    });
    shared.set(key, starting);
    server = starting;
  }
  return server;
}

/** The shared servers stay up from one file to the next until stopSharedServers(). */
export function keepSharedServers(): void {
  keepShared = true;
}

/** A file's after(): stops the shared servers unless the process keeps them for the files after it. */
export async function releaseSharedServers(): Promise<void> {
  if (!keepShared) await stopSharedServers();
}

/** Stops the shared servers this process started: each must exit 0 after SIGTERM. */
export async function stopSharedServers(): Promise<void> {
  const starting = [...shared.values()];
  shared.clear();
  const servers = (await Promise.all(starting.map((s) => s.catch(() => null)))).filter((s) => s !== null);
  const exits = await Promise.all(servers.map((s) => s.stop()));
  for (const exit of exits) assert.equal(exit.code, 0, `shared server exit after SIGTERM: ${JSON.stringify(exit)}`);
}

export interface StartedWorker {
  url: string;
  process: ChildProcess;
  logs: LogLine[];
  stop(): Promise<void>;
}

/** One `ROLE=worker` process with the API's settings; resolves once it listens (engine loaded). */
export async function startWorker(apiEnv: Record<string, string>, timeoutMs = 180_000): Promise<StartedWorker> {
  const child = spawn(process.execPath, [...TEST_SERVER_NODE_FLAGS, join(await serverBuild(), 'main.js'), 'serve'], {
    cwd: REPO_ROOT,
    // One engine thread per worker process, as in production on a 2-core machine.
    env: { ...apiEnv, ROLE: 'worker', PORT: '0', FITROOM_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const logs: LogLine[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((res) => child.on('exit', () => {
    live.delete(child);
    res();
  }));
  const listening = await new Promise<LogLine>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`worker did not listen within ${timeoutMs} ms: ${stderr.slice(-2000)}`)), timeoutMs);
    void exited.then(() => rej(new Error(`worker exited before listening: ${stderr.slice(-3000)}`)));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      try {
        const line = JSON.parse(text) as LogLine;
        logs.push(line);
        if (line.msg === 'listening') {
          clearTimeout(timer);
          res(line);
        }
      } catch {
        // not a log line
      }
    });
  });
  return {
    url: String(listening.url),
    process: child,
    logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Workers per test server in cluster mode: two, so a job can move from one to the other. */
const CLUSTER_WORKERS = 2;

function startWorkers(env: Record<string, string>, count: number): Promise<StartedWorker[]> {
  return Promise.all(Array.from({ length: count }, () => startWorker(env)));
}

/** A user with an API key (and its signing secret when asked), made through the CLI. */
export interface TestUser {
  email: string;
  userId: string;
  keyId: string;
  apiKey: string;
  signingSecret: string | null;
}

let userCounter = 0;

/**
 * What `fitroom users add EMAIL [--credits N]` then `fitroom keys add EMAIL [--signing]` do, sent
 * straight to the server's admin door (test/conformance/cli.test.ts runs the real CLI both ways).
 */
export async function createUser(
  server: StartedServer,
  options: { credits?: number; signing?: boolean; email?: string } = {},
): Promise<TestUser> {
  userCounter += 1;
  const email = options.email ?? `user${userCounter}-${process.pid}@example.test`;
  const user = await server.admin({ name: 'users add', email, credits: options.credits ?? 0 });
  const key = await server.admin({ name: 'keys add', email, signing: options.signing === true });
  return {
    email,
    userId: String(user.id),
    keyId: String(key.id),
    apiKey: String(key.apiKey),
    signingSecret: key.signingSecret === null || key.signingSecret === undefined ? null : String(key.signingSecret),
  };
}

export interface UserState {
  id: string;
  email: string;
  status: string;
  credits: number;
  /** Credits held by calls in flight. */
  reserved: number;
  trialRemaining: number;
  ledgerSum: number;
}

/** What `fitroom users show EMAIL` prints, through the server's admin door. */
export async function showUser(server: StartedServer, email: string): Promise<UserState> {
  return (await server.admin({ name: 'users show', email })) as unknown as UserState;
}
