// Finding out, once per page load, whether the page must sign in and whether
// it already is (the cookie survives a reload; the CSRF token is asked again).
import { getSession, getSignInRequired, signIn, signOut } from './api-client';
import { setSessionState } from './session';

let resolving: Promise<void> | null = null;

export function resolveSession(): Promise<void> {
  resolving ??= (async () => {
    try {
      const session = await getSession();
      if (session) return setSessionState({ status: 'signed_in', session });
    } catch {
      // unreachable or failing: decided by /health below
    }
    try {
      setSessionState({ status: (await getSignInRequired()) ? 'signed_out' : 'not_needed' });
    } catch {
      setSessionState({ status: 'not_needed' }); // the pages show the service's state themselves
    }
  })();
  return resolving;
}

export async function signInAs(name: string, password: string): Promise<void> {
  const session = await signIn(name, password);
  setSessionState({ status: 'signed_in', session });
}

export async function signOutNow(): Promise<void> {
  try {
    await signOut();
  } finally {
    setSessionState({ status: 'signed_out' });
  }
}
