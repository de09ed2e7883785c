'use client';
// The live session's words: the current window's top classes (each can be
// pinned), the pinned classes, the events as they end and their counts.
import type { LiveEvent, LivePrediction } from '@/lib/live-session';

const pct = (p: number) => `${(p * 100).toFixed(0)} %`;

function Bar({ p }: { p: number }) {
  return (
    <span className="h-2 w-24 shrink-0 overflow-hidden rounded bg-slate-800" aria-hidden="true">
      <span className="block h-full bg-sky-400" style={{ width: `${Math.min(100, Math.max(0, p * 100))}%` }} />
    </span>
  );
}

export function NowList({ top, pinned, onPin }: { top: LivePrediction[]; pinned: string[]; onPin: (label: string) => void }) {
  if (!top.length) return <p className="text-sm text-slate-400">The first window comes after 2 s of audio.</p>;
  return (
    <ol className="flex flex-col gap-1" data-testid="live-top">
      {top.map((p) => (
        <li key={p.index} className="flex items-center gap-2 text-sm">
          <span className="min-w-0 flex-1 truncate text-slate-100">{p.label}</span>
          <Bar p={p.probability} />
          <span className="w-11 text-right tabular-nums text-slate-300">{pct(p.probability)}</span>
          <button
            type="button"
            disabled={pinned.includes(p.label)}
            onClick={() => onPin(p.label)}
            className="rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:bg-slate-800 disabled:opacity-40"
            aria-label={`Pin ${p.label}`}
          >
            Pin
          </button>
        </li>
      ))}
    </ol>
  );
}

/** A pinned class: its probability in the current window (reported every window from when it was pinned). */
export function PinnedList({ pinned, watched, top, counts, onUnpin }: { pinned: string[]; watched: LivePrediction[]; top: LivePrediction[]; counts: Record<string, number>; onUnpin: (label: string) => void }) {
  if (!pinned.length) return <p className="text-sm text-slate-400">No class pinned. Pin one to keep its probability and count in view.</p>;
  return (
    <ul className="flex flex-col gap-1" data-testid="live-pinned">
      {pinned.map((label) => {
        const p = watched.find((w) => w.label === label) ?? top.find((w) => w.label === label);
        return (
          <li key={label} className="flex items-center gap-2 text-sm">
            <span className="min-w-0 flex-1 truncate font-medium text-sky-200">{label}</span>
            {p ? <Bar p={p.probability} /> : <span className="w-24 text-xs text-slate-500">not in the top</span>}
            <span className="w-11 text-right tabular-nums text-slate-300">{p ? pct(p.probability) : ''}</span>
            <span className="w-16 text-right tabular-nums text-slate-300">{counts[label] ?? 0} {(counts[label] ?? 0) === 1 ? 'event' : 'events'}</span>
            <button type="button" onClick={() => onUnpin(label)} className="text-xs text-slate-400 underline hover:text-white" aria-label={`Unpin ${label}`}>
              unpin
            </button>
          </li>
        );
      })}
    </ul>
  );
}

const seconds = (s: number) => `${s.toFixed(1)} s`;

export function EventList({ events, open }: { events: LiveEvent[]; open: LiveEvent[] }) {
  if (!events.length && !open.length) return <p className="text-sm text-slate-400">No event yet.</p>;
  return (
    <ol className="flex max-h-72 flex-col gap-1 overflow-y-auto" data-testid="live-events" aria-live="polite">
      {open.map((e) => (
        <li key={`open-${e.index}-${e.onset_s}`} className="flex gap-2 text-sm text-amber-200">
          <span className="w-20 tabular-nums">{seconds(e.onset_s)}</span>
          <span className="flex-1">{e.label}</span>
          <span className="text-xs">going on…</span>
        </li>
      ))}
      {events.map((e) => (
        <li key={`${e.index}-${e.onset_s}`} className="flex gap-2 text-sm text-slate-200" data-testid="live-event">
          <span className="w-20 tabular-nums">{seconds(e.onset_s)}</span>
          <span className="flex-1">{e.label}</span>
          <span className="tabular-nums text-slate-400">
            {seconds(e.offset_s - e.onset_s)}, p {e.probability.toFixed(2)}
            {e.low_hz !== null && e.high_hz !== null ? `, ${Math.round(e.low_hz)}–${Math.round(e.high_hz)} Hz` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function CountTable({ counts, heardS }: { counts: Record<string, number>; heardS: number }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (!rows.length) return null;
  return (
    <table className="w-full text-sm" data-testid="live-counts">
      <thead>
        <tr className="text-left text-xs text-slate-400">
          <th className="font-normal">class</th>
          <th className="text-right font-normal">events</th>
          <th className="text-right font-normal">per hour</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, n]) => (
          <tr key={label} className="text-slate-200">
            <td>{label}</td>
            <td className="text-right tabular-nums">{n}</td>
            <td className="text-right tabular-nums">{heardS > 0 ? ((n * 3600) / heardS).toFixed(0) : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
