'use client';
// The analyse page: input, then the result. ?id=... opens a stored analysis
// (links from the history), so results survive a reload.
import { useSearchParams } from 'next/navigation';
import { useCallback, useState } from 'react';

import { getAnalysis } from '@/lib/api-client';
import type { Analysis } from '@/lib/api-types';
import { prefetchSpectrogram } from '@/lib/spectrogram-cache';
import { useAnalysisRun } from '@/hooks/useAnalysisRun';
import { useRemote } from '@/hooks/useRemote';

import ErrorMessage from './ErrorMessage';
import InputPanel from './InputPanel';
import ResultView from './ResultView';

export default function HomeView() {
  const requestedId = useSearchParams()?.get('id') ?? null;
  const [fresh, setFresh] = useState<Analysis | null>(null);

  const onResult = useCallback((analysis: Analysis) => {
    setFresh(analysis);
    window.history.replaceState(null, '', `?id=${encodeURIComponent(analysis.id)}`);
  }, []);
  const { state, run, cancel, fail, dismiss } = useAnalysisRun(onResult);

  const needsLoad = requestedId !== null && fresh?.id !== requestedId ? requestedId : null;
  const stored = useRemote(needsLoad, (signal) => {
    // The spectrogram is requested alongside the analysis, not after it.
    prefetchSpectrogram(needsLoad!);
    return getAnalysis(needsLoad!, signal);
  });
  // After an upload the URL is rewritten to ?id=<new id>, so the fresh result is shown by that id too.
  const analysis = fresh && fresh.id === requestedId ? fresh : stored.status === 'ready' ? stored.data : null;

  return (
    <div className="flex flex-col gap-8">
      <InputPanel state={state} compact={analysis !== null} onFile={(file) => void run(file)} onReject={fail} onDismiss={dismiss} onCancel={cancel} />
      {stored.status === 'loading' && <p role="status" className="text-slate-300">Loading the analysis…</p>}
      {stored.status === 'failed' && <ErrorMessage message={stored.error.message} detail={stored.error.detail} />}
      {analysis && <ResultView key={analysis.id} analysis={analysis} />}
    </div>
  );
}
