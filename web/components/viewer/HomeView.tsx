'use client';
// The analyse page: input, then the result. ?id=... opens a stored analysis
// (links from the history), so results survive a reload; a batch shows each
// file's progress and then the combined event table.
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useState } from 'react';

import { audioUrl } from '@/lib/api-base';
import { getAnalysis } from '@/lib/api-client';
import type { Analysis, Comparison } from '@/lib/api-types';
import { comparisonUrl, rememberComparison } from '@/lib/compare';
import { prefetchSpectrogram } from '@/lib/spectrogram-cache';
import { useRemote } from '@/hooks/useRemote';
import { useUploads } from '@/hooks/useUploads';

import ErrorMessage from '../common/ErrorMessage';
import { DEFAULT_CHOICE, type ModelChoice } from '../compare/ModelPicker';
import BatchResults from '../upload/BatchResults';
import InputPanel from '../upload/InputPanel';
import ResultView from './ResultView';
import { pinsFromUrl } from './ViewerContext';

export default function HomeView() {
  const requestedId = useSearchParams()?.get('id') ?? null;
  const [fresh, setFresh] = useState<Analysis | null>(null);

  const onResult = useCallback((analysis: Analysis) => {
    setFresh(analysis);
    const pins = new URLSearchParams(window.location.search).get('pin');
    window.history.replaceState(null, '', `?id=${encodeURIComponent(analysis.id)}${pins ? `&pin=${pins}` : ''}`);
  }, []);
  const router = useRouter();
  const onCompared = useCallback((comparison: Comparison) => {
    rememberComparison(comparison);
    router.push(comparisonUrl(comparison));
  }, [router]);
  const uploads = useUploads(onResult, onCompared);
  const [choice, setChoice] = useState<ModelChoice>(DEFAULT_CHOICE);
  const upload = (files: File[]) => {
    if (choice.compare && files.length > 1) {
      uploads.reject('Comparing two models takes one recording at a time.');
      return;
    }
    uploads.run(files, pinsFromUrl(), { model: choice.model, models: choice.compare });
  };

  const needsLoad = requestedId !== null && fresh?.id !== requestedId ? requestedId : null;
  const stored = useRemote(needsLoad, (signal) => {
    // The spectrogram is requested alongside the analysis, not after it.
    prefetchSpectrogram(needsLoad!);
    return getAnalysis(needsLoad!, signal);
  });
  // After an upload the URL is rewritten to ?id=<new id>, so the fresh result is shown by that id too.
  const analysis = fresh && fresh.id === requestedId ? fresh : stored.status === 'ready' ? stored.data : null;

  const reanalyse = useCallback(async (classes: number[]) => {
    if (!analysis) return;
    if (!analysis.audio_stored) {
      uploads.reject(`“${analysis.filename}”: this server does not keep recordings, so it cannot be analysed again; upload it once more.`);
      return;
    }
    try {
      const blob = await (await fetch(audioUrl(analysis.id))).blob();
      uploads.run([new File([blob], analysis.filename, { type: blob.type })], classes, { model: analysis.model });
    } catch {
      uploads.reject(`“${analysis.filename}”: the stored recording could not be read back for a new analysis.`);
    }
  }, [analysis, uploads]);

  return (
    <div className="flex flex-col gap-8">
      <InputPanel
        items={uploads.items}
        busy={uploads.busy}
        compact={analysis !== null}
        onFiles={upload}
        choice={choice}
        onChoice={setChoice}
        onReject={uploads.reject}
        onCancel={uploads.cancel}
        onDismiss={uploads.dismiss}
        onOpen={uploads.endBatch}
      />
      {uploads.batch && <BatchResults items={uploads.items} onOpen={uploads.endBatch} />}
      {stored.status === 'loading' && <p role="status" className="text-slate-300">Loading the analysis…</p>}
      {stored.status === 'failed' && <ErrorMessage message={stored.error.message} detail={stored.error.detail} />}
      {analysis && !uploads.batch && <ResultView key={analysis.id} analysis={analysis} onReanalyse={(classes) => void reanalyse(classes)} />}
    </div>
  );
}
