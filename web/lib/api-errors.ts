// Turns any failure of a request into a message a person can act on.
import { isAxiosError, isCancel } from 'axios';

import type { ApiErrorBody } from './api-types';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number | undefined,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const HUMAN: Record<string, string> = {
  unsupported_format:
    'This file is not audio we can read. Use WAV, MP3, OGG/Opus, FLAC, WebM or M4A/AAC.',
  too_large: 'This file is too large for the service.',
  too_long: 'This recording is too long for the service. Trim it and try again.',
  empty_audio: 'This file contains no audio samples.',
  silent_audio: 'This recording is silent: there is nothing to classify.',
  too_short: 'This recording is too short to analyse.',
  too_many_windows: 'This recording needs more analysis windows than the service allows. Use a longer window or hop, or trim it.',
  timeout: 'The analysis took longer than the service allows. Try a shorter recording.',
  busy: 'The service is busy with other analyses.',
  model_not_loaded: 'The service has no model loaded, so it cannot analyse sound right now.',
  bad_request: 'The service did not accept the request.',
  not_found: 'This analysis does not exist (it may have been deleted).',
  internal: 'The service failed while handling this request.',
  unreachable: 'The service cannot be reached. Check that soundlens is running and try again.',
  cancelled: 'The request was cancelled.',
  unauthorized: 'You are not signed in, or your session has ended. Sign in again.',
  csrf_token_missing: 'Your session could not confirm this change. Reload the page and try again.',
  csrf_token_invalid: 'Your session could not confirm this change. Reload the page and try again.',
  forbidden: 'You may not do this.',
  rate_limited: 'Too many requests.',
  unknown: 'Something went wrong.',
};

function isErrorBody(data: unknown): data is ApiErrorBody {
  return typeof data === 'object' && data !== null && typeof (data as ApiErrorBody).error?.code === 'string';
}

function parseRetryAfter(value: unknown): number | undefined {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** "0.050000 s" -> "0.05 s": the service's messages print numbers at full precision. */
export function tidyNumbers(text: string): string {
  return text.replace(/\d+\.\d{3,}/g, (n) => String(Number(Number(n).toPrecision(3))));
}

/** The failure, said about one file: "“cough.wav”: This file is not audio we can read." */
export function aboutFile(error: ApiError, filename: string): ApiError {
  return new ApiError(`“${filename}”: ${error.message}`, error.code, error.status, error.detail);
}

/** "This recording is too long for the service. Trim it and try again." + the service's reason, in one message. */
export function withReason(human: string, reason: string): string {
  if (!reason) return human;
  const said = /[.!?]$/.test(reason) ? reason : `${reason}.`;
  return `${human} The service says: ${said.charAt(0).toUpperCase()}${said.slice(1)}`;
}

export function humanMessage(code: string): string {
  return HUMAN[code] ?? HUMAN.unknown!;
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error && !isAxiosError(error) && !isCancel(error)) return new ApiError(error.message, 'internal', undefined);
  if (isCancel(error)) return new ApiError(humanMessage('cancelled'), 'cancelled', undefined);
  if (isAxiosError(error)) {
    const response = error.response;
    if (!response) return new ApiError(humanMessage('unreachable'), 'unreachable', undefined);
    const status = response.status;
    if (isErrorBody(response.data)) {
      const { code, message } = response.data.error;
      const retry = parseRetryAfter(response.headers?.['retry-after']);
      // The service's own reason goes in the message itself: "too long for the service" alone
      // hides why (which limit, how long), and a person should not have to open "Details".
      const reason = message ? tidyNumbers(message).trim() : '';
      let text = withReason(humanMessage(code), reason);
      if (code === 'busy' && retry !== undefined) text += ` Try again in ${retry} s.`;
      else if (code === 'busy') text += ' Try again in a moment.';
      else if (code === 'rate_limited' && retry !== undefined) text += ` Try again in ${retry} s.`;
      return new ApiError(text, code, status, `${code}, HTTP ${status}`);
    }
    const code = status === 413 ? 'too_large' : status === 503 ? 'busy' : status === 404 ? 'not_found' : 'internal';
    return new ApiError(humanMessage(code), code, status);
  }
  return new ApiError(humanMessage('unknown'), 'unknown', undefined, String(error));
}
