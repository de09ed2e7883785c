// Finding out, once per page load, whether the page must sign in and whether
// it already is (the cookie survives a reload; the CSRF token is asked again).
import { getSession, getSignInRequired, signIn, signOut } from './api-client';
import { setSessionState } from './session';

let resolving: Promise<void> | null = null;

// /health first: a server that needs no sign-in is never asked for a session,
// whose 401 the browser would log on every page load (harmless, but it reads
// like a fault in the console).
export function resolveSession(): Promise<void> {
  resolving ??= (async () => {
    let required: boolean | null = null;
    try {
      required = await getSignInRequired();
    } catch {
      // unreachable or failing: the session decides, else the pages show the service's state themselves
    }
    if (required === false) return setSessionState({ status: 'not_needed' });
    try {
      const session = await getSession();
      if (session) return setSessionState({ status: 'signed_in', session });
    } catch {
      // no session to be had
    }
    setSessionState({ status: required ? 'signed_out' : 'not_needed' });
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
