// Zoom to an event (with a little context either side), show its class, bring
// the spectrogram into view (the table can be far below it, a phone's screen
// small) and play the event.
import type { AudioEvent } from '@/lib/api-types';
import { markZoomStart } from '@/lib/perf';

import type { Viewer } from '../viewer/ViewerContext';

export function focusEvent(v: Viewer, e: AudioEvent): void {
  const length = Math.max(0.1, e.offset_s - e.onset_s);
  const pad = Math.max(0.5, length * 0.25);
  markZoomStart();
  v.setView(e.onset_s - pad, e.offset_s + pad);
  v.setSelection({ start: e.onset_s, end: e.offset_s });
  if (e.index !== null) v.selectClass(e.index, e.label);
  v.revealPicture();
  v.playRange(e.onset_s, e.offset_s);
}
