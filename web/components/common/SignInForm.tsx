'use client';
// The sign-in form, shown instead of the page when the server requires
// authentication and nobody is signed in.
import { useState, type FormEvent } from 'react';

import { toApiError } from '@/lib/api-errors';
import { signInAs } from '@/lib/session-flow';

import ErrorMessage from './ErrorMessage';

function messageFor(error: unknown): { message: string; detail?: string } {
  const e = toApiError(error);
  if (e.status === 401) return { message: 'Wrong name or password.' };
  if (e.status === 429) return { message: e.message.replace('Too many requests.', 'Too many sign-in attempts.') };
  if (e.status === 400) return { message: 'The service did not accept these details.', detail: e.detail };
  return { message: e.message, detail: e.detail };
}

export default function SignInForm() {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; detail?: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || !password) {
      setError({ message: 'Enter your name and your password.' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signInAs(name.trim(), password);
    } catch (e) {
      setError(messageFor(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const field =
    'w-full rounded-md border border-slate-600 bg-slate-900 px-3 py-2 text-slate-100 placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-sky-300';
  return (
    <section aria-labelledby="sign-in-title" className="mx-auto mt-8 w-full max-w-sm rounded-xl border border-slate-700 bg-slate-900/60 p-6">
      <h1 id="sign-in-title" className="text-xl font-semibold text-white">Sign in</h1>
      <p className="mt-1 text-sm text-slate-300">This soundlens service requires an account. Ask its administrator for one.</p>
      <form className="mt-5 flex flex-col gap-4" onSubmit={submit} noValidate data-testid="sign-in-form">
        <label className="flex flex-col gap-1 text-sm text-slate-200">
          Name
          <input className={field} name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />
        </label>
        <label className="flex flex-col gap-1 text-sm text-slate-200">
          Password
          <input className={field} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={1024} required />
        </label>
        {error && <ErrorMessage message={error.message} detail={error.detail} onDismiss={() => setError(null)} />}
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-sky-600 px-4 py-2 font-medium text-white hover:bg-sky-500 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-sky-200"
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
