// Drawing the picture for one visible time span: the spectrogram layer (one
// pixel per column, in the chosen colour scale, gain and contrast), the
// explanation layer computed for the visible columns only (so a zoom step on
// an 8 h recording costs the same as on 10 s), and their composition.
// Low frequencies at the bottom.
import type { Explanation, Spectrogram } from './api-types';
import { HEAT_TABLE, spectrogramTable, tableIndex, type SpectrogramMap } from './colormap';
import { xOf, type TimeView } from './time-view';

export interface SpectrogramLook {
  map: SpectrogramMap;
  /** Added to the normalised level (-0.5..0.5). */
  gain: number;
  /** Multiplies the spread around mid-level (0.5..3). */
  contrast: number;
}

export const DEFAULT_LOOK: SpectrogramLook = { map: 'grey', gain: 0, contrast: 1 };
/** A recording longer than one window opens on its overview, where a faint map must still show (colormap.ts). */
export const LONG_LOOK: SpectrogramLook = { ...DEFAULT_LOOK, map: 'dim' };

function makeCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width));
  canvas.height = Math.max(1, Math.round(height));
  return canvas;
}

/** Level (0..1 of the colour scale) of a spectrogram value under a look. */
export function lookLevel(value: number, min: number, max: number, look: SpectrogramLook): number {
  const u = (value - min) / (max - min || 1);
  return (u - 0.5) * look.contrast + 0.5 + look.gain;
}

/** The inverse: the spectrogram value shown at scale position `level`. */
export function valueAtLevel(level: number, min: number, max: number, look: SpectrogramLook): number {
  const u = (level - 0.5 - look.gain) / (look.contrast || 1) + 0.5;
  return min + u * (max - min);
}

/**
 * The spectrogram at one pixel per column and row. `range` fixes the levels
 * (the overview's), so a zoomed-in span is coloured like the whole recording.
 */
