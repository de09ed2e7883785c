'use client';
// Would the model still say so if the recording were made differently? On
// request, the shown class's probability under added noise (white, pink, the
// recording's own background, 20 to 0 dB SNR), the telephone band, an 8 kHz
// channel, a cheap microphone, gain, clipping and delays (GET .../robustness),
// with the server's one-sentence summary and a bar per change against 0.5.
import { useState } from 'react';

import { getRobustness } from '@/lib/api-client';
import type { Robustness } from '@/lib/api-types';
import { formatPercent } from '@/lib/format';

import { useViewer } from '../viewer/ViewerContext';

type State = { status: 'idle' } | { status: 'loading'; index: number } | { status: 'ready'; index: number; data: Robustness } | { status: 'failed'; index: number; message: string };

function Bars({ r }: { r: Robustness }) {
  const rows = [{ condition: 'as recorded', p: r.as_recorded[0] ?? 0 }, ...r.changes.map((c) => ({ condition: c.condition, p: c.probability[0] ?? 0 }))];
  return (
    <ul className="grid grid-cols-[minmax(0,11rem)_1fr_3.5rem] items-center gap-x-2 gap-y-0.5 text-xs" data-testid="robustness-bars">
      {rows.map((row) => (
        <li key={row.condition} className="contents">
          <span className="truncate text-slate-300" title={row.condition}>{row.condition}</span>
          <span className="relative h-2.5 rounded bg-slate-700" aria-hidden="true">
            <span className={`absolute inset-y-0 left-0 rounded ${row.p >= 0.5 ? 'bg-emerald-400' : 'bg-amber-400'}`} style={{ width: `${Math.max(0, Math.min(1, row.p)) * 100}%` }} />
            <span className="absolute inset-y-[-2px] left-1/2 w-px bg-slate-300/70" />
          </span>
          <span className="text-right tabular-nums text-slate-200">{formatPercent(row.p)}</span>
        </li>
      ))}
    </ul>
  );
}

export default function RobustnessPanel() {
  const { analysis, shown } = useViewer();
  const [state, setState] = useState<State>({ status: 'idle' });
  if (!shown) return null;
  const index = shown.index;
  const current = state.status !== 'idle' && state.index === index ? state : { status: 'idle' as const };
  const measure = async () => {
    setState({ status: 'loading', index });
    try {
      setState({ status: 'ready', index, data: await getRobustness(analysis.id, index) });
    } catch (e) {
      setState({ status: 'failed', index, message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <section aria-label="Would it still hear this?" className="flex flex-col gap-2 rounded-lg bg-slate-800/60 p-3 text-sm text-slate-200" data-testid="robustness-panel">
      <h3 className="font-semibold text-white">Would it still hear {shown.label} in a noisier or cheaper recording?</h3>
      {!analysis.audio_stored ? (
        <p className="text-slate-400">This needs the recording, which this server does not keep.</p>
      ) : current.status === 'ready' ? (
        <>
          {current.data.sentences.map((s) => <p key={s} data-testid="robustness-sentence">{s}</p>)}
          <Bars r={current.data} />
          <p className="text-xs text-slate-400">Bars: {shown.label}&apos;s probability on the recording changed as named; the line marks 0.5. Noise is added at the signal-to-noise ratio shown, against the recording&apos;s mean power.</p>
          {current.data.skipped.map((s) => <p key={s} className="text-xs text-slate-400">Not measured: {s}</p>)}
        </>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={measure}
            disabled={current.status === 'loading'}
            className="rounded-md border border-slate-500 px-3 py-1 hover:bg-slate-700 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-sky-300"
            data-testid="robustness-button"
          >
            {current.status === 'loading' ? 'Changing the recording 21 ways…' : 'Test it against noise, phone lines and gain'}
          </button>
          {current.status === 'failed' && <span className="text-amber-200" role="alert">{current.message}</span>}
        </div>
      )}
    </section>
  );
}
