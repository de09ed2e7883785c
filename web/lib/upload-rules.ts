// What the page accepts before anything is sent to the service.
import { formatBytes } from './format';

export const ACCEPTED_FORMATS = ['WAV', 'MP3', 'OGG/Opus', 'FLAC', 'WebM', 'M4A/AAC'] as const;

export const ACCEPT_ATTRIBUTE = [
  'audio/*',
  'video/webm',
  '.wav', '.mp3', '.ogg', '.oga', '.opus', '.flac', '.webm', '.m4a', '.aac', '.mp4',
].join(',');

const AUDIO_NAME = /\.(wav|mp3|ogg|oga|opus|flac|webm|m4a|aac|mp4)$/i;

/** Files of a dropped or chosen folder that look like audio (others are skipped, not refused). */
export function looksLikeAudio(file: File): boolean {
  return file.type.startsWith('audio/') || AUDIO_NAME.test(file.name);
}

/**
 * A human reason the file cannot be sent, or null when it can. limitBytes is
 * the server's runtime limit from /health; null when the server does not say
 * (then the server's own 413 answer is the check).
 */
export function checkFile(file: File, limitBytes: number | null): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (limitBytes !== null && file.size > limitBytes) {
    return `“${file.name}” is ${formatBytes(file.size)}; the service accepts up to ${formatBytes(limitBytes)}. Trim or compress the recording and try again.`;
  }
  return null;
}
