// Always on screen: what this tool is, and what it is not.
export default function DecisionNotice() {
  return (
    <p
      role="note"
      data-testid="decision-notice"
      className="fixed inset-x-0 bottom-0 z-40 border-t border-amber-500/40 bg-slate-950/95 px-3 py-1.5 text-center text-xs text-amber-100 backdrop-blur"
    >
      <strong>Decision support, not a diagnosis.</strong> The model names sounds from 527 everyday classes; it was not built or validated for medical use.
    </p>
  );
}
