/**
 * Loaded by `npm test` before the test runner (`--import`): points TMPDIR at a directory in memory
 * (/dev/shm, tmpfs) when there is one with room, so every temporary file of the run (each test
 * server's data dir with its copy of the database template, the template itself, PostgreSQL's and
 * Redis's data dirs, the files tests write) lives in memory. The test runner passes the
 * environment on to every test file's process, and they pass it on to the servers they start.
 * On this 2-core machine copying the 39 MB database template into a fresh data dir costs about
 * 1.1 s of CPU (kernel time) on the ext4 disk and under 0.1 s on tmpfs, and `npm test` makes over
 * 50 of them. The servers, databases and files are the same; only where the bytes are kept changes.
 * A TMPDIR set by the caller is kept; without a /dev/shm with FREE_BYTES free, the usual temp dir.
 * Plain JavaScript: worker threads of the test processes inherit the `--import` and load it before
 * any TypeScript loader of theirs is in place.
 */
import { chmodSync, mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

/** Least free space on /dev/shm to use it: a run holds a few hundred MB at once (two files' servers, templates). */
const FREE_BYTES = 2 * 1024 ** 3;

/** @returns {string | null} */
function memoryTempDir() {
  if (process.env.TMPDIR || process.platform !== 'linux') return null;
  try {
    const fs = statfsSync('/dev/shm');
    // tmpfs's magic number: a /dev/shm that is a plain directory on disk brings nothing.
    if (fs.type !== 0x01021994 || fs.bavail * fs.bsize < FREE_BYTES) return null;
    const dir = join('/dev/shm', `fitroom-tests-${process.getuid?.() ?? 0}`);
    mkdirSync(dir, { recursive: true });
    // Like /tmp: the integration tier gives PostgreSQL's data dir to the postgres user when run as root.
    chmodSync(dir, 0o1777);
    return dir;
  } catch {
    return null;
  }
}

const dir = memoryTempDir();
if (dir) process.env.TMPDIR = dir;
