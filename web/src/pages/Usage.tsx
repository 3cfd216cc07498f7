/** Usage: calls and failures per day, and the recent calls with their code, charge and latency; filtered. */
import { Activity } from 'lucide-react';
import { useState } from 'react';
import { api } from '../api.ts';
import { CallsChart } from '../components/charts.tsx';
import { Badge, Card, Empty, ErrorNote, PageHeader, SelectInput, Table, Td } from '../components/ui.tsx';
import { ms, routeName, when } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { fillDays, type KeySummary, type UsageAnswer } from './types.ts';

export function UsagePage() {
  const [days, setDays] = useState(30);
  const [route, setRoute] = useState('');
  const [outcome, setOutcome] = useState('');
  const [keyId, setKeyId] = useState('');
  const query = new URLSearchParams({ days: String(days), route, outcome, keyId }).toString();
  const usage = useLoad(() => api<UsageAnswer>('GET', `/usage?${query}`), [query]);
  const keys = useLoad(() => api<KeySummary[]>('GET', '/keys'));
  const u = usage.data;
  const total = u?.daily.reduce((n, d) => n + d.calls, 0) ?? 0;
  const failed = u?.daily.reduce((n, d) => n + d.failures, 0) ?? 0;
  const spent = u?.daily.reduce((n, d) => n + d.credits, 0) ?? 0;
  return (
    <>
      <PageHeader title="Usage" description="Every API call made with your keys, successful or not." />
      <div className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <SelectInput label="Period" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          <option value={7}>Last 7 days</option>
          <option value={30}>Last 30 days</option>
          <option value={90}>Last 90 days</option>
        </SelectInput>
        <SelectInput label="Endpoint" value={route} onChange={(e) => setRoute(e.target.value)}>
          <option value="">All endpoints</option>
          <option value="/api/openapi/change-clothes-ai">Try-on</option>
          <option value="/api/openapi/change-clothes-by-prompt">Prompt edit</option>
          <option value="/v1/tryon">Try-on job</option>
          <option value="/v1/prompt">Prompt job</option>
          <option value="/v1/jobs/:jobId">Job status</option>
          <option value="/api/openapi/presets">Presets</option>
        </SelectInput>
        <SelectInput label="Result" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="">All results</option>
          <option value="ok">Succeeded</option>
          <option value="failed">Failed</option>
        </SelectInput>
        <SelectInput label="Key" value={keyId} onChange={(e) => setKeyId(e.target.value)}>
          <option value="">All keys</option>
          {keys.data?.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name ?? k.prefix}
            </option>
          ))}
        </SelectInput>
      </div>
      <ErrorNote error={usage.error} />
      <Card title="Calls per day" action={<span className="text-sm text-slate-600">{total} calls · {failed} failed · {spent} credits</span>}>
        {u ? <CallsChart data={fillDays(u.daily, days)} /> : <div className="h-48" />}
      </Card>
      <Card title="Recent calls" padded={false} className="mt-6">
        {u && u.calls.length === 0 ? (
          <Empty icon={<Activity aria-hidden className="size-5" />} title="No calls match">
            Calls made with your API keys, in the studio or from your code, appear here.
          </Empty>
        ) : (
          <Table label="Recent calls" head={['Image', 'Time', 'Endpoint', 'Result', 'Credits', 'Latency', 'Key', 'Request id']}>
            {u?.calls.map((c) => (
              <tr key={c.id} data-testid="usage-row">
                <Td>
                  <Thumbnail url={c.resultImgUrl} />
                </Td>
                <Td>{when(c.createdAt)}</Td>
                <Td className="font-medium text-slate-900">{routeName(c.route)}</Td>
                <Td>
                  <Badge tone={c.code === 200 ? 'green' : 'red'}>
                    {c.code === 200 ? 'OK' : c.code} · {c.status}
                  </Badge>
                  {c.cacheHit && <span className="ml-1.5"><Badge tone="indigo">cache</Badge></span>}
                </Td>
                <Td className="font-mono" >
                  <span data-testid="usage-charge">{c.trial ? 'trial' : c.credits > 0 ? `−${c.credits}` : '0'}</span>
                </Td>
                <Td>{ms(c.totalMs)}</Td>
                <Td className="text-slate-600">{c.keyName ?? (c.keyPrefix ? `${c.keyPrefix}…` : '—')}</Td>
                <Td className="font-mono text-xs text-slate-500">{c.id}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}

/** The call's result image, small; an empty frame when the call made none or it has since been deleted. */
function Thumbnail({ url }: { url: string | null }) {
  const [gone, setGone] = useState(false);
  const frame = 'block size-10 overflow-hidden rounded-md bg-slate-100 ring-1 ring-slate-200';
  if (url === null || gone) return <span aria-hidden className={frame} />;
  return (
    <a href={url} target="_blank" rel="noreferrer" className={frame} aria-label="Open the result image">
      <img src={url} alt="" loading="lazy" className="size-full object-cover" data-testid="usage-thumbnail" onError={() => setGone(true)} />
    </a>
  );
}
