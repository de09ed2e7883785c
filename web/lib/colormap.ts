// Colour scales for the canvas. The heatmap uses a dark-to-bright warm scale
// (perceptually ordered, readable for the common colour-vision deficiencies);
// the spectrogram underneath has its own scale, grey by default, so the two
// never compete. Tables are 256 RGB triples.

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

// Spectrogram scales: grey stops short of white so the heatmap stays the
// brightest thing; dim is a dark blue that never reaches the map's warm hues
// nor its brightness, so that the map stays visible where it is faint and
// thin (a 2-minute overview: mapVisibility measures it, the default for
// recordings longer than one window); viridis and magma follow matplotlib's
// scales (5 stops).
export const SPECTROGRAM_MAPS = {
  grey: [[8, 8, 8], [40, 40, 44], [90, 90, 96], [140, 140, 146], [190, 190, 196]] as Rgb[],
  dim: [[0, 4, 10], [6, 22, 40], [14, 42, 68], [26, 64, 96], [44, 90, 124]] as Rgb[],
  viridis: [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]] as Rgb[],
  magma: [[0, 0, 4], [81, 18, 124], [183, 55, 121], [252, 137, 97], [252, 253, 191]] as Rgb[],
};
export type SpectrogramMap = keyof typeof SPECTROGRAM_MAPS;

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
const SPEC_TABLES = Object.fromEntries(
  Object.entries(SPECTROGRAM_MAPS).map(([name, stops]) => [name, buildTable(stops, TABLE_SIZE)]),
) as Record<SpectrogramMap, Uint8ClampedArray>;

export function spectrogramTable(name: SpectrogramMap): Uint8ClampedArray {
  return SPEC_TABLES[name] ?? SPEC_TABLES.grey;
}

export function tableIndex(value: number): number {
  const v = value < 0 ? 0 : value > 1 ? 1 : value;
  return Math.round(v * (TABLE_SIZE - 1));
}

function gradient(stops: Rgb[], direction: string): string {
  const parts = stops.map((rgb, i) => `rgb(${rgb.join(',')}) ${(i / (stops.length - 1)) * 100}%`);
  return `linear-gradient(${direction}, ${parts.join(', ')})`;
}

/** CSS linear-gradient of the heat scale, low on the left. */
export function heatGradient(direction = 'to right'): string {
  return gradient(HEAT_STOPS, direction);
}

export function spectrogramGradient(name: SpectrogramMap, direction = 'to right'): string {
  return gradient(SPECTROGRAM_MAPS[name], direction);
}

function colourAt(stops: Rgb[], u: number): Rgb {
  const position = Math.min(1, Math.max(0, u)) * (stops.length - 1);
  const low = Math.min(stops.length - 2, Math.floor(position));
  const t = position - low;
  return [0, 1, 2].map((c) => stops[low]![c]! + (stops[low + 1]![c]! - stops[low]![c]!) * t) as Rgb;
}

/**
 * How visible a map value is over a spectrogram scale: the smallest RGB
 * distance, over every level of the spectrogram, between the spectrogram
 * alone and with the map drawn over it as the picture draws it (heat colour
 * at alpha opacity x (0.25 + 0.75 value), draw-layers.ts). 0: invisible somewhere.
 */
export function mapVisibility(name: SpectrogramMap, value: number, opacity: number): number {
  const heat = colourAt(HEAT_STOPS, value);
  const alpha = opacity * (0.25 + 0.75 * Math.min(1, Math.max(0, value)));
  let least = Infinity;
  for (let level = 0; level <= 100; level++) {
    const under = colourAt(SPECTROGRAM_MAPS[name], level / 100);
    least = Math.min(least, Math.hypot(...under.map((c, i) => alpha * (heat[i]! - c))));
  }
  return least;
}
