import { z } from 'zod';
import { LIST_COUNT_CAP, LIST_MAX_PAGE, LIST_PAGE_SIZE, parsePaging, rangeText } from './paging';
import { refineTimeRange, textField as text, timeBoundField, timeRangeOf } from './time-range';

/**
 * The Activity view's vocabulary and filters, shared by the filter form, the page, the export route
 * and the server query (lib/audit/activity.ts). Client-safe: no server imports. The action list
 * mirrors lib/audit/types.ts AUDIT_ACTIONS (activity.test.ts keeps them equal).
 */
export const ACTIVITY_ACTION_LABELS = {
  'token.minted': 'Mint requested (any outcome)',
  'mint.issued': 'Mint issued',
  'mint.failed': 'Mint failed',
  'token.refused': 'Mint refused (policy, deny list, rate limit)',
  'user.disconnected': 'User disconnected',
  'message.deleted': 'Message deleted',
  'event.sent': 'Event sent',
  'denylist.added': 'Deny list: added',
  'denylist.removed': 'Deny list: removed',
  'staff.created': 'Staff member added',
  'staff.role_changed': 'Staff role changed',
  'staff.disabled': 'Staff member disabled',
  'staff.enabled': 'Staff member enabled',
  'staff.password_set': 'Staff password set',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'preset.created': 'Preset created',
  'preset.updated': 'Preset saved',
  'preset.deleted': 'Preset deleted',
  'staff.sessions_ended': 'Staff signed out everywhere',
  'service_account.created': 'Service account added',
  'service_account.disabled': 'Service account disabled',
  'service_account.enabled': 'Service account enabled',
  'access.requested': 'Access request: asked',
  'access.approved': 'Access request: approved',
  'access.denied': 'Access request: denied',
  'access.expired': 'Access request: expired unanswered',
  'access.cancelled': 'Access request: cancelled',
  'access.ended': 'Access request: window ended',
} as const;
export type ActivityAction = keyof typeof ACTIVITY_ACTION_LABELS;
export const ACTIVITY_ACTIONS = Object.keys(ACTIVITY_ACTION_LABELS) as ActivityAction[];

/**
 * A mint is two entries in the log: the request ('token.minted') and its outcome ('mint.issued' or
 * 'mint.failed', which names the request). The view shows one row per mint with its outcome, so
 * choosing "Mint issued" lists the requests that were issued; "pending" are those with no outcome.
 */
export const MINT_OUTCOME_FILTERS = {
  'token.minted:pending': 'Mint pending (requested, outcome not recorded)',
} as const;
export type MintOutcomeFilter = keyof typeof MINT_OUTCOME_FILTERS;

export const ACTION_FILTER_VALUES = [...ACTIVITY_ACTIONS, ...(Object.keys(MINT_OUTCOME_FILTERS) as MintOutcomeFilter[])] as const;
export type ActionFilterValue = (typeof ACTION_FILTER_VALUES)[number];

export function actionFilterLabel(v: ActionFilterValue): string {
  return v in MINT_OUTCOME_FILTERS ? MINT_OUTCOME_FILTERS[v as MintOutcomeFilter] : ACTIVITY_ACTION_LABELS[v as ActivityAction];
}

/** Where an entry came from. */
export const SOURCES = ['ui', 'api', 'bulk', 'connect-here', 'cli', 'system'] as const;
export type Source = (typeof SOURCES)[number];
export const SOURCE_LABELS: Record<Source, string> = {
  ui: 'Console (ui)',
  api: 'HTTP API (api)',
  bulk: 'Bulk run (bulk)',
  'connect-here': 'Test connection (connect-here)',
  cli: 'Server shell (cli)',
  system: 'The console itself (system)',
};

/** History and Activity page and count alike (./paging.ts). */
export const ACTIVITY_PAGE_SIZE = LIST_PAGE_SIZE;
export const ACTIVITY_COUNT_CAP = LIST_COUNT_CAP;
export const ACTIVITY_MAX_PAGE = LIST_MAX_PAGE;
export { rangeText };

export const ACTIVITY_FILTER_KEYS = ['action', 'actor', 'userId', 'room', 'source', 'batch', 'from', 'to'] as const;
export type ActivityFilterKey = (typeof ACTIVITY_FILTER_KEYS)[number];

