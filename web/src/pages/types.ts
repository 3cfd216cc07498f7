/** Shapes of the dashboard API's answers (src/accounts/console.ts). */
export interface KeySummary {
  id: string;
  name: string | null;
  prefix: string;
  signing: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface UsageCall {
  id: string;
  keyId: string | null;
  keyName: string | null;
  keyPrefix: string | null;
  route: string;
  status: number;
  code: number;
  engineMs: number | null;
  totalMs: number | null;
  cacheHit: boolean;
  createdAt: string;
  credits: number;
  trial: boolean;
  /** The result image of a successful call (may have been deleted since), else null. */
  resultImgUrl: string | null;
}

export interface UsageAnswer {
  calls: UsageCall[];
  daily: { day: string; calls: number; failures: number; credits: number }[];
}

export interface LedgerEntry {
  id: number;
  kind: 'grant' | 'charge' | 'refund' | 'trial';
  amount: number;
  requestId: string | null;
  note: string | null;
  createdAt: string;
  balanceAfter: number;
}

export interface Presets {
  models: { id: string; url: string }[];
  garments: { id: string; url: string }[];
}

/** Every day of the last `days` days, with zero for days without calls (the chart needs the gaps). */
export function fillDays(daily: UsageAnswer['daily'], days: number): UsageAnswer['daily'] {
  const byDay = new Map(daily.map((d) => [d.day, d]));
  const out: UsageAnswer['daily'] = [];
  const today = new Date();
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i)).toISOString().slice(0, 10);
    out.push(byDay.get(d) ?? { day: d, calls: 0, failures: 0, credits: 0 });
  }
  return out;
}
