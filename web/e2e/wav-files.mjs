// WAV files made in the test, so it needs no audio tool besides node: a
// longer recording from the example (its samples repeated), and short tones.
import { readFileSync } from 'node:fs';

function chunks(buffer) {
  const found = {};
  for (let at = 12; at + 8 <= buffer.length;) {
    const id = buffer.toString('ascii', at, at + 4);
    const size = buffer.readUInt32LE(at + 4);
    found[id] = buffer.subarray(at + 8, at + 8 + size);
    at += 8 + size + (size % 2);
  }
  return found;
}

/** The WAV file at `path` with its samples repeated `times` times. */
export function repeatedWav(path, times) {
  const source = readFileSync(path);
  if (source.toString('ascii', 0, 4) !== 'RIFF' || source.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path} is not a WAV file`);
  const { 'fmt ': format, data } = chunks(source);
  if (!format || !data) throw new Error(`${path} has no fmt or data chunk`);
  const body = Buffer.concat(Array.from({ length: times }, () => data));
  const header = Buffer.alloc(12 + 8 + format.length + 8);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(header.length - 8 + body.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(format.length, 16);
  format.copy(header, 20);
  header.write('data', 20 + format.length, 'ascii');
  header.writeUInt32LE(body.length, 24 + format.length);
  return Buffer.concat([header, body]);
}

/** A mono 16-bit tone of `seconds` at `hz`, 16 kHz. */
export function toneWav(seconds, hz) {
  const rate = 16000;
  const samples = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  return wav;
}
