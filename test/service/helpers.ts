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
