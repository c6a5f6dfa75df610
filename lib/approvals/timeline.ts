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

function belongs(e: AuditRecord, id: number): boolean {
  const d = (e.details ?? {}) as Record<string, unknown>;
  if (e.action.startsWith('access.')) return n(d.requestId) === id;
  if (e.action === 'token.minted' || e.action === 'user.disconnected') return n(d.approvalId) === id;
  return false;
}

/** The request's own audit entries, oldest first: asked, decided, minted under it, expired or ended with its disconnect. */
export async function requestTimeline(view: AccessRequestView): Promise<TimelineEntry[]> {
  const { rows } = await listAuditRecords({ userId: view.userId, roomArn: view.roomArn }, { limit: 500 });
  return rows
    .filter((e) => belongs(e, view.id))
    .reverse()
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
