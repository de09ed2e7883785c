// A model recalibrated by the server (serve --calibration): which classes'
// probabilities are calibrated, by which file, fitted on what data.
import type { Analysis } from '@/lib/api-types';

const ece = (v: number | null) => (v === null ? 'not measured' : v.toFixed(3));

export default function CalibrationNotice({ analysis }: { analysis: Analysis }) {
  const c = analysis.calibration;
  if (!c) return null;
  return (
    <div
      className="rounded-md border border-amber-400/40 bg-amber-950/30 p-2 text-sm text-amber-50"
      data-testid="calibration"
      data-classes={c.classes.join(';')}
    >
      <p>
        Calibrated probabilities for {c.classes.join(', ')}: the server recalibrated {analysis.model} with{' '}
        <span className="font-mono">{c.file}</span> (Platt scaling per class), fitted on {c.files}{' '}
        {c.files === 1 ? 'recording' : 'recordings'}
        {c.fitted_on ? (
          <>
            {' '}
            of <span className="break-all font-mono">{c.fitted_on}</span>
          </>
        ) : null}
        . Expected calibration error on held-out recordings: {ece(c.ece_before)} before, {ece(c.ece_after)} after. The
        other classes are the model&apos;s own.
      </p>
    </div>
  );
}
