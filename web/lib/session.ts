// Who is signed in on the web (authentication required): kept in memory only.
// The session itself is an HttpOnly cookie the page cannot read; its CSRF
// token is kept here (never in storage) and fetched again after a reload
// with GET /api/v1/session. api-client.ts sends it on every write.
import { useSyncExternalStore } from 'react';

import type { SessionInfo } from './api-types';

export type SessionState =
  | { status: 'unknown' }            // not asked yet
  | { status: 'not_needed' }         // the server does not require sign-in
  | { status: 'signed_out' }         // sign-in required, no session
  | { status: 'signed_in'; session: SessionInfo };

let state: SessionState = { status: 'unknown' };
const listeners = new Set<() => void>();

export function sessionState(): SessionState {
  return state;
}

export function setSessionState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** The CSRF token of the current session, or null (not signed in, or not needed). */
export function csrfToken(): string | null {
  return state.status === 'signed_in' ? state.session.csrf_token : null;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribe, sessionState, () => state);
}
