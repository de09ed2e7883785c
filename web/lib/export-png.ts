// The PNG download is the picture on screen: the same canvas pixels (same
// colour scales, view, opacity, cells), with the same axis ticks and a title
// drawn around it.
import { formatHz } from './format';
import { frequencyTicks } from './mel-axis';
import { tickLabel, timeTicks, xOf, type TimeView } from './time-view';

export function pictureToPng(canvas: HTMLCanvasElement, view: TimeView, centerHz: number[], title: string): Promise<Blob | null> {
  const ratio = canvas.width / Math.max(1, canvas.getBoundingClientRect().width || canvas.width);
  const left = Math.round(56 * ratio);
  const top = Math.round(26 * ratio);
  const bottom = Math.round(24 * ratio);
  const out = document.createElement('canvas');
  out.width = canvas.width + left + Math.round(12 * ratio);
  out.height = canvas.height + top + bottom;
  const context = out.getContext('2d');
  if (!context) return Promise.resolve(null);
  context.fillStyle = '#020617';
  context.fillRect(0, 0, out.width, out.height);
  context.drawImage(canvas, left, top);
  context.fillStyle = '#e2e8f0';
  context.font = `${Math.round(12 * ratio)}px sans-serif`;
  context.textBaseline = 'middle';
  context.fillText(title, left, top / 2);
  context.font = `${Math.round(11 * ratio)}px sans-serif`;
  context.fillStyle = '#cbd5e1';
  context.textAlign = 'right';
  for (const tick of frequencyTicks(centerHz, 0.09)) {
    context.fillText(formatHz(tick.hz), left - 4 * ratio, top + (1 - tick.fraction) * canvas.height);
  }
  context.textBaseline = 'top';
  const span = view.end - view.start;
  for (const t of timeTicks(view, Math.max(3, Math.floor(canvas.width / ratio / 90)))) {
    const x = xOf(t, view);
    context.textAlign = x < 0.03 ? 'left' : x > 0.97 ? 'right' : 'center';
    context.fillText(tickLabel(t, span), left + x * canvas.width, top + canvas.height + 4 * ratio);
  }
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
