// Previous / next through the history, with where we are.
import Link from 'next/link';

export default function Pagination({ page, pages, total }: { page: number; pages: number; total: number }) {
  const link = (target: number, label: string, enabled: boolean) =>
    enabled ? (
      <Link href={target === 1 ? '/history/' : `/history/?page=${target}`} className="rounded-lg border border-slate-600 px-3 py-1.5 text-sm hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-sky-300" rel={label === 'Previous' ? 'prev' : 'next'}>
        {label}
      </Link>
    ) : (
      <span className="rounded-lg border border-slate-800 px-3 py-1.5 text-sm text-slate-400" aria-disabled="true">{label}</span>
    );
  return (
    <nav aria-label="History pages" className="flex items-center justify-between gap-3">
      {link(page - 1, 'Previous', page > 1)}
      <span className="text-sm text-slate-300">Page {page} of {Math.max(1, pages)} · {total} analyses</span>
      {link(page + 1, 'Next', page < pages)}
    </nav>
  );
}
