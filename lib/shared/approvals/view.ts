import type { AccessRequestState } from './schema';

/** A request as the inbox, its page and /api/v1/requests show it. Never holds a token or a key. */
export interface AccessRequestView {
  id: number;
  state: AccessRequestState;
  /** What the state means now (an approved request whose window passed is 'ended' even before the sweep ran). */
  live: boolean;
  requester: { id: string; email: string; role: string; apiKeyName: string | null };
  /** Who is behind the requester (`staff:<id>`, or a key's owner): never the approver. */
  requesterIdentity: string;
  roomArn: string;
  userId: string;
  capabilities: string[];
  windowMinutes: number;
  sessionDurationInMinutes: number;
  reason: string;
  approvalsRequired: number;
  disconnectAtEnd: boolean;
  createdAt: string;
  /** A pending request expires unanswered at this time. */
  expiresAt: string;
  approvedAt: string | null;
  /** The window: from approval to this time. */
  windowEndsAt: string | null;
  decidedAt: string | null;
  /** When the sweep ended the window (with its disconnect, if any). */
  endedAt: string | null;
  decisions: AccessDecisionView[];
}

export interface AccessDecisionView {
  decision: 'approve' | 'deny';
  by: { id: string; email: string; role: string; apiKeyName: string | null } | null;
  /** An auto-approval rule's name when the rule decided. */
  rule: string | null;
  comment: string;
  at: string;
}

export const STATE_LABELS: Record<AccessRequestState, string> = {
  pending: 'Pending',
  approved: 'Approved (window open)',
  denied: 'Denied',
  expired: 'Expired unanswered',
  cancelled: 'Cancelled',
  ended: 'Window ended',
};

/** "Temporary moderator approval #12 ended": the reason the chat user sees when disconnected. */
export const endedReason = (id: number) => `Temporary moderator approval #${id} ended`;
