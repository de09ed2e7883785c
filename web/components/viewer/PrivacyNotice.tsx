// What the server's privacy settings did to this recording: speech silenced
// before storing (--redact-speech), or no recording kept at all (--store-audio no).
import type { Analysis } from '@/lib/api-types';
import { formatTime } from '@/lib/format';

const MAX_LISTED = 12;

export function RecordingNotKept() {
  return (
    <p className="rounded-md border border-slate-600 bg-slate-800/60 p-2 text-sm text-slate-200" data-testid="audio-not-stored">
      This server does not keep recordings, so this one cannot be played back. The results, the maps of the top
      classes and the overview spectrogram were kept; listening, other methods&apos; maps, zoomed spectrograms and the
      PDF report need the recording and are not available.
    </p>
  );
}

export function RedactionNotice({ analysis }: { analysis: Analysis }) {
  const r = analysis.redaction;
  if (!r) return null;
  if (r.spans.length === 0)
    return (
      <p className="text-sm text-slate-300" data-testid="redaction">
        Speech was checked for before storing, and none was found: nothing was silenced.
      </p>
    );
  const listed = r.spans.slice(0, MAX_LISTED);
  return (
    <div className="rounded-md border border-sky-400/40 bg-sky-950/40 p-2 text-sm text-sky-50" data-testid="redaction" data-fraction={r.fraction}>
      <p>
        Speech was silenced before storing: {r.spans.length} {r.spans.length === 1 ? 'span' : 'spans'},{' '}
        {Math.round(r.fraction * 1000) / 10}% of the recording. The results are of what was kept; a class heard only
        in those spans cannot appear.
      </p>
      <ul className="mt-1 flex flex-wrap gap-x-3 text-xs text-sky-200/90" aria-label="Silenced spans">
        {listed.map((s) => (
          <li key={s.start_s} data-testid="redaction-span">
            {formatTime(s.start_s)}–{formatTime(s.end_s)}
          </li>
        ))}
        {r.spans.length > listed.length && <li>and {r.spans.length - listed.length} more</li>}
      </ul>
    </div>
  );
}
