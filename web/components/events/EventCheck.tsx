'use client';
// An event's checks in its row of the events table: the "Check" button (a
// spinner while the server computes), the verdict under the row in a few words
// (lib/event-check.ts: the whole recording's wording, on the event's own
// window), the sentences behind it under "why", and "Check all shown", which
// checks the shown rows one at a time and can be stopped. A server without
// explanation?event= gets the controls disabled, "not available on this server".
import type { CheckAllProgress, CheckEntry } from '@/hooks/useEventChecks';
import { describeEventCheck } from '@/lib/event-check';
import { formatTime } from '@/lib/format';
import { shownEvent } from '@/lib/review';

import { methodLabel } from '../viewer/SpectrogramPanel';
import type { EventRow } from './EventTable';

export interface EventCheckControls {
  /** Why checks cannot be made here ("not available on this server"), else null. */
  unavailable: string | null;
  entry: (row: EventRow) => CheckEntry | undefined;
  run: (row: EventRow) => void;
  runAll: (rows: EventRow[]) => void;
  stop: () => void;
  progress: CheckAllProgress | null;
  /** Why the last "check all" stopped early, else null. */
  stopped: string | null;
}

function Spinner() {
  return <span aria-hidden="true" className="inline-block h-3 w-3 shrink-0 animate-spin rounded-full border-2 border-sky-300 border-t-transparent" />;
}

const nameOf = (row: EventRow) => {
  const e = shownEvent(row.event);
  return `event ${row.event.position + 1}, ${e.label} at ${formatTime(e.onset_s)}`;
};

export function CheckButton({ check, row }: { check: EventCheckControls; row: EventRow }) {
  const entry = check.entry(row);
  const loading = entry?.status === 'loading';
  const ready = entry?.status === 'ready';
  const failed = entry?.status === 'failed';
  return (
    <button
      type="button"
      disabled={check.unavailable !== null || loading || ready}
      aria-busy={loading}
      aria-label={`Check the explanation of ${nameOf(row)}${ready ? ' (checked)' : failed ? ' (again)' : ''}`}
      title={check.unavailable ?? (ready ? 'Checked: the verdict is under the row' : 'Is the map of this event faithful, and what does listening to its top part keep? (on the event\'s own window)')}
      onClick={(event) => {
        event.stopPropagation(); // a check is not a request to play
        check.run(row);
      }}
      onKeyDown={(event) => event.stopPropagation()}
      // Once checked, the verdict under the row says it all: on a phone the button leaves the sticky column to the times.
      className={`${ready ? 'hidden sm:inline-flex' : 'inline-flex'} items-center gap-1 rounded px-2 py-1 text-xs font-semibold text-sky-100 ring-1 ring-sky-700 hover:bg-sky-900 disabled:cursor-default disabled:opacity-50 disabled:hover:bg-transparent sm:py-0.5 focus-visible:outline-2 focus-visible:outline-sky-300`}
      data-testid="check-event"
    >
      {loading && <Spinner />}
      {failed ? 'Retry' : ready ? 'Checked' : 'Check'}
    </button>
  );
}

export function CheckAllButton({ check, rows }: { check: EventCheckControls; rows: EventRow[] }) {
  const todo = rows.filter((r) => check.entry(r)?.status !== 'ready').length;
  const running = check.progress !== null;
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2 text-sm">
      {running ? (
        <button type="button" onClick={check.stop} className="inline-flex items-center gap-1.5 rounded-md border border-amber-500 px-3 py-1 text-amber-100 hover:bg-amber-950 focus-visible:outline-2 focus-visible:outline-sky-300" data-testid="check-all-stop">
          <Spinner />
          Stop checking ({check.progress!.done} of {check.progress!.total} done)
        </button>
      ) : (
        <button
          type="button"
          disabled={check.unavailable !== null || todo === 0}
          onClick={() => check.runAll(rows)}
          title={check.unavailable ?? 'Checks the explanation of each event shown, one at a time'}
          className="rounded-md border border-sky-700 px-3 py-1 text-sky-100 hover:bg-sky-900 disabled:opacity-50 disabled:hover:bg-transparent focus-visible:outline-2 focus-visible:outline-sky-300"
          data-testid="check-all"
        >
          Check all shown{todo > 0 ? ` (${todo})` : ': all checked'}
        </button>
      )}
      {check.unavailable !== null && <span className="text-xs text-slate-400" data-testid="check-unavailable">Checking an event&apos;s explanation is {check.unavailable}.</span>}
      {check.stopped && <span role="status" className="text-xs text-amber-200" data-testid="check-all-stopped">{check.stopped}</span>}
    </div>
  );
}

const TONE = { faithful: 'text-emerald-300', 'not-faithful': 'text-amber-200', worse: 'text-amber-200', absent: 'text-slate-300', unmeasured: 'text-slate-300' } as const;

/** The verdict of one event's check, under its row. */
export default function EventCheck({ entry, row }: { entry: CheckEntry; row: EventRow }) {
  const label = shownEvent(row.event).label;
  if (entry.status === 'loading') {
    return (
      <p role="status" className="flex items-center gap-2 text-xs text-slate-300" data-testid="event-check-loading">
        <Spinner /> Checking the explanation of {label} on its own window…
      </p>
    );
  }
  if (entry.status === 'failed') {
    return <p className="break-words text-xs text-amber-200" data-testid="event-check-failed">The check of this {label} event failed: {entry.error.message}</p>;
  }
  const words = describeEventCheck(entry.data);
  return (
    <div className="flex min-w-0 flex-wrap items-baseline gap-x-3 gap-y-0.5 text-xs" data-testid="event-check" data-verdict={words.verdict} data-listening={words.listening ?? ''}>
      <p className="min-w-0 break-words" data-testid="event-check-verdict">
        <span className={`font-semibold ${TONE[words.verdict]}`}>{words.headline}</span>
        {words.numbers && <span className={words.listening === 'kept' ? 'text-emerald-200' : 'text-amber-200'}> · {words.numbers}</span>}
      </p>
      <details className="min-w-0 text-slate-300">
        <summary className="cursor-pointer text-slate-400 hover:text-slate-200">why</summary>
        <ul className="mt-1 list-disc space-y-0.5 pl-5" data-testid="event-check-sentences">
          {words.sentences.map((s) => <li key={s}>{s}</li>)}
          <li>Map by {methodLabel(entry.data.method)}.</li>
        </ul>
      </details>
    </div>
  );
}
