// How to read the heatmap, and what it cannot tell, with this explanation's own resolution.
import { memo } from 'react';

import type { Explanation } from '@/lib/api-types';
import { formatSeconds } from '@/lib/format';

function InterpretationGuide({ explanation }: { explanation: Explanation | null }) {
  const spc = explanation?.seconds_per_column;
  const mbr = explanation?.mel_bins_per_row;
  return (
    <details className="group rounded-lg bg-slate-800/70 p-3 text-sm text-slate-200" data-testid="interpretation-guide" open>
      <summary className="cursor-pointer font-semibold text-white focus-visible:outline-2 focus-visible:outline-sky-300">
        How to read the heatmap
      </summary>
      <div className="mt-2 space-y-2 leading-relaxed">
        <p>
          The grey picture is the spectrogram: time runs left to right, pitch rises from bottom to top (on the mel
          scale, so low frequencies get more room), and lighter grey means more energy. The colours on top are the
          Grad-CAM map for the selected class: bright yellow marks the moments and frequency bands whose features
          pushed that class’s score up the most; dark purple marks regions that did not.
        </p>
        <p>Pick another prediction to see where the model looked for that class. Hover the picture to read time, frequency and values; click it to play from there.</p>
        <p className="font-semibold text-white">What it does not show</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            <strong>Coarse resolution.</strong> The map comes from the network’s last convolutional layer
            {explanation?.layer ? ` (${explanation.layer})` : ''}, which is only {explanation?.rows ?? '?'} × {explanation?.cols ?? '?'} cells:
            each cell covers {spc ? formatSeconds(spc) : 'an unknown span of time'} and{' '}
            {mbr ? `${mbr} mel bins` : 'an unknown number of mel bins'}. The smooth look comes from interpolation; details
            finer than one cell are not in the data.
          </li>
          <li>
            <strong>Where, not why.</strong> It shows where the model looked to raise the score{explanation?.score ? ` (the class ${explanation.score})` : ''}, not why
            the sound is what it is, nor whether the model is right. A bright region can be a real cue or a confound the model learned
            (background noise, recording conditions).
          </li>
          <li>
            <strong>Relative scale.</strong> Each map is scaled to its own maximum, so colours cannot be compared between classes or
            recordings, and a bright map does not mean a confident prediction.
          </li>
        </ul>
      </div>
    </details>
  );
}

// Memoised: the result page re-renders every frame while the audio plays.
export default memo(InterpretationGuide);
