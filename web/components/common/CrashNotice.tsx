import Link from 'next/link';

// What a person sees when part of the page failed to draw.
export default function CrashNotice({ onRetry }: { onRetry: () => void }) {
  return (
    <div role="alert" data-testid="crash-notice" className="mx-auto max-w-xl rounded-xl border border-amber-400/60 bg-amber-950/60 p-6 text-amber-50">
      <h1 className="text-lg font-semibold">This part of the page could not be shown.</h1>
      <p className="mt-2 text-sm">
        The data from the service was not what the page expected. Your analyses are safe; try again, or go back to the start.
      </p>
      <div className="mt-4 flex gap-3">
        <button type="button" onClick={onRetry} className="rounded-lg bg-amber-300 px-4 py-2 font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-100">
          Try again
        </button>
        <Link href="/" className="rounded-lg border border-amber-200 px-4 py-2 focus-visible:outline-2 focus-visible:outline-amber-100">Start over</Link>
      </div>
    </div>
  );
}
