'use client';
// Past analyses, newest first, a page at a time (?page=N); search by name,
// note or label, filter by class and date; pick two to open side by side.
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';

import { deleteAnalysis, listAnalyses } from '@/lib/api-client';
import { toApiError } from '@/lib/api-errors';
import type { AnalysisSummary } from '@/lib/api-types';
import { useCapabilities } from '@/lib/capabilities';
import { filterParams, isFiltering, NO_FILTER, type HistoryFilter } from '@/lib/history-filter';
import { useRemote } from '@/hooks/useRemote';

import ConfirmDialog from '../common/ConfirmDialog';
import ErrorMessage from '../common/ErrorMessage';
import HistoryItem from './HistoryItem';
import Pagination from './Pagination';

const PAGE_SIZE = 20;

const input = 'rounded-md border border-slate-600 bg-slate-950 px-2 py-1 text-sm text-white focus-visible:outline-2 focus-visible:outline-sky-300';

export default function HistoryView() {
  const raw = Number(useSearchParams()?.get('page') ?? '1');
  const page = Number.isInteger(raw) && raw > 0 ? raw : 1;
  const caps = useCapabilities();
  const [reload, setReload] = useState(0);
  const [doomed, setDoomed] = useState<AnalysisSummary | null>(null);
  const [problem, setProblem] = useState<{ message: string; detail?: string } | null>(null);
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const [picked, setPicked] = useState<string[]>([]);
  const filtering = isFiltering(filter);
  // A filter shows its newest matches from the first page on.
  const shown = filtering ? 1 : page;
  const params = filterParams(filter);
  const list = useRemote(`page-${shown}-${JSON.stringify(params)}`, (signal) => listAnalyses(PAGE_SIZE, (shown - 1) * PAGE_SIZE, params, signal), reload);

  const confirmDelete = async () => {
    const item = doomed;
    setDoomed(null);
    if (!item) return;
    try {
      await deleteAnalysis(item.id);
      setProblem(null);
    } catch (error) {
      const failure = toApiError(error);
      if (failure.code !== 'not_found') setProblem({ message: `“${item.filename}” could not be deleted. ${failure.message}`, detail: failure.detail });
    }
    setPicked((p) => p.filter((id) => id !== item.id));
    setReload((n) => n + 1);
  };

  const items = list.status === 'ready' ? list.data.items : [];
  const total = list.status === 'ready' ? list.data.total : 0;
  const pages = Math.ceil(total / PAGE_SIZE);
  const togglePick = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));

  return (
    <div className="flex flex-col gap-4" data-testid="history">
      <h1 className="text-2xl font-semibold text-white">History</h1>
      <form className="flex flex-wrap items-end gap-3 text-sm text-slate-200" role="search" aria-label="Filter the history" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1">Name, note or label<input type="search" className={input} value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} data-testid="history-search" /></label>
        <label className="flex flex-col gap-1">Class<input type="search" className={input} value={filter.className} onChange={(e) => setFilter({ ...filter, className: e.target.value })} placeholder="e.g. Cough" title="A class name or index among the predictions and events" data-testid="history-class" /></label>
        <label className="flex flex-col gap-1">From (UTC)<input type="date" className={input} value={filter.from} onChange={(e) => setFilter({ ...filter, from: e.target.value })} data-testid="history-from" /></label>
        <label className="flex flex-col gap-1">To (UTC)<input type="date" className={input} value={filter.to} onChange={(e) => setFilter({ ...filter, to: e.target.value })} data-testid="history-to" /></label>
        {filtering && <button type="button" onClick={() => setFilter(NO_FILTER)} className="rounded-md px-2 py-1 text-slate-300 underline hover:text-white">Clear</button>}
      </form>
      {filtering && list.status === 'ready' && (
        <p className="text-xs text-slate-400" data-testid="history-filter-count">
          {total === 1 ? '1 analysis matches' : `${total} analyses match`}{total > items.length ? ` (the newest ${items.length} are shown)` : ''}.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-300">
        <span>Pick two to compare: {picked.length}/2</span>
        {picked.length === 2 && (
          <Link href={`/compare/?a=${encodeURIComponent(picked[0]!)}&b=${encodeURIComponent(picked[1]!)}`} className="rounded-lg bg-sky-500 px-3 py-1 font-semibold text-slate-950 hover:bg-sky-400" data-testid="compare-link">
            Open side by side
          </Link>
        )}
        {caps.loaded && !caps.patchAnalysis && (
          <span className="text-xs text-slate-400" data-testid="notes-unavailable">Notes and labels cannot be edited on this server (it has no PATCH /api/v1/analyses/&#123;id&#125;).</span>
        )}
      </div>
      {problem && <ErrorMessage message={problem.message} detail={problem.detail} onDismiss={() => setProblem(null)} />}
      {list.status === 'loading' && <p role="status" className="text-slate-300">Loading past analyses…</p>}
      {list.status === 'failed' && <ErrorMessage message={list.error.message} detail={list.error.detail} />}
      {list.status === 'ready' && items.length === 0 && (
        <p className="text-slate-300" data-testid="history-empty">
          {filtering ? 'No analysis matches these filters. ' : page > 1 ? 'No analyses on this page. ' : 'No analyses yet. '}
          <Link href="/" className="text-sky-300 underline">Analyse a sound</Link>.
        </p>
      )}
      {items.length > 0 && (
        <ul className="flex flex-col gap-3" aria-label="Past analyses">
          {items.map((item) => (
            <HistoryItem key={item.id} item={item} onDelete={setDoomed} picked={picked.includes(item.id)} onPick={() => togglePick(item.id)} editable={caps.patchAnalysis} onSaved={() => setReload((n) => n + 1)} />
          ))}
        </ul>
      )}
      {!filtering && list.status === 'ready' && (pages > 1 || page > 1) && <Pagination page={page} pages={pages} total={total} />}
      <ConfirmDialog
        open={doomed !== null}
        title="Delete this analysis?"
        message={`“${doomed?.filename ?? ''}” and its stored audio will be removed from the service. This cannot be undone.`}
        confirmLabel="Delete"
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDoomed(null)}
      />
    </div>
  );
}
