'use client';
// The name of the tool and its places: analyse, live, history.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';

import { useSessionState } from '@/lib/session';
import { signOutNow } from '@/lib/session-flow';

const LINKS = [
  { href: '/', label: 'Analyse' },
  { href: '/live/', label: 'Live' },
  { href: '/history/', label: 'History' },
];

export default function SiteHeader() {
  const path = usePathname() ?? '/';
  const session = useSessionState();
  const [leaving, setLeaving] = useState(false);
  const current = (href: string) => (href === '/' ? path === '/' : path.startsWith(href.replace(/\/$/, '')));
  return (
    <header className="border-b border-slate-800 bg-slate-950">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-3 py-3 sm:px-6">
        <Link href="/" className="text-lg font-bold text-white focus-visible:outline-2 focus-visible:outline-sky-300">
          sound<span className="text-amber-300">lens</span>
        </Link>
        {session.status !== 'signed_out' && (
        <ul className="flex gap-1">
          {LINKS.map((link) => (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current(link.href) ? 'page' : undefined}
                className={`rounded-md px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-sky-300 ${
                  current(link.href) ? 'bg-slate-800 text-white' : 'text-slate-300 hover:bg-slate-900 hover:text-white'
                }`}
              >
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
        )}
        <p className="ml-auto hidden text-xs text-slate-400 md:block">527 AudioSet classes, each prediction explained with Grad-CAM</p>
        {session.status === 'signed_in' && (
          <div className="ml-auto flex items-center gap-3 text-sm md:ml-0" data-testid="signed-in">
            <span className="text-slate-300">
              Signed in as <strong className="font-semibold text-white">{session.session.user}</strong>
            </span>
            <button
              type="button"
              disabled={leaving}
              onClick={() => {
                setLeaving(true);
                void signOutNow().finally(() => setLeaving(false));
              }}
              className="rounded-md border border-slate-600 px-3 py-1 text-slate-200 hover:bg-slate-800 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-sky-300"
            >
              Sign out
            </button>
          </div>
        )}
      </nav>
    </header>
  );
}
