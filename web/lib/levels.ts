// Spectrogram values in decibels for the colour bar. The service sends each
// model's own input features; their scale depends on the front end:
// EfficientAT (mn*): (ln(power + 1e-5) + 4.5) / 5; YAMNet: ln(magnitude mel + 0.001);
// PANNs CNN14: already 10 log10(power). dB here are relative (no calibration).
const DB_PER_NEPER = 10 / Math.LN10;

export function levelToDb(value: number, model: string | null): number | null {
  const name = (model ?? '').toLowerCase();
  if (name.startsWith('mn') || name.startsWith('dymn')) return (5 * value - 4.5) * DB_PER_NEPER;
  if (name.startsWith('yamnet')) return 2 * value * DB_PER_NEPER;
  if (name.startsWith('cnn')) return value;
  return null;
}
