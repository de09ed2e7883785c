// performance.mark instrumentation: from the upload finishing (the service's
// answer arriving) to the heatmap being on the canvas. The e2e test reads
// these entries; the page shows the last measure in the metadata.
export const MARK_UPLOAD_DONE = 'soundlens:upload-finished';
export const MARK_CAM_DRAWN = 'soundlens:heatmap-drawn';
export const MARK_FULL_DRAWN = 'soundlens:heatmap-over-spectrogram-drawn';
export const MEASURE_CAM = 'soundlens:upload-to-heatmap';
export const MEASURE_FULL = 'soundlens:upload-to-heatmap-over-spectrogram';

let pending: { cam: boolean; full: boolean } | null = null;

export function markUploadFinished(): void {
  performance.clearMarks(MARK_UPLOAD_DONE);
  performance.mark(MARK_UPLOAD_DONE);
  pending = { cam: true, full: true };
}

export interface DrawTimes {
  /** Upload finished -> Grad-CAM heatmap on the canvas. */
  heatmapMs?: number;
  /** Upload finished -> heatmap over the spectrogram on the canvas. */
  completeMs?: number;
}

/** Records each draw once per upload; returns the upload-to-draw times this draw completed. */
export function markDrawn(what: { spectrogram: boolean; cam: boolean }): DrawTimes | null {
  if (!pending || !what.cam) return null;
  const times: DrawTimes = {};
  if (pending.cam) {
    pending.cam = false;
    performance.mark(MARK_CAM_DRAWN);
    times.heatmapMs = performance.measure(MEASURE_CAM, MARK_UPLOAD_DONE, MARK_CAM_DRAWN)?.duration;
  }
  if (pending.full && what.spectrogram) {
    pending = null;
    performance.mark(MARK_FULL_DRAWN);
    times.completeMs = performance.measure(MEASURE_FULL, MARK_UPLOAD_DONE, MARK_FULL_DRAWN)?.duration;
  }
  return times.heatmapMs === undefined && times.completeMs === undefined ? null : times;
}

// A zoom or pan step: from the input event to the picture redrawn.
export const MARK_ZOOM_START = 'soundlens:zoom-start';
export const MEASURE_ZOOM = 'soundlens:zoom-step';
let zoomPending = false;

export function markZoomStart(): void {
  performance.clearMarks(MARK_ZOOM_START);
  performance.mark(MARK_ZOOM_START);
  zoomPending = true;
}

/** Called after each draw of the picture; returns the step's time when a zoom was pending. */
export function markZoomDrawn(): number | null {
  if (!zoomPending) return null;
  zoomPending = false;
  return performance.measure(MEASURE_ZOOM, MARK_ZOOM_START)?.duration ?? null;
}
