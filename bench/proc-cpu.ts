/**
 * CPU time of this benchmark's process tree, by role, from /proc (Linux): what each process the
 * bench started (API node, workers, PostgreSQL, Redis, the S3 server) and the bench's own load
 * generator spent between two snapshots. Where the CPU of a throughput phase went, per call.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcEntry {
  ppid: number;
  /** utime + stime, seconds. */
  cpu: number;
  comm: string;
}

function readProc(pid: number): ProcEntry | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // exited meanwhile
  }
  // comm is in parentheses and may hold spaces; the fields after it are space-separated.
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  // After comm: state(0) ppid(1) ... utime(11) stime(12).
  return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, comm };
}

/** Names a process of the tree; `roles` maps known pids (API node, workers) to their role. */
function roleOf(pid: number, entry: ProcEntry, roles: ReadonlyMap<number, string>): string {
  const known = roles.get(pid);
  if (known) return known;
  if (entry.comm.startsWith('redis-server')) return 'redis';
  if (entry.comm === 'postgres') return 'postgresql';
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // exited meanwhile
  }
  if (cmdline.includes('S3rver')) return 's3';
  return 'other';
}

/** CPU seconds by role now, over every descendant of this process, and this process as `bench client`. */
export function cpuByRole(roles: ReadonlyMap<number, string>): Map<string, number> {
  const entries = new Map<number, ProcEntry>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProc(Number(name));
    if (entry) entries.set(Number(name), entry);
  }
  const mine = new Set<number>([process.pid]);
  // Parents appear before children often but not always: repeat until nothing is added.
  for (let added = true; added; ) {
    added = false;
    for (const [pid, entry] of entries) {
      if (!mine.has(pid) && mine.has(entry.ppid)) {
        mine.add(pid);
        added = true;
      }
    }
  }
  const totals = new Map<string, number>();
  for (const pid of mine) {
    const entry = entries.get(pid);
    if (!entry) continue;
    const role = pid === process.pid ? 'bench client' : roleOf(pid, entry, roles);
    totals.set(role, (totals.get(role) ?? 0) + entry.cpu);
  }
  return totals;
}

/** CPU milliseconds per call by role between two snapshots of `cpuByRole`, and their sum. */
export function cpuMsPerCall(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>, calls: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [role, seconds] of after) {
    const spent = seconds - (before.get(role) ?? 0);
    if (spent <= 0) continue;
    out[role] = Math.round((spent * 1000) / calls);
    total += spent;
  }
  out.total = Math.round((total * 1000) / calls);
  return out;
}
