'use client';
// The ways in (files, a folder, the microphone) and the state of each upload.
import type { UploadItem } from '@/hooks/useUploads';

import ModelPicker, { type ModelChoice } from '../compare/ModelPicker';

import Recorder from './Recorder';
import ServiceStatus from './ServiceStatus';
import UploadList from './UploadList';
import UploadPanel from './UploadPanel';

interface Props {
  items: UploadItem[];
  busy: boolean;
  compact: boolean;
  onFiles: (files: File[]) => void;
  onReject: (message: string) => void;
  onCancel: (key: string) => void;
  onDismiss: (key?: string) => void;
  /** A batch's result is opened. */
  onOpen?: () => void;
  /** The model (or two, compared) the next upload goes to. */
  choice?: ModelChoice;
  onChoice?: (choice: ModelChoice) => void;
}

export default function InputPanel({ items, busy, compact, onFiles, onReject, onCancel, onDismiss, onOpen, choice, onChoice }: Props) {
  // While one file is in flight the inputs wait; a batch in flight shows its list.
  const shown = items.filter((i) => i.phase !== 'done' || items.length > 1);
  return (
    <section aria-label="Analyse a sound" className="flex flex-col gap-4">
      {!compact && (
        <div>
          <h1 className="text-2xl font-semibold text-white">What does the model hear, and where?</h1>
          <p className="mt-1 max-w-3xl text-slate-300">
            Upload or record a sound. soundlens lists the most likely of the 527 AudioSet classes and shows, for each, the
            moments and frequency bands the model relied on, with how far that map can be trusted.
          </p>
          <ServiceStatus />
        </div>
      )}
      {choice && onChoice && <ModelPicker value={choice} onChange={onChoice} disabled={busy} />}
      <div className="grid gap-4 md:grid-cols-[3fr_2fr]">
        <UploadPanel disabled={busy} onFiles={onFiles} onReject={onReject} />
        <Recorder disabled={busy} onRecorded={(file) => onFiles([file])} onError={onReject} onStart={() => onDismiss()} />
      </div>
      <UploadList items={shown} onCancel={onCancel} onDismiss={onDismiss} onOpen={onOpen} />
    </section>
  );
}
