'use client';
// Can this map be trusted? Its faithfulness (deleting the cells it marks as
// most important should hurt the class most: MoRF falls fast, LeRF stays
// high, and both beat a random map of the same cells) and, on request, the
// model-randomisation sanity check (a map that does not change when the
// model's weights are randomised does not explain the model).
import { useEffect } from 'react';

import type { Explanation, Faithfulness } from '@/lib/api-types';

import { useViewer } from '../viewer/ViewerContext';

function Curves({ f }: { f: Faithfulness }) {
  const w = 160;
  const h = 64;
  const line = (ys: number[]) => ys.map((y, i) => `${(f.steps[i] ?? i / Math.max(1, ys.length - 1)) * w},${h - Math.max(0, Math.min(1, y)) * h}`).join(' ');
  const top = Math.max(1e-6, ...f.morf, ...f.lerf);
  const scale = (ys: number[]) => ys.map((y) => y / top);
  return (
    <svg viewBox={`0 0 ${w} ${h}`} className="h-16 w-40 rounded bg-slate-950" role="img" aria-label="Probability as cells are removed: MoRF (most important first) and LeRF (least important first)" data-testid="faithfulness-plot">
      <polyline points={line(scale(f.morf))} fill="none" stroke="rgb(248,113,113)" strokeWidth="2" />
      <polyline points={line(scale(f.lerf))} fill="none" stroke="rgb(74,222,128)" strokeWidth="2" />
    </svg>
  );
}

function FaithfulnessView({ f }: { f: Faithfulness }) {
  const better = f.score > f.random_score;
  return (
    <div className="flex flex-wrap items-center gap-4" data-testid="faithfulness">
      <div>
        <p>
          Faithfulness <strong className="tabular-nums">{f.score.toFixed(2)}</strong> against{' '}
          <span className="tabular-nums">{Number.isFinite(f.random_score) ? f.random_score.toFixed(2) : '—'}</span> for a random map of the same cells
        </p>
        <p className={better ? 'text-emerald-300' : 'text-amber-200'}>
          {better ? 'The map points at what the model uses better than chance.' : 'The map does no better than a random one: do not rely on it.'}
        </p>
        <p className="text-xs text-slate-400">
          <span className="text-red-300">MoRF</span> removes the most important cells first (should fall fast
          {f.morf_auc !== null ? `, area ${f.morf_auc.toFixed(2)}` : ''}); <span className="text-green-300">LeRF</span> the least important first (should stay high
          {f.lerf_auc !== null ? `, area ${f.lerf_auc.toFixed(2)}` : ''}).
        </p>
      </div>
      <Curves f={f} />
    </div>
  );
}

function SanityView({ e }: { e: Explanation }) {
  const s = e.sanity!;
  return (
    <div data-testid="sanity-result" className={s.passed ? 'text-emerald-300' : 'text-amber-200'}>
      <p className="font-semibold">{s.passed ? 'Sanity check passed: the map changes when the model is randomised.' : 'Sanity check failed: the map barely changes when the model is randomised, so it does not explain this model.'}</p>
      <ul className="text-xs text-slate-300">
        {s.steps.map((step) => <li key={step.randomised}>Randomised {step.randomised}: rank correlation with the original map {step.spearman?.toFixed(2) ?? '—'}</li>)}
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
  const faithfulness = shown?.faithfulness ?? (trust?.status === 'ready' ? trust.data.faithfulness : null);

  return (
    <section aria-label="Can this map be trusted?" className="flex flex-col gap-2 rounded-lg bg-slate-800/60 p-3 text-sm text-slate-200" data-testid="trust-panel">
      <h3 className="font-semibold text-white">Can this map be trusted?</h3>
      {faithfulness ? <FaithfulnessView f={faithfulness} />
        : trust?.status === 'loading' ? <p role="status">Measuring faithfulness (deleting cells and re-running the model)…</p>
          : trust?.status === 'failed' ? <p className="text-amber-200">Faithfulness could not be measured: {trust.error.message}</p>
            : caps.loaded && !caps.faithfulness ? <p className="text-slate-400" data-testid="faithfulness-unavailable">Faithfulness is not available on this server.</p> : null}
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
