/**
 * The release build as an operator runs it: `npm start` compiles src/ to dist/ (prestart: tsc) and
 * runs `node dist/main.js serve` — plain JavaScript, no tsx loader — as the process that receives
 * signals: SIGTERM to the `npm start` process stops the server and frees its port.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
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
