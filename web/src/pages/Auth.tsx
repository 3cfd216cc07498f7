/** Log-in, sign-up (open or by invitation) and setting a password from a reset token. */
import { Check } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { api, ApiFailure } from '../api.ts';
import { Logo } from '../App.tsx';
import { Button, ErrorNote, TextInput } from '../components/ui.tsx';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.ts';

const POINTS = ['Dress any photo in any garment over one HTTP call', 'Drop-in compatible with the Change Clothes AI API', 'Runs on your own machine: no data leaves it'];

export function AuthPage({ path }: { path: string }) {
  const params = new URLSearchParams(window.location.search);
  const mode = path === '/signup' ? 'signup' : path === '/reset' ? 'reset' : 'login';
  return (
    <div className="flex min-h-screen">
      <div className="relative hidden w-[44%] flex-col justify-between overflow-hidden bg-gradient-to-br from-indigo-600 via-indigo-700 to-violet-800 p-12 text-white lg:flex">
        <Logo light />
        <div>
          <h2 className="text-4xl font-bold leading-tight tracking-tight">Virtual try-on,<br />self-hosted.</h2>
          <ul className="mt-8 space-y-3 text-indigo-100">
            {POINTS.map((p) => (
              <li key={p} className="flex gap-3">
                <Check aria-hidden className="mt-0.5 size-5 shrink-0 text-indigo-300" />
                {p}
              </li>
            ))}
          </ul>
        </div>
        <p className="text-sm text-indigo-200">Fitroom dashboard</p>
        <div aria-hidden className="absolute -right-24 -top-24 size-96 rounded-full bg-white/5" />
        <div aria-hidden className="absolute -bottom-32 right-10 size-72 rounded-full bg-white/5" />
      </div>
      <main className="flex flex-1 items-center justify-center px-5 py-12">
        <div className="w-full max-w-sm">
          <div className="mb-8 lg:hidden">
            <Logo />
          </div>
          {mode === 'login' && <LoginForm />}
          {mode === 'signup' && <SignupForm invite={params.get('invite') ?? ''} presetEmail={params.get('email') ?? ''} />}
          {mode === 'reset' && <ResetForm token={params.get('token') ?? ''} />}
        </div>
      </main>
    </div>
  );
}

function Switch({ text, link, to }: { text: string; link: string; to: string }) {
  return (
    <p className="mt-6 text-center text-sm text-slate-600">
      {text}{' '}
      <a href={href(to)} onClick={(e) => { e.preventDefault(); navigate(to); }} className="font-semibold text-indigo-600 hover:text-indigo-500">
        {link}
      </a>
    </p>
  );
}

function useSubmit(run: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code?: number; message: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError(err instanceof ApiFailure ? { code: err.code, message: err.message } : { message: String(err) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

function LoginForm() {
  const { info, refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/login', { email, password });
    await refresh();
    navigate('/', { replace: true });
  });
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">Log in to Fitroom</h1>
      <p className="mt-1 text-sm text-slate-600">Manage API keys, credits and usage, and try the API in the studio.</p>
      <form onSubmit={submit} className="mt-8 space-y-5">
        <TextInput label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextInput label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorNote error={error} />
        <Button type="submit" busy={busy} className="w-full">
          Log in
        </Button>
      </form>
      {info.signup !== 'closed' ? <Switch text="New here?" link="Create an account" to="/signup" /> : <p className="mt-6 text-center text-sm text-slate-500">Accounts are created by the operator.</p>}
      <p className="mt-3 text-center text-xs text-slate-500">Forgot your password? The operator prints a reset link with <code className="font-mono">fitroom users reset-password</code>.</p>
    </>
  );
}

function SignupForm({ invite, presetEmail }: { invite: string; presetEmail: string }) {
  const { info, refresh } = useSession();
  const [email, setEmail] = useState(presetEmail);
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/signup', { email, password, inviteToken: invite || undefined });
    await refresh();
    navigate('/', { replace: true });
  });
  if (info.signup === 'closed' || (info.signup === 'invite' && !invite)) {
    return (
      <>
        <h1 className="text-2xl font-bold tracking-tight">Sign-up {info.signup === 'closed' ? 'is closed' : 'is by invitation'}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {info.signup === 'closed' ? 'Accounts on this server are created by its operator.' : 'Ask the operator for an invitation link; it opens this page with your invitation filled in.'}
        </p>
        <Switch text="Have an account?" link="Log in" to="/login" />
      </>
    );
  }
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">Create your account</h1>
      <p className="mt-1 text-sm text-slate-600">New accounts start with free trial calls.</p>
      <form onSubmit={submit} className="mt-8 space-y-5">
        <TextInput label="Email" type="email" autoComplete="email" required value={email} readOnly={!!invite && !!presetEmail} onChange={(e) => setEmail(e.target.value)} />
        <TextInput label="Password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorNote error={error} />
        <Button type="submit" busy={busy} className="w-full">
          Create account
        </Button>
      </form>
      <Switch text="Have an account?" link="Log in" to="/login" />
    </>
  );
}

function ResetForm({ token }: { token: string }) {
  const { refresh } = useSession();
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/password-reset', { token, password });
    await refresh();
    navigate('/', { replace: true });
  });
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">Set a new password</h1>
      <p className="mt-1 text-sm text-slate-600">{token ? 'Choose a password for your account. The link works once.' : 'This page needs the link the operator printed with fitroom users reset-password.'}</p>
      <form onSubmit={submit} className="mt-8 space-y-5">
        <TextInput label="New password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorNote error={error} />
        <Button type="submit" busy={busy} disabled={!token} className="w-full">
          Set password and log in
        </Button>
      </form>
      <Switch text="Remembered it?" link="Log in" to="/login" />
    </>
  );
}
