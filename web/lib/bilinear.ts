// Bilinear interpolation of a coarse grid (the Grad-CAM cells), so the heatmap
// is smooth instead of blocky. Cell centres sit at (i + 0.5) in grid units;
// beyond the outermost centres the edge value holds.

/** The grid as one row-major Float32Array, non-numbers replaced by 0. */
function flatten(grid: number[][], rows: number, cols: number): Float32Array {
  const flat = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = grid[r];
    for (let c = 0; c < cols; c++) {
      const v = row?.[c];
      flat[r * cols + c] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
    }
  }
  return flat;
}

/** One grid value, 0 where it is missing or not a finite number (as in flatten). */
function valueAt(grid: number[][], r: number, c: number): number {
  const v = grid[r]?.[c];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Bilinear interpolation at (y, x) in cell units (cell centres at .5), clamped to the grid. */
function interpolate(read: (r: number, c: number) => number, rows: number, cols: number, y: number, x: number): number {
  const fy = Math.min(rows - 1, Math.max(0, y - 0.5));
  const fx = Math.min(cols - 1, Math.max(0, x - 0.5));
  const r0 = Math.floor(fy);
  const c0 = Math.floor(fx);
  const r1 = Math.min(rows - 1, r0 + 1);
  const c1 = Math.min(cols - 1, c0 + 1);
  const ty = fy - r0;
  const tx = fx - c0;
  const top = read(r0, c0) * (1 - tx) + read(r0, c1) * tx;
  const bottom = read(r1, c0) * (1 - tx) + read(r1, c1) * tx;
  return top * (1 - ty) + bottom * ty;
}

/** One sample, read from the grid directly (the pointer read-out: no copy per move). */
export function sampleBilinear(grid: number[][], rows: number, cols: number, y: number, x: number): number {
  if (rows <= 0 || cols <= 0) return 0;
  return interpolate((r, c) => valueAt(grid, r, c), rows, cols, y, x);
}

function sampleFlat(flat: Float32Array, rows: number, cols: number, y: number, x: number): number {
  return interpolate((r, c) => flat[r * cols + c]!, rows, cols, y, x);
}

/**
 * Upsamples the grid to width x height. Row 0 of the grid is the LOWEST
 * frequency; row 0 of the result is the TOP of the picture, so y is flipped.
 */
export function upsampleFlipped(grid: number[][], rows: number, cols: number, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  if (rows <= 0 || cols <= 0) return out;
  const flat = flatten(grid, rows, cols);
  for (let py = 0; py < height; py++) {
    const gy = ((height - 1 - py + 0.5) / height) * rows;
    for (let px = 0; px < width; px++) {
      out[py * width + px] = sampleFlat(flat, rows, cols, gy, ((px + 0.5) / width) * cols);
    }
  }
  return out;
}
