'use client';
// Can this map be trusted? Its faithfulness (deleting the cells it marks as
// most important should hurt the class most: MoRF falls fast, LeRF stays
// high, and both beat a random map of the same cells) and, on request, the
// model-randomisation sanity check (a map that does not change when the
// model's weights are randomised does not explain the model). Said in plain
// words (lib/trust.ts); the terms stay in tooltips. While another map is being
// computed, the check on screen is marked as the previous map's.
import { useEffect, useState } from 'react';

import type { Explanation, Faithfulness } from '@/lib/api-types';
import { describeFaithfulness, describeSanityStep } from '@/lib/trust';

import { methodLabel } from '../viewer/SpectrogramPanel';
import { useViewer } from '../viewer/ViewerContext';

function Curves({ f }: { f: Faithfulness }) {
  const w = 160;
  const h = 64;
  const line = (ys: number[]) => ys.map((y, i) => `${(f.steps[i] ?? i / Math.max(1, ys.length - 1)) * w},${h - Math.max(0, Math.min(1, y)) * h}`).join(' ');
  const top = Math.max(1e-6, ...f.morf, ...f.lerf);
  const scale = (ys: number[]) => ys.map((y) => y / top);
  return (
    <figure className="flex flex-col items-start gap-1">
      <svg viewBox={`0 0 ${w} ${h}`} className="h-16 w-40 rounded bg-slate-950" role="img" aria-label="Probability as cells are removed: the map's most important cells first (red) and its least important first (green)" data-testid="faithfulness-plot">
        <polyline points={line(scale(f.morf))} fill="none" stroke="rgb(248,113,113)" strokeWidth="2" />
        <polyline points={line(scale(f.lerf))} fill="none" stroke="rgb(74,222,128)" strokeWidth="2" />
      </svg>
      <figcaption className="text-[11px] text-slate-400">
        probability as cells go: <span className="text-red-300" title="MoRF: most relevant first">top first</span>,{' '}
        <span className="text-green-300" title="LeRF: least relevant first">bottom first</span>
      </figcaption>
    </figure>
  );
}

function FaithfulnessView({ f, label }: { f: Faithfulness; label: string }) {
  const words = describeFaithfulness(f, label);
  const colour = words.verdict === 'better' ? 'text-emerald-300' : 'text-amber-200';
  return (
    <div className="flex flex-wrap items-start gap-4" data-testid="faithfulness" data-verdict={words.verdict} data-margin={Number.isFinite(words.margin) ? words.margin.toFixed(3) : ''}>
      <div className="flex min-w-0 flex-1 basis-64 flex-col gap-1">
        <p className={`font-semibold ${colour}`} data-testid="faithfulness-verdict">{words.verdictText}</p>
        <ul className="list-disc pl-5" data-testid="faithfulness-checks">
          {words.checks.map((c) => <li key={c}>{c}</li>)}
        </ul>
        {f.score !== null && (
          <p className="text-xs text-slate-400" data-testid="faithfulness-scale">
            <span title="Deletion test (Samek et al. 2017): MoRF removes the most relevant cells first, LeRF the least relevant first; score = LeRF area − MoRF area">
              Faithfulness score {f.score.toFixed(2)}
            </span>
            : {words.scale}
          </p>
        )}
      </div>
      {f.morf.length > 0 && <Curves f={f} />}
    </div>
  );
}

