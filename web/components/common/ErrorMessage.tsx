// A failure said in words, with the service's own message folded away for experts.
export default function ErrorMessage({ message, detail, onDismiss }: { message: string; detail?: string; onDismiss?: () => void }) {
  return (
    <div role="alert" data-testid="error-message" className="flex items-start gap-3 rounded-lg border border-red-400/60 bg-red-950/70 p-3 text-sm text-red-50">
      <span aria-hidden="true" className="font-bold text-red-300">!</span>
      <div className="flex-1">
        <p>{message}</p>
        {detail && detail !== message && (
          <details className="mt-1 text-red-200/90">
            <summary className="cursor-pointer">Details from the service</summary>
            <p className="mt-1 break-words">{detail}</p>
          </details>
        )}
      </div>
      {onDismiss && (
        <button type="button" onClick={onDismiss} className="rounded px-2 text-red-100 hover:bg-red-900 focus-visible:outline-2 focus-visible:outline-red-200" aria-label="Dismiss this message">
          ×
        </button>
      )}
    </div>
  );
}
