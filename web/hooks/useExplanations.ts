'use client';
// The explanations on hand (the top k from the analysis, plus any class asked
// for since) and which one is shown. A class without one is fetched first.
import { useCallback, useRef, useState } from 'react';

import { getExplanation } from '@/lib/api-client';
import { toApiError } from '@/lib/api-errors';
import type { Explanation } from '@/lib/api-types';

export interface ExplanationsState {
  list: Explanation[];
  /** The explanation shown, or null when there is none. */
  selected: Explanation | null;
  pending: string | null;
  problem: string | null;
  select: (explanation: Explanation) => void;
  explainClass: (index: number, label: string) => void;
}

/** Whether two explanations are of the same class. */
export function sameClass(a: Explanation, b: Explanation): boolean {
  return a === b || (a.index !== undefined && a.index === b.index);
}

export function useExplanations(analysisId: string, initial: Explanation[]): ExplanationsState {
  const [list, setList] = useState(initial);
  const [selected, setSelected] = useState<Explanation | null>(initial[0] ?? null);
  const [pending, setPending] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Only the reply to the latest request is used; choosing a class also supersedes a pending one.
  const latest = useRef(0);

  const select = useCallback((explanation: Explanation) => {
    latest.current += 1;
    setPending(null);
    setProblem(null);
    setSelected(explanation);
  }, []);

  const explainClass = useCallback((index: number, label: string) => {
    const known = list.find((e) => e.index === index);
    if (known) {
      select(known);
      return;
    }
    const request = ++latest.current;
    setPending(label);
    setProblem(null);
    getExplanation(analysisId, index).then(
      (explanation) => {
        if (request !== latest.current) return;
        if (!Array.isArray(explanation?.map)) throw new Error('no map');
        setList((before) => (before.some((e) => sameClass(e, explanation)) ? before : [...before, explanation]));
        setSelected(explanation);
        setPending(null);
      },
    ).catch((error) => {
      if (request !== latest.current) return;
      setPending(null);
      setProblem(`The heatmap for ${label} could not be loaded. ${toApiError(error).message}`);
    });
  }, [analysisId, list, select]);

  return { list, selected, pending, problem, select, explainClass };
}
