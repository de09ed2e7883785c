'use client';
// Two models' results for one recording: what each hears (top classes, shared
// ones marked), where they disagree in plain words, the chosen class's map of
// each model on one time axis (the same second at the same x), how alike the
// maps' time profiles are, and the events both or only one found.
import Link from 'next/link';
import { useMemo, useState } from 'react';

import type { Comparison } from '@/lib/api-types';
import { agreementSentences, explanationOf, sharedDuration, trackClasses } from '@/lib/compare';
import { heatGradient } from '@/lib/colormap';
import { formatPercent, formatSeconds } from '@/lib/format';

import Section from '../common/Section';
import CompareEvents from './CompareEvents';
import CompareTimeAxis from './CompareTimeAxis';
import ModelTrack from './ModelTrack';

function likeness(r: number | null): string {
  if (r === null) return 'undefined (a flat map)';
  if (r >= 0.6) return 'the same moments';
  if (r >= 0.3) return 'partly the same moments';
  return 'different moments';
}

export default function ModelComparison({ comparison }: { comparison: Comparison }) {
  const { models, results, agreement } = comparison;
  const classes = useMemo(() => trackClasses(comparison), [comparison]);
  const [chosen, setChosen] = useState<number | null>(classes[0]?.index ?? null);
  const durationS = sharedDuration(comparison);
  const shared = new Set(agreement.top_shared.map((s) => s.index));
  const sentences = agreementSentences(comparison);
  const chosenLabel = classes.find((c) => c.index === chosen)?.label ?? '';
  const matched = models.map((m) => new Set(agreement.events_both.map((pair) => pair.byModel[m]!.onset_s)));

  return (
    <div className="flex flex-col gap-6" data-testid="model-comparison">
      <div>
        <h1 className="text-2xl font-semibold text-white">
          {models[0]} and {models[1]} on “{results[0].filename}”
        </h1>
        <ul className="mt-2 flex flex-col gap-1" data-testid="compare-verdict">
          {sentences.map((s) => (
            <li key={s.text} className={s.disagree ? 'text-amber-200' : 'text-slate-200'}>
              {s.text}
            </li>
          ))}
        </ul>
      </div>

      <div className="grid gap-4 md:grid-cols-2">
        {results.map((r, m) => (
          <Section key={models[m]} title={models[m]!} subtitle="Top classes; “both” marks the classes in both top 5">
            <ol className="flex flex-col gap-2" data-testid={`compare-top-${models[m]}`} aria-label={`${models[m]}: top classes`}>
              {r.predictions.slice(0, 5).map((p) => (
                <li
                  key={`${p.index}-${p.label}`}
                  className="rounded-lg bg-slate-800 px-3 py-2"
                  data-label={p.label}
                  data-shared={p.index !== null && shared.has(p.index) ? 'true' : 'false'}
                >
                  <div className="flex items-baseline justify-between gap-3">
                    <span className="font-medium text-white">
                      {p.label}
                      {p.index !== null && shared.has(p.index) ? (
                        <span className="ml-2 rounded bg-sky-900 px-1.5 text-xs font-normal text-sky-100">both</span>
                      ) : (
                        <span className="ml-2 rounded bg-amber-900/80 px-1.5 text-xs font-normal text-amber-100">only {models[m]}</span>
                      )}
                    </span>
                    <span className="tabular-nums text-slate-200">{formatPercent(p.probability)}</span>
                  </div>
                  <div className="mt-1 h-2 w-full overflow-hidden rounded-full bg-slate-700" aria-hidden="true">
                    <div className="h-full rounded-full bg-sky-400" style={{ width: `${Math.max(0, Math.min(1, p.probability)) * 100}%` }} />
                  </div>
                </li>
              ))}
            </ol>
            <Link href={`/?id=${encodeURIComponent(r.id)}`} className="text-sm text-sky-300 underline hover:text-sky-200">
              Open {models[m]}’s full analysis
            </Link>
          </Section>
        ))}
      </div>

      <Section title="Over time" subtitle={`Each model's map of the chosen class over the whole recording (${formatSeconds(durationS)}), on one time axis`}>
        <label className="flex flex-wrap items-center gap-2 text-sm text-slate-200">
          Class
          <select
            value={chosen ?? ''}
            onChange={(e) => setChosen(Number(e.target.value))}
            className="rounded bg-slate-800 px-2 py-1 text-white ring-1 ring-slate-600"
            data-testid="compare-class"
          >
            {classes.map((c) => (
              <option key={c.index} value={c.index}>
                {c.label}
                {shared.has(c.index) ? ' (both top 5)' : ''}
              </option>
            ))}
          </select>
        </label>
        <div className="grid grid-cols-[4.5rem_minmax(0,1fr)] items-start gap-x-3 gap-y-1 sm:grid-cols-[6rem_minmax(0,1fr)]" data-testid="compare-tracks">
          {results.map((r, m) => (
            <div key={models[m]} className="contents">
              <div className="pt-3 text-sm font-semibold text-white [overflow-wrap:anywhere]">
                {models[m]}
                {chosen !== null && explanationOf(r, chosen)?.seconds_per_column && (
                  <span className="block text-xs font-normal text-slate-300">{formatSeconds(explanationOf(r, chosen)!.seconds_per_column!)} cells</span>
                )}
              </div>
              <ModelTrack
                model={models[m]!}
                explanation={chosen === null ? null : explanationOf(r, chosen)}
                className={chosenLabel}
                events={(r.events ?? []).filter((e) => e.index === chosen)}
                matchedOnsets={matched[m]!}
                durationS={durationS}
              />
              <div />
              <CompareTimeAxis model={models[m]!} durationS={durationS} maxTicks={8} />
            </div>
          ))}
        </div>
        <div className="flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-slate-300">
          <span className="flex items-center gap-2">
            map: low <span className="inline-block h-2 w-20 rounded-sm" style={{ background: heatGradient() }} /> high
          </span>
          <span className="flex items-center gap-1"><span className="inline-block h-2 w-4 rounded-sm bg-sky-400" /> {chosenLabel} event both found</span>
          <span className="flex items-center gap-1"><span className="inline-block h-2 w-4 rounded-sm bg-amber-400/80" /> {chosenLabel} event only this model found</span>
        </div>
      </Section>

      <Section title="Shared classes" subtitle="Do the two maps rise at the same moments? Pearson correlation of their time profiles">
        {agreement.profile_correlation.length === 0 ? (
          <p className="text-sm text-slate-300">No class is in both top 5 with a map from each model.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="compare-correlation">
            <thead className="text-slate-300">
              <tr><th className="py-1 pr-3 font-medium">Class</th><th className="py-1 pr-3 font-medium">r</th><th className="py-1 font-medium">The models use</th></tr>
            </thead>
            <tbody>
              {agreement.profile_correlation.map((r) => (
                <tr key={r.index} className="border-t border-slate-800">
                  <td className="py-1 pr-3 text-white">{r.label}</td>
                  <td className="py-1 pr-3 tabular-nums text-slate-100">{r.pearson === null ? '–' : r.pearson.toFixed(2)}</td>
                  <td className="py-1 text-slate-200">{likeness(r.pearson)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <CompareEvents comparison={comparison} />
    </div>
  );
}
