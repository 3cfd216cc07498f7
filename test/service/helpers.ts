/**
 * Shared set-up for the service tests: an in-memory PGlite per caller. initdb takes seconds on this
 * machine, so the first call of a run dumps a fresh database to the temp dir (keyed by what made it:
 * the PGlite build, and the migrations for a migrated one) and later calls, in any test process,
 * load that dump.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Database } from '../../src/db/database.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { openPgliteDatabase, type PgliteOptions } from '../../src/db/pglite.ts';

/**
 * The buffer pool of a test database, MB: a few hundred rows need little, and PGlite's default
 * 128 MB costs over a second of every open on this 2-core machine (test/helpers/server.ts does the same).
 */
const TEST_SHARED_BUFFERS_MB = 16;

const PGLITE_PACKAGE = fileURLToPath(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url));

/**
 * A database opened from the dump named by `digest`, made by `prepare` on a fresh (initdb) database
 * when the dump is absent or unreadable, and then written for the next caller.
 */
async function openFromDump(kind: string, digest: string, prepare: (db: Database) => Promise<unknown>, options: Omit<PgliteOptions, 'loadDataDir'>): Promise<Database> {
  const dumpFile = path.join(os.tmpdir(), `fitroom-test-pg-${kind}-${digest}.tar`);
  if (fs.existsSync(dumpFile)) {
    try {
      const db = await openPgliteDatabase(undefined, { ...options, loadDataDir: new Blob([fs.readFileSync(dumpFile)]) });
      await prepare(db);
      return db;
    } catch {
      fs.rmSync(dumpFile, { force: true });
    }
  }
  const db = await openPgliteDatabase(undefined, options);
  await prepare(db);
  const dump = await db.dump();
  // Written whole under a name of this process, then renamed: a reader never sees half a dump.
  const tmp = `${dumpFile}.${process.pid}`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, dumpFile);
  return db;
}

function digestOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** A migrated in-memory database with no rows (the service tests' own). */
export async function openTestDatabase(): Promise<Database> {
  const digest = digestOf(fs.readFileSync(PGLITE_PACKAGE, 'utf8'), ...listMigrations().map((m) => m.sql));
  return openFromDump('migrated', digest, migrate, { sharedBuffersMb: TEST_SHARED_BUFFERS_MB });
}

/**
 * An in-memory database as initdb leaves it, no migration applied (the migration tests' own);
 * `options` as for `openPgliteDatabase` (default: PGlite's own buffer pool).
 */
export async function openEmptyTestDatabase(options: Omit<PgliteOptions, 'loadDataDir'> = {}): Promise<Database> {
  return openFromDump('empty', digestOf(fs.readFileSync(PGLITE_PACKAGE, 'utf8')), async () => undefined, options);
}

/** A small synthetic photo: vertical colour gradient with a darker block, PNG or JPEG bytes. */
export async function syntheticImage(width: number, height: number, options: { seed?: number; format?: 'png' | 'jpeg'; flat?: boolean } = {}): Promise<Buffer> {
  const seed = options.seed ?? 1;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (options.flat) {
        data[i] = 120;
        data[i + 1] = 130;
        data[i + 2] = 140;
        continue;
      }
      const inBlock = x > width / 4 && x < (3 * width) / 4 && y > height / 4 && y < (3 * height) / 4;
      data[i] = (x * 7 + seed * 40) & 255;
      data[i + 1] = (y * 3 + seed * 13) & 255;
      data[i + 2] = inBlock ? 30 : 200;
    }
  }
  const img = sharp(data, { raw: { width, height, channels: 3 } });
  return options.format === 'jpeg' ? img.jpeg({ quality: 92 }).toBuffer() : img.png().toBuffer();
}

export interface TestPart {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body built byte by byte (so tests can sign exactly what is sent). */
export function multipartBody(parts: TestPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----fitroomservice${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType !== undefined) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
