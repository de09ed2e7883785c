'use client';
// How to read the map, and what it cannot tell, with this map's own resolution.
import { memo } from 'react';

import type { Explanation } from '@/lib/api-types';
import { formatSeconds } from '@/lib/format';

function InterpretationGuide({ explanation, durationS }: { explanation: Explanation | null; durationS: number }) {
  const spc = explanation?.seconds_per_column ?? null;
  const mbr = explanation?.mel_bins_per_row;
  const shorterThanCell = spc !== null && durationS > 0 && durationS < spc;
  return (
    <details className="group rounded-lg bg-slate-800/70 p-3 text-sm text-slate-200" data-testid="interpretation-guide" open>
      <summary className="cursor-pointer font-semibold text-white focus-visible:outline-2 focus-visible:outline-sky-300">How to read the map</summary>
      <div className="mt-2 space-y-2 leading-relaxed">
        <p>
          The spectrogram shows time from left to right and pitch rising from bottom to top (mel-spaced, so low
          frequencies get more room); brighter means more energy. The colours on top are the map for the selected
          class: bright yellow marks the moments and bands that pushed its score up the most, dark purple those that did not.
        </p>
        <p>Wheel or + / − to zoom, drag to pan, shift+drag to select a span; hover for time, frequency and values; click to play from there.</p>
        {shorterThanCell && (
          <p className="rounded bg-amber-950/60 p-2 text-amber-100" data-testid="short-clip-note">
            This recording ({formatSeconds(durationS)}) is shorter than one map cell ({formatSeconds(spc)}): the map has a single time
            column, so it can say which frequency bands the model used, but not when. It is drawn as its cells.
          </p>
        )}
        <p className="font-semibold text-white">What it does not show</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            <strong>Coarse resolution.</strong> The map comes from {explanation?.layers.length ? `the layer ${explanation.layers.join(', ')}` : 'the network'}, at{' '}
            {explanation?.rows ?? '?'} × {explanation?.cols ?? '?'} cells
            {!shorterThanCell && spc ? `; each cell covers ${formatSeconds(spc)}` : ''}{mbr ? ` and ${mbr} mel bins` : ''}. Switch on “Cells” to see
            the true grid; the smooth look is interpolation, and details finer than one cell are not in the data.
          </li>
          <li>
            <strong>Where, not why.</strong> It shows where the model looked to raise the score{explanation?.score ? ` (${explanation.score})` : ''}, not why the
            sound is what it is, nor whether the model is right. A bright region can be a real cue or a confound (background noise, recording conditions).
          </li>
          <li>
            <strong>Relative scale.</strong> Each map is scaled to its own maximum, so colours cannot be compared between classes or recordings, and a bright map
            does not mean a confident prediction. Check the faithfulness below before relying on a map.
          </li>
        </ul>
      </div>
    </details>
  );
}

export default memo(InterpretationGuide);
