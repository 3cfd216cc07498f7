/** The signed-in session, shared by every page. */
import { createContext, useContext } from 'react';
import type { SessionInfo } from './api.ts';

export interface SessionState {
  info: SessionInfo;
  /** Reloads the session (after log-in, a grant, a call that spent credits). */
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionContext');
  return s;
}
