/** Operators: users (search, grant credits, disable, per-user limits), invitations, presets, service status. */
import { Search, Trash2, Upload } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import { api, fileToDataUri } from '../api.ts';
import { Badge, Button, Card, CopyButton, ErrorNote, PageHeader, SelectInput, Stat, Table, Td, TextInput } from '../components/ui.tsx';
import { day, number } from '../format.ts';
import { failure, useLoad } from '../hooks.ts';
import { useSession } from '../session.ts';
import type { Presets } from './types.ts';
import { UserLimitsCard, type OwnLimits } from './UserLimitsCard.tsx';

interface AdminUser {
  id: string;
  email: string;
  status: 'active' | 'disabled';
  isAdmin: boolean;
  balance: number;
  trialRemaining: number;
  createdAt: string;
  activeKeys: number;
  calls30d: number;
  hasPassword: boolean;
  limits: OwnLimits;
}

interface Status {
  engine: { id: string; version: string; state: string };
  workers: number;
  queue: { waitingForWorker: number; inWorkers: number; admitted: number; waitingForSlot: number; maxQueued: number };
  uptimeSeconds: number;
  recent: { minutes: number; calls: number; failures: number; serverErrors: number };
  signup: string;
}

/** How often the status cards refresh, ms. */
const STATUS_REFRESH_MS = 5000;

function GrantForm({ user, onDone }: { user: AdminUser; onDone: () => Promise<void> }) {
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api('POST', `/admin/users/${user.id}/credits`, { amount: Number(amount) });
      setAmount('');
      await onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="flex items-center gap-2">
      <input type="number" min={1} required value={amount} onChange={(e) => setAmount(e.target.value)} aria-label={`Credits to grant to ${user.email}`} placeholder="+ credits" className="w-24 rounded-lg border-0 px-2 py-1 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600" />
      <Button type="submit" variant="secondary" busy={busy} className="!px-2.5 !py-1">
        Grant
      </Button>
    </form>
  );
}

