import 'server-only';
import { listAuditRecords, type AuditRecord } from '@/lib/audit/store';
import { describeEntry } from '@/lib/shared/audit/activity';
import type { AccessRequestView } from '@/lib/shared/approvals/view';

export interface TimelineEntry {
  auditId: string;
  at: string;
  action: string;
  actor: string;
  via: string;
  text: string;
  reason: string | null;
}

const n = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);

function belongs(e: AuditRecord, view: AccessRequestView): boolean {
  const d = (e.details ?? {}) as Record<string, unknown>;
  if (e.action.startsWith('access.')) return n(d.requestId) === view.id;
  if (e.action === 'token.minted') return n(d.approvalId) === view.id;
  if (e.action === 'user.disconnected' && n(d.approvalId) === view.id) return true;
  // What the requester did in the room while the window was open (the moderation it was for).
  const until = view.endedAt ?? view.windowEndsAt;
  return (
    (e.action === 'message.deleted' || e.action === 'user.disconnected' || e.action === 'denylist.added') &&
    e.actorId === view.requester.id &&
    view.approvedAt !== null &&
    e.at >= view.approvedAt &&
    (until === null || e.at <= until)
  );
}

/**
 * The request's own audit entries, oldest first: asked, decided, minted under it, the requester's
 * moderation in the room during the window, expired or ended with its disconnect.
 */
export async function requestTimeline(view: AccessRequestView): Promise<TimelineEntry[]> {
  const [forUser, byRequester] = await Promise.all([
    listAuditRecords({ userId: view.userId, roomArn: view.roomArn }, { limit: 500 }),
    listAuditRecords({ actor: view.requester.email, roomArn: view.roomArn }, { limit: 500 }),
  ]);
  const seen = new Set<string>();
  return [...forUser.rows, ...byRequester.rows]
    .filter((e) => !seen.has(e.id) && seen.add(e.id) && belongs(e, view))
    .sort((a, b) => a.seq - b.seq)
    .map((e) => ({
      auditId: e.id,
      at: e.at,
      action: e.action,
      actor: e.apiKeyName ? `${e.actorEmail} (key ${e.apiKeyName})` : e.actorEmail,
      via: e.via,
      text: describeEntry(e),
      reason: e.reason,
    }));
}
