'use client';
// Correct the selected event's onset and offset, under its row of the table:
// typed (m:ss.s as the page writes times, or seconds), or taken from the
// spectrogram's selection (a row click selects the event's span; dragging its
// edges there stores the new times at once), or go back to the detected times.
// Checked here first (times inside the recording, onset before offset) with a
// sentence naming the field; the server checks again and its reason is said if it refuses.
import { useId, useState } from 'react';

import type { AudioEvent } from '@/lib/api-types';
import { formatTime } from '@/lib/format';
import { checkTimes, shownEvent, timesChange } from '@/lib/review';

import { useTimeView } from '../viewer/ViewerContext';

const FIELD = 'w-24 rounded-md border border-slate-600 bg-slate-900 px-2 py-1 tabular-nums focus-visible:outline-2 focus-visible:outline-sky-300';

function Fields({ event, durationS, onCorrect }: { event: AudioEvent; durationS: number; onCorrect: (times: { onset_s: number | null; offset_s: number | null }) => void }) {
  const shown = shownEvent(event);
  const [onset, setOnset] = useState(formatTime(shown.onset_s, 2));
  const [offset, setOffset] = useState(formatTime(shown.offset_s, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const formatId = useId();
  const corrected = event.review.onset_s !== null || event.review.offset_s !== null;
  const { selection } = useTimeView();
  const differs = selection !== null && (Math.abs(selection.start - shown.onset_s) >= 5e-3 || Math.abs(selection.end - shown.offset_s) >= 5e-3);
  return (
    <form
      // Our own check names the field and says why; the browser's would stop the submit with a tooltip.
      noValidate
      className="flex flex-wrap items-center gap-2 text-sm text-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        const times = checkTimes(onset, offset, durationS);
        if (typeof times === 'string') return setProblem(times);
        setProblem(null);
        onCorrect(timesChange(event, times));
      }}
      data-testid="time-correction"
    >
      <span>Times of {shown.label}:</span>
      <label className="flex items-center gap-1">
        onset
        <input type="text" value={onset} onChange={(e) => setOnset(e.target.value)} className={FIELD} aria-describedby={formatId} data-testid="time-onset" />
      </label>
      <label className="flex items-center gap-1">
        offset
        <input type="text" value={offset} onChange={(e) => setOffset(e.target.value)} className={FIELD} aria-describedby={formatId} data-testid="time-offset" />
      </label>
      <span id={formatId} className="text-xs text-slate-400">m:ss.ss or seconds</span>
      {differs && (
        <button
          type="button"
          onClick={() => {
            setOnset(formatTime(selection.start, 2));
            setOffset(formatTime(selection.end, 2));
          }}
          className="rounded-md px-2 py-1 text-slate-200 ring-1 ring-slate-600 hover:bg-slate-700"
          data-testid="time-from-selection"
        >
          Take the selection ({formatTime(selection.start, 2)}–{formatTime(selection.end, 2)})
        </button>
      )}
      <button type="submit" className="rounded-md bg-sky-700 px-2 py-1 font-semibold text-white hover:bg-sky-600 focus-visible:outline-2 focus-visible:outline-sky-300" data-testid="time-apply">
        Correct times
      </button>
      {corrected && (
        <button type="button" onClick={() => onCorrect({ onset_s: null, offset_s: null })} className="rounded-md px-2 py-1 text-slate-300 ring-1 ring-slate-600 hover:bg-slate-700" data-testid="time-undo">
          Back to detected ({formatTime(event.onset_s, 2)}–{formatTime(event.offset_s, 2)})
        </button>
      )}
      {problem && <span role="alert" className="text-amber-300" data-testid="time-problem">{problem}</span>}
    </form>
  );
}

export default function TimeCorrection({ event, durationS, onCorrect }: { event: AudioEvent; durationS: number; onCorrect: (times: { onset_s: number | null; offset_s: number | null }) => void }) {
  // Keyed by the event and its shown times: another event, or a saved correction, starts the fields afresh.
  const shown = shownEvent(event);
  return <Fields key={`${event.position}:${shown.onset_s}:${shown.offset_s}`} event={event} durationS={durationS} onCorrect={onCorrect} />;
}