function SanityView({ e }: { e: Explanation }) {
  const s = e.sanity!;
  return (
    <div data-testid="sanity-result" className={s.passed ? 'text-emerald-300' : 'text-amber-200'}>
      <p className="font-semibold">{s.passed ? 'Sanity check passed: the map changes when the model is randomised.' : 'Sanity check failed: the map barely changes when the model is randomised, so it does not explain this model.'}</p>
      <ul className="text-xs text-slate-300">
        {s.steps.map((step) => (
          <li key={step.randomised} title="Spearman rank correlation between the original map and the randomised model's map">
            {describeSanityStep(step.randomised, step.spearman)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export default function TrustPanel() {
  const v = useViewer();
  const { caps, selectedClass, method, contrast, shown, store } = v;
  const base = selectedClass === null ? null : { classIndex: selectedClass, method, contrast };
  const needsTrust = base !== null && caps.faithfulness && shown !== null && shown.faithfulness === null;
  const { ensure, get } = store;
  useEffect(() => {
    if (needsTrust && base) ensure({ ...base, faithfulness: true });
  }, [needsTrust, base?.classIndex, base?.method, base?.contrast, ensure]); // eslint-disable-line react-hooks/exhaustive-deps
  const trust = base ? get({ ...base, faithfulness: true }) : undefined;
  const sanity = base ? get({ ...base, sanity: true }) : undefined;
  // The check of the chosen class, method and contrast: measured on request, or sent with its map.
  const matches = (e: Explanation | null) => e !== null && base !== null
    && e.index === base.classIndex && e.method === base.method && (e.contrast?.index ?? null) === (base.contrast ?? null);
  const ownCheck = trust?.status === 'ready' && trust.data.faithfulness
    ? { f: trust.data.faithfulness, label: trust.data.label, method: trust.data.method }
    : shown && matches(shown) && shown.faithfulness ? { f: shown.faithfulness, label: shown.label, method: shown.method } : null;
  // The last check on screen stays while the next map and its check compute, marked as out of date.
  const key = base ? `${base.classIndex}|${base.method}|${base.contrast ?? ''}` : '';
  const [last, setLast] = useState<{ key: string; f: Faithfulness; label: string; method: string } | null>(null);
  if (ownCheck && last?.f !== ownCheck.f) setLast({ key, ...ownCheck });
  const check = ownCheck ?? (last && last.key !== key && trust?.status !== 'failed' ? last : null);
  const stale = ownCheck === null && check !== null;

  return (
    <section aria-label="Can this map be trusted?" className="flex flex-col gap-2 rounded-lg bg-slate-800/60 p-3 text-sm text-slate-200" data-testid="trust-panel">
      <h3 className="font-semibold text-white">Can this map be trusted?</h3>
      {stale && check && (
        <p role="status" className="rounded bg-amber-900/40 px-2 py-1 text-xs text-amber-100" data-testid="trust-stale">
          Out of date: the map you chose and its check are being computed; below is the check of the previous map ({check.label}, {methodLabel(check.method)}).
        </p>
      )}
      {!ownCheck && (trust?.status === 'loading' ? <p role="status">Measuring faithfulness (deleting cells and re-running the model)…</p>
        : trust?.status === 'failed' ? <p className="text-amber-200">Faithfulness could not be measured: {trust.error.message}</p>
          : caps.loaded && !caps.faithfulness ? <p className="text-slate-400" data-testid="faithfulness-unavailable">Faithfulness is not available on this server.</p> : null)}
      {check && <div className={stale ? 'opacity-50' : ''}><FaithfulnessView f={check.f} label={check.label} /></div>}
      {shown?.completeness_error !== null && shown?.completeness_error !== undefined && (
        <p className="text-xs text-slate-400">Integrated gradients completeness error: {shown.completeness_error.toFixed(3)} (0 is exact).</p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={!caps.sanity || base === null || sanity?.status === 'loading'}
          onClick={() => base && ensure({ ...base, sanity: true })}
          className="rounded-md border border-slate-500 px-3 py-1 hover:bg-slate-700 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-sky-300"
          data-testid="sanity-button"
        >
          {sanity?.status === 'loading' ? 'Running the sanity check…' : 'Sanity check'}
        </button>
        {!caps.sanity && caps.loaded && <span className="text-xs text-slate-400">The sanity check is not available on this server.</span>}
      </div>
      {sanity?.status === 'ready' && sanity.data.sanity && <SanityView e={sanity.data} />}
      {sanity?.status === 'ready' && !sanity.data.sanity && <p className="text-amber-200">The server answered without a sanity result.</p>}
      {sanity?.status === 'failed' && <p className="text-amber-200">The sanity check failed: {sanity.error.message}</p>}
    </section>
  );
}
