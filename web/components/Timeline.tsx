'use client';
// The main classes over time for recordings longer than one window. Each
// window is a button: pressing it seeks the player and the spectrogram.
import { useMemo } from 'react';

import type { Prediction, TimelineWindow } from '@/lib/api-types';
import { formatPercent } from '@/lib/format';
import { classIndexes, mainClasses, timelineCells } from '@/lib/timeline';

interface Props {
  windows: TimelineWindow[];
  clipPredictions: Prediction[];
  durationS: number;
  currentTime: number;
  explainedIndex: number | undefined;
  onSeek: (timeS: number) => void;
  /** Show the heatmap of this class. */
  onExplain: (index: number, label: string) => void;
}

export default function Timeline({ windows, clipPredictions, durationS, currentTime, explainedIndex, onSeek, onExplain }: Props) {
  // Only the playhead moves while playing; the grid is worked out once per analysis.
  const { cells, classes, indexes, summaries } = useMemo(() => {
    const cells = timelineCells(windows, durationS);
    const classes = mainClasses(clipPredictions, windows, 6);
    const summaries = cells.map((cell) => classes
      .filter((n) => cell.probabilities.has(n))
      .map((n) => `${n} ${formatPercent(cell.probabilities.get(n))}`)
      .join(', '));
    return { cells, classes, indexes: classIndexes(clipPredictions, windows), summaries };
  }, [windows, clipPredictions, durationS]);
  const total = Math.max(durationS, cells[cells.length - 1]?.toS ?? 0);
  if (cells.length < 2 || classes.length === 0 || total <= 0) return null;
  const pct = (t: number) => `${(t / total) * 100}%`;

  return (
    <div data-testid="timeline">
      <div className="flex">
        <ul className="w-36 shrink-0 text-xs text-slate-300 sm:w-44" aria-label="Classes in the timeline">
          {classes.map((name) => {
            const index = indexes.get(name);
            return (
              <li key={name} className="flex h-6 items-center pr-2">
                {index === undefined ? (
                  <span className="truncate" title={name}>{name}</span>
                ) : (
                  <button
                    type="button"
                    onClick={() => onExplain(index, name)}
                    aria-pressed={explainedIndex === index}
                    aria-label={`Show the heatmap for ${name}`}
                    title={`Show the heatmap for ${name}`}
                    className={`truncate rounded px-1 text-left hover:bg-slate-800 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-300 ${
                      explainedIndex === index ? 'text-amber-300' : ''
                    }`}
                  >
                    {name}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        <div className="relative min-w-0 flex-1">
          {classes.map((name, row) => (
            <div key={name} className="relative h-6 border-b border-slate-800" aria-hidden="true" style={{ top: 0 }}>
              {cells.map((cell) => {
                const p = cell.probabilities.get(name);
                return (
                  <div
                    key={`${row}-${cell.startS}`}
                    className="absolute inset-y-0.5 rounded-sm"
                    style={{ left: pct(cell.fromS), width: `calc(${pct(cell.toS - cell.fromS)} - 2px)`, background: `rgba(56, 189, 248, ${p === undefined ? 0.04 : 0.12 + 0.88 * p})` }}
                  />
                );
              })}
            </div>
          ))}
          <div className="absolute inset-0 flex" role="group" aria-label="Windows of the recording">
            {cells.map((cell, i) => {
              const summary = summaries[i];
              return (
                <button
                  key={cell.startS}
                  type="button"
                  className="absolute inset-y-0 rounded-sm hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-amber-300"
                  style={{ left: pct(cell.fromS), width: pct(cell.toS - cell.fromS) }}
                  onClick={() => onSeek(cell.startS)}
                  aria-label={`Seek to ${cell.startS.toFixed(1)} s (window ${cell.startS.toFixed(1)}–${cell.endS.toFixed(1)} s: ${summary || 'no main class in its top list'})`}
                  title={`${cell.startS.toFixed(1)}–${cell.endS.toFixed(1)} s\n${summary}`}
                />
              );
            })}
          </div>
          <div className="pointer-events-none absolute inset-y-0 w-0.5 bg-white" style={{ left: pct(Math.min(total, currentTime)) }} aria-hidden="true" />
        </div>
      </div>
      <p className="mt-1 pl-36 text-xs text-slate-400 sm:pl-44">
        Brighter = higher probability in that window ({windows.length} windows). Empty cells: the class was not among that window’s reported classes.
      </p>
    </div>
  );
}
