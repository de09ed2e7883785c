// Drawing the explanation: a grey spectrogram layer at its own resolution, a
// coloured Grad-CAM layer upsampled bilinearly to screen pixels, and the
// composition of both on the visible canvas. Low frequencies at the bottom.
import type { Explanation, Spectrogram } from './api-types';
import { upsampleFlipped } from './bilinear';
import { HEAT_TABLE, tableIndex } from './colormap';

function makeCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, width);
  canvas.height = Math.max(1, height);
  return canvas;
}

function valueRange(spectrogram: Spectrogram): [number, number] {
  let min = spectrogram.min;
  let max = spectrogram.max;
  if (min === undefined || max === undefined || !(max > min)) {
    min = Infinity;
    max = -Infinity;
    for (const row of spectrogram.values) {
      for (const v of row) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return Number.isFinite(min) && Number.isFinite(max) && max > min ? [min, max] : [0, 1];
}

/** The spectrogram at one pixel per cell, grey from dark (low) to light (high). */
export function spectrogramLayer(spectrogram: Spectrogram): HTMLCanvasElement | null {
  const rows = spectrogram.values?.length ?? 0;
  const cols = spectrogram.values?.[0]?.length ?? 0;
  if (rows === 0 || cols === 0) return null;
  const canvas = makeCanvas(cols, rows);
  const context = canvas.getContext('2d');
  if (!context) return null;
  const image = context.createImageData(cols, rows);
  const [min, max] = valueRange(spectrogram);
  // A grey ramp that stops short of white and bends towards dark, so the
  // coloured heatmap on top stays the brightest thing in the picture.
  const ramp = new Uint8ClampedArray(256);
  for (let i = 0; i < 256; i++) ramp[i] = 8 + 182 * Math.pow(i / 255, 1.6);
  const scale = 255 / (max - min);
  for (let r = 0; r < rows; r++) {
    const row = spectrogram.values[r]!;
    const y = rows - 1 - r; // row 0 = lowest frequency = bottom line
    for (let c = 0; c < cols; c++) {
      const grey = ramp[Math.max(0, Math.min(255, Math.round(((row[c] ?? min) - min) * scale)))]!;
      const i = (y * cols + c) * 4;
      image.data[i] = grey;
      image.data[i + 1] = grey;
      image.data[i + 2] = grey;
      image.data[i + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

// Values are interpolated bilinearly up to this many pixels per cell and
// coloured there; the canvas then stretches that (smoothly) to screen size.
// Past 8 pixels per cell, colouring before or after the stretch looks the same,
// and it keeps a class switch to a few milliseconds.
const PIXELS_PER_CELL = 8;

/** The Grad-CAM map upsampled (at most width x height), coloured, more opaque where stronger. */
export function camLayer(explanation: Explanation, maxWidth: number, maxHeight: number): HTMLCanvasElement | null {
  const rows = explanation.map?.length ?? 0;
  const cols = explanation.map?.[0]?.length ?? 0;
  if (rows === 0 || cols === 0 || maxWidth < 1 || maxHeight < 1) return null;
  const width = Math.min(maxWidth, cols * PIXELS_PER_CELL);
  const height = Math.min(maxHeight, rows * PIXELS_PER_CELL * 2);
  const canvas = makeCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) return null;
  const values = upsampleFlipped(explanation.map, rows, cols, width, height);
  const image = context.createImageData(width, height);
  for (let p = 0; p < values.length; p++) {
    const v = values[p]!;
    const t = tableIndex(v) * 3;
    const i = p * 4;
    image.data[i] = HEAT_TABLE[t]!;
    image.data[i + 1] = HEAT_TABLE[t + 1]!;
    image.data[i + 2] = HEAT_TABLE[t + 2]!;
    image.data[i + 3] = 255 * (0.25 + 0.75 * Math.min(1, Math.max(0, v)));
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

export interface Composition {
  width: number;
  height: number;
  spectrogram: HTMLCanvasElement | null;
  /** Fraction of the canvas width the spectrogram layer covers (its span / duration). */
  spectrogramSpan: number;
  cam: HTMLCanvasElement | null;
  camSpan: number;
  opacity: number;
}

export function compose(context: CanvasRenderingContext2D, layers: Composition): void {
  const { width, height } = layers;
  context.globalAlpha = 1;
  context.fillStyle = '#0b1020';
  context.fillRect(0, 0, width, height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  if (layers.spectrogram) {
    context.drawImage(layers.spectrogram, 0, 0, width * layers.spectrogramSpan, height);
  }
  if (layers.cam && layers.opacity > 0) {
    context.globalAlpha = layers.opacity;
    context.drawImage(layers.cam, 0, 0, width * layers.camSpan, height);
    context.globalAlpha = 1;
  }
}
