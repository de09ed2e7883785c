// Colour scales for the canvas. The heatmap uses a dark-to-bright warm scale
// (perceptually ordered, readable for the common colour-vision deficiencies);
// the spectrogram underneath is drawn in grey so the two never compete.

type Rgb = [number, number, number];

// Stops of the heatmap scale, from value 0 to 1 (hand-picked, evenly spaced).
const HEAT_STOPS: Rgb[] = [
  [20, 11, 52],
  [94, 22, 110],
  [170, 45, 92],
  [228, 95, 46],
  [249, 172, 20],
  [252, 246, 150],
];

function buildTable(stops: Rgb[], size: number): Uint8ClampedArray {
  const table = new Uint8ClampedArray(size * 3);
  for (let i = 0; i < size; i++) {
    const position = (i / (size - 1)) * (stops.length - 1);
    const low = Math.min(stops.length - 2, Math.floor(position));
    const t = position - low;
    const a = stops[low]!;
    const b = stops[low + 1]!;
    for (let c = 0; c < 3; c++) table[i * 3 + c] = a[c]! + (b[c]! - a[c]!) * t;
  }
  return table;
}

export const TABLE_SIZE = 256;
export const HEAT_TABLE = buildTable(HEAT_STOPS, TABLE_SIZE);

export function tableIndex(value: number): number {
  const v = value < 0 ? 0 : value > 1 ? 1 : value;
  return Math.round(v * (TABLE_SIZE - 1));
}

/** CSS linear-gradient of the heat scale, low on the left. */
export function heatGradient(direction = 'to right'): string {
  const stops = HEAT_STOPS.map((rgb, i) => `rgb(${rgb.join(',')}) ${(i / (HEAT_STOPS.length - 1)) * 100}%`);
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}
