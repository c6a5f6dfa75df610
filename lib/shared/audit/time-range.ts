import { z } from 'zod';

/**
 * The time range and free-text fields both audit filters share (the history's, filter.ts, and the
 * Activity view's, activity.ts): one parser, one message, one "to before from" rule. Client-safe.
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A time bound as typed: `2026-03-01`, `2026-03-01 14:30`, or full ISO with a zone. Without a
 * zone it is UTC (the tables show UTC). A date alone means the start of that day for `from` and
 * its end for `to`, so `from=to=2026-03-01` is that whole day.
 */
export function parseTimeBound(text: string, edge: 'from' | 'to'): Date | null {
  const s = text.trim();
  if (DATE_ONLY.test(s)) {
    const d = new Date(`${s}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return null;
    return edge === 'from' ? d : new Date(d.getTime() + 86_400_000 - 1);
  }
  if (!DATE_TIME.test(s)) return null;
  const iso = s.replace(' ', 'T');
  const d = new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Whether a parsed filter has a time range (its counts then walk the time index, lib/audit). */
export const hasTimeRange = (f: { from?: Date; to?: Date }) => f.from !== undefined || f.to !== undefined;

/** A bounded text field without control characters. */
export const textField = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} is at most ${max} characters.`)
    .refine((s) => !/[\u0000-\u001F\u007F]/.test(s), `${label} contains a control character.`);

/** `from` or `to` as typed ('' for none). */
export const timeBoundField = (edge: 'from' | 'to') =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || parseTimeBound(s, edge) !== null, 'Use a date like 2026-03-01 or 2026-03-01 14:30 (UTC).')
    .default('');

/** The bounds of a parsed filter, as Dates (absent when empty). */
export function timeRangeOf(v: { from: string; to: string }): { from?: Date; to?: Date } {
  const out: { from?: Date; to?: Date } = {};
  if (v.from) out.from = parseTimeBound(v.from, 'from') ?? undefined;
  if (v.to) out.to = parseTimeBound(v.to, 'to') ?? undefined;
  return out;
}

/** superRefine step: "to" may not be before "from"; the message is at the "to" field. */
export function refineTimeRange(v: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const { from, to } = timeRangeOf(v);
  if (from && to && from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: '"To" is before "from".' });
}