function uptime(s: number): string {
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function AdminPage() {
  const { info, refresh } = useSession();
  const [query, setQuery] = useState('');
  const users = useLoad(() => api<AdminUser[]>('GET', `/admin/users?q=${encodeURIComponent(query)}`), [query]);
  const status = useLoad(() => api<Status>('GET', '/admin/status'));
  const presets = useLoad(() => api<Presets>('GET', '/presets'));
  const [error, setError] = useState<{ code?: number; message: string } | null>(null);
  const [invite, setInvite] = useState<{ email: string; url: string } | null>(null);
  const [inviteEmail, setInviteEmail] = useState('');
  const [presetKind, setPresetKind] = useState<'model' | 'garment'>('model');
  const [uploading, setUploading] = useState(false);

  useEffect(() => {
    const t = setInterval(() => void status.reload(), STATUS_REFRESH_MS);
    return () => clearInterval(t);
  }, [status]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await users.reload();
      await refresh();
    } catch (err) {
      setError(failure(err));
    }
  };
  const uploadPreset = async (file: File | undefined) => {
    if (!file) return;
    setUploading(true);
    setError(null);
    try {
      await api('POST', '/admin/presets', { kind: presetKind, image: await fileToDataUri(file) });
      await presets.reload();
    } catch (err) {
      setError(failure(err));
    } finally {
      setUploading(false);
    }
  };
  const s = status.data;
  const errorRate = s && s.recent.calls > 0 ? `${((100 * s.recent.failures) / s.recent.calls).toFixed(1)} %` : '0 %';
  const allPresets = presets.data ? [...presets.data.models.map((p) => ({ ...p, kind: 'model' })), ...presets.data.garments.map((p) => ({ ...p, kind: 'garment' }))] : [];

  return (
    <>
      <PageHeader title="Admin" description={`Operator tools. Sign-up on this server: ${info.signup}.`} />
      <ErrorNote error={error} />
      <h2 className="mb-3 mt-2 text-sm font-semibold uppercase tracking-wide text-slate-500">Service status</h2>
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4" data-testid="status">
        <Stat label="Engine" value={s ? s.engine.id : '…'} sub={s ? <>version {s.engine.version} · <Badge tone={s.engine.state === 'ready' ? 'green' : 'amber'}>{s.engine.state}</Badge></> : null} />
        <Stat label="Workers" value={s ? s.workers : '…'} sub={s ? `${s.queue.inWorkers} busy · up ${uptime(s.uptimeSeconds)}` : null} />
        <Stat label="Queue depth" value={s ? s.queue.waitingForWorker + s.queue.waitingForSlot : '…'} sub={s ? `${s.queue.admitted} admitted · limit ${s.queue.maxQueued}` : null} />
        <Stat label={`Error rate, ${s?.recent.minutes ?? 60} min`} value={errorRate} sub={s ? `${s.recent.failures} of ${s.recent.calls} calls · ${s.recent.serverErrors} server errors` : null} />
      </div>

      <Card
        title="Users"
        padded={false}
        className="mt-8"
        action={
          <div className="relative w-full sm:w-64">
            <Search aria-hidden className="pointer-events-none absolute left-2.5 top-2.5 size-4 text-slate-400" />
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search by email" aria-label="Search users by email" className="block w-full rounded-lg border-0 py-2 pl-8 pr-3 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600" />
          </div>
        }
      >
        <Table label="Users" head={['Email', 'Status', 'Balance', 'Trial', 'Keys', 'Calls 30 d', 'Grant credits', '']}>
          {users.data?.map((u) => (
            <tr key={u.id} data-testid="user-row">
              <Td className="font-medium text-slate-900">
                <span title={`joined ${day(u.createdAt)}`}>{u.email}</span> {u.isAdmin && <Badge tone="indigo">admin</Badge>}
              </Td>
              <Td>
                <Badge tone={u.status === 'active' ? 'green' : 'red'}>{u.status}</Badge>
              </Td>
              <Td className="font-mono" >
                <span data-testid="user-balance">{number(u.balance)}</span>
              </Td>
              <Td>{u.trialRemaining}</Td>
              <Td>{u.activeKeys}</Td>
              <Td>{u.calls30d}</Td>
              <Td>
                <GrantForm user={u} onDone={async () => { await users.reload(); await refresh(); }} />
              </Td>
              <Td className="text-right">
                {u.id !== info.user!.id &&
                  (u.status === 'active' ? (
                    <Button variant="danger" className="!px-2.5 !py-1" onClick={() => act(() => api('POST', `/admin/users/${u.id}/status`, { status: 'disabled' }))}>
                      Disable
                    </Button>
                  ) : (
                    <Button variant="secondary" className="!px-2.5 !py-1" onClick={() => act(() => api('POST', `/admin/users/${u.id}/status`, { status: 'active' }))}>
                      Enable
                    </Button>
                  ))}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>

      <UserLimitsCard users={users.data ?? []} onSaved={() => users.reload()} onError={setError} />

      <div className="mt-8 grid gap-6 lg:grid-cols-3">
        <Card title="Invite someone">
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                setInvite(await api<{ email: string; url: string }>('POST', '/admin/invites', { email: inviteEmail }));
                setInviteEmail('');
              });
            }}
          >
            <TextInput label="Email" type="email" required value={inviteEmail} onChange={(e) => setInviteEmail(e.target.value)} />
            <Button type="submit" className="w-full">
              Create invitation link
            </Button>
          </form>
          {invite && (
            <div className="mt-4 space-y-2 rounded-lg bg-slate-50 p-3 text-sm">
              <p className="text-slate-700">Send this link to {invite.email} (valid 14 days, once):</p>
              <div className="flex items-center gap-2">
                <code className="min-w-0 flex-1 truncate font-mono text-xs">{invite.url}</code>
                <CopyButton text={invite.url} />
              </div>
            </div>
          )}
        </Card>
        <Card title="Presets" className="lg:col-span-2">
          <div className="mb-4 flex flex-wrap items-end gap-3">
            <div className="w-40">
              <SelectInput label="Kind" value={presetKind} onChange={(e) => setPresetKind(e.target.value as 'model' | 'garment')}>
                <option value="model">Model photo</option>
                <option value="garment">Garment</option>
              </SelectInput>
            </div>
            <label className={`inline-flex cursor-pointer items-center gap-2 rounded-lg bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 ${uploading ? 'opacity-60' : ''}`}>
              <Upload aria-hidden className="size-4" /> {uploading ? 'Uploading…' : 'Upload image'}
              <input type="file" accept="image/*" className="sr-only" data-testid="preset-file" onChange={(e) => void uploadPreset(e.target.files?.[0])} />
            </label>
          </div>
          {allPresets.length === 0 ? (
            <p className="text-sm text-slate-600">No presets yet. Presets appear in everyone's studio and their results are cached.</p>
          ) : (
            <ul className="grid grid-cols-3 gap-3 sm:grid-cols-5" data-testid="admin-presets">
              {allPresets.map((p) => (
                <li key={p.id} className="group relative overflow-hidden rounded-lg ring-1 ring-slate-200">
                  <img src={p.url} alt={`${p.kind} preset ${p.id}`} className="aspect-[3/4] w-full object-cover" />
                  <span className="absolute left-1 top-1"><Badge tone="slate">{p.kind}</Badge></span>
                  <button
                    onClick={() => act(async () => { await api('DELETE', `/admin/presets/${p.id}`); await presets.reload(); })}
                    className="absolute right-1 top-1 rounded-md bg-white/90 p-1 text-red-700 shadow hover:bg-white"
                    aria-label={`Remove preset ${p.id}`}
                  >
                    <Trash2 aria-hidden className="size-4" />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
