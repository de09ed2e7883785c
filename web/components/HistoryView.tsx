'use client';
// Past analyses, newest first, a page at a time (?page=N).
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';

import { deleteAnalysis, listAnalyses } from '@/lib/api-client';
import { toApiError } from '@/lib/api-errors';
import type { AnalysisSummary } from '@/lib/api-types';
import { useRemote } from '@/hooks/useRemote';

import ConfirmDialog from './ConfirmDialog';
import ErrorMessage from './ErrorMessage';
import HistoryItem from './HistoryItem';
import Pagination from './Pagination';

const PAGE_SIZE = 20;

export default function HistoryView() {
  const raw = Number(useSearchParams()?.get('page') ?? '1');
  const page = Number.isInteger(raw) && raw > 0 ? raw : 1;
  const [reload, setReload] = useState(0);
  const [doomed, setDoomed] = useState<AnalysisSummary | null>(null);
  const [problem, setProblem] = useState<{ message: string; detail?: string } | null>(null);
  const list = useRemote(`page-${page}`, (signal) => listAnalyses(PAGE_SIZE, (page - 1) * PAGE_SIZE, signal), reload);

  const confirmDelete = async () => {
    const item = doomed;
    setDoomed(null);
    if (!item) return;
    try {
      await deleteAnalysis(item.id);
      setProblem(null);
    } catch (error) {
      const failure = toApiError(error);
      if (failure.code !== 'not_found') setProblem({ message: `“${item.filename ?? item.id}” could not be deleted. ${failure.message}`, detail: failure.detail });
    }
    setReload((n) => n + 1);
  };

  const items = list.status === 'ready' && Array.isArray(list.data?.items) ? list.data.items : [];
  const total = list.status === 'ready' ? list.data.total ?? items.length : 0;
  const pages = Math.ceil(total / PAGE_SIZE);

  return (
    <div className="flex flex-col gap-4" data-testid="history">
      <h1 className="text-2xl font-semibold text-white">History</h1>
      {problem && <ErrorMessage message={problem.message} detail={problem.detail} onDismiss={() => setProblem(null)} />}
      {list.status === 'loading' && <p role="status" className="text-slate-300">Loading past analyses…</p>}
      {list.status === 'failed' && <ErrorMessage message={list.error.message} detail={list.error.detail} />}
      {list.status === 'ready' && items.length === 0 && (
        <p className="text-slate-300" data-testid="history-empty">
          {page > 1 ? 'No analyses on this page. ' : 'No analyses yet. '}
          <Link href="/" className="text-sky-300 underline">Analyse a sound</Link>.
        </p>
      )}
      {items.length > 0 && (
        <ul className="flex flex-col gap-3" aria-label="Past analyses">
          {items.map((item) => <HistoryItem key={item.id} item={item} onDelete={setDoomed} />)}
        </ul>
      )}
      {list.status === 'ready' && (pages > 1 || page > 1) && <Pagination page={page} pages={pages} total={total} />}
      <ConfirmDialog
        open={doomed !== null}
        title="Delete this analysis?"
        message={`“${doomed?.filename ?? doomed?.id ?? ''}” and its stored audio will be removed from the service. This cannot be undone.`}
        confirmLabel="Delete"
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDoomed(null)}
      />
    </div>
  );
}
