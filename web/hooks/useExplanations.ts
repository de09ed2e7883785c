'use client';
// The explanations on hand (the top k from the analysis, plus any class asked
// for since) and which one is shown. A class without one is fetched first.
import { useCallback, useState } from 'react';

import { getExplanation } from '@/lib/api-client';
import { toApiError } from '@/lib/api-errors';
import type { Explanation } from '@/lib/api-types';

export interface ExplanationsState {
  list: Explanation[];
  selected: number;
  pending: string | null;
  problem: string | null;
  select: (position: number) => void;
  explainClass: (index: number, label: string) => void;
}

export function useExplanations(analysisId: string, initial: Explanation[]): ExplanationsState {
  const [list, setList] = useState(initial);
  const [selected, setSelected] = useState(initial.length > 0 ? 0 : -1);
  const [pending, setPending] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const select = useCallback((position: number) => {
    setProblem(null);
    setSelected(position);
  }, []);

  const explainClass = useCallback((index: number, label: string) => {
    const known = list.findIndex((e) => e.index === index);
    if (known >= 0) {
      select(known);
      return;
    }
    setPending(label);
    setProblem(null);
    getExplanation(analysisId, index).then(
      (explanation) => {
        if (!Array.isArray(explanation?.map)) throw new Error('no map');
        setList((before) => [...before, explanation]);
        setSelected(list.length);
        setPending(null);
      },
    ).catch((error) => {
      setPending(null);
      setProblem(`The heatmap for ${label} could not be loaded. ${toApiError(error).message}`);
    });
  }, [analysisId, list, select]);

  return { list, selected, pending, problem, select, explainClass };
}
