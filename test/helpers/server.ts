/**
 * Starts the real service as a user would (`node --import tsx src/main.ts serve`) in a child
 * process on a free loopback port with its own temporary data dir, and runs the real CLI against
 * the same data dir. Black-box: nothing here imports the service's code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

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
  /** false: stop parsing stdout once listening (benchmarks: keeps the parent's CPU for the load). */
  keepLogs?: boolean;
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
  cliRaw(args: string[]): Promise<CliResult>;
  /** SIGTERM, then waits for exit (SIGKILL after `timeoutMs`); removes the data dir unless `keepData`. */
  stop(options?: { timeoutMs?: number; keepData?: boolean }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the process has exited (however it was stopped). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line (past or future) matching `predicate`. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

// Children still running when the test process exits are killed, so a failed test leaks nothing.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** The environment every test server gets unless a test overrides it. */
export function testEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Settings from the developer's own shell must not leak into a test server.
    if (v !== undefined && !k.startsWith('FITROOM_') && k !== 'PORT' && k !== 'HOST') base[k] = v;
  }
  return {
    ...base,
    PORT: '0',
    HOST: '127.0.0.1',
    FITROOM_DATA_DIR: dataDir,
    FITROOM_ENGINE: 'test',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
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

export async function startServer(options: ServerOptions = {}): Promise<StartedServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fitroom-test-'));
  const env = testEnv(dataDir, options.env);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
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
    cliRaw: (args) => runCli(args, env),
    exited,
    async stop({ timeoutMs: stopTimeoutMs = 20_000, keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      const result = await exited;
      clearTimeout(timer);
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
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

/** `users add EMAIL [--credits N]` then `keys add EMAIL [--signing]`. */
export async function createUser(
  server: StartedServer,
  options: { credits?: number; signing?: boolean; email?: string } = {},
): Promise<TestUser> {
  userCounter += 1;
  const email = options.email ?? `user${userCounter}-${process.pid}@example.test`;
  const addArgs = ['users', 'add', email];
  if (options.credits !== undefined) addArgs.push('--credits', String(options.credits));
  const user = await server.cli(addArgs);
  const keyArgs = ['keys', 'add', email];
  if (options.signing) keyArgs.push('--signing');
  const key = await server.cli(keyArgs);
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
  trialRemaining: number;
  ledgerSum: number;
}

export async function showUser(server: StartedServer, email: string): Promise<UserState> {
  return (await server.cli(['users', 'show', email])) as unknown as UserState;
}
