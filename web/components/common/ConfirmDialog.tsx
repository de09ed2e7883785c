'use client';
// A modal question with the native <dialog>: focus is trapped and Escape cancels.
import { useEffect, useRef } from 'react';

interface Props {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export default function ConfirmDialog({ open, title, message, confirmLabel, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      aria-labelledby="confirm-title"
      data-testid="confirm-dialog"
      className="m-auto max-w-md rounded-xl bg-slate-900 p-5 text-slate-100 ring-1 ring-slate-600 backdrop:bg-black/70"
    >
      <h2 id="confirm-title" className="text-lg font-semibold text-white">{title}</h2>
      <p className="mt-2 text-sm text-slate-300">{message}</p>
      <div className="mt-5 flex justify-end gap-3">
        <button type="button" onClick={onCancel} autoFocus className="rounded-lg border border-slate-500 px-4 py-2 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-sky-300">
          Keep it
        </button>
        <button type="button" onClick={onConfirm} data-testid="confirm-delete" className="rounded-lg bg-red-600 px-4 py-2 font-semibold text-white hover:bg-red-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-200">
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