export const activityFilterSchema = z
  .object({
    action: z.enum(['', ...ACTION_FILTER_VALUES] as const, { error: 'Choose an action from the list.' }).default(''),
    actor: text(320, 'Actor').trim().default(''),
    // Exact match, so not trimmed: a userId may legitimately end in a space.
    userId: text(512, 'userId').default(''),
    room: text(2048, 'Room ARN').trim().default(''),
    source: z.enum(['', ...SOURCES] as const, { error: `The source is one of ${SOURCES.join(', ')}.` }).default(''),
    batch: text(64, 'Batch').trim().default(''),
    from: timeBoundField('from'),
    to: timeBoundField('to'),
  })
  .superRefine(refineTimeRange);
export type ActivityFilterValues = z.output<typeof activityFilterSchema>;

export const EMPTY_ACTIVITY_FILTER: ActivityFilterValues = {
  action: '',
  actor: '',
  userId: '',
  room: '',
  source: '',
  batch: '',
  from: '',
  to: '',
};

/** What the server query takes (lib/audit/activity.ts). */
export interface ActivityQuery {
  action?: string;
  status?: 'pending' | 'issued' | 'failed';
  actor?: string;
  userId?: string;
  roomArn?: string;
  via?: Source;
  batchId?: string;
  from?: Date;
  to?: Date;
}

export function toActivityQuery(v: ActivityFilterValues): ActivityQuery {
  const q: ActivityQuery = {};
  if (v.action === 'mint.issued' || v.action === 'mint.failed') {
    q.action = 'token.minted';
    q.status = v.action === 'mint.issued' ? 'issued' : 'failed';
  } else if (v.action) {
    const [action, status] = v.action.split(':') as [string, ActivityQuery['status'] | undefined];
    q.action = action;
    if (status) q.status = status;
  }
  if (v.actor) q.actor = v.actor;
  if (v.userId !== '') q.userId = v.userId;
  if (v.room) q.roomArn = v.room;
  if (v.source) q.via = v.source;
  if (v.batch) q.batchId = v.batch;
  return { ...q, ...timeRangeOf(v) };
}

type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

function first(sp: SearchParamsLike, key: string): string | undefined {
  if (sp instanceof URLSearchParams) return sp.get(key) ?? undefined;
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v;
}

export type ParsedActivityQuery =
  | { ok: true; values: ActivityFilterValues; query: ActivityQuery; page: number; before?: number }
  | { ok: false; values: ActivityFilterValues; fieldErrors: Record<string, string> };

/** Reads the Activity view's query string (page and export route). Unknown keys are ignored. */
export function parseActivityQuery(sp: SearchParamsLike): ParsedActivityQuery {
  const raw: Record<string, string> = {};
  for (const key of ACTIVITY_FILTER_KEYS) {
    const v = first(sp, key);
    if (v !== undefined) raw[key] = v;
  }
  const parsed = activityFilterSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, values: { ...EMPTY_ACTIVITY_FILTER, ...raw } as ActivityFilterValues, fieldErrors };
  }
  const { page, before } = parsePaging(sp);
  return { ok: true, values: parsed.data, query: toActivityQuery(parsed.data), page, before };
}

