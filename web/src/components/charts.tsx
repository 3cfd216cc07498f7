/**
 * Two small SVG charts (bars per day, a line over time) drawn by React: the dashboard needs only
 * these, and a charting library would weigh more than the rest of the app.
 */
import { useState } from 'react';

const W = 640;
const H = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 40 };

function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const step = Math.max(1, Math.ceil(max / 4));
  const out: number[] = [];
  for (let v = 0; v <= max + step - 1 && out.length < 6; v += step) out.push(v);
  return out;
}

export interface DayBar {
  day: string;
  calls: number;
  failures: number;
}

/** Calls per day, with the failed part of each bar in red. */
export function CallsChart({ data }: { data: DayBar[] }) {
  const [hover, setHover] = useState<number | null>(null);
  const max = Math.max(1, ...data.map((d) => d.calls));
  const axis = ticks(max);
  const top = axis[axis.length - 1] || 1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, data.length);
  const barW = Math.min(36, slot * 0.7);
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const labelEvery = Math.ceil(data.length / 8);
  return (
    <figure className="w-full">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Calls and failures per day over ${data.length} days`}>
        {axis.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#64748b">
              {t}
            </text>
          </g>
        ))}
        {data.map((d, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={d.day} onMouseEnter={() => setHover(i)} onMouseLeave={() => setHover(null)}>
              <rect x={PAD.left + i * slot} y={PAD.top} width={slot} height={innerH} fill={hover === i ? '#f1f5f9' : 'transparent'} />
              <rect x={x} y={y(d.calls)} width={barW} height={Math.max(0, y(0) - y(d.calls))} rx="3" fill="#6366f1" />
              {d.failures > 0 && <rect x={x} y={y(d.failures)} width={barW} height={Math.max(0, y(0) - y(d.failures))} rx="3" fill="#ef4444" />}
              {i % labelEvery === 0 && (
                <text x={x + barW / 2} y={H - 8} textAnchor="middle" fontSize="11" fill="#64748b">
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap items-center gap-4 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1.5">
          <span className="size-2.5 rounded-sm bg-indigo-500" /> Calls
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="size-2.5 rounded-sm bg-red-500" /> Failures
        </span>
        {hover !== null && data[hover] && (
          <span className="ml-auto font-medium text-slate-800">
            {data[hover].day}: {data[hover].calls} calls, {data[hover].failures} failed
          </span>
        )}
      </figcaption>
    </figure>
  );
}

/** A step line of a value over time (the credit balance after each ledger entry). */
export function BalanceChart({ points }: { points: { at: string; value: number }[] }) {
  if (points.length === 0) return null;
  const times = points.map((p) => new Date(p.at).getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const max = Math.max(1, ...points.map((p) => p.value));
  const axis = ticks(max);
  const top = axis[axis.length - 1] || 1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * innerW;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  let d = '';
  points.forEach((p, i) => {
    const px = x(times[i]);
    d += i === 0 ? `M${px},${y(p.value)}` : `H${px}V${y(p.value)}`;
  });
  d += `H${W - PAD.right}`;
  const area = `${d}V${y(0)}H${x(times[0])}Z`;
  const fmt = (t: number) => new Date(t).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Credit balance over time, now ${points[points.length - 1].value}`}>
      <defs>
        <linearGradient id="balance-fill" x1="0" x2="0" y1="0" y2="1">
          <stop offset="0%" stopColor="#6366f1" stopOpacity="0.25" />
          <stop offset="100%" stopColor="#6366f1" stopOpacity="0" />
        </linearGradient>
      </defs>
      {axis.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
          <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#64748b">
            {t}
          </text>
        </g>
      ))}
      <path d={area} fill="url(#balance-fill)" />
      <path d={d} fill="none" stroke="#4f46e5" strokeWidth="2" />
      <text x={PAD.left} y={H - 8} fontSize="11" fill="#64748b">
        {fmt(t0)}
      </text>
      <text x={W - PAD.right} y={H - 8} textAnchor="end" fontSize="11" fill="#64748b">
        {fmt(t1)}
      </text>
    </svg>
  );
}
