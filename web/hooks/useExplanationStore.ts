'use client';
// Explanations by (class, method, contrast, extras): the ones that came with
// the analysis, and any asked for since, fetched once each. Components ask
// for what they show; the store says ready / loading / failed.
import { useCallback, useRef, useState } from 'react';

import { getExplanation } from '@/lib/api-client';
import { toApiError, type ApiError } from '@/lib/api-errors';
import { DEFAULT_METHOD, type Explanation, type ExplanationQuery } from '@/lib/api-types';

export type Entry =
  | { status: 'loading' }
  | { status: 'ready'; data: Explanation }
  | { status: 'failed'; error: ApiError };

export function explanationKey(q: ExplanationQuery): string {
  return [q.classIndex, q.method ?? DEFAULT_METHOD, q.contrast ?? '', q.sanity ? 'sanity' : '', q.faithfulness ? 'trust' : '', q.listen ? 'listen' : ''].join('|');
}

export interface ExplanationStore {
  get: (q: ExplanationQuery) => Entry | undefined;
  ensure: (q: ExplanationQuery) => void;
}

export function useExplanationStore(analysisId: string, initial: Explanation[]): ExplanationStore {
  const [entries, setEntries] = useState<Map<string, Entry>>(() => {
    const map = new Map<string, Entry>();
    for (const e of initial) {
      const key = e.index === null ? null : explanationKey({ classIndex: e.index, method: e.method, contrast: e.contrast?.index });
      // A fused analysis has one map per model and class: the first (its first model's, the spectrogram's) is shown.
      if (key !== null && !map.has(key)) map.set(key, { status: 'ready', data: e });
    }
    return map;
  });
  const asked = useRef(new Set<string>(entries.keys()));

  const ensure = useCallback((q: ExplanationQuery) => {
    const key = explanationKey(q);
    if (asked.current.has(key)) return;
    asked.current.add(key);
    setEntries((before) => new Map(before).set(key, { status: 'loading' }));
    getExplanation(analysisId, { ...q, method: q.method === DEFAULT_METHOD ? undefined : q.method }).then(
      (data) => setEntries((before) => new Map(before).set(key, { status: 'ready', data })),
      (error) => {
        asked.current.delete(key); // may be asked again
        setEntries((before) => new Map(before).set(key, { status: 'failed', error: toApiError(error) }));
      },
    );
  }, [analysisId]);

  const get = useCallback((q: ExplanationQuery) => entries.get(explanationKey(q)), [entries]);
  return { get, ensure };
}
