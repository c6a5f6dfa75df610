/** Decoding of the two expiry times CreateChatToken returns, for display. */

function parseServiceTime(value: string | Date): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Not a timestamp: ${String(value)}`);
  return date;
}

/** `2026-11-27 21:03:05 UTC` (seconds precision; the exact ISO value is kept alongside). */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Local wall time with its zone, e.g. `Fri, 27 Nov 2026, 22:03:05 GMT+1`. */
function formatLocal(date: Date, timeZone?: string, locale = 'en-GB'): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}

/** `1 h 30 min`, `45 min`, `3 h`. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** Compact span of milliseconds: `59 min 58 s`, `2 h 4 min`, `12 s`. */
export function formatSpan(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

export interface Countdown {
  expired: boolean;
  /** `in 59 min 58 s` or `expired 3 min 2 s ago` */
  text: string;
  remainingMs: number;
}

export function countdown(target: Date, now: Date): Countdown {
  const remainingMs = target.getTime() - now.getTime();
  if (remainingMs <= 0) return { expired: true, remainingMs, text: `expired ${formatSpan(remainingMs)} ago` };
  return { expired: false, remainingMs, text: `in ${formatSpan(remainingMs)}` };
}

export interface DecodedExpiry {
  iso: string;
  utc: string;
  local: string;
}

export function decodeExpiry(value: string | Date, timeZone?: string): DecodedExpiry {
  const date = parseServiceTime(value);
  return { iso: date.toISOString(), utc: formatUtc(date), local: formatLocal(date, timeZone) };
}
