/** API keys: create (name, optional signing; the key and secret shown once), list, revoke. */
import { KeyRound, ShieldCheck, TriangleAlert } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { Badge, Button, Card, CopyButton, Empty, ErrorNote, PageHeader, Table, Td, TextInput } from '../components/ui.tsx';
import { when } from '../format.ts';
import { failure, useLoad } from '../hooks.ts';
import { rememberStudioKey } from './Studio.tsx';
import type { KeySummary } from './types.ts';

interface CreatedKey {
  id: string;
  name: string;
  apiKey: string;
  signingSecret: string | null;
}

function Secret({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <p className="mb-1.5 text-sm font-medium text-slate-800">{label}</p>
      <div className="flex items-center gap-2">
        <code data-testid={label === 'API key' ? 'new-api-key' : 'new-signing-secret'} className="min-w-0 flex-1 truncate rounded-lg bg-slate-900 px-3 py-2 font-mono text-sm text-emerald-300">
          {value}
        </code>
        <CopyButton text={value} />
      </div>
    </div>
  );
}

export function KeysPage() {
  const keys = useLoad(() => api<KeySummary[]>('GET', '/keys'));
  const [name, setName] = useState('');
  const [signing, setSigning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code?: number; message: string } | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key = await api<CreatedKey>('POST', '/keys', { name, signing });
      setCreated(key);
      // The studio may call the API with this key in this tab (signing keys need a signature it cannot make).
      if (!key.signingSecret) rememberStudioKey(key.apiKey, key.id);
      setName('');
      await keys.reload();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (key: KeySummary) => {
    if (!window.confirm(`Revoke "${key.name ?? key.prefix}"? Calls with it fail at once (30001).`)) return;
    try {
      await api('POST', `/keys/${key.id}/revoke`);
      await keys.reload();
    } catch (err) {
      setError(failure(err));
    }
  };

  return (
    <>
      <PageHeader title="API keys" description="Send a key as Authorization: Bearer KEY. Keys are stored only as hashes: copy a new one now." />
      {created && (
        <div className="mb-6 rounded-xl bg-white p-5 shadow-sm ring-2 ring-emerald-500" role="status">
          <div className="mb-4 flex items-start gap-3">
            <TriangleAlert aria-hidden className="mt-0.5 size-5 shrink-0 text-amber-500" />
            <div>
              <h2 className="font-semibold text-slate-900">Key “{created.name}” created</h2>
              <p className="text-sm text-slate-600">This is the only time it is shown. Store it in your secret manager.</p>
            </div>
          </div>
          <div className="space-y-4">
            <Secret label="API key" value={created.apiKey} />
            {created.signingSecret && <Secret label="Signing secret" value={created.signingSecret} />}
          </div>
          <div className="mt-4 flex justify-end">
            <Button variant="secondary" onClick={() => setCreated(null)}>
              I have saved it
            </Button>
          </div>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="New key">
          <form onSubmit={create} className="space-y-4">
            <TextInput label="Name" required maxLength={80} placeholder="e.g. Shop backend" value={name} onChange={(e) => setName(e.target.value)} />
            <label className="flex items-start gap-3 text-sm">
              <input type="checkbox" className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600" checked={signing} onChange={(e) => setSigning(e.target.checked)} />
              <span>
                <span className="font-medium text-slate-800">Require signed requests</span>
                <span className="block text-slate-600">Each call carries an HMAC-SHA256 signature made with a signing secret.</span>
              </span>
            </label>
            <ErrorNote error={error} />
            <Button type="submit" busy={busy} className="w-full">
              Create key
            </Button>
          </form>
        </Card>
        <Card title="Your keys" padded={false} className="lg:col-span-2">
          {keys.data && keys.data.length === 0 && (
            <Empty icon={<KeyRound aria-hidden className="size-5" />} title="No keys yet">
              Create one to call the API or to use the studio.
            </Empty>
          )}
          {keys.data && keys.data.length > 0 && (
            <Table label="API keys" head={['Name', 'Key', 'Created', 'Last used', '']}>
              {keys.data.map((k) => (
                <tr key={k.id} data-testid="key-row" className={k.revokedAt ? 'opacity-60' : ''}>
                  <Td className="font-medium text-slate-900">
                    <span className="flex items-center gap-2">
                      {k.name ?? <span className="text-slate-500">(command line)</span>}
                      {k.signing && (
                        <Badge tone="indigo">
                          <ShieldCheck aria-hidden className="mr-1 size-3" />
                          signed
                        </Badge>
                      )}
                    </span>
                  </Td>
                  <Td className="font-mono text-xs">{k.prefix}…</Td>
                  <Td>{when(k.createdAt)}</Td>
                  <Td>{when(k.lastUsedAt)}</Td>
                  <Td className="text-right">
                    {k.revokedAt ? (
                      <Badge tone="red">revoked {when(k.revokedAt)}</Badge>
                    ) : (
                      <Button variant="danger" className="!py-1" onClick={() => revoke(k)} aria-label={`Revoke ${k.name ?? k.prefix}`}>
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </Table>
          )}
          {keys.error && <div className="p-5"><ErrorNote error={keys.error} /></div>}
        </Card>
      </div>
    </>
  );
}
