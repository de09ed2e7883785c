// /health, asked once per page load and shared: the service's state and its
// runtime limits (the upload limit the page enforces comes from here).
import { useEffect, useState } from 'react';

import { getHealth } from './api-client';
import { toApiError, type ApiError } from './api-errors';
import type { Health } from './api-types';

let cache: Promise<Health> | null = null;

export function loadHealth(): Promise<Health> {
  cache ??= getHealth().catch((error) => {
    cache = null;
    throw error;
  });
  return cache;
}

export type HealthState = { status: 'loading' } | { status: 'ready'; data: Health } | { status: 'failed'; error: ApiError };

export function useHealth(): HealthState {
  const [state, setState] = useState<HealthState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    loadHealth().then(
      (data) => live && setState({ status: 'ready', data }),
      (error) => live && setState({ status: 'failed', error: toApiError(error) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
