/** The landing page: balance, recent activity and the next steps. */
import { Activity, ArrowRight, CreditCard, KeyRound, Sparkles } from 'lucide-react';
import { api } from '../api.ts';
import { CallsChart } from '../components/charts.tsx';
import { Card, PageHeader, Stat } from '../components/ui.tsx';
import { number } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.ts';
import { fillDays, type KeySummary, type UsageAnswer } from './types.ts';

export function OverviewPage() {
  const { info } = useSession();
  const user = info.user!;
  const usage = useLoad(() => api<UsageAnswer>('GET', '/usage?days=14'));
  const keys = useLoad(() => api<KeySummary[]>('GET', '/keys'));
  const calls = usage.data?.daily.reduce((n, d) => n + d.calls, 0) ?? 0;
  const failures = usage.data?.daily.reduce((n, d) => n + d.failures, 0) ?? 0;
  const activeKeys = keys.data?.filter((k) => !k.revokedAt).length ?? 0;
  const steps = [
    { to: '/keys', icon: <KeyRound aria-hidden className="size-5" />, title: 'Create an API key', text: 'Keys authenticate your calls; the secret is shown once.' },
    { to: '/studio', icon: <Sparkles aria-hidden className="size-5" />, title: 'Try it in the studio', text: 'Dress a model in a garment, or edit an outfit with a prompt.' },
    { to: '/docs', icon: <Activity aria-hidden className="size-5" />, title: 'Read the API reference', text: 'Every endpoint, field and error code.' },
  ];
  return (
    <>
      <PageHeader title={`Welcome back`} description={user.email} />
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <Stat label="Credit balance" value={number(user.balance - user.reserved)} icon={<CreditCard aria-hidden className="size-4 text-slate-400" />} sub={user.reserved > 0 ? `${user.reserved} held by calls in progress` : 'available now'} />
        <Stat label="Free trial calls" value={user.everHeldCredits ? '—' : user.trialRemaining} sub={user.everHeldCredits ? 'ended with the first credits' : 'used before credits are needed'} />
        <Stat label="Calls, 14 days" value={number(calls)} sub={failures > 0 ? `${failures} failed` : 'no failures'} />
        <Stat label="Active API keys" value={activeKeys} sub={<a className="font-medium text-indigo-600 hover:underline" href={href('/keys')} onClick={(e) => { e.preventDefault(); navigate('/keys'); }}>Manage keys</a>} />
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card title="Calls per day" className="lg:col-span-2">
          {usage.data ? <CallsChart data={fillDays(usage.data.daily, 14)} /> : <div className="h-48" />}
        </Card>
        <Card title="Get started" padded={false}>
          <ul className="divide-y divide-slate-100">
            {steps.map((s) => (
              <li key={s.to}>
                <a href={href(s.to)} onClick={(e) => { e.preventDefault(); navigate(s.to); }} className="group flex items-start gap-3 px-5 py-4 hover:bg-slate-50">
                  <span className="rounded-lg bg-indigo-50 p-2 text-indigo-600">{s.icon}</span>
                  <span className="min-w-0 flex-1">
                    <span className="block text-sm font-semibold text-slate-900">{s.title}</span>
                    <span className="block text-sm text-slate-600">{s.text}</span>
                  </span>
                  <ArrowRight aria-hidden className="mt-1 size-4 text-slate-400 group-hover:text-indigo-600" />
                </a>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
