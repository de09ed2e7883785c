'use client';
// Loads something from the service when its key changes; null key = nothing to load.
import { useEffect, useState } from 'react';

import { toApiError, type ApiError } from '@/lib/api-errors';

export type Remote<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'failed'; error: ApiError };

export function useRemote<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, reloadToken = 0): Remote<T> {
  const [state, setState] = useState<{ key: string | null; token: number; remote: Remote<T> }>({ key: null, token: 0, remote: { status: 'idle' } });

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => setState({ key, token: reloadToken, remote: { status: 'ready', data } }),
      (error) => {
        const failure = toApiError(error);
        if (failure.code !== 'cancelled') setState({ key, token: reloadToken, remote: { status: 'failed', error: failure } });
      },
    );
    return () => controller.abort();
    // `load` is keyed by `key`: a new function with the same key must not reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reloadToken]);

  if (key === null) return { status: 'idle' };
  if (state.key !== key || state.token !== reloadToken) return { status: 'loading' };
  return state.remote;
}
