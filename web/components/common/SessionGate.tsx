'use client';
// Shows the page, or the sign-in form when the server requires authentication
// and nobody is signed in.
import { useEffect, type ReactNode } from 'react';

import { useSessionState } from '@/lib/session';
import { resolveSession } from '@/lib/session-flow';

import SignInForm from './SignInForm';

export default function SessionGate({ children }: { children: ReactNode }) {
  const state = useSessionState();
  useEffect(() => {
    void resolveSession();
  }, []);
  if (state.status === 'unknown') return <p className="text-slate-300">Loading…</p>;
  if (state.status === 'signed_out') return <SignInForm />;
  return <>{children}</>;
}
