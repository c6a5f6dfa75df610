/** Decoding of the two expiry times CreateChatToken returns, for display. */
import { formatLocal, formatSpan, formatUtc } from '@/lib/shared/time/format';

export { formatSpan, formatUtc };

function parseServiceTime(value: string | Date): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Not a timestamp: ${String(value)}`);
  return date;
}

/** `1 h 30 min`, `45 min`, `3 h`. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
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
  return { iso: date.toISOString(), utc: formatUtc(date), local: formatLocal(date, timeZone).text };
}
