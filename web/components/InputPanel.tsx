'use client';
// The two ways in (a file or the microphone) and the state of the current request.
import type { RunState } from '@/hooks/useAnalysisRun';

import ErrorMessage from './ErrorMessage';
import ProgressBar from './ProgressBar';
import Recorder from './Recorder';
import ServiceStatus from './ServiceStatus';
import UploadPanel from './UploadPanel';

interface Props {
  state: RunState;
  compact: boolean;
  onFile: (file: File) => void;
  onReject: (message: string) => void;
  onDismiss: () => void;
  onCancel: () => void;
}

export default function InputPanel({ state, compact, onFile, onReject, onDismiss, onCancel }: Props) {
  const busy = state.phase === 'uploading' || state.phase === 'analysing';
  return (
    <section aria-label="Analyse a sound" className="flex flex-col gap-4">
      {!compact && (
        <div>
          <h1 className="text-2xl font-semibold text-white">What does the model hear, and where?</h1>
          <p className="mt-1 max-w-3xl text-slate-300">
            Upload or record a sound. soundlens lists the most likely of the 527 AudioSet classes and shows, for each, the
            moments and frequency bands the model relied on.
          </p>
          <ServiceStatus />
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-[3fr_2fr]">
        <UploadPanel disabled={busy} onFile={onFile} onReject={onReject} />
        <Recorder disabled={busy} onRecorded={onFile} onError={onReject} onStart={onDismiss} />
      </div>
      <div aria-live="polite" className="flex flex-col gap-2">
        {state.phase === 'uploading' && <ProgressBar fraction={state.fraction} label={`Uploading ${state.filename}`} />}
        {state.phase === 'analysing' && <ProgressBar fraction={null} label={`Analysing ${state.filename}…`} />}
        {busy && (
          <button type="button" onClick={onCancel} className="self-start rounded-md px-2 py-1 text-sm text-slate-300 underline hover:text-white focus-visible:outline-2 focus-visible:outline-sky-300">
            Cancel
          </button>
        )}
        {state.phase === 'failed' && <ErrorMessage message={state.message} detail={state.detail} onDismiss={onDismiss} />}
      </div>
    </section>
  );
}
