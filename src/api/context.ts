/** What the API layer remembers about one request (auth, outcome) for usage rows, metrics and logs. */
import type { AuthContext } from '../domain/keys.ts';

export interface RequestState {
  auth: AuthContext | null;
  /** The contract code of the response (200 on success). */
  code: number;
  engineMs: number | null;
  cacheHit: boolean;
  /** Whether this request is an API call that gets a usage row. */
  usage: boolean;
  /** The client closed the connection before the answer was written. */
  clientGone: boolean;
  /** The handler has produced its answer (onSend ran). */
  replied: boolean;
  /** The usage row, metrics and log line have been written (exactly once per request). */
  finished: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    fitroom: RequestState;
  }
}

export function freshState(): RequestState {
  return { auth: null, code: 200, engineMs: null, cacheHit: false, usage: false, clientGone: false, replied: false, finished: false };
}
