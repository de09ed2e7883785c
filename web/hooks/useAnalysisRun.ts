'use client';
// One analysis request at a time: upload with progress, then wait for the
// service, then hand over the result or a human error.
import { useCallback, useRef, useState } from 'react';

import { createAnalysis } from '@/lib/api-client';
import { toApiError } from '@/lib/api-errors';
import type { Analysis } from '@/lib/api-types';
import { markUploadFinished } from '@/lib/perf';
import { prefetchSpectrogram } from '@/lib/spectrogram-cache';

export type RunState =
  | { phase: 'idle' }
  | { phase: 'uploading'; filename: string; fraction: number }
  | { phase: 'analysing'; filename: string }
  | { phase: 'failed'; message: string; detail?: string };

export function useAnalysisRun(onResult: (analysis: Analysis) => void) {
  const [state, setState] = useState<RunState>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(async (file: File) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ phase: 'uploading', filename: file.name, fraction: 0 });
    try {
      const analysis = await createAnalysis(
        { file, filename: file.name },
        {
          signal: abort.signal,
          onUploadProgress: (fraction) =>
            setState(fraction >= 1 ? { phase: 'analysing', filename: file.name } : { phase: 'uploading', filename: file.name, fraction }),
        },
      );
      markUploadFinished();
      if (!analysis || typeof analysis.id !== 'string') throw new Error('The service answered without an analysis.');
      prefetchSpectrogram(analysis.id);
      setState({ phase: 'idle' });
      onResult(analysis);
    } catch (error) {
      const failure = toApiError(error);
      if (failure.code === 'cancelled') setState({ phase: 'idle' });
      else setState({ phase: 'failed', message: failure.message, detail: failure.detail });
    }
  }, [onResult]);

  const cancel = useCallback(() => controller.current?.abort(), []);
  const fail = useCallback((message: string) => setState({ phase: 'failed', message }), []);
  const dismiss = useCallback(() => setState({ phase: 'idle' }), []);

  return { state, run, cancel, fail, dismiss };
}
