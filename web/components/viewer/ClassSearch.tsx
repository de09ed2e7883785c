'use client';
// Any class, not only the top 5: search the 527 classes (grouped by the
// AudioSet ontology), show a class's map, pin it (a lane on the time axis,
// kept in the URL). A pinned class the analysis did not track in every window
// can be re-analysed with the class pinned, so its curve is complete.
import { useEffect, useId, useMemo, useState } from 'react';

import { loadClasses, searchClasses, type ClassEntry } from '@/lib/class-search';
import { lanePoints, fullyReported } from '@/lib/lanes';

import { useViewer } from './ViewerContext';

interface Props {
  onReanalyse?: (classes: number[]) => void;
}

export default function ClassSearch({ onReanalyse }: Props) {
  const v = useViewer();
  const { pinned, selectedClass, analysis, durationS } = v;
  const [all, setAll] = useState<ClassEntry[]>([]);
  const [query, setQuery] = useState('');
  const inputId = useId();
  useEffect(() => {
    let live = true;
    void loadClasses().then((list) => live && setAll(list));
    return () => {
      live = false;
    };
  }, []);
  const groups = useMemo(() => searchClasses(all, query), [all, query]);
  const nameOf = (index: number) => all[index]?.name ?? v.labelOf(index);
  const incomplete = pinned.filter((i) => analysis.timeline.length > 1 && !fullyReported(lanePoints(analysis.timeline, i, durationS)));

  return (
    <div className="flex flex-col gap-2" data-testid="class-search">
      <label htmlFor={inputId} className="text-sm text-slate-200">Find any of the 527 classes</label>
      <input
        id={inputId}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="e.g. cough, respiratory, wheeze"
        className="rounded-md border border-slate-600 bg-slate-950 px-3 py-1.5 text-sm text-white placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-sky-300"
        data-testid="class-search-input"
      />
      {pinned.length > 0 && (
        <ul className="flex flex-wrap gap-1" aria-label="Pinned classes" data-testid="pinned-classes">
          {pinned.map((index) => (
            <li key={index} className="flex items-center gap-1 rounded-full bg-amber-400/15 px-2 py-0.5 text-xs text-amber-100 ring-1 ring-amber-300/40">
              <button type="button" onClick={() => v.selectClass(index, nameOf(index))} className="hover:underline">{nameOf(index)}</button>
              <button type="button" onClick={() => v.togglePin(index)} aria-label={`Unpin ${nameOf(index)}`} className="px-1 hover:text-white">×</button>
            </li>
          ))}
        </ul>
      )}
      {incomplete.length > 0 && onReanalyse && (
        <p className="text-xs text-slate-300">
          {incomplete.map(nameOf).join(', ')} {incomplete.length > 1 ? 'were' : 'was'} not tracked in every window of this analysis.{' '}
          <button type="button" onClick={() => onReanalyse([...new Set([...analysis.classes, ...pinned])])} className="text-sky-300 underline hover:text-white" data-testid="reanalyse-pinned">
            Analyse again with the pinned classes
          </button>
        </p>
      )}
      {query && (
        <div className="max-h-72 overflow-y-auto rounded-md bg-slate-950/60 p-2 ring-1 ring-slate-800" data-testid="class-search-results">
          {all.length === 0 && <p className="text-sm text-slate-400">Loading the class list…</p>}
          {all.length > 0 && groups.length === 0 && <p className="text-sm text-slate-400">No class matches “{query}”.</p>}
          {groups.map((group) => (
            <div key={group.group} className="mb-2" role="group" aria-label={group.group}>
              <p className="text-xs font-semibold uppercase tracking-wide text-slate-400">{group.group}</p>
              <ul>
                {group.classes.map((c) => (
                  <li key={c.index} className="flex items-center justify-between gap-2 py-0.5 text-sm">
                    <button type="button" onClick={() => v.selectClass(c.index, c.name)} aria-pressed={selectedClass === c.index} className={`truncate text-left hover:underline ${selectedClass === c.index ? 'text-amber-300' : 'text-slate-100'}`} title={[c.name, ...c.path].join(' › ')}>
                      {c.name}
                    </button>
                    <button type="button" onClick={() => { v.togglePin(c.index); v.selectClass(c.index, c.name); }} aria-pressed={pinned.includes(c.index)} className="shrink-0 rounded border border-slate-600 px-1.5 text-xs text-slate-200 hover:bg-slate-800" aria-label={`${pinned.includes(c.index) ? 'Unpin' : 'Pin'} ${c.name}`}>
                      {pinned.includes(c.index) ? 'Pinned' : 'Pin'}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
