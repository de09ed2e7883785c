// Small, locale-stable formatting helpers for numbers shown on the page.

/**
 * A moment in the recording (or an event's length), the one time format of the
 * page: m:ss.s ("1:50.1" for 110.08 s, "0:07.5" below a minute), h:mm:ss.s past
 * an hour. Rounded once, to the shown precision, so 59.96 s reads "1:00.0", never "0:60.0".
 */
export function formatTime(seconds: number | null | undefined, decimals = 1): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '—';
  const sign = seconds < 0 ? '-' : '';
  const scale = 10 ** decimals;
  const units = Math.round(Math.abs(seconds) * scale);
  const whole = Math.floor(units / scale);
  const fraction = decimals > 0 ? `.${String(units % scale).padStart(decimals, '0')}` : '';
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = `${String(whole % 60).padStart(2, '0')}${fraction}`;
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${s}` : `${sign}${m}:${s}`;
}

/**
 * A time typed by a person, in the page's format (m:ss.s, h:mm:ss.s) or as
 * seconds ("110.08", "110.08 s"); a leading minus is read so that the caller can
 * say a time must not be negative. NaN when the text is neither.
 */
export function parseTime(text: string): number {
  const t = text.trim().replace(/\s*s$/, '');
  const sign = t.startsWith('-') ? -1 : 1;
  const body = sign < 0 ? t.slice(1) : t;
  const seconds = /^\d+(\.\d+)?$/;
  if (seconds.test(body)) return sign * Number(body);
  const clock = /^(?:(\d+):([0-5]\d):|(\d+):)([0-5]\d(?:\.\d+)?)$/.exec(body);
  if (!clock) return NaN;
  const [, h, mAfterH, m, s] = clock;
  const minutes = h !== undefined ? Number(h) * 60 + Number(mAfterH) : Number(m);
  return sign * (minutes * 60 + Number(s));
}

/** A span: "1:50.1–1:52.3". */
export function formatSpan(startS: number, endS: number, decimals = 1): string {
  return `${formatTime(startS, decimals)}–${formatTime(endS, decimals)}`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  // Past a minute, the page's one time format (never "1 min 50 s" for 110.08 s).
  return formatTime(seconds);
}

export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function formatPercent(probability: number | null | undefined): string {
  if (probability === undefined || probability === null || !Number.isFinite(probability)) return '—';
  const percent = probability * 100;
  return `${percent < 10 ? percent.toFixed(1) : percent.toFixed(0)}%`;
}

export function formatHz(hz: number): string {
  if (!Number.isFinite(hz)) return '—';
  if (hz >= 1000) return `${(hz / 1000).toFixed(hz >= 10000 ? 0 : 1)} kHz`;
  return `${Math.round(hz)} Hz`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${bytes} B`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
