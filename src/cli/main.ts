/**
 * `npx fitroom <command>` (bin/fitroom.js) = `node --import tsx src/cli/main.ts <command>`.
 * Every command prints one JSON object on stdout and exits 0, or `{"error": "..."}` on stderr and
 * exits 1. With a server running on the same data dir the command goes to that server (PGlite
 * allows one process per data dir); otherwise the CLI opens the database itself.
 *
 * Start-up time is the CLI's user interface: a module is imported only by the command that needs
 * it (`help` loads the command table only; the server, PGlite and sharp load only on their paths).
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import type { Config } from '../config/index.ts';
import { DataDirBusyError, lockHolder } from '../db/lock.ts';
import { ADMIN_CLI_PATH } from '../api/routes/admin.ts';
import { adminFilePath, type AdminFile } from './admin-file.ts';
import { commandErrorMessage, executeCommand, parseCommand, USAGE, type CliCommand } from './commands.ts';

class CliFailure extends Error {}

/**
 * The embedded database's buffer pool for one command, MB: a command reads and writes a few pages,
 * and a smaller pool starts faster (src/db/pglite.ts). A server on the data dir keeps the default.
 */
const COMMAND_SHARED_BUFFERS_MB = 8;

/**
 * V8 flag for a command's process: compile WebAssembly with the baseline compiler only. PGlite's
 * module is 9 MB; a command runs a handful of statements, never long enough to gain from V8's
 * optimising tier, whose background compiles cost ~0.3 s of CPU on a start (measured: PGlite's
 * start 0.85 -> 0.6 s). Set only on this path: a server (`serve`) keeps optimised code.
 */
const COMMAND_V8_FLAGS = '--liftoff-only';

/** Sends the command to a running server; null when no server answers on this data dir. */
async function forward(config: Config, command: CliCommand): Promise<Record<string, unknown> | null> {
  let admin: AdminFile;
  try {
    admin = JSON.parse(fs.readFileSync(adminFilePath(config.dataDir), 'utf8')) as AdminFile;
  } catch {
    return null;
  }
  let res: Response;
  try {
    res = await fetch(admin.url + ADMIN_CLI_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch {
    // Nothing listens there: the file is left over from a server that died.
    return null;
  }
  const body = (await res.json().catch(() => ({}))) as { code?: number; msg?: string; data?: Record<string, unknown> };
  if (res.ok && body.code === 200 && body.data) return body.data;
  if (res.status === 401 && body.code === 30001) {
    // A stale file whose port now belongs to another server: not ours to talk to.
    return null;
  }
  throw new CliFailure((body.msg ?? `server answered ${res.status}`).replace(/^[A-Z_]+: /, ''));
}

async function runLocally(config: Config, command: CliCommand): Promise<Record<string, unknown>> {
  v8.setFlagsFromString(COMMAND_V8_FLAGS);
  const [{ openDatabase }, { createServices }, { openObjectStore, publicUrlsFor }] = await Promise.all([
    import('../db/index.ts'),
    import('../domain/services.ts'),
    import('../storage/index.ts'),
  ]);
  const db = await openDatabase({ dataDir: config.dataDir, waitMs: 0, databaseUrl: config.scaleout.databaseUrl, sharedBuffersMb: COMMAND_SHARED_BUFFERS_MB });
  const store = await openObjectStore(config);
  try {
    return await executeCommand(command, createServices({ config, db, store, urls: publicUrlsFor(config) }));
  } finally {
    store.close?.();
    await db.close();
  }
}

/**
 * To the running server if there is one; else locally. While another process holds the data dir
 * without answering (a server still starting, another CLI command), wait for it.
 */
async function runCommand(config: Config, command: CliCommand): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const forwarded = await forward(config, command);
    if (forwarded) return forwarded;
    if (lockHolder(config.dataDir) === null) {
      try {
        return await runLocally(config, command);
      } catch (err) {
        if (!(err instanceof DataDirBusyError)) throw err;
      }
    }
    if (Date.now() > deadline) throw new CliFailure(`data dir ${config.dataDir} is busy and no server answers there`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs argv; resolves with the exit code, or -1 for `serve` (the process keeps running). */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'serve' && argv.length === 1) {
    const { serve } = await import('../main.ts');
    await serve();
    return -1;
  }
  if (argv.length === 1 && (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (argv[0] === 'serve') throw new Error('serve takes no arguments (settings are environment variables)');
    const command = parseCommand(argv, (file) => fs.readFileSync(file));
    const { loadConfig, ConfigError } = await import('../config/index.ts');
    let config: Config;
    try {
      config = loadConfig();
    } catch (err) {
      throw err instanceof ConfigError ? new CliFailure(err.message) : err;
    }
    const result = await runCommand(config, command);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${JSON.stringify({ error: commandErrorMessage(err) })}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
