/**
 * Prometheus metrics on an app-owned registry (one per app, so tests can build several): requests
 * by route, status and contract code; latency histograms; queue depth and running jobs; engine
 * stage timings from EngineResult.timings; plus the process defaults (CPU, memory, event loop lag).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Admission } from '../queue/admission.ts';
import type { JobQueue } from '../queue/types.ts';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status' | 'code'>;
  latency: Histogram<'route' | 'method'>;
  engineStages: Histogram<'stage'>;
  cacheLookups: Counter<'route' | 'result'>;
  serviceStages: Histogram<'stage'>;
  /** Records one EngineResult's stage timings (milliseconds). */
  observeStages(timings: Record<string, number>): void;
}

export function createMetrics(queue: JobQueue, admission: Admission): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fitroom_process_' });
  const requests = new Counter({
    name: 'fitroom_http_requests_total',
    help: 'HTTP requests by route, status and the contract code of the response',
    labelNames: ['route', 'method', 'status', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'fitroom_http_request_duration_seconds',
    help: 'Time from request to response, by route',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const engineStages = new Histogram({
    name: 'fitroom_engine_stage_seconds',
    help: 'Engine stage timings reported by the engine (and queue_wait / worker_total from the queue)',
    labelNames: ['stage'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const serviceStages = new Histogram({
    name: 'fitroom_service_stage_seconds',
    help: 'The service\'s own work around an engine call: images (download, decode, hash), encode (WebP result and mask), store, credits',
    labelNames: ['stage'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'fitroom_result_cache_total',
    help: 'Successful calls by whether the result came from the result cache',
    labelNames: ['route', 'result'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'fitroom_admission_running',
    help: 'Calls holding an admission slot (decoding images or in the engine)',
    registers: [registry],
    collect() {
      this.set(admission.running());
    },
  });
  new Gauge({
    name: 'fitroom_admission_waiting',
    help: 'Calls waiting for an admission slot',
    registers: [registry],
    collect() {
      this.set(admission.waiting());
    },
  });
  new Gauge({
    name: 'fitroom_queue_depth',
    help: 'Jobs waiting for a worker',
    registers: [registry],
    collect() {
      this.set(queue.depth());
    },
  });
  new Gauge({
    name: 'fitroom_queue_running',
    help: 'Jobs inside workers now',
    registers: [registry],
    collect() {
      this.set(queue.running());
    },
  });
  return {
    registry,
    requests,
    latency,
    engineStages,
    cacheLookups,
    serviceStages,
    observeStages(timings) {
      for (const [stage, ms] of Object.entries(timings)) {
        if (Number.isFinite(ms)) engineStages.observe({ stage }, ms / 1000);
      }
    },
  };
}
