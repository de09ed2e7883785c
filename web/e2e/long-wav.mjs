// A longer recording made from the example: its PCM data repeated, so the
// timeline test needs no audio tool besides node.
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
