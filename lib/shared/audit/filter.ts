import { z } from 'zod';
import { CAPABILITIES } from '@/lib/shared/tokens/limits';
import { readPastedToken } from '@/lib/shared/tokens/paste';

/**
 * The history filters, shared by the filter form (react-hook-form), the history page and the
 * export route. Values are what the URL carries: strings, '' meaning "no filter". Nothing here
 * imports server code.
 */
export const MINT_STATUSES = ['pending', 'issued', 'failed'] as const;
export type MintStatusValue = (typeof MINT_STATUSES)[number];

export const AUDIT_FILTER_KEYS = ['userId', 'room', 'actor', 'status', 'capability', 'source', 'batch', 'from', 'to', 'q'] as const;

/** Where a mint came from (the audit entry's via). */
export const MINT_SOURCES = ['ui', 'api', 'bulk', 'connect-here'] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];

/** Page size of the history; the store clamps at 500. */
export const HISTORY_PAGE_SIZE = 50;
/** Exports stop here (newest first); narrower filters export the rest. */
export const EXPORT_MAX_ROWS = 100_000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A time bound as typed: `2026-03-01`, `2026-03-01 14:30`, or full ISO with a zone. Without a
 * zone it is UTC (the table shows UTC). A date alone means the start of that day for `from` and
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

const text = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} is at most ${max} characters.`)
    .refine((s) => !/[\u0000-\u001F\u007F]/.test(s), `${label} contains a control character.`);

const timeBound = (edge: 'from' | 'to') =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || parseTimeBound(s, edge) !== null, 'Use a date like 2026-03-01 or 2026-03-01 14:30 (UTC).');

export const auditFilterSchema = z
  .object({
    // Exact match, so not trimmed: a userId may legitimately end in a space.
    userId: text(512, 'userId').default(''),
    room: text(2048, 'Room ARN').trim().default(''),
    actor: text(320, 'Actor').trim().default(''),
    status: z.enum(['', ...MINT_STATUSES] as const, { error: 'Status is pending, issued or failed.' }).default(''),
    capability: z.enum(['', ...CAPABILITIES] as const, { error: `A capability is one of ${CAPABILITIES.join(', ')}.` }).default(''),
    source: z.enum(['', ...MINT_SOURCES] as const, { error: `The source is one of ${MINT_SOURCES.join(', ')}.` }).default(''),
    batch: text(64, 'Batch').trim().default(''),
    from: timeBound('from').default(''),
    to: timeBound('to').default(''),
    q: text(200, 'Search').trim().default(''),
  })
  .superRefine((v, ctx) => {
    const from = v.from ? parseTimeBound(v.from, 'from') : null;
    const to = v.to ? parseTimeBound(v.to, 'to') : null;
    if (from && to && from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: '"To" is before "from".' });
  });

export type AuditFilterValues = z.output<typeof auditFilterSchema>;

export const EMPTY_AUDIT_FILTER: AuditFilterValues = {
  userId: '',
  room: '',
  actor: '',
  status: '',
  capability: '',
  source: '',
  batch: '',
  from: '',
  to: '',
  q: '',
};

/** The store's filter (lib/audit/types AuditFilter), restricted to mints. */
export interface MintHistoryFilter {
  action: 'token.minted';
  userId?: string;
  roomArn?: string;
  actor?: string;
  status?: MintStatusValue;
  capability?: string;
  via?: (typeof MINT_SOURCES)[number];
  batchId?: string;
  from?: Date;
  to?: Date;
  q?: string;
}

export function toMintHistoryFilter(v: AuditFilterValues): MintHistoryFilter {
  const f: MintHistoryFilter = { action: 'token.minted' };
  if (v.userId !== '') f.userId = v.userId;
  if (v.room) f.roomArn = v.room;
  if (v.actor) f.actor = v.actor;
  if (v.status) f.status = v.status;
  if (v.capability) f.capability = v.capability;
  if (v.source) f.via = v.source;
  if (v.batch) f.batchId = v.batch;
  if (v.from) f.from = parseTimeBound(v.from, 'from') ?? undefined;
  if (v.to) f.to = parseTimeBound(v.to, 'to') ?? undefined;
  if (v.q) f.q = v.q;
  return f;
}

type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

function first(sp: SearchParamsLike, key: string): string | undefined {
  if (sp instanceof URLSearchParams) return sp.get(key) ?? undefined;
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v;
}

export type ParsedAuditQuery =
  | { ok: true; values: AuditFilterValues; filter: MintHistoryFilter; before?: number }
  | { ok: false; values: AuditFilterValues; fieldErrors: Record<string, string> };

/** Reads the history's query string (page, export route). Unknown keys are ignored. */
export function parseAuditQuery(sp: SearchParamsLike): ParsedAuditQuery {
  const raw: Record<string, string> = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const v = first(sp, key);
    if (v !== undefined) raw[key] = v;
  }
  const parsed = auditFilterSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, values: { ...EMPTY_AUDIT_FILTER, ...raw } as AuditFilterValues, fieldErrors };
  }
  const beforeText = first(sp, 'before');
  const before = beforeText && /^[1-9]\d{0,15}$/.test(beforeText) ? Number(beforeText) : undefined;
  return { ok: true, values: parsed.data, filter: toMintHistoryFilter(parsed.data), before };
}

/** `userId=a&status=issued` from the non-empty values, plus any extra parameters. */
export function auditQueryString(values: Partial<AuditFilterValues>, extra: Record<string, string | number | undefined> = {}): string {
  const sp = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const v = values[key];
    if (v !== undefined && v !== '') sp.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') sp.set(k, String(v));
  return sp.toString();
}

/**
 * A pasted token, read for the token inside what was pasted around it (lib/shared/tokens/paste.ts);
 * anything that is not a token says what it is, at the field. Only ever sent in a POST body to
 * the lookup action: never in a URL.
 */
export const tokenLookupSchema = z.object({
  token: z
    .string({ error: 'Paste a token.' })
    .max(16_384, 'That is longer than any chat token; paste only the token.')
    .transform((s, ctx) => {
      const read = readPastedToken(s);
      if (read.kind === 'token') return read.token;
      ctx.addIssue({ code: 'custom', message: read.message });
      return z.NEVER;
    }),
});
