/**
 * Real PostgreSQL, Redis and S3 servers for the integration tier, started as child processes on
 * 127.0.0.1 on free ports with temporary data dirs, and stopped (data removed) afterwards. No
 * mocks: PostgreSQL and Redis are Debian's binaries (`apt-get install postgresql redis-server`),
 * the S3 server is `s3rver` from npm (a dev dependency).
 *
 * `missingBinaries()` says what is absent, so a test can skip with that reason on a developer's
 * machine; CI installs the packages and sets FITROOM_REQUIRE_INTEGRATION=1, which turns a skip into
 * a failure (the tier must run there).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long a server may take to accept connections after it was started (a loaded 2-core CI machine), ms. */
const SERVER_START_TIMEOUT_MS = 120_000;
const POLL_INTERVAL_MS = 50;

function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
}

/** What this machine lacks for the integration tier (empty when it can run). */
export function missingBinaries(): string[] {
  const missing: string[] = [];
  if (!postgresBinDir()) missing.push('postgresql (initdb, postgres under /usr/lib/postgresql/*/bin)');
  if (!onPath('redis-server')) missing.push('redis-server');
  return missing;
}

/** The skip reason for node:test, or false when the tier can run; throws when CI requires it. */
export function integrationSkip(): string | false {
  const missing = missingBinaries();
  if (missing.length === 0) return false;
  const reason = `integration tier skipped: missing ${missing.join(', ')} (Debian: apt-get install postgresql redis-server)`;
  if (process.env.FITROOM_REQUIRE_INTEGRATION === '1') throw new Error(`${reason}; FITROOM_REQUIRE_INTEGRATION=1 requires it`);
  return reason;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, name: string, log: () => string): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${name} did not listen on 127.0.0.1:${port} within ${SERVER_START_TIMEOUT_MS} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

// Servers still running when the test process exits are killed, so a failed test leaks nothing.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function track(child: ChildProcess): () => string {
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

export interface RunningPostgres {
  /** postgres://fitroom@127.0.0.1:PORT/postgres (trust authentication on loopback). */
  url: string;
  /** The URL of another database on the same server. */
  urlFor(database: string): string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * initdb refuses to run as root, and so does postgres: as root, the data dir is given to the
 * `postgres` system user (created by Debian's package) and both run as that user via runuser.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin');
  const dir = mkdtempSync(join(tmpdir(), 'fitroom-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);
  if (asRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres']).stdout.toString()), Number(spawnSync('id', ['-g', 'postgres']).stdout.toString()));
  const data = join(dir, 'data');
  const [initCmd, initArgs] = run(join(bin, 'initdb'), ['-D', data, '-U', 'fitroom', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  // Durability off: a throw-away test server (crash safety is not what these tests check).
  const [cmd, args] = run(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = track(child);
  await waitForPort(port, child, 'postgres', log);
  const urlFor = (database: string) => `postgres://fitroom@127.0.0.1:${port}/${database}`;
  const { default: pg } = await import('pg');
  // Accepting TCP comes a moment before accepting logins: retry the first query briefly.
  const query = async (sql: string) => {
    const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
    for (;;) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      try {
        await client.connect();
        await client.query(sql);
        return;
      } catch (err) {
        if (Date.now() > deadline || !/starting up|ECONNREFUSED/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
      } finally {
        await client.end().catch(() => {});
      }
    }
  };
  await query('SELECT 1');
  return {
    url: urlFor('postgres'),
    urlFor,
    async createDatabase(name) {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await query(`CREATE DATABASE ${name}`);
      return urlFor(name);
    },
    async stop() {
      // SIGINT to the postmaster itself (runuser does not pass it on): PostgreSQL's fast shutdown,
      // which disconnects clients instead of waiting for them.
      try {
        process.kill(Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGINT');
      } catch {
        // already gone
      }
      await stopChild(child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'fitroom-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = track(child);
  await waitForPort(port, child, 'redis-server', log);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Creates a bucket (s3rver accepts any name the S3 rules allow). */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** s3rver's fixed key pair (it accepts only this one). */
const S3RVER_KEY = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** s3rver as a child process (its own event loop, like a real store), on a free loopback port. */
export async function startS3(): Promise<RunningS3> {
  const dir = mkdtempSync(join(tmpdir(), 'fitroom-s3-'));
  const port = await freePort();
  const script = `
    const S3rver = require('s3rver');
    new S3rver({ port: ${port}, address: '127.0.0.1', directory: ${JSON.stringify(dir)}, silent: true }).run().catch((e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = track(child);
  await waitForPort(port, child, 's3rver', log);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    ...S3RVER_KEY,
    region: 'us-east-1',
    async createBucket(name) {
      const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
      const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_KEY });
      await client.send(new CreateBucketCommand({ Bucket: name }));
      client.destroy();
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RealServers {
  pg: RunningPostgres;
  redis: RunningRedis;
  s3: RunningS3;
  stop(): Promise<void>;
}

/** All three servers; if one fails to start, the others are stopped (no child left holding the test process open). */
export async function startAllServers(): Promise<RealServers> {
  const started = await Promise.allSettled([startPostgres(), startRedis(), startS3()] as const);
  const [pg, redis, s3] = started;
  if (pg.status === 'fulfilled' && redis.status === 'fulfilled' && s3.status === 'fulfilled') {
    return {
      pg: pg.value,
      redis: redis.value,
      s3: s3.value,
      stop: async () => {
        await Promise.all([pg.value.stop(), redis.value.stop(), s3.value.stop()]);
      },
    };
  }
  await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
  throw (started.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
}
