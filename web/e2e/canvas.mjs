// Reading the heatmap canvas back from the page, to check what was drawn.

/** Pixel statistics of the heatmap canvas: size, distinct colours, luminance spread, and a digest. */
export async function canvasPixels(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="heatmap-canvas"]');
    if (!canvas) return null;
    const { width, height } = canvas;
    const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const colours = new Set();
    let min = 255;
    let max = 0;
    const step = 4 * 7; // every 7th pixel is plenty to tell pictures apart
    const sample = [];
    for (let i = 0; i < data.length; i += step) {
      const lum = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
      if (lum < min) min = lum;
      if (lum > max) max = lum;
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      sample.push(data[i], data[i + 1], data[i + 2]);
    }
    return { width, height, colours: colours.size, min, max, sample, drawn: canvas.dataset.drawn ?? '' };
  });
}

/** Mean absolute difference per channel between two samples (0..255). */
export function pixelDifference(a, b) {
  const n = Math.min(a.sample.length, b.sample.length);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(a.sample[i] - b.sample[i]);
  return sum / n;
}
