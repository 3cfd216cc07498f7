/**
 * Shared set-up for the service tests: a migrated in-memory PGlite per caller. initdb takes seconds
 * on this machine, so the first call of a run dumps a freshly migrated database to the temp dir
 * (keyed by the migrations' content) and later calls load that dump.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Database } from '../../src/db/database.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { openPgliteDatabase } from '../../src/db/pglite.ts';

export async function openTestDatabase(): Promise<Database> {
  const digest = createHash('sha256').update(listMigrations().map((m) => m.sql).join('\n')).digest('hex').slice(0, 16);
  const dumpFile = path.join(os.tmpdir(), `fitroom-test-pg-${digest}.tar`);
  if (fs.existsSync(dumpFile)) {
    try {
      const db = await openPgliteDatabase(undefined, { loadDataDir: new Blob([fs.readFileSync(dumpFile)]) });
      await migrate(db);
      return db;
    } catch {
      fs.rmSync(dumpFile, { force: true });
    }
  }
  const db = await openPgliteDatabase(undefined);
  await migrate(db);
  const dump = await db.dump();
  const tmp = `${dumpFile}.${process.pid}`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, dumpFile);
  return db;
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
