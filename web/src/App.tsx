/** The app shell: loads the session, picks the page for the path, draws the navigation. */
import { BookOpen, CreditCard, Activity, KeyRound, LayoutDashboard, LogOut, Menu, Shield, Sparkles, X } from 'lucide-react';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken, type SessionInfo } from './api.ts';
import { Spinner } from './components/ui.tsx';
import { href, navigate, usePath } from './router.ts';
import { SessionContext, useSession } from './session.ts';
import { AuthPage } from './pages/Auth.tsx';
import { OverviewPage } from './pages/Overview.tsx';
import { KeysPage } from './pages/Keys.tsx';
import { CreditsPage } from './pages/Credits.tsx';
import { UsagePage } from './pages/Usage.tsx';
import { StudioPage } from './pages/Studio.tsx';
import { AdminPage } from './pages/Admin.tsx';
import { DocsPage } from './pages/Docs.tsx';

const PUBLIC_PATHS = new Set(['/login', '/signup', '/reset']);

const NAV: { path: string; label: string; icon: ReactNode; admin?: boolean }[] = [
  { path: '/', label: 'Overview', icon: <LayoutDashboard aria-hidden className="size-4" /> },
  { path: '/studio', label: 'Studio', icon: <Sparkles aria-hidden className="size-4" /> },
  { path: '/keys', label: 'API keys', icon: <KeyRound aria-hidden className="size-4" /> },
  { path: '/usage', label: 'Usage', icon: <Activity aria-hidden className="size-4" /> },
  { path: '/credits', label: 'Credits', icon: <CreditCard aria-hidden className="size-4" /> },
  { path: '/docs', label: 'API reference', icon: <BookOpen aria-hidden className="size-4" /> },
  { path: '/admin', label: 'Admin', icon: <Shield aria-hidden className="size-4" />, admin: true },
];

export function Logo({ light = false }: { light?: boolean }) {
  return (
    <span className={`inline-flex items-center gap-2 text-lg font-bold tracking-tight ${light ? 'text-white' : 'text-slate-900'}`}>
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect width="32" height="32" rx="8" fill={light ? '#fff' : '#4f46e5'} />
        <path d="M11 8l-5 4 3 4 2-1v9h10v-9l2 1 3-4-5-4c-1 2-3 3-5 3s-4-1-5-3z" fill={light ? '#4f46e5' : '#fff'} />
      </svg>
      Fitroom
    </span>
  );
}

export function App() {
  const [info, setInfo] = useState<SessionInfo | null>(null);
  const path = usePath();
  const refresh = useCallback(async () => {
    const s = await api<SessionInfo>('GET', '/session');
    setCsrfToken(s.csrfToken);
    setInfo(s);
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (!info) return;
    if (!info.user && !PUBLIC_PATHS.has(path)) navigate('/login', { replace: true });
    if (info.user && (path === '/login' || path === '/signup')) navigate('/', { replace: true });
  }, [info, path]);

  if (!info) return <Spinner />;
  const state = { info, refresh };
  if (!info.user || PUBLIC_PATHS.has(path)) {
    return (
      <SessionContext.Provider value={state}>
        <AuthPage path={path} />
      </SessionContext.Provider>
    );
  }
  return (
    <SessionContext.Provider value={state}>
      <Shell path={path} />
    </SessionContext.Provider>
  );
}

function page(path: string, isAdmin: boolean): ReactNode {
  switch (path) {
    case '/':
      return <OverviewPage />;
    case '/studio':
      return <StudioPage />;
    case '/keys':
      return <KeysPage />;
    case '/usage':
      return <UsagePage />;
    case '/credits':
      return <CreditsPage />;
    case '/docs':
      return <DocsPage />;
    case '/admin':
      return isAdmin ? <AdminPage /> : <NotFound />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  return (
    <div className="py-20 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="mt-2 text-2xl font-bold">This page does not exist</h1>
      <a className="mt-4 inline-block text-sm font-semibold text-indigo-600 hover:underline" href={href('/')} onClick={(e) => { e.preventDefault(); navigate('/'); }}>
        Back to the overview
      </a>
    </div>
  );
}

function Shell({ path }: { path: string }) {
  const { info, refresh } = useSession();
  const user = info.user!;
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const logout = async () => {
    await api('POST', '/logout');
    await refresh();
    navigate('/login');
  };
  const nav = (
    <nav aria-label="Main" className="flex flex-1 flex-col gap-1">
      {NAV.filter((n) => !n.admin || user.isAdmin).map((n) => {
        const active = path === n.path;
        return (
          <a
            key={n.path}
            href={href(n.path)}
            aria-current={active ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(n.path);
            }}
            className={`flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition ${active ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900'}`}
          >
            {n.icon}
            {n.label}
          </a>
        );
      })}
    </nav>
  );
  const account = (
    <div className="border-t border-slate-200 pt-4">
      <p className="truncate px-3 text-sm font-medium text-slate-900" title={user.email}>
        {user.email}
      </p>
      <p className="px-3 text-xs text-slate-500">{user.isAdmin ? 'Operator' : user.everHeldCredits ? `${user.balance} credits` : `${user.trialRemaining} free calls left`}</p>
      <button onClick={logout} className="mt-2 flex w-full items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
        <LogOut aria-hidden className="size-4" /> Log out
      </button>
    </div>
  );
  return (
    <div className="min-h-screen lg:pl-64">
      <aside className="fixed inset-y-0 left-0 hidden w-64 flex-col gap-6 border-r border-slate-200 bg-white px-4 py-5 lg:flex">
        <Logo />
        {nav}
        {account}
      </aside>
      <header className="sticky top-0 z-20 flex items-center justify-between border-b border-slate-200 bg-white/90 px-4 py-3 backdrop-blur lg:hidden">
        <Logo />
        <button onClick={() => setOpen(!open)} className="rounded-lg p-2 text-slate-700 hover:bg-slate-100" aria-label={open ? 'Close menu' : 'Open menu'} aria-expanded={open}>
          {open ? <X aria-hidden className="size-5" /> : <Menu aria-hidden className="size-5" />}
        </button>
      </header>
      {open && (
        <div className="fixed inset-0 top-[57px] z-10 flex flex-col gap-4 bg-white px-4 py-4 lg:hidden">
          {nav}
          {account}
        </div>
      )}
      <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6 lg:px-8 lg:py-10">{page(path, user.isAdmin)}</main>
    </div>
  );
}
