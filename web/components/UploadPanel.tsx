'use client';
// Choosing a file: a button, or dropping a file anywhere on the zone. The
// size is checked here, before anything is sent.
import { useId, useState } from 'react';

import { formatBytes } from '@/lib/format';
import { ACCEPT_ATTRIBUTE, ACCEPTED_FORMATS, checkFile, maxUploadBytes } from '@/lib/upload-rules';

interface Props {
  disabled: boolean;
  onFile: (file: File) => void;
  onReject: (message: string) => void;
}

export default function UploadPanel({ disabled, onFile, onReject }: Props) {
  const inputId = useId();
  const hintId = useId();
  const [dragging, setDragging] = useState(false);

  const take = (file: File | undefined) => {
    if (!file || disabled) return;
    const problem = checkFile(file);
    if (problem) onReject(problem);
    else onFile(file);
  };

  return (
    <div
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        take(event.dataTransfer.files?.[0]);
      }}
      data-testid="dropzone"
      className={`flex flex-col items-center gap-3 rounded-xl border-2 border-dashed p-6 text-center transition ${
        dragging ? 'border-sky-300 bg-sky-950/60' : 'border-slate-600 bg-slate-900/60'
      }`}
    >
      <p className="text-base text-slate-100">Drop an audio file here, or</p>
      <label
        htmlFor={inputId}
        className={`inline-flex cursor-pointer items-center rounded-lg bg-sky-500 px-4 py-2 font-semibold text-slate-950 focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-sky-200 hover:bg-sky-400 ${
          disabled ? 'pointer-events-none opacity-50' : ''
        }`}
      >
        Choose a file
        <input
          id={inputId}
          type="file"
          accept={ACCEPT_ATTRIBUTE}
          disabled={disabled}
          aria-describedby={hintId}
          data-testid="file-input"
          className="sr-only"
          onChange={(event) => {
            take(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </label>
      <p id={hintId} className="text-sm text-slate-300">
        Accepted: {ACCEPTED_FORMATS.join(', ')}. Up to {formatBytes(maxUploadBytes())}.
      </p>
    </div>
  );
}
