/**
 * Real third-party clients, run as separate processes: Debian's `curl` binary and Python's
 * `requests` (Debian's python3-requests). They send multipart bodies the way users' code does,
 * quirks included, which is what the conformance suite must prove the service accepts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ClientResult {
  status: number;
  requestId: string;
  json: Record<string, unknown> | undefined;
  body: string;
}

const MARK = '\n--fitroom-test-status--';

/**
 * Runs `curl --location URL --header ... --form ...` (no shell: each `form` is one argument exactly
 * as a user would quote it, e.g. `garmentImg=@"g.jpg"` or `category="dresses"`).
 */
export function curlForm(
  url: string,
  options: { headers?: string[]; forms: string[]; cwd?: string; extraArgs?: string[] },
): Promise<ClientResult> {
  const args = ['--silent', '--show-error', '--max-time', '120', '--location', url];
  for (const h of options.headers ?? []) args.push('--header', h);
  for (const f of options.forms) args.push('--form', f);
  args.push(...(options.extraArgs ?? []));
  args.push('--write-out', `${MARK}%{http_code} %header{x-request-id}`);
  return new Promise((resolve, reject) => {
    execFile('curl', args, { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`curl failed: ${err.message} ${stderr}`));
        return;
      }
      const at = stdout.lastIndexOf(MARK);
      const body = stdout.slice(0, at);
      const [status, requestId = ''] = stdout.slice(at + MARK.length).split(' ');
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ status: Number(status), requestId: requestId.trim(), json, body });
    });
  });
}

/** The first Python 3 that can `import requests` (Debian's python3-requests first), or null. */
export function findPythonWithRequests(): string | null {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(candidate, ['-c', 'import requests'], { stdio: 'ignore' });
    if (r.status === 0) return candidate;
  }
  return null;
}

export const PYTHON_CLIENT = fileURLToPath(new URL('../conformance/fixtures/requests_client.py', import.meta.url));

export interface PythonCall {
  url: string;
  apiKey: string;
  /** Sent as `files={name: value}` strings: each becomes a file part named after the field. */
  fields: Record<string, string>;
  /** Sent as `files={name: open(path, 'rb')}`. */
  filePaths?: Record<string, string>;
}

export interface PythonOutcome {
  /** True when raise_for_status() did not raise. */
  ok: boolean;
  status: number;
  code: number;
  msg: string;
  data?: Record<string, unknown>;
}

export function runPythonClient(python: string, call: PythonCall): Promise<PythonOutcome> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, [PYTHON_CLIENT], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`python client failed: ${err.message} ${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout) as PythonOutcome);
    });
    child.stdin!.end(JSON.stringify(call));
  });
}
