'use client';
// The top predictions with confidence bars. Pressing one shows its map.
import { memo } from 'react';

import type { Prediction } from '@/lib/api-types';
import { formatPercent } from '@/lib/format';
import { useOntologyPaths } from '@/lib/ontology';

import OntologyPath from './OntologyPath';

interface Props {
  predictions: Prediction[];
  selectedClass: number | null;
  onSelect: (index: number, label: string) => void;
}

function PredictionList({ predictions, selectedClass, onSelect }: Props) {
  const ontology = useOntologyPaths();
  if (predictions.length === 0) {
    return <p className="text-sm text-slate-300">The service returned no predictions for this recording.</p>;
  }
  return (
    <ol className="flex flex-col gap-2" data-testid="predictions" aria-label="Top predictions">
      {predictions.map((prediction, position) => {
        const isSelected = prediction.index !== null && prediction.index === selectedClass;
        const percent = Math.max(0, Math.min(1, prediction.probability)) * 100;
        const body = (
          <>
            <div className="flex items-baseline justify-between gap-3">
              <span className="font-medium text-white" data-testid="prediction-label">{prediction.label}</span>
              <span className="tabular-nums text-slate-200">{formatPercent(prediction.probability)}</span>
            </div>
            <div className="mt-1 h-2 w-full overflow-hidden rounded-full bg-slate-700" aria-hidden="true">
              <div className="h-full rounded-full bg-sky-400" style={{ width: `${percent}%` }} />
            </div>
            <OntologyPath label={prediction.label} ancestors={ontology[prediction.label]} />
          </>
        );
        return (
          <li key={`${prediction.index ?? prediction.label}-${position}`}>
            {prediction.index !== null ? (
              <button
                type="button"
                onClick={() => onSelect(prediction.index!, prediction.label)}
                aria-pressed={isSelected}
                aria-label={`${prediction.label}, clip ${formatPercent(prediction.probability)}${isSelected ? ', map shown' : ', show its map'}`}
                className={`w-full rounded-lg px-3 py-2 text-left transition focus-visible:outline-2 focus-visible:outline-sky-300 ${
                  isSelected ? 'bg-slate-700 ring-2 ring-amber-400' : 'bg-slate-800 hover:bg-slate-700'
                }`}
              >
                {body}
              </button>
            ) : (
              <div className="rounded-lg bg-slate-800/60 px-3 py-2">{body}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

// Memoised: the result page re-renders every frame while the audio plays.
export default memo(PredictionList);
