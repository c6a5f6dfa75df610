import { describe, expect, it } from 'vitest';
import { countdown, decodeExpiry, formatMinutes, formatSpan } from '@/lib/shared/tokens/expiry';

describe('expiry decoding', () => {
  it('decodes the service timestamp to exact UTC and a zoned local time', () => {
    const d = decodeExpiry('2024-01-19T16:22:35.000Z', 'Europe/Paris');
    expect(d.iso).toBe('2024-01-19T16:22:35.000Z');
    expect(d.utc).toBe('2024-01-19 16:22:35 UTC');
    expect(d.local).toContain('17:22:35');
    expect(d.local).toBe('2024-01-19 17:22:35 Europe/Paris (Central European Standard Time)');
    // A zone is named by its place, never by an offset like GMT-4.
    expect(decodeExpiry('2024-07-19T16:22:35Z', 'America/New_York').local).toBe(
      '2024-07-19 12:22:35 America/New_York (Eastern Daylight Time)',
    );
    expect(decodeExpiry('2024-07-19T16:22:35Z', 'America/New_York').local).not.toMatch(/GMT/);
  });
  it('accepts the +00:00 form the CLI prints', () => {
    expect(decodeExpiry('2022-03-16T03:45:09+00:00').iso).toBe('2022-03-16T03:45:09.000Z');
  });
  it('refuses what is not a timestamp', () => {
    expect(() => decodeExpiry('soon')).toThrow(/Not a timestamp/);
  });
  it('counts down and turns to expired', () => {
    const target = new Date('2026-01-01T01:00:00Z');
    expect(countdown(target, new Date('2026-01-01T00:00:02Z'))).toMatchObject({ expired: false, text: 'in 59 min 58 s' });
    expect(countdown(target, new Date('2026-01-01T01:00:00Z'))).toMatchObject({ expired: true });
    expect(countdown(target, new Date('2026-01-01T01:03:02Z')).text).toBe('expired 3 min 2 s ago');
  });
  it('formats durations the way the slider reads', () => {
    expect(formatMinutes(1)).toBe('1 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(180)).toBe('3 h');
    expect(formatSpan(2 * 3600_000 + 4 * 60_000)).toBe('2 h 4 min');
  });
});
