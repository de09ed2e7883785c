'use client';
// Choosing files: a button (one or several files), a folder, or dropping
// files or a folder anywhere on the zone. Sizes are checked here against the
// service's own limit (from /health) before anything is sent.
import { useId, useState } from 'react';

import { formatBytes } from '@/lib/format';
import { useHealth } from '@/lib/health';
import { ACCEPT_ATTRIBUTE, ACCEPTED_FORMATS, checkFile, looksLikeAudio } from '@/lib/upload-rules';

interface Props {
  disabled: boolean;
  onFiles: (files: File[]) => void;
  onReject: (message: string) => void;
}

// Files inside dropped folders (webkitGetAsEntry), read recursively.
async function filesOfDrop(items: DataTransferItemList): Promise<File[]> {
  const entries = [...items].map((item) => item.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      out.push(await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail)));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return out;
}

const chooser = 'inline-flex cursor-pointer items-center rounded-lg px-4 py-2 font-semibold focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-sky-200';

export default function UploadPanel({ disabled, onFiles, onReject }: Props) {
  const inputId = useId();
  const folderId = useId();
  const hintId = useId();
  const [dragging, setDragging] = useState(false);
  const health = useHealth();
  const limit = health.status === 'ready' ? health.data.max_upload_bytes : null;

  const take = (files: File[], fromFolder: boolean) => {
    if (disabled || files.length === 0) return;
    const candidates = fromFolder || files.length > 1 ? files.filter(looksLikeAudio) : files;
    if (candidates.length === 0) {
      onReject('No audio files were found there.');
      return;
    }
    const problems = candidates.map((f) => checkFile(f, limit)).filter((p): p is string => p !== null);
    const good = candidates.filter((f) => checkFile(f, limit) === null);
    if (problems.length) onReject(problems.join(' '));
    if (good.length) onFiles(good);
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
        const items = event.dataTransfer.items;
        const hasFolder = items && [...items].some((i) => i.webkitGetAsEntry?.()?.isDirectory);
        if (hasFolder) void filesOfDrop(items).then((files) => take(files, true));
        else take([...(event.dataTransfer.files ?? [])], false);
      }}
      data-testid="dropzone"
      className={`flex flex-col items-center gap-3 rounded-xl border-2 border-dashed p-6 text-center transition ${
        dragging ? 'border-sky-300 bg-sky-950/60' : 'border-slate-600 bg-slate-900/60'
      }`}
    >
      <p className="text-base text-slate-100">Drop audio files or a folder here, or</p>
      <div className="flex flex-wrap justify-center gap-2">
        <label htmlFor={inputId} className={`${chooser} bg-sky-500 text-slate-950 hover:bg-sky-400 ${disabled ? 'pointer-events-none opacity-50' : ''}`}>
          Choose files
          <input
            id={inputId}
            type="file"
            multiple
            accept={ACCEPT_ATTRIBUTE}
            disabled={disabled}
            aria-describedby={hintId}
            data-testid="file-input"
            className="sr-only"
            onChange={(event) => {
              take([...(event.target.files ?? [])], false);
              event.target.value = '';
            }}
          />
        </label>
        <label htmlFor={folderId} className={`${chooser} border border-slate-500 text-slate-100 hover:bg-slate-800 ${disabled ? 'pointer-events-none opacity-50' : ''}`}>
          Choose a folder
          <input
            id={folderId}
            type="file"
            disabled={disabled}
            data-testid="folder-input"
            className="sr-only"
            // Non-standard but in every current browser: pick a directory.
            {...{ webkitdirectory: '' }}
            onChange={(event) => {
              take([...(event.target.files ?? [])], true);
              event.target.value = '';
            }}
          />
        </label>
      </div>
      <p id={hintId} className="text-sm text-slate-300" data-testid="upload-hint">
        Accepted: {ACCEPTED_FORMATS.join(', ')}. {limit !== null ? `Up to ${formatBytes(limit)} per file.` : 'The service checks the size.'} Several files are analysed one after another.
      </p>
    </div>
  );
}
