// One past analysis: what it was, its best classes, open and delete.
import Link from 'next/link';

import type { AnalysisSummary } from '@/lib/api-types';
import { formatDate, formatPercent, formatSeconds } from '@/lib/format';

export default function HistoryItem({ item, onDelete }: { item: AnalysisSummary; onDelete: (item: AnalysisSummary) => void }) {
  const name = item.filename ?? item.id;
  const top = (item.predictions ?? []).slice(0, 3);
  return (
    <li className="flex flex-col gap-2 rounded-xl bg-slate-900/70 p-4 ring-1 ring-slate-800 sm:flex-row sm:items-center" data-testid="history-item" data-analysis-id={item.id}>
      <div className="min-w-0 flex-1">
        <p className="truncate font-medium text-white" title={name}>{name}</p>
        <p className="text-xs text-slate-400">
          {formatDate(item.created_at)} · {formatSeconds(item.duration_s)}{item.model ? ` · ${item.model}` : ''}
        </p>
        {top.length > 0 && (
          <p className="mt-1 text-sm text-slate-200">
            {top.map((p) => `${p.label} ${formatPercent(p.probability)}`).join(' · ')}
          </p>
        )}
      </div>
      <div className="flex gap-2">
        <Link href={`/?id=${encodeURIComponent(item.id)}`} className="rounded-lg bg-sky-500 px-3 py-1.5 text-sm font-semibold text-slate-950 hover:bg-sky-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-200" aria-label={`Open ${name}`}>
          Open
        </Link>
        <button type="button" onClick={() => onDelete(item)} className="rounded-lg border border-red-400/70 px-3 py-1.5 text-sm text-red-200 hover:bg-red-950 focus-visible:outline-2 focus-visible:outline-red-200" aria-label={`Delete ${name}`} data-testid="history-delete">
          Delete
        </button>
      </div>
    </li>
  );
}
