// What a long recording opens with: how many events of each class, per hour,
// after review (confirmed, rejected, unreviewed), led by the pinned classes
// and then the clinical ones (cough, sneeze, snoring, breathing, wheeze,
// crying); each with the classes it is most confused with in this recording
// and a threshold of its own (lib/thresholds.ts says what a threshold does: it
// hides the events whose peak is under it, here and in the table, lanes and
// minimap; those it hides leave the Unreviewed and Rejected columns too). Threshold
// stands next to the count it changes, so a phone sees both without scrolling
// the table sideways. A threshold is kept in this browser for this analysis
// (ReviewContext): it is a way of looking, not a review, so the stored events,
// the exports and the report keep every event.
import { useState } from 'react';

import type { AudioEvent } from '@/lib/api-types';
import { countsFirst } from '@/lib/review';
import { confusions, countsAtThresholds, parseThreshold } from '@/lib/thresholds';

import type { ReviewedEvents } from './ReviewContext';

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

function ThresholdInput({ label, detection, kept, onChosen }: { label: string; detection: number; kept: number | undefined; onChosen: (threshold: number | null) => void }) {
  const [text, setText] = useState(String(kept ?? detection));
  const parsed = parseThreshold(text);
  const problem = typeof parsed === 'string' ? parsed : parsed < detection ? `Below the detection threshold (${detection}): the server kept no weaker events, so this cannot find more; analyse again with a lower event threshold to find them.` : null;
  const onText = (t: string) => {
    setText(t);
    const v = parseThreshold(t);
    // Kept only when it means something: a number, other than the detection threshold itself.
    if (typeof v === 'number') onChosen(v === detection ? null : v);
  };
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

export default function CountsFirst({ reviewed, durationS, pinned, labelOf, onShowEvents }: {
  reviewed: ReviewedEvents;
  durationS: number;
  pinned: number[];
  labelOf: (index: number) => string;
  onShowEvents: () => void;
}) {
  const { counts, thresholds, raised: raisedAt, setThreshold } = reviewed;
  const events: AudioEvent[] = reviewed.events ?? [];
  const rows = countsAtThresholds(countsFirst(counts, pinned, labelOf), events, raisedAt, durationS);
  if (rows.length === 0) return <p className="text-sm text-slate-300" data-testid="counts-first-none">No events were detected.</p>;
  const cell = 'px-2 py-1 text-right tabular-nums';
  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto rounded-md ring-1 ring-slate-800">
        <table className="w-full text-sm text-slate-200" aria-label="Event counts" data-testid="counts-first">
          <thead className="bg-slate-900 text-slate-300">
            <tr>
              <th scope="col" className="px-2 py-1 text-left">Class</th>
              <th scope="col" className="px-2 py-1 text-right">Events</th>
              <th scope="col" className="px-2 py-1 text-right">Threshold</th>
              <th scope="col" className="px-2 py-1 text-right">Per hour</th>
              <th scope="col" className="px-2 py-1 text-right">Confirmed</th>
              <th scope="col" className="px-2 py-1 text-right">Rejected</th>
              <th scope="col" className="px-2 py-1 text-right">Unreviewed</th>
              <th scope="col" className="px-2 py-1 text-left">Confused with here</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const detection = c.threshold ?? null;
              const raised = c.atDetection !== null;
              return (
                <tr key={c.index} className="border-t border-slate-800 align-top" data-testid="counts-first-row" data-class={c.label}>
                  <th scope="row" className="px-2 py-1 text-left font-semibold">
                    {c.label}
                    {pinned.includes(c.index) && <span className="ml-1 text-xs font-normal text-sky-300">pinned</span>}
                  </th>
                  <td className={cell} data-testid="counts-first-count">
                    {c.count}
                    {raised && <span className="block text-xs text-slate-400" data-testid="counts-first-count-note">of {c.atDetection} at {detection}</span>}
                  </td>
                  <td className={cell}>
                    {detection === null ? '—' : (
                      // Keyed by whether one is kept: "show them again" elsewhere starts the field afresh.
                      <ThresholdInput key={thresholds.has(c.index) ? 'kept' : 'detection'} label={c.label} detection={detection} kept={thresholds.get(c.index)} onChosen={(t) => setThreshold(c.index, t)} />
                    )}
                  </td>
                  <td className={cell}>{rate(c.per_hour)}</td>
                  <td className={`${cell} text-emerald-300`} data-testid="counts-first-confirmed">{c.confirmed ?? 0}</td>
                  <td className={`${cell} text-rose-300`} data-testid="counts-first-rejected">{c.rejected ?? 0}</td>
                  <td className={cell} data-testid="counts-first-unreviewed">{c.unreviewed ?? c.atDetection ?? c.count}</td>
                  <td className="px-2 py-1 text-left text-xs"><Confusions events={events} index={c.index} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-400">
        Events counts what stands after review: confirmed and unreviewed events, not rejected ones. A threshold is on the
        event&apos;s peak probability and starts at the class&apos;s detection threshold. Raising it hides the events whose peak
        is under it from these counts, the events table and the lanes (confirmed ones stay); it is kept in this browser for
        this recording, and the stored events, the exports and the report keep every event. It cannot find events the
        detector never produced: lowering it below the detection threshold needs a new analysis with a lower event threshold.
        Confused with here: derived from this recording&apos;s events (the server keeps no confusion table for the model):
        the classes the model also heard in each event of the class (its runner-ups), and the relabels made on this page.{' '}
        <button type="button" onClick={onShowEvents} className="text-sky-300 underline hover:text-sky-200 focus-visible:outline-2 focus-visible:outline-sky-300" data-testid="go-review">
          Review the events
        </button>
      </p>
    </div>
  );
}
