// Input-quality flags in plain words, beside the result.
import type { QualityFlag } from '@/lib/api-types';

const PLAIN: Record<string, string> = {
  narrowband: 'Narrow band: the recording carries little above a few kHz (a phone line or a low sample rate), so classes that live higher up are hard to hear for the model.',
  clipping: 'Clipping: the recording was too loud and its peaks are cut off, which adds distortion the model may react to.',
  mostly_silent: 'Mostly silent: most of the recording is near silence, so the results rest on a small part of it.',
  shorter_than_one_cell: 'Very short: the recording is shorter than one cell of the map, so the map can tell frequency bands but not moments.',
  low_confidence: 'Low confidence: no class reached a clear probability; treat every label as a guess.',
};

export default function QualityFlags({ flags }: { flags: QualityFlag[] | null }) {
  if (flags === null) return <p className="text-sm text-slate-400" data-testid="quality-unavailable">Input-quality checks are not available on this server.</p>;
  if (flags.length === 0) return <p className="text-sm text-emerald-300" data-testid="quality-ok">No input-quality problems were found.</p>;
  return (
    <ul className="flex flex-col gap-2 text-sm" data-testid="quality-flags" aria-label="Input quality">
      {flags.map((f) => (
        <li key={f.name} className="rounded-md border border-amber-400/40 bg-amber-950/40 p-2 text-amber-50" data-flag={f.name}>
          <p>{PLAIN[f.name] ?? f.message}</p>
          {f.message && PLAIN[f.name] && <p className="mt-0.5 text-xs text-amber-200/80">{f.message}</p>}
        </li>
      ))}
    </ul>
  );
}
