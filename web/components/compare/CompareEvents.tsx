// The events both models found (paired by overlap) and those only one found.
import type { Comparison } from '@/lib/api-types';
import { formatSeconds, formatTime } from '@/lib/format';

import Section from '../common/Section';

const span = (e: { onset_s: number; offset_s: number }) => `${formatTime(e.onset_s)}–${formatTime(e.offset_s)}`;

export default function CompareEvents({ comparison }: { comparison: Comparison }) {
  const { models, agreement } = comparison;
  const only = models.map((m) => agreement.events_only[m] ?? []);
  return (
    <Section title="Events" subtitle={`${agreement.events_both.length} found by both; ${models.map((m, i) => `${only[i]!.length} only by ${m}`).join(', ')}`}>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[28rem] text-left text-sm" data-testid="compare-events" aria-label="Events of both models">
          <thead className="text-slate-300">
            <tr>
              <th className="py-1 pr-3 font-medium">Class</th>
              <th className="py-1 pr-3 font-medium">{models[0]}</th>
              <th className="py-1 pr-3 font-medium">{models[1]}</th>
              <th className="py-1 font-medium">Found by</th>
            </tr>
          </thead>
          <tbody>
            {agreement.events_both.map((pair, i) => (
              <tr key={`both-${i}`} className="border-t border-slate-800">
                <td className="py-1 pr-3 text-white">{pair.label}</td>
                <td className="py-1 pr-3 tabular-nums">{span(pair.byModel[models[0]]!)}</td>
                <td className="py-1 pr-3 tabular-nums">{span(pair.byModel[models[1]]!)}</td>
                <td className="py-1 text-sky-200">both ({formatSeconds(pair.overlap_s)} together)</td>
              </tr>
            ))}
            {only.map((events, m) =>
              events.map((e, i) => (
                <tr key={`only-${m}-${i}`} className="border-t border-slate-800">
                  <td className="py-1 pr-3 text-white">{e.label}</td>
                  <td className="py-1 pr-3 tabular-nums">{m === 0 ? span(e) : '–'}</td>
                  <td className="py-1 pr-3 tabular-nums">{m === 1 ? span(e) : '–'}</td>
                  <td className="py-1 text-amber-200">only {models[m]}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
