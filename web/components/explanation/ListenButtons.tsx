'use client';
// Hear the explanation: the recording filtered by the map ("what the model
// used") and by its complement ("what it ignored"), for the shown class and method.
import { useRef, useState } from 'react';

import { explanationWavUrl } from '@/lib/api-base';
import { formatPercent } from '@/lib/format';

import { useViewer } from '../viewer/ViewerContext';

const button = 'rounded-md border border-slate-500 px-3 py-1 text-sm hover:bg-slate-700 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-sky-300';

export default function ListenButtons() {
  const v = useViewer();
  const { caps, shown, analysis, method, contrast } = v;
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState<'kept' | 'removed' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (caps.loaded && !caps.listen) {
    return <p className="text-sm text-slate-400" data-testid="listen-unavailable">Listening to the explanation is not available on this server.</p>;
  }
  if (!analysis.audio_stored) {
    return <p className="text-sm text-slate-400" data-testid="listen-unavailable">Listening needs the recording, which this server does not keep.</p>;
  }
  const index = shown?.index ?? null;
  const play = (part: 'kept' | 'removed') => {
    const element = audio.current;
    if (!element || index === null) return;
    v.audioRef.current?.pause();
    setProblem(null);
    element.src = explanationWavUrl(analysis.id, index, method, part, contrast);
    setPlaying(part);
    element.play().catch(() => {
      setPlaying(null);
      setProblem('The explanation audio could not be played.');
    });
  };
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm text-slate-200" data-testid="listen">
      <span>Listen:</span>
      <button type="button" className={button} disabled={index === null || !caps.listen} onClick={() => play('kept')} aria-pressed={playing === 'kept'} data-testid="listen-kept">
        ▶ What the model used
      </button>
      <button type="button" className={button} disabled={index === null || !caps.listen} onClick={() => play('removed')} aria-pressed={playing === 'removed'} data-testid="listen-removed">
        ▶ What it ignored
      </button>
      {playing && <button type="button" className={button} onClick={() => { audio.current?.pause(); setPlaying(null); }}>Stop</button>}
      {shown?.listen && (
        <span className="text-xs text-slate-400">
          The model gives {shown.label} {formatPercent(shown.listen.kept_probability)} on the used part and {formatPercent(shown.listen.removed_probability)} on the rest.
        </span>
      )}
      {problem && <span className="text-amber-200" role="alert">{problem}</span>}
      <audio ref={audio} onEnded={() => setPlaying(null)} onPause={() => setPlaying(null)} data-testid="listen-audio" className="hidden" />
    </div>
  );
}
