// Which requests carry the session's CSRF token: every unsafe method. The
// server refuses a write signed in by cookie without it (403); reads need none.
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const CSRF_HEADER = 'X-CSRF-Token';

export function needsCsrf(method: string | undefined): boolean {
  return UNSAFE.has((method ?? 'GET').toUpperCase());
}
