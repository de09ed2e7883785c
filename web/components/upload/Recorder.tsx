'use client';
// Record from the microphone; stopping sends the recording for analysis.
import { formatClock } from '@/lib/format';
import { useRecorder } from '@/hooks/useRecorder';

interface Props {
  disabled: boolean;
  onRecorded: (file: File) => void;
  onError: (message: string) => void;
  /** Recording began: earlier messages no longer apply. */
  onStart: () => void;
}

export default function Recorder({ disabled, onRecorded, onError, onStart }: Props) {
  const { state, level, elapsed, start, stop } = useRecorder(onRecorded, onError);
  const recording = state === 'recording';
  return (
    <div className="flex flex-col gap-3 rounded-xl border border-slate-700 bg-slate-900/60 p-4" data-testid="recorder">
      <div className="flex flex-wrap items-center gap-3">
        {recording ? (
          <button type="button" onClick={stop} data-testid="record-stop"
            className="rounded-lg bg-red-600 px-4 py-2 font-semibold text-white hover:bg-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-200">
            Stop and analyse
          </button>
        ) : (
          <button type="button" onClick={() => {
              onStart();
              void start();
            }} disabled={disabled || state === 'starting'} data-testid="record-start"
            className="rounded-lg bg-slate-100 px-4 py-2 font-semibold text-slate-900 hover:bg-white disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-200">
            {state === 'starting' ? 'Opening microphone…' : 'Record from microphone'}
          </button>
        )}
        <span className="tabular-nums text-lg text-slate-100" aria-live="off" data-testid="record-timer">
          {recording ? <><span className="mr-1 inline-block h-2.5 w-2.5 animate-pulse rounded-full bg-red-500" aria-hidden="true" />{formatClock(elapsed)}</> : '0:00'}
        </span>
      </div>
      <div className="flex items-center gap-2 text-sm text-slate-300">
        <span id="level-label">Input level</span>
        <div role="meter" aria-labelledby="level-label" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}
          className="h-2 flex-1 overflow-hidden rounded-full bg-slate-700" data-testid="level-meter">
          <div className={`h-full rounded-full ${level > 0.9 ? 'bg-red-400' : 'bg-emerald-400'}`} style={{ width: `${level * 100}%` }} />
        </div>
      </div>
      <p className="text-xs text-slate-400">Recorded in the browser as WebM/Opus; nothing is sent until you stop.</p>
    </div>
  );
}
