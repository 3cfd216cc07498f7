/**
 * The Fitroom TypeScript client: typed calls generated from the OpenAPI document (./schema.d.ts,
 * openapi-typescript) made with openapi-fetch, plus `subscribe()`, which submits a job and waits
 * for it to end. Image fields take a Blob (an upload) or a string (an http(s) URL, a data URI,
 * bare base64 or a preset's URL), as the API does.
 */
import createClient from 'openapi-fetch';
import type { components, operations, paths } from './schema.d.ts';

export type { components, operations, paths };

type FormOf<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'multipart/form-data': infer B } } } ? B : never;
type DataOf<Op extends keyof operations, Status extends number> = operations[Op]['responses'] extends Record<Status, { content: { 'application/json': { data: infer D } } }>
  ? D
  : never;

/** An image field: an upload, or text the API resolves (URL, data URI, base64, preset URL). */
export type ImageInput = Blob | string;
type WithImages<F, K extends string> = Omit<F, K> & { [P in K & keyof F]: ImageInput };

export type TryOnJobForm = WithImages<FormOf<'submitTryOnJob'>, 'modelImg' | 'garmentImg'>;
export type PromptJobForm = WithImages<FormOf<'submitPromptJob'>, 'modelImg'>;
export type Job = DataOf<'getJob', 200>;
export type Account = DataOf<'getAccount', 200>;
export type UsagePage = DataOf<'listUsage', 200>;

/** An error answer of the API: its HTTP status and the contract's `{code, msg}`. */
export class FitroomError extends Error {
  readonly status: number;
  readonly code: number;
  constructor(status: number, body: { code?: number; msg?: string } | undefined) {
    super(body?.msg ?? `HTTP ${status}`);
    this.name = 'FitroomError';
    this.status = status;
    this.code = body?.code ?? status;
  }
}

/** Statuses after which a job changes no more. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

function toFormData(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Blob) form.append(name, value, name);
    else form.append(name, String(value));
  }
  return form;
}

async function unwrap<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) throw new FitroomError(response.status, error as { code?: number; msg?: string });
  return (data as { data: T }).data;
}

export interface ClientOptions {
  /** e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  apiKey: string;
  /** Custom fetch (tests, proxies); default globalThis.fetch. */
  fetch?: typeof fetch;
}

export function createFitroomClient(options: ClientOptions) {
  const http = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const multipart = { bodySerializer: (body: unknown) => toFormData(body as Record<string, unknown>) };

  const client = {
    /** The typed openapi-fetch client, for any route. */
    http,
    submitTryOn: (form: TryOnJobForm) => unwrap<Job>(http.POST('/v1/tryon', { body: form as unknown as FormOf<'submitTryOnJob'>, ...multipart })),
    submitPrompt: (form: PromptJobForm) => unwrap<Job>(http.POST('/v1/prompt', { body: form as unknown as FormOf<'submitPromptJob'>, ...multipart })),
    getJob: (id: string) => unwrap<Job>(http.GET('/v1/jobs/{id}', { params: { path: { id } } })),
    cancelJob: (id: string) => unwrap<Job>(http.DELETE('/v1/jobs/{id}', { params: { path: { id } } })),
    account: () => unwrap<Account>(http.GET('/v1/account')),
    usage: (query: { limit?: number; cursor?: string } = {}) => unwrap<UsagePage>(http.GET('/v1/usage', { params: { query } })),

    /**
     * Submits a job (`submit` is one of the submit calls, or an existing job) and polls it every
     * `intervalMs` until it has ended; resolves with the ended job (check `status`), rejects after
     * `timeoutMs` or when `signal` aborts.
     */
    async subscribe(
      submit: Promise<Job> | Job,
      { intervalMs = 500, timeoutMs = 300_000, signal, onUpdate }: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal; onUpdate?: (job: Job) => void } = {},
    ): Promise<Job> {
      let job = await submit;
      const deadline = Date.now() + timeoutMs;
      while (!FINAL_STATUSES.has(job.status)) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        if (Date.now() > deadline) throw new Error(`job ${job.jobId} still ${job.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, intervalMs));
        job = await client.getJob(job.jobId);
        onUpdate?.(job);
      }
      return job;
    },
  };
  return client;
}

export type FitroomClient = ReturnType<typeof createFitroomClient>;
