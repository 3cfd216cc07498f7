/**
 * The release build as an operator runs it: `npm start` compiles src/ to dist/ (prestart: tsc) and
 * runs `node dist/main.js serve` — plain JavaScript, no tsx loader — as the process that receives
 * signals: SIGTERM to the `npm start` process stops the server and frees its port. `npx fitroom`
 * runs the CLI from that build while it is fresh (bin/cli-entry.js).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { freshBuiltCli } from '../../bin/cli-entry.js';
import { listMigrations } from '../../src/db/migrate.ts';
import { preparedDataDir, REPO_ROOT, testEnv } from '../helpers/server.ts';

/** The build (tsc over src/) plus start-up, on a busy 2-core machine, ms. */
const START_TIMEOUT_MS = 240_000;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The command line of a process and of its children (Linux /proc). */
function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

test('npm start builds dist/, serves from plain node, and SIGTERM to npm stops the server and frees the port', { timeout: START_TIMEOUT_MS + 60_000 }, async () => {
  const dataDir = await preparedDataDir();
  const npm = spawn('npm', ['start'], { cwd: REPO_ROOT, env: testEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  npm.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-5000)));
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
  try {
    const listening = await new Promise<{ url: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen in time: ${stderr}`)), START_TIMEOUT_MS);
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before listening: ${stderr}`)));
      createInterface({ input: npm.stdout }).on('line', (text) => {
        if (!text.startsWith('{')) return;
        const line = JSON.parse(text) as { msg?: string; url?: string };
        if (line.msg === 'listening' && line.url) {
          clearTimeout(timer);
          resolve({ url: line.url });
        }
      });
    });
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'main.js')), 'the build wrote dist/main.js');
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'db', 'migrations', '001_initial.sql')), 'migrations are copied next to the built code');
    const res = await fetch(`${listening.url}/healthz`);
    assert.equal(res.status, 200);
    // The server is node running dist/main.js directly under npm (exec: no shell in between), without tsx.
    const [server] = childPids(npm.pid!);
    assert.ok(server, 'npm has a child process');
    const argv = readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0').filter(Boolean);
    assert.match(argv[0], /node$/);
    assert.deepEqual(argv.slice(1), ['dist/main.js', 'serve']);
    // Two malloc arenas (package.json's start script): glibc's default, eight per core, let the
    // engine workers' freed pixel buffers stay mapped in as many arenas.
    const environ = readFileSync(`/proc/${server}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes('MALLOC_ARENA_MAX=2'), 'the server runs with MALLOC_ARENA_MAX=2');
    const port = Number(new URL(listening.url).port);
    npm.kill('SIGTERM');
    const code = await exited;
    assert.equal(code, 0, `npm start exits cleanly after SIGTERM: ${stderr}`);
    assert.equal(await portOpen(port), false, 'the port is free once npm start has exited');
    assert.throws(() => process.kill(server, 0), 'the server process is gone');
  } finally {
    npm.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Prints the URL of every module a process loads (file: URLs) on stderr, one per line, as `loaded URL`. */
const LOAD_TRACER = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
export async function load(url, context, next) {
  if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\\\n');
  return next(url, context);
}\`));
`)}`;

test('npx fitroom runs the built CLI from dist/ with plain node (no tsx) when the build is fresh', { timeout: START_TIMEOUT_MS }, async () => {
  // Normally built by the test above (npm start); built here when this test runs alone or src/ changed since.
  if (freshBuiltCli(REPO_ROOT) === null) execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'ignore' });
  assert.ok(freshBuiltCli(REPO_ROOT), 'npm run build leaves a fresh build');
  const dataDir = await preparedDataDir();
  try {
    const r = spawnSync(process.execPath, ['--import', LOAD_TRACER, 'bin/fitroom.js', 'db', 'migrate'], { cwd: REPO_ROOT, env: testEnv(dataDir), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { schemaVersion: listMigrations().length });
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice('loaded '.length));
    assert.ok(loaded.includes(pathToFileURL(join(REPO_ROOT, 'dist', 'cli', 'main.js')).href), 'the built CLI ran');
    assert.deepEqual(loaded.filter((u) => u.endsWith('.ts') || u.includes('/node_modules/tsx/')), [], 'no TypeScript and no tsx loaded');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
