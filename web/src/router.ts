/** Client-side routes under /dashboard: the server answers every one of them with the app's page. */
import { useEffect, useState } from 'react';

const BASE = '/dashboard';

export function currentPath(): string {
  const p = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return p === '' ? '/' : p.replace(/\/+$/, '') || '/';
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE}${path === '/' ? '/' : path}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

export function href(path: string): string {
  return `${BASE}${path === '/' ? '/' : path}`;
}
