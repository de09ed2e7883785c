'use client';
// Says which events the thresholds set in the counts view hide from the
// table, the lanes and the minimap (by their peak probability; confirmed
// events stay), that they are still stored and exported, and puts them back.
import type { ReviewedEvents } from './ReviewContext';

export default function HiddenByThreshold({ reviewed, labelOf }: { reviewed: ReviewedEvents; labelOf: (index: number) => string }) {
  const { events, visible, raised, setThreshold } = reviewed;
  const hidden = (events?.length ?? 0) - visible.length;
  if (raised.size === 0) return null;
  const which = [...raised].map(([index, t]) => `${labelOf(index)} at ${t}`).join(', ');
  return (
    <p role="status" className="flex flex-wrap items-center gap-2 rounded-md bg-amber-950/50 px-2 py-1 text-sm text-amber-100" data-testid="threshold-hidden" data-hidden={hidden}>
      <span>
        {hidden === 1 ? '1 event is' : `${hidden} events are`} hidden by your thresholds ({which}): events whose peak is under the
        threshold are left out of this table, the lanes and the counts on this page. They stay stored and in the exports and the report.
      </span>
      <button
        type="button"
        onClick={() => [...raised.keys()].forEach((index) => setThreshold(index, null))}
        className="rounded-md px-2 py-0.5 ring-1 ring-amber-300/60 hover:bg-amber-900 focus-visible:outline-2 focus-visible:outline-amber-200"
        data-testid="threshold-reset"
      >
        Show them again (thresholds back to the detection thresholds)
      </button>
    </p>
  );
}
