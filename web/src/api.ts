/** The dashboard's calls to its server: session routes under /dashboard/api, JSON, the contract's envelope. */

export interface SessionUser {
  id: string;
  email: string;
  isAdmin: boolean;
  balance: number;
  reserved: number;
  trialRemaining: number;
  everHeldCredits: boolean;
}

export interface SessionInfo {
  user: SessionUser | null;
  csrfToken: string | null;
  signup: 'open' | 'invite' | 'closed';
  costs: { tryon: number; prompt: number };
  apiBase: string;
  paths: { tryon: string; prompt: string };
  /** The async job routes the studio runs its calls through (POST, then follow the job). */
  jobPaths: { tryon: string; prompt: string };
}

/** A refused call: the contract's code and message (e.g. 10001 NOT_LOGIN: ...). */
export class ApiFailure extends Error {
  readonly code: number;
  readonly status: number;
  constructor(code: number, status: number, msg: string) {
    super(msg);
    this.code = code;
    this.status = status;
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function readEnvelope<T>(response: Response): Promise<T> {
  let body: { code?: number; msg?: string; data?: T } = {};
  try {
    body = await response.json();
  } catch {
    throw new ApiFailure(500, response.status, `SERVER_ERROR: the server answered ${response.status} without a JSON body`);
  }
  if (!response.ok || body.code !== 200) throw new ApiFailure(body.code ?? 500, response.status, body.msg ?? `HTTP ${response.status}`);
  return body.data as T;
}

export async function api<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/dashboard/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  return readEnvelope<T>(response);
}

export function fileToDataUri(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
