import 'server-only';
import type { DatabaseHandle } from '@/lib/db';
import { fail, ok, type Result } from '@/lib/contract/result';
import { listEntriesAfter } from './activity';
import type { AuditRecord } from './types';

/**
 * The pull API for SIEMs (GET /api/v1/audit/events): entries in seq order after a cursor, each with
 * its chain fields, so a follower (Vector, Fluent Bit, a cron job) can store them and check the
 * chain outside the console: every entry's prevHash is the previous entry's hash.
 */
export const EVENTS_DEFAULT_LIMIT = 100;
export const EVENTS_MAX_LIMIT = 1000;

export interface AuditEvent {
  seq: number;
  id: string;
  at: string;
  action: string;
  status: string;
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
  completion: {
    fingerprint: string | null;
    tokenExpiresAt: string | null;
    sessionExpiresAt: string | null;
    requestId: string | null;
    errorCode: string | null;
    errorMessage: string | null;
    completedAt: string | null;
  } | null;
  chain: { prevHash: string; hash: string; completionHash: string | null; keyId: string | null };
}

export interface AuditEventsPage {
  events: AuditEvent[];
  /** Pass as `after` for the next page; the same value when nothing new was found. */
  next: { after: number };
  /** True when the page was full: ask again at once. */
  more: boolean;
}

export function toAuditEvent(r: AuditRecord): AuditEvent {
  const completed = r.completedAt !== null;
  return {
    seq: r.seq,
    id: r.id,
    at: r.at,
    action: r.action,
    status: r.status,
    actor: { id: r.actorId, email: r.actorEmail, role: r.actorRole, via: r.via, apiKeyName: r.apiKeyName },
    batchId: r.batchId,
    roomArn: r.roomArn,
    region: r.region,
    userId: r.userId,
    attributes: r.attributes,
    capabilities: r.capabilities,
    durationMinutes: r.durationMinutes,
    reason: r.reason,
    details: r.details,
    completion: completed
      ? {
          fingerprint: r.fingerprint,
          tokenExpiresAt: r.tokenExpiresAt,
          sessionExpiresAt: r.sessionExpiresAt,
          requestId: r.requestId,
          errorCode: r.errorCode,
          errorMessage: r.errorMessage,
          completedAt: r.completedAt,
        }
      : null,
    // The chain is not keyed yet, so there is no key id to name.
    chain: { prevHash: r.prevHash, hash: r.hash, completionHash: r.completionHash, keyId: null },
  };
}

/** Parses `after` and `limit` as the query string carries them; a bad value is a field error. */
export function parseEventsQuery(sp: URLSearchParams): Result<{ after: number; limit: number }> {
  const fieldErrors: Record<string, string> = {};
  const afterText = sp.get('after') ?? '0';
  const limitText = sp.get('limit') ?? String(EVENTS_DEFAULT_LIMIT);
  if (!/^(0|[1-9]\d{0,15})$/.test(afterText)) fieldErrors.after = 'after is a sequence number: 0 or a whole number (the previous page\u2019s next.after).';
  const limit = /^[1-9]\d{0,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= EVENTS_MAX_LIMIT)) fieldErrors.limit = `limit is a whole number from 1 to ${EVENTS_MAX_LIMIT}.`;
  if (Object.keys(fieldErrors).length) return fail('INVALID_INPUT', 'Some query parameters are not valid.', { fieldErrors });
  return ok({ after: Number(afterText), limit });
}

export async function readAuditEvents(after: number, limit: number, db?: DatabaseHandle): Promise<AuditEventsPage> {
  const rows = await listEntriesAfter(after, limit, db);
  const events = rows.map(toAuditEvent);
  return { events, next: { after: events.length ? events[events.length - 1].seq : after }, more: events.length === limit };
}
