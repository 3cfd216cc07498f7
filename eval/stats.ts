/** Order statistics for the summary. Nulls (a metric that does not apply to a pair) are skipped. */

function present(values: readonly (number | null | undefined)[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
}

/**
 * The q-quantile (0..1) with linear interpolation between order statistics (numpy's default),
 * null for no values.
 */
export function quantile(values: readonly (number | null | undefined)[], q: number): number | null {
  const xs = present(values).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return xs[lo];
  // Keeps Infinity intact (Infinity - Infinity would be NaN).
  if (!Number.isFinite(xs[lo]) || !Number.isFinite(xs[hi])) return xs[hi];
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

export function median(values: readonly (number | null | undefined)[]): number | null {
  return quantile(values, 0.5);
}

export function mean(values: readonly (number | null | undefined)[]): number | null {
  const xs = present(values);
  if (xs.length === 0) return null;
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}

export function min(values: readonly (number | null | undefined)[]): number | null {
  const xs = present(values);
  return xs.length === 0 ? null : Math.min(...xs);
}
