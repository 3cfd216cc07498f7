/**
 * Operators: a user's own per-key limits (calls a minute, burst, calls in progress), as
 * `fitroom users limits` sets them, through POST /dashboard/api/admin/users/:id/limits. An empty
 * field is the server's configured default (sent as null); "Use the defaults" clears all three.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { Button, Card, SelectInput, TextInput } from '../components/ui.tsx';
import { failure } from '../hooks.ts';

/** A user's own limits; null: the configured default (src/domain/user-limits.ts). */
export interface OwnLimits {
  perMinute: number | null;
  burst: number | null;
  inProgress: number | null;
}

type LimitName = keyof OwnLimits;

/** What the route answers: the user's own limits and the limits their keys now get. */
interface LimitsAnswer {
  email: string;
  own: OwnLimits;
  inForce: Record<LimitName, number>;
}

/** The form's fields, with the smallest value the server takes for each (user-limits.ts). */
const FIELDS: { name: LimitName; label: string; min: number }[] = [
  { name: 'perMinute', label: 'Calls a minute', min: 0 },
  { name: 'burst', label: 'Burst', min: 1 },
  { name: 'inProgress', label: 'Calls in progress', min: 1 },
];

type Inputs = Record<LimitName, string>;

const asInputs = (limits: OwnLimits | undefined): Inputs => ({
  perMinute: limits?.perMinute?.toString() ?? '',
  burst: limits?.burst?.toString() ?? '',
  inProgress: limits?.inProgress?.toString() ?? '',
});

/** An empty field is the default (null); the server checks the numbers and names a bad field. */
const asLimits = (inputs: Inputs): OwnLimits => ({
  perMinute: inputs.perMinute.trim() === '' ? null : Number(inputs.perMinute),
  burst: inputs.burst.trim() === '' ? null : Number(inputs.burst),
  inProgress: inputs.inProgress.trim() === '' ? null : Number(inputs.inProgress),
});

export function UserLimitsCard({
  users,
  onSaved,
  onError,
}: {
  users: { id: string; email: string; limits: OwnLimits }[];
  onSaved: () => Promise<void>;
  onError: (error: { code?: number; message: string } | null) => void;
}) {
  const [userId, setUserId] = useState('');
  const [saved, setSaved] = useState<LimitsAnswer | null>(null);
  const selected = users.find((u) => u.id === userId) ?? users[0];

  return (
    <Card title="Per-user limits" className="mt-8">
      <p className="mb-4 text-sm text-slate-600">Every API key of the user gets these limits. An empty field is the server's default.</p>
      {selected === undefined ? (
        <p className="text-sm text-slate-600">No users match the search.</p>
      ) : (
        <div className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-6">
          <div className="sm:col-span-2">
            <SelectInput label="User" value={selected.id} onChange={(e) => setUserId(e.target.value)}>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email}
                </option>
              ))}
            </SelectInput>
          </div>
          {/* Keyed by the user: the fields start from the chosen user's own limits. */}
          <LimitsForm key={selected.id} user={selected} onSaved={async (answer) => { setSaved(answer); await onSaved(); }} onError={onError} />
        </div>
      )}
      {saved && (
        <p role="status" className="mt-4 text-sm text-slate-700" data-testid="limits-saved">
          Saved for {saved.email}: {saved.inForce.perMinute === 0 ? 'no rate limit' : `${saved.inForce.perMinute} calls a minute`}, bursts of {saved.inForce.burst},{' '}
          {saved.inForce.inProgress} calls in progress per key.
        </p>
      )}
    </Card>
  );
}

function LimitsForm({
  user,
  onSaved,
  onError,
}: {
  user: { id: string; limits: OwnLimits };
  onSaved: (answer: LimitsAnswer) => Promise<void>;
  onError: (error: { code?: number; message: string } | null) => void;
}) {
  const [inputs, setInputs] = useState<Inputs>(() => asInputs(user.limits));
  const [busy, setBusy] = useState(false);

  const save = async (limits: OwnLimits) => {
    setBusy(true);
    onError(null);
    try {
      const answer = await api<LimitsAnswer>('POST', `/admin/users/${user.id}/limits`, limits);
      setInputs(asInputs(answer.own));
      await onSaved(answer);
    } catch (err) {
      onError(failure(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(asLimits(inputs));
  };

  return (
    <form onSubmit={submit} className="contents" data-testid="limits-form">
      {FIELDS.map((f) => (
        <TextInput
          key={f.name}
          label={f.label}
          type="number"
          min={f.min}
          step={1}
          placeholder="default"
          value={inputs[f.name]}
          onChange={(e) => setInputs({ ...inputs, [f.name]: e.target.value })}
        />
      ))}
      <div className="flex gap-2 sm:col-span-2 lg:col-span-6">
        <Button type="submit" busy={busy}>
          Save limits
        </Button>
        <Button type="button" variant="secondary" disabled={busy} onClick={() => void save({ perMinute: null, burst: null, inProgress: null })}>
          Use the defaults
        </Button>
      </div>
    </form>
  );
}
