/**
 * `npm run clients:generate`: starts the service (test engine, a temporary data dir, a free
 * loopback port), reads its OpenAPI document from `GET /docs/json`, and writes
 * clients/openapi.json, the TypeScript client's types and the Python client's generated module.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pythonModule, typescriptTypes, type OpenApiDocument } from './codegen.ts';

const CLIENTS = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(CLIENTS, '..');

/** The first start runs initdb (~15 s on a busy 2-core machine). */
const START_TIMEOUT_MS = 120_000;

async function fetchDocument(): Promise<OpenApiDocument> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fitroom-clients-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', FITROOM_DATA_DIR: dataDir, FITROOM_ENGINE: 'test', FITROOM_WORKERS: '1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error('the server did not start')), START_TIMEOUT_MS);
      child.on('exit', (code) => rej(new Error(`the server exited (${code})`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const parsed = JSON.parse(line) as { msg?: string; url?: string };
          if (parsed.msg === 'listening' && parsed.url) {
            clearTimeout(timer);
            res(parsed.url);
          }
        } catch {
          // not a log line
        }
      });
    });
    return (await (await fetch(`${url}/docs/json`)).json()) as OpenApiDocument;
  } finally {
    child.kill('SIGTERM');
    await new Promise((res) => child.once('exit', res));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const doc = await fetchDocument();
writeFileSync(join(CLIENTS, 'openapi.json'), `${JSON.stringify(doc, null, 2)}\n`);
writeFileSync(join(CLIENTS, 'typescript/schema.d.ts'), await typescriptTypes(doc));
writeFileSync(join(CLIENTS, 'python/fitroom_client/_generated.py'), pythonModule(doc));
process.stdout.write(`${JSON.stringify({ written: ['clients/openapi.json', 'clients/typescript/schema.d.ts', 'clients/python/fitroom_client/_generated.py'] })}\n`);
