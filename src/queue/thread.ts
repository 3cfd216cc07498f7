/**
 * Starting a worker thread on one of our own modules, from TypeScript sources or from a build.
 * Shared by the engine pool (./local.ts) and the moderation classifier (src/moderation).
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** Running from TypeScript sources (tsx) or from a build: sibling files share our extension. */
export const SOURCE_EXT = new URL(import.meta.url).pathname.endsWith('.ts') ? '.ts' : '.js';

let tsxApiUrl: string | null | undefined;
function resolveTsxApi(): string | null {
  if (tsxApiUrl === undefined) {
    try {
      tsxApiUrl = import.meta.resolve('tsx/esm/api');
    } catch {
      tsxApiUrl = null;
    }
  }
  return tsxApiUrl;
}

/**
 * Starts a worker thread on `url` (a .ts or .js module). Under `node --import tsx` on Node 20 a
 * worker does not get tsx's loader (tsx registers its hooks on the main thread only there), so a
 * .ts file is started through a small bootstrap that registers tsx in the worker thread when, and
 * only when, the thread cannot load .ts by itself. A build (.js) starts the file directly.
 * `resourceLimits` sizes the thread's V8 heap (Node's defaults when absent).
 */
export function startThread(url: URL, workerData: unknown, name: string, resourceLimits?: ResourceLimits): Worker {
  const tsxApi = url.pathname.endsWith('.ts') ? resolveTsxApi() : null;
  if (!tsxApi) return new Worker(url, { workerData, name, resourceLimits });
  const target = JSON.stringify(url.href);
  const bootstrap = `
    import(${target}).catch((error) => {
      if (!error || error.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
      return import(${JSON.stringify(tsxApi)}).then((tsx) => {
        tsx.register();
        // A failed import is cached per URL: load the same file under a fresh URL.
        return import(${target} + '?tsx');
      });
    });`;
  return new Worker(bootstrap, { eval: true, workerData, name, resourceLimits });
}
