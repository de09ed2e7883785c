'use client';
// Relabel the selected event: any of the AudioSet classes, typed with the
// browser's own suggestions (a datalist of the class names), or back to the
// class the detector gave.
import { useEffect, useState } from 'react';

import type { AudioEvent } from '@/lib/api-types';
import { loadClasses, type ClassEntry } from '@/lib/class-search';
import { formatTime } from '@/lib/format';
import { shownEvent } from '@/lib/review';

export default function RelabelPicker({ event, onRelabel }: { event: AudioEvent | null; onRelabel: (target: { index: number; label: string } | null) => void }) {
  const [classes, setClasses] = useState<ClassEntry[]>([]);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void loadClasses().then((all) => live && setClasses(all));
    return () => {
      live = false;
    };
  }, []);
  // The same form with or without a selected event: selecting one must not move the table under the pointer.
  const shown = event ? shownEvent(event) : null;
  const apply = () => {
    const wanted = text.trim().toLowerCase();
    const match = classes.find((c) => c.name.toLowerCase() === wanted);
    if (!match) {
      setProblem(`“${text}” is not one of the AudioSet classes: pick one from the list.`);
      return;
    }
    setProblem(null);
    setText('');
    onRelabel({ index: match.index, label: match.name });
  };
  return (
    <form
      className="flex flex-wrap items-center gap-2 text-sm text-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      data-testid="relabel"
    >
      <label htmlFor="relabel-input">
        {shown ? `Relabel ${shown.label} at ${formatTime(shown.onset_s)} as` : 'Select an event, then relabel it as'}
      </label>
      <input
        id="relabel-input"
        list="relabel-classes"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="class name"
        disabled={!event}
        className="w-56 rounded-md border border-slate-600 bg-slate-900 px-2 py-1 focus-visible:outline-2 focus-visible:outline-sky-300"
        data-testid="relabel-input"
      />
      <datalist id="relabel-classes">
        {classes.map((c) => <option key={c.index} value={c.name} />)}
      </datalist>
      <button type="submit" disabled={!event || !text.trim()} className="rounded-md bg-sky-700 px-2 py-1 font-semibold text-white hover:bg-sky-600 focus-visible:outline-2 focus-visible:outline-sky-300 disabled:opacity-50" data-testid="relabel-apply">
        Relabel
      </button>
      {event && event.review.index !== null && (
        <button type="button" onClick={() => onRelabel(null)} className="rounded-md px-2 py-1 text-slate-300 ring-1 ring-slate-600 hover:bg-slate-700" data-testid="relabel-undo">
          Back to {event.label}
        </button>
      )}
      {problem && <span role="alert" className="text-amber-300">{problem}</span>}
    </form>
  );
}
