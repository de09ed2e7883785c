// Upload progress, then an indeterminate bar while the service analyses.
export default function ProgressBar({ fraction, label }: { fraction: number | null; label: string }) {
  return (
    <div className="flex flex-col gap-1" data-testid="progress">
      <div className="flex justify-between text-sm text-slate-200">
        <span>{label}</span>
        {fraction !== null && <span className="tabular-nums">{Math.round(fraction * 100)}%</span>}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-700"
      >
        {fraction === null ? (
          <div className="h-full w-1/3 animate-[slide_1.2s_ease-in-out_infinite] rounded-full bg-sky-400" />
        ) : (
          <div className="h-full rounded-full bg-sky-400 transition-[width]" style={{ width: `${fraction * 100}%` }} />
        )}
      </div>
    </div>
  );
}
