'use client';
// Two analyses side by side (/compare/?a=ID&b=ID), each with its own viewer.
import { useSearchParams } from 'next/navigation';

import { getAnalysis } from '@/lib/api-client';
import { useRemote } from '@/hooks/useRemote';

import ErrorMessage from '../common/ErrorMessage';
import ResultView from '../viewer/ResultView';

function One({ id }: { id: string }) {
  const remote = useRemote(id, (signal) => getAnalysis(id, signal));
  if (remote.status === 'failed') return <ErrorMessage message={remote.error.message} detail={remote.error.detail} />;
  if (remote.status !== 'ready') return <p role="status" className="text-slate-300">Loading the analysis…</p>;
  return <ResultView analysis={remote.data} compact />;
}

export default function CompareView() {
  const params = useSearchParams();
  const ids = [params?.get('a'), params?.get('b')].filter((x): x is string => !!x);
  if (ids.length < 2) return <ErrorMessage message="Pick two analyses in the history to compare them." />;
  return (
    <div className="grid gap-6 xl:grid-cols-2" data-testid="compare">
      {ids.map((id) => <div key={id} className="min-w-0 rounded-xl p-2 ring-1 ring-slate-800"><One id={id} /></div>)}
    </div>
  );
}
