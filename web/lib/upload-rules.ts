// What the page accepts before anything is sent to the service.
import { formatBytes } from './format';

export const ACCEPTED_FORMATS = ['WAV', 'MP3', 'OGG/Opus', 'FLAC', 'WebM', 'M4A/AAC'] as const;

export const ACCEPT_ATTRIBUTE = [
  'audio/*',
  'video/webm',
  '.wav', '.mp3', '.ogg', '.oga', '.opus', '.flac', '.webm', '.m4a', '.aac', '.mp4',
].join(',');

const DEFAULT_MAX_MB = 100;

export function maxUploadBytes(): number {
  const mb = Number(process.env.NEXT_PUBLIC_MAX_UPLOAD_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_MB) * 1024 * 1024;
}

/** A human reason the file cannot be sent, or null when it can. */
export function checkFile(file: File, limitBytes: number = maxUploadBytes()): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > limitBytes) {
    return `“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(limitBytes)}. Trim or compress the recording and try again.`;
  }
  return null;
}
