/** How numbers, dates and routes read in the dashboard. */

const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

export function when(value: string | null | undefined): string {
  return value ? dateTime.format(new Date(value)) : '—';
}

export function day(value: string | null | undefined): string {
  return value ? dateOnly.format(new Date(value)) : '—';
}

export function number(n: number): string {
  return n.toLocaleString('en-US');
}

export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`;
}

const ROUTE_NAMES: Record<string, string> = {
  '/api/openapi/change-clothes-ai': 'Try-on',
  '/api/openapi/change-clothes-by-prompt': 'Prompt edit',
  '/api/openapi/presets': 'Presets',
  '/v1/tryon': 'Try-on job',
  '/v1/prompt': 'Prompt job',
  '/v1/jobs/:jobId': 'Job status',
};

export function routeName(route: string): string {
  return ROUTE_NAMES[route] ?? route;
}
