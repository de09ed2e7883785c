'use client';
// The name of the tool and the two places: analyse, history.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Analyse' },
  { href: '/history/', label: 'History' },
];

export default function SiteHeader() {
  const path = usePathname() ?? '/';
  const current = (href: string) => (href === '/' ? path === '/' : path.startsWith(href.replace(/\/$/, '')));
  return (
    <header className="border-b border-slate-800 bg-slate-950">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-3 py-3 sm:px-6">
        <Link href="/" className="text-lg font-bold text-white focus-visible:outline-2 focus-visible:outline-sky-300">
          sound<span className="text-amber-300">lens</span>
        </Link>
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
        <p className="ml-auto hidden text-xs text-slate-400 md:block">527 AudioSet classes, each prediction explained with Grad-CAM</p>
      </nav>
    </header>
  );
}
