/**
 * One process per data directory: PGlite has no locking of its own, and two processes writing one
 * data dir corrupt it. The process that opens the database holds `DATA_DIR/db.lock` (created
 * exclusively, holding its pid); a lock whose pid is gone is stale and taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the lock, or null when it is free (stale locks count as free). */
export function lockHolder(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'db.lock'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the lock, or returns null when a live process holds it. */
export function tryLockDataDir(dataDir: string): DataDirLock | null {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'db.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return {
        release() {
          try {
            if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockHolder(dataDir) !== null) return null;
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  return null;
}

export class DataDirBusyError extends Error {
  constructor(dataDir: string) {
    super(`data dir ${dataDir} is in use by process ${lockHolder(dataDir) ?? '?'} (one process per data dir)`);
    this.name = 'DataDirBusyError';
  }
}

/** Takes the lock, waiting up to `waitMs` for another process (e.g. a short CLI command) to let go. */
export async function lockDataDir(dataDir: string, waitMs: number): Promise<DataDirLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = tryLockDataDir(dataDir);
    if (lock) return lock;
    if (Date.now() >= deadline) {
      throw new DataDirBusyError(dataDir);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
