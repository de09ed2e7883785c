// Bilinear sampling of a coarse grid (the Grad-CAM cells) at any point, so the
// heatmap is smooth at screen resolution instead of blocky. Cell centres sit at
// (i + 0.5) in grid units; outside the outermost centres the edge value holds.

export function sampleBilinear(grid: number[][], rows: number, cols: number, y: number, x: number): number {
  if (rows <= 0 || cols <= 0) return 0;
  const fy = Math.min(rows - 1, Math.max(0, y - 0.5));
  const fx = Math.min(cols - 1, Math.max(0, x - 0.5));
  const r0 = Math.floor(fy);
  const c0 = Math.floor(fx);
  const r1 = Math.min(rows - 1, r0 + 1);
  const c1 = Math.min(cols - 1, c0 + 1);
  const ty = fy - r0;
  const tx = fx - c0;
  const at = (r: number, c: number) => {
    const v = grid[r]?.[c];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  };
  const top = at(r0, c0) * (1 - tx) + at(r0, c1) * tx;
  const bottom = at(r1, c0) * (1 - tx) + at(r1, c1) * tx;
  return top * (1 - ty) + bottom * ty;
}

/**
 * Upsamples the grid to width x height. Row 0 of the grid is the LOWEST
 * frequency; row 0 of the result is the TOP of the picture, so y is flipped.
 */
export function upsampleFlipped(grid: number[][], rows: number, cols: number, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let py = 0; py < height; py++) {
    const gy = ((height - 1 - py + 0.5) / height) * rows;
    for (let px = 0; px < width; px++) {
      const gx = ((px + 0.5) / width) * cols;
      out[py * width + px] = sampleBilinear(grid, rows, cols, gy, gx);
    }
  }
  return out;
}
