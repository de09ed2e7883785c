'use client';
// The spectrogram for the visible span: the overview of the whole recording
// (requested as soon as the analysis arrives), and, when zoomed in on a server
// that serves spans, the visible span at full resolution (fetched after the
// view rests for a moment, with a margin either side so small pans need no
// new request).
import { useEffect, useState } from 'react';

import { getSpectrogramSpan } from '@/lib/api-client';
import type { Spectrogram } from '@/lib/api-types';
import { loadSpectrogram } from '@/lib/spectrogram-cache';
import type { TimeView } from '@/lib/time-view';
import { useRemote, type Remote } from './useRemote';

const REST_MS = 250;

function covers(s: Spectrogram, view: TimeView): boolean {
  const eps = s.seconds_per_column;
  return s.start_s <= view.start + eps && s.start_s + s.cols * s.seconds_per_column >= view.end - eps;
}

export interface Spectrograms {
  overview: Remote<Spectrogram>;
  /** A full-resolution span covering the view, when there is one. */
  span: Spectrogram | null;
  spanLoading: boolean;
}

export function useSpectrograms(id: string, view: TimeView, durationS: number, widthPx: number, spansServed: boolean): Spectrograms {
  const overview = useRemote(id, (signal) => loadSpectrogram(id, signal));
  const [held, setHeld] = useState<{ spec: Spectrogram; width: number } | null>(null);
  const span = held?.spec ?? null;
  const [loading, setLoading] = useState(false);
  const overviewData = overview.status === 'ready' ? overview.data : null;
  const spanCovers = span !== null && covers(span, view);
  const viewSpan = view.end - view.start;
  // Worth a request when the overview has fewer columns than pixels here and the held span does not cover the view at this zoom.
  const overviewPerPixel = overviewData ? (viewSpan / overviewData.seconds_per_column) / Math.max(1, widthPx) : 0;
  // Fine when it covers the view at this zoom, or has one column per frame already (fewer columns than asked for).
  const heldIsFine = spanCovers && (held!.spec.cols < held!.width * 0.99 || held!.spec.seconds_per_column <= (viewSpan / Math.max(1, widthPx)) * 1.5);
  const wanted = spansServed && overviewData !== null && overviewPerPixel < 1 && viewSpan < durationS * 0.95 && !heldIsFine;

  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      const margin = viewSpan * 0.25;
      const start = Math.max(0, view.start - margin);
      const end = Math.min(durationS, view.end + margin);
      const width = Math.round(widthPx * ((end - start) / viewSpan));
      setLoading(true);
      getSpectrogramSpan(id, start, end, width, controller.signal).then(
        (s) => {
          setLoading(false);
          // A server that ignores the span answers with the whole recording: keep the overview then.
          if (s.cols > 0 && s.end_s - s.start_s < durationS * 0.999) setHeld({ spec: s, width });
        },
        () => setLoading(false),
      );
    }, REST_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [wanted, id, view.start, view.end, viewSpan, durationS, widthPx]);

  return { overview, span: spanCovers ? span : null, spanLoading: loading };
}
