import 'server-only';
import type { DatabaseHandle } from '@/lib/db';
import { fail, ok, type Result } from '@/lib/contract/result';
import type { AuditLogRow } from '@/lib/db';
import { chainedText } from './chain';
import { listChainEntries } from './store';

/**
 * The pull API for SIEMs (GET /api/v1/audit/events): entries in seq order after a cursor, each with
 * its chain fields, so a follower (Vector, Fluent Bit, a cron job) can store them and check the
 * chain outside the console: every entry's prevHash is the previous entry's hash.
 */
export const EVENTS_DEFAULT_LIMIT = 100;
export const EVENTS_MAX_LIMIT = 1000;

/**
 * One entry exactly as chained: nothing folded or derived, so a follower can recompute its hash
 * with the chain key (lib/audit/chain.ts) or at least check that `chain.prevHash` is the previous
 * entry's `chain.hash`. A mint is two entries: 'token.minted' (the request) and later
 * 'mint.issued' or 'mint.failed' whose `refSeq` is the request's seq.
 */
export interface AuditEvent {
  seq: number;
  id: string;
  at: string;
  action: string;
  actor: { id: string; email: string; role: string; via: string; apiKeyName: string | null };
  batchId: string | null;
  roomArn: string | null;
  region: string | null;
  userId: string | null;
  attributes: Record<string, string> | null;
  capabilities: string[] | null;
  durationMinutes: number | null;
  reason: string | null;
  details: unknown;
  refSeq: number | null;
  fingerprint: string | null;
  tokenExpiresAt: string | null;
  sessionExpiresAt: string | null;
  requestId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /**
   * `hash` = HMAC-SHA256(chain key `keyId`, `prevHash` + `text`), hex; `text` is the exact chained
   * text (lib/audit/chain.ts chainedText), so a holder of the key can recompute it byte for byte.
   */
  chain: { keyId: string; prevHash: string; hash: string; text: string };
}

export interface AuditEventsPage {
  events: AuditEvent[];
  /** Pass as `after` for the next page; the same value when nothing new was found. */
  next: { after: number };
  /** True when the page was full: ask again at once. */
  more: boolean;
}

function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export function toAuditEvent(r: AuditLogRow): AuditEvent {
  return {
    seq: Number(r.seq),
    id: r.id,
    at: r.at,
    action: r.action,
    actor: { id: r.actor_id, email: r.actor_email, role: r.actor_role, via: r.via, apiKeyName: r.api_key_name },
    batchId: r.batch_id,
    roomArn: r.room_arn,
    region: r.region,
    userId: r.user_id,
    attributes: parseJson<Record<string, string>>(r.attributes),
    capabilities: parseJson<string[]>(r.capabilities),
    durationMinutes: r.duration_minutes,
    reason: r.reason,
    details: parseJson<unknown>(r.details),
    refSeq: r.ref_seq === null ? null : Number(r.ref_seq),
    fingerprint: r.fingerprint,
    tokenExpiresAt: r.token_expires_at,
    sessionExpiresAt: r.session_expires_at,
    requestId: r.request_id,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    chain: { keyId: r.key_id, prevHash: r.prev_hash, hash: r.hash, text: chainedText(r) },
  };
}

/** Parses `after` and `limit` as the query string carries them; a bad value is a field error. */
export function parseEventsQuery(sp: URLSearchParams): Result<{ after: number; limit: number }> {
  const fieldErrors: Record<string, string> = {};
  const afterText = sp.get('after') ?? '0';
  const limitText = sp.get('limit') ?? String(EVENTS_DEFAULT_LIMIT);
  if (!/^(0|[1-9]\d{0,15})$/.test(afterText))
    fieldErrors.after = 'after is a sequence number: 0 or a whole number (the previous page\u2019s next.after).';
  const limit = /^[1-9]\d{0,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= EVENTS_MAX_LIMIT)) fieldErrors.limit = `limit is a whole number from 1 to ${EVENTS_MAX_LIMIT}.`;
  if (Object.keys(fieldErrors).length) return fail('INVALID_INPUT', 'Some query parameters are not valid.', { fieldErrors });
  return ok({ after: Number(afterText), limit });
}

export async function readAuditEvents(after: number, limit: number, db?: DatabaseHandle): Promise<AuditEventsPage> {
  const rows = await listChainEntries(after, limit, db);
  const events = rows.map(toAuditEvent);
  return { events, next: { after: events.length ? events[events.length - 1].seq : after }, more: events.length === limit };
}
