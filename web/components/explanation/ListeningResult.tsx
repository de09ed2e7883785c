'use client';
// What the listening search found for the shown map (lib/listening.ts says it
// in words): how much of the spectrogram the model used, what the model gives
// the kept and the removed audio, or, when no part under half the spectrogram
// keeps the class, that this is a finding about the map. Asked for once
// "listen" is pressed (the search runs the model on up to 8 versions of the
// recording), or carried by the explanation already.
import type { Entry } from '@/hooks/useExplanationStore';
import type { ListenResult } from '@/lib/listening';
import { describeListening } from '@/lib/listening';

const TONE = { kept: 'text-emerald-200', 'not-under-half': 'text-amber-200', absent: 'text-slate-300' } as const;

export default function ListeningResult({ result, entry, label }: { result: ListenResult | null; entry: Entry | undefined; label: string }) {
  if (!result) {
    if (entry?.status === 'loading') return <p role="status" className="text-xs text-slate-400" data-testid="listen-result-loading">Measuring how much of the spectrogram keeps {label} (the model on up to 8 versions of the recording)…</p>;
    if (entry?.status === 'failed') return <p className="text-xs text-amber-200" data-testid="listen-result-failed">How much of the spectrogram keeps {label} could not be measured. {entry.error.message}</p>;
    return null;
  }
  const words = describeListening(result, label);
  return (
    <div className="flex flex-col gap-0.5 text-sm" data-testid="listen-result" data-verdict={words.verdict} data-kept-fraction={result.kept_fraction ?? ''}>
      <p className={`font-semibold ${TONE[words.verdict]}`} data-testid="listen-result-headline">{words.headline}</p>
      <p className="text-xs text-slate-300">{words.detail} The used part is the map&apos;s most relevant cells, found over the whole recording; you hear it for the span chosen.</p>
    </div>
  );
}
