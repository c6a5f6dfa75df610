/**
 * The console's one time format: exact UTC first, the reader's local time beside it with the
 * zone's IANA name and long name ("America/Los_Angeles, Pacific Standard Time"), never an offset
 * abbreviation like "GMT-8" that names no place. Client-safe; components render it through
 * <Time> (components/ui/time.tsx).
 */

/** `2026-11-27 21:03:05 UTC` (seconds precision; the exact ISO value is kept in `dateTime`). */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export interface LocalTime {
  /** `2026-11-27 13:03:05` in the zone. */
  wallTime: string;
  /** The IANA name, `America/Los_Angeles`. */
  zone: string;
  /** `Pacific Standard Time` (what the zone is called at that instant), or null when the runtime has none. */
  zoneLong: string | null;
  /** `2026-11-27 13:03:05 America/Los_Angeles (Pacific Standard Time)` */
  text: string;
}

/** The zone this runtime reads times in (the browser's, for a person). */
export function localZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();
const longNames = new Map<string, Intl.DateTimeFormat>();

function wallFormat(zone: string): Intl.DateTimeFormat {
  let f = wallFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    wallFormats.set(zone, f);
  }
  return f;
}

function longNameFormat(zone: string): Intl.DateTimeFormat {
  let f = longNames.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'long' });
    longNames.set(zone, f);
  }
  return f;
}

export function formatLocal(date: Date, zone: string = localZone()): LocalTime {
  const parts = Object.fromEntries(
    wallFormat(zone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const wallTime = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  const long = longNameFormat(zone)
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  // Some runtimes answer "GMT-08:00" when they know no name: that is not a name, so leave it out.
  const zoneLong = long && !/^(GMT|UTC)[+-]/.test(long) ? long : null;
  return { wallTime, zone, zoneLong, text: `${wallTime} ${zone}${zoneLong && zoneLong !== zone ? ` (${zoneLong})` : ''}` };
}

/** Whether the zone reads the same wall time as UTC at that instant (then the local time adds nothing). */
export function isUtcZone(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Etc/GMT' || zone === 'GMT';
}

/** A compact span: `59 min 58 s`, `2 h 4 min`, `12 s`, `3 d 2 h`. */
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

/** `in 4 min 2 s` / `3 min ago` / `now`, relative to `now`. */
export function formatRelative(date: Date, now: Date): string {
  const ms = date.getTime() - now.getTime();
  if (Math.abs(ms) < 1000) return 'now';
  return ms > 0 ? `in ${formatSpan(ms)}` : `${formatSpan(ms)} ago`;
}
