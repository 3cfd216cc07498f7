/** Loading server data into a page. */
import { useCallback, useEffect, useState } from 'react';
import { ApiFailure } from './api.ts';

export interface Loaded<T> {
  data: T | null;
  error: { code?: number; message: string } | null;
  reload: () => Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<{ code?: number; message: string } | null>(null);
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    try {
      setData(await run());
      setError(null);
    } catch (err) {
      setError(err instanceof ApiFailure ? { code: err.code, message: err.message } : { message: String(err) });
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

export function failure(err: unknown): { code?: number; message: string } {
  return err instanceof ApiFailure ? { code: err.code, message: err.message } : { message: err instanceof Error ? err.message : String(err) };
}
