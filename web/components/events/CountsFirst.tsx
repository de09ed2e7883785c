// What a long recording opens with: how many events of each class, per hour,
// after review (confirmed, rejected, unreviewed), led by the pinned classes
// and then the clinical ones (cough, sneeze, snoring, breathing, wheeze,
// crying); each with the classes it is most confused with and a threshold of
// its own (lib/thresholds.ts says what a threshold does). A class's name jumps
// to its events in the table below.
import { useState } from 'react';

import type { AudioEvent, EventCount } from '@/lib/api-types';
import { countsFirst } from '@/lib/review';
import { confusions, countAtThreshold, parseThreshold } from '@/lib/thresholds';

const rate = (perHour: number | null) => (perHour === null ? '—' : perHour < 10 ? perHour.toFixed(1) : String(Math.round(perHour)));

function Confusions({ events, index }: { events: AudioEvent[]; index: number }) {
  const list = confusions(events, index);
  if (list.length === 0) return <span className="whitespace-nowrap text-slate-500">none seen</span>;
  return (
    <ul className="flex flex-col whitespace-nowrap" data-testid="counts-first-confusions">
      {list.map((c) => (
        <li key={c.index} data-class={c.label}>
          {c.label}
          <span className="text-slate-400">
            {c.runnerUp > 0 && ` · runner-up in ${c.runnerUp}`}
            {c.relabelled > 0 && ` · ${c.relabelled} relabelled`}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ThresholdInput({ label, detection, text, onText }: { label: string; detection: number; text: string; onText: (text: string) => void }) {
  const parsed = parseThreshold(text);
  const problem = typeof parsed === 'string' ? parsed : parsed < detection ? `Below the detection threshold (${detection}): the server kept no weaker events; analyse again with a lower event threshold to find them.` : null;
  return (
    <div className="flex flex-col items-end gap-1">
      <input
        type="number"
        min={0}
        max={1}
        step={0.01}
        value={text}
        onChange={(e) => onText(e.target.value)}
        aria-label={`Threshold of ${label} (event peak, detection threshold ${detection})`}
        aria-invalid={problem !== null && typeof parsed === 'string'}
        className="w-20 rounded-md border border-slate-600 bg-slate-900 px-1 py-0.5 text-right tabular-nums focus-visible:outline-2 focus-visible:outline-sky-300"
        data-testid="counts-first-threshold"
      />
      {problem && <span role="status" className="max-w-56 text-left text-xs text-amber-300" data-testid="counts-first-threshold-note">{problem}</span>}
    </div>
  );
}

export default function CountsFirst({ counts, events, pinned, labelOf, onShowEvents }: {
  counts: EventCount[];
  events: AudioEvent[];
  pinned: number[];
  labelOf: (index: number) => string;
  onShowEvents: () => void;
}) {
  const [typed, setTyped] = useState<Record<number, string>>({});
  const rows = countsFirst(counts, pinned, labelOf);
  if (rows.length === 0) return <p className="text-sm text-slate-300" data-testid="counts-first-none">No events were detected.</p>;
  const cell = 'px-2 py-1 text-right tabular-nums';
  const hours = (c: EventCount) => (c.per_hour && c.count > 0 ? c.count / c.per_hour : null);
  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto rounded-md ring-1 ring-slate-800">
        <table className="w-full text-sm text-slate-200" aria-label="Event counts" data-testid="counts-first">
          <thead className="bg-slate-900 text-slate-300">
            <tr>
              <th scope="col" className="px-2 py-1 text-left">Class</th>
              <th scope="col" className="px-2 py-1 text-right">Events</th>
              <th scope="col" className="px-2 py-1 text-right">Per hour</th>
              <th scope="col" className="px-2 py-1 text-right">Confirmed</th>
              <th scope="col" className="px-2 py-1 text-right">Rejected</th>
              <th scope="col" className="px-2 py-1 text-right">Unreviewed</th>
              <th scope="col" className="px-2 py-1 text-right">Threshold</th>
              <th scope="col" className="px-2 py-1 text-left">Confused with</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const detection = c.threshold ?? null;
              const text = typed[c.index];
              const chosen = detection === null || text === undefined ? null : parseThreshold(text);
              const raised = typeof chosen === 'number' && chosen > detection! ? chosen : null;
              const count = raised === null ? c.count : countAtThreshold(events, c.index, raised);
              const h = hours(c);
              return (
                <tr key={c.index} className="border-t border-slate-800 align-top" data-testid="counts-first-row" data-class={c.label}>
                  <th scope="row" className="px-2 py-1 text-left font-semibold">
                    {c.label}
                    {pinned.includes(c.index) && <span className="ml-1 text-xs font-normal text-sky-300">pinned</span>}
                  </th>
                  <td className={cell} data-testid="counts-first-count">
                    {count}
                    {raised !== null && <span className="block text-xs text-slate-400" data-testid="counts-first-count-note">of {c.count} at {detection}</span>}
                  </td>
                  <td className={cell}>{raised === null ? rate(c.per_hour) : h === null ? '—' : rate(count / h)}</td>
                  <td className={`${cell} text-emerald-300`} data-testid="counts-first-confirmed">{c.confirmed ?? 0}</td>
                  <td className={`${cell} text-rose-300`} data-testid="counts-first-rejected">{c.rejected ?? 0}</td>
                  <td className={cell} data-testid="counts-first-unreviewed">{c.unreviewed ?? c.count}</td>
                  <td className={cell}>
                    {detection === null ? '—' : (
                      <ThresholdInput label={c.label} detection={detection} text={text ?? String(detection)} onText={(t) => setTyped((m) => ({ ...m, [c.index]: t }))} />
                    )}
                  </td>
                  <td className="px-2 py-1 text-left text-xs"><Confusions events={events} index={c.index} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-400">
        Events counts what stands after review: confirmed and unreviewed events, not rejected ones. A threshold is on the
        event&apos;s peak probability; it starts at the class&apos;s detection threshold. Raising it counts only the unreviewed
        events that reach it (confirmed ones always count), on this page: the stored events, exports and report keep every
        event. Lowering it below the detection threshold needs a new analysis with a lower event threshold. Confused with:
        the classes heard as runner-up in the same sounds, and the relabels made here.{' '}
        <button type="button" onClick={onShowEvents} className="text-sky-300 underline hover:text-sky-200 focus-visible:outline-2 focus-visible:outline-sky-300" data-testid="go-review">
          Review the events
        </button>
      </p>
    </div>
  );
}