export function spectrogramLayer(spectrogram: Spectrogram, look: SpectrogramLook, range?: { min: number; max: number }): HTMLCanvasElement | null {
  const { rows, cols } = spectrogram;
  const { min, max } = range ?? spectrogram;
  if (rows === 0 || cols === 0) return null;
  const canvas = makeCanvas(cols, rows);
  const context = canvas.getContext('2d');
  if (!context) return null;
  const image = context.createImageData(cols, rows);
  const table = spectrogramTable(look.map);
  for (let r = 0; r < rows; r++) {
    const row = spectrogram.values[r]!;
    const y = rows - 1 - r; // row 0 = lowest frequency = bottom line
    for (let c = 0; c < cols; c++) {
      const t = tableIndex(lookLevel(row[c] ?? min, min, max, look)) * 3;
      const i = (y * cols + c) * 4;
      image.data[i] = table[t]!;
      image.data[i + 1] = table[t + 1]!;
      image.data[i + 2] = table[t + 2]!;
      image.data[i + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** Seconds per map column; a map without it is stretched over the recording. */
export function camSecondsPerColumn(explanation: Explanation, durationS: number): number {
  return explanation.seconds_per_column && explanation.seconds_per_column > 0
    ? explanation.seconds_per_column
    : durationS / Math.max(1, explanation.cols);
}

/** Whether the map must be drawn as its cells: one column cannot be interpolated in time. */
export function mustDrawCells(explanation: Explanation): boolean {
  return explanation.cols < 2;
}

// Rows are drawn at this many pixels each when smoothing (bilinear between row centres).
const PIXELS_PER_ROW = 16;

/**
 * The map's value per (row, pixel column) for the visible span, `w` pixels
 * wide (row-major, row 0 = lowest band): the maximum of the columns a pixel
 * covers when it covers more than one; else interpolated between column
 * centres, or held in cells mode. `covered` marks pixels inside the map.
 */
export function camColumns(explanation: Explanation, view: TimeView, w: number, durationS: number, cells: boolean): { values: Float32Array; covered: Uint8Array } {
  const { rows, cols, map } = explanation;
  const spc = camSecondsPerColumn(explanation, durationS);
  const values = new Float32Array(rows * w);
  const covered = new Uint8Array(w);
  const secondsPerPixel = (view.end - view.start) / w;
  for (let px = 0; px < w; px++) {
    const c0 = (view.start + px * secondsPerPixel) / spc;
    const c1 = (view.start + (px + 1) * secondsPerPixel) / spc;
    if (c0 >= cols || c1 <= 0) continue;
    covered[px] = 1;
    // The epsilon keeps rounding (6.4 s / 0.32 s = 19.999...) from pulling in a neighbour's column.
    const first = Math.max(0, Math.floor(c0 + 1e-9));
    const last = Math.min(cols - 1, Math.ceil(c1 - 1e-9) - 1);
    for (let r = 0; r < rows; r++) {
      const line = map[r]!;
      let v: number;
      if (c1 - c0 > 1) {
        v = 0;
        for (let c = first; c <= last; c++) v = Math.max(v, line[c] ?? 0);
      } else if (cells) {
        v = line[Math.min(cols - 1, Math.floor((c0 + c1) / 2))] ?? 0;
      } else {
        const x = Math.min(cols - 1, Math.max(0, (c0 + c1) / 2 - 0.5));
        const a = Math.floor(x);
        const b = Math.min(cols - 1, a + 1);
        v = (line[a] ?? 0) * (1 - (x - a)) + (line[b] ?? 0) * (x - a);
      }
      values[r * w + px] = v;
    }
  }
  return { values, covered };
}

/**
 * The map over the visible span, `width` pixels wide: where a pixel covers
 * several columns the maximum is taken (nothing bright is lost when zoomed
 * out); where it covers part of one, the value is interpolated between column
 * centres (smooth) or held (cells). Alpha grows with the value.
 */
export function camViewLayer(explanation: Explanation, view: TimeView, width: number, durationS: number, cells: boolean): HTMLCanvasElement | null {
  const { rows, cols } = explanation;
  if (rows === 0 || cols === 0 || width < 1) return null;
  const height = cells ? rows : rows * PIXELS_PER_ROW;
  const w = Math.max(1, Math.round(width));
  const canvas = makeCanvas(w, height);
  const context = canvas.getContext('2d');
  if (!context) return null;
  const { values: columnValues, covered } = camColumns(explanation, view, w, durationS, cells);
  const image = context.createImageData(w, height);
  for (let py = 0; py < height; py++) {
    // py = 0 is the top = the highest row.
    let r0: number;
    let r1: number;
    let ty: number;
    if (cells) {
      r0 = r1 = rows - 1 - py;
      ty = 0;
    } else {
      const y = Math.min(rows - 1, Math.max(0, (height - 1 - py + 0.5) / PIXELS_PER_ROW - 0.5));
      r0 = Math.floor(y);
      r1 = Math.min(rows - 1, r0 + 1);
      ty = y - r0;
    }
    for (let px = 0; px < w; px++) {
      if (!covered[px]) continue;
      const v = columnValues[r0 * w + px]! * (1 - ty) + columnValues[r1 * w + px]! * ty;
      const t = tableIndex(v) * 3;
      const i = (py * w + px) * 4;
      image.data[i] = HEAT_TABLE[t]!;
      image.data[i + 1] = HEAT_TABLE[t + 1]!;
      image.data[i + 2] = HEAT_TABLE[t + 2]!;
      image.data[i + 3] = 255 * (0.25 + 0.75 * Math.min(1, Math.max(0, v)));
    }
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

export interface Composition {
  width: number;
  height: number;
  view: TimeView;
  spectrogram: { layer: HTMLCanvasElement; source: Spectrogram } | null;
  cam: HTMLCanvasElement | null;
  cells: boolean;
  opacity: number;
  /** Draw over what is there (a second layer) instead of clearing first. */
  keepBackground?: boolean;
}

/** Draws the part of the spectrogram layer inside the view, then the explanation layer over it. */
export function compose(context: CanvasRenderingContext2D, c: Composition): void {
  const { width, height, view } = c;
  context.globalAlpha = 1;
  if (!c.keepBackground) {
    context.fillStyle = '#0b1020';
    context.fillRect(0, 0, width, height);
  }
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  if (c.spectrogram) {
    const { layer, source } = c.spectrogram;
    const spc = source.seconds_per_column;
    // The overlap of the view and the layer's span, in seconds, then in source columns and screen pixels.
    const from = Math.max(view.start, source.start_s);
    const to = Math.min(view.end, source.start_s + source.cols * spc);
    if (to > from && spc > 0) {
      const sx = (from - source.start_s) / spc;
      const sw = (to - from) / spc;
      const dx = xOf(from, view) * width;
      const dw = (xOf(to, view) - xOf(from, view)) * width;
      context.drawImage(layer, sx, 0, sw, layer.height, dx, 0, dw, height);
    }
  }
  if (c.cam && c.opacity > 0) {
    context.globalAlpha = c.opacity;
    context.imageSmoothingEnabled = !c.cells;
    context.drawImage(c.cam, 0, 0, width, height);
    context.globalAlpha = 1;
    context.imageSmoothingEnabled = true;
  }
}
