import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiFailure } from './api.js';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: string; status?: number } | { state: 'ready'; data: T };

/** Loads once per key; `reload` fetches again (after a change). */
export function useLoad<T>(load: () => Promise<T>, key: unknown[]): Loaded<T> & { reload: () => void } {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setValue({ state: 'loading' });
    load().then(
      (data) => live && setValue({ state: 'ready', data }),
      (err: unknown) => live && setValue({ state: 'error', error: messageOf(err), ...(err instanceof ApiFailure ? { status: err.status } : {}) }),
    );
    return () => {
      live = false;
    };
    // The caller names what the load depends on (`key`); the function itself is new every render.
  }, [...key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...value, reload };
}

export function messageOf(err: unknown): string {
  if (err instanceof ApiFailure && err.problems.length > 0) return `${err.message} ${err.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
  return err instanceof Error ? err.message : String(err);
}