export function activityQueryString(
  values: Partial<ActivityFilterValues>,
  extra: Record<string, string | number | undefined> = {},
): string {
  const sp = new URLSearchParams();
  for (const key of ACTIVITY_FILTER_KEYS) {
    const v = values[key];
    if (v !== undefined && v !== '') sp.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') sp.set(k, String(v));
  return sp.toString();
}

/** The entry fields a one-line description needs (plain data from the server). */
export interface DescribableEntry {
  action: string;
  status: string;
  userId: string | null;
  roomArn: string | null;
  details: unknown;
  errorCode?: string | null;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/** One sentence saying what an entry records, from its columns and details (never a secret). */
export function describeEntry(e: DescribableEntry): string {
  const d = obj(e.details);
  const res = obj(d.resource);
  const oldV = obj(d.old);
  const newV = obj(d.new);
  const label = str(res.label) ?? str(res.id) ?? '';
  const who = e.userId !== null ? e.userId : '';
  switch (e.action) {
    case 'token.minted': {
      const under = typeof d.approvalId === 'number' ? ` under approval #${d.approvalId}` : '';
      return e.status === 'issued'
        ? `Token issued for ${who}${under}`
        : e.status === 'failed'
          ? `Mint for ${who}${under} failed${e.errorCode ? ` (${e.errorCode})` : ''}`
          : `Mint for ${who}${under} requested; outcome not recorded (pending)`;
    }
    case 'access.requested':
      return `Asked for ${(Array.isArray(d.capabilities) ? d.capabilities : []).join(', ')} as ${who} for ${str(d.windowMinutes) ?? '?'} min (request #${str(d.requestId) ?? '?'})`;
    case 'access.approved':
      return d.rule
        ? `Request #${str(d.requestId) ?? '?'} approved by rule ${str(d.rule)}`
        : `Request #${str(d.requestId) ?? '?'} approved${d.windowEndsAt ? `, window until ${str(d.windowEndsAt)}` : ' (one of two approvals)'}${d.comment ? `: ${str(d.comment)}` : ''}`;
    case 'access.denied':
      return `Request #${str(d.requestId) ?? '?'} denied${d.comment ? `: ${str(d.comment)}` : ''}`;
    case 'access.expired':
      return `Request #${str(d.requestId) ?? '?'} expired unanswered`;
    case 'access.cancelled':
      return `Request #${str(d.requestId) ?? '?'} cancelled`;
    case 'access.ended':
      return `Approval #${str(d.requestId) ?? '?'} window ended${d.disconnected === true ? `; IVS accepted the disconnect of ${who}` : d.disconnectError ? `; the disconnect failed (${str(d.disconnectError)})` : ''}`;
    case 'mint.issued':
      return `Outcome of a mint: issued`;
    case 'mint.failed':
      return `Outcome of a mint: failed${e.errorCode ? ` (${e.errorCode})` : ''}`;
    case 'token.refused': {
      const n = typeof d.attemptInWindow === 'number' && d.attemptInWindow > 10 ? ` (refusal ${d.attemptInWindow} this minute)` : '';
      return `Mint for ${who} refused by rule ${str(d.rule) ?? 'unknown'}${n}`;
    }
    case 'user.disconnected':
      return `Disconnect of ${str(newV.userId) ?? who} (accepted by IVS; it does not say whether they were connected)`;
    case 'message.deleted':
      return `Deleted message ${str(newV.messageId) ?? ''}${str(newV.senderUserId) ? ` sent by ${str(newV.senderUserId)}` : ''}`;
    case 'event.sent':
      return `Sent event ${str(newV.eventName) ?? ''}`;
    case 'denylist.added':
      return `Denied ${str(newV.userId) ?? who} ${newV.roomArn ? 'in this room' : 'in every room'}${newV.expiresAt ? ` until ${str(newV.expiresAt)}` : ''}`;
    case 'denylist.removed':
      return `Removed ${str(oldV.userId) ?? who} from the deny list`;
    case 'staff.created':
      return `Added ${str(newV.email) ?? label} as ${str(newV.role) ?? '?'}`;
    case 'staff.role_changed':
      return `Changed ${label}'s role from ${str(oldV.role) ?? '?'} to ${str(newV.role) ?? '?'}`;
    case 'staff.disabled':
      return `Disabled ${label}`;
    case 'staff.enabled':
      return `Enabled ${label}`;
    case 'staff.password_set':
      return `Set the password of ${label}`;
    case 'api_key.created':
      return `Created API key ${str(newV.name) ?? label} (${str(newV.role) ?? '?'})`;
    case 'api_key.revoked':
      return `Revoked API key ${label}`;
    case 'preset.created':
      return `Created preset ${label}`;
    case 'preset.updated':
      return `Saved preset ${label}`;
    case 'preset.deleted':
      return `Deleted preset ${label}`;
    case 'staff.sessions_ended':
      return `Ended every session of ${label}`;
    case 'service_account.created':
      return `Added service account ${label}`;
    case 'service_account.disabled':
      return `Disabled service account ${label} (its keys are suspended)`;
    case 'service_account.enabled':
      return `Enabled service account ${label}`;
    default:
      return e.action;
  }
}
