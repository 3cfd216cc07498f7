/** Credits: balance, trial calls left, the ledger as a chart and a table. */
import { Receipt } from 'lucide-react';
import { useEffect } from 'react';
import { api } from '../api.ts';
import { BalanceChart } from '../components/charts.tsx';
import { Badge, Card, Empty, ErrorNote, PageHeader, Stat, Table, Td } from '../components/ui.tsx';
import { number, when } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { useSession } from '../session.ts';
import type { LedgerEntry } from './types.ts';

interface CreditsAnswer {
  balance: number;
  reserved: number;
  trialRemaining: number;
  everHeldCredits: boolean;
  ledger: LedgerEntry[];
}

const KIND_TONE = { grant: 'green', charge: 'slate', refund: 'indigo', trial: 'amber' } as const;

export function CreditsPage() {
  const { refresh } = useSession();
  const credits = useLoad(() => api<CreditsAnswer>('GET', '/credits'));
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const c = credits.data;
  const points = c ? [...c.ledger].reverse().map((e) => ({ at: e.createdAt, value: e.balanceAfter })) : [];
  return (
    <>
      <PageHeader title="Credits" description="A call reserves its cost and is charged only when it succeeds. Failed calls cost nothing." />
      <ErrorNote error={credits.error} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Balance" value={c ? number(c.balance) : '…'} sub={c && c.reserved > 0 ? `${c.reserved} held by calls in progress` : 'credits'} />
        <Stat label="Free trial calls left" value={c ? (c.everHeldCredits ? '—' : c.trialRemaining) : '…'} sub={c?.everHeldCredits ? 'the trial ends with the first credits' : 'used while the balance is empty'} />
        <Stat label="Ledger entries" value={c ? c.ledger.length : '…'} sub="grants, charges, refunds, trial calls" />
      </div>
      <Card title="Balance over time" className="mt-6">
        {points.length > 0 ? <BalanceChart points={points} /> : <p className="text-sm text-slate-600">No credits yet: the chart starts with the first grant.</p>}
      </Card>
      <Card title="Ledger" padded={false} className="mt-6">
        {c && c.ledger.length === 0 ? (
          <Empty icon={<Receipt aria-hidden className="size-5" />} title="No entries yet">
            Grants from the operator and the charges of your calls appear here.
          </Empty>
        ) : (
          <Table label="Credit ledger" head={['Time', 'Kind', 'Amount', 'Balance after', 'Request', 'Note']}>
            {c?.ledger.map((e) => (
              <tr key={e.id} data-testid="ledger-row">
                <Td>{when(e.createdAt)}</Td>
                <Td>
                  <Badge tone={KIND_TONE[e.kind]}>{e.kind}</Badge>
                </Td>
                <Td className={`font-mono ${e.amount > 0 ? 'text-emerald-700' : e.amount < 0 ? 'text-slate-900' : 'text-slate-500'}`}>{e.amount > 0 ? `+${e.amount}` : e.amount}</Td>
                <Td className="font-mono">{number(e.balanceAfter)}</Td>
                <Td className="font-mono text-xs text-slate-500">{e.requestId ?? '—'}</Td>
                <Td className="text-slate-600">{e.note ?? ''}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
