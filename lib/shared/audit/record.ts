/** The audit log's vocabulary and one row as the application sees it: client-safe (the record and history views). */

/** Where an entry came from; 'connect-here' is the mint page's test connection (its mints and moderation). */
export type Via = 'ui' | 'api' | 'bulk' | 'cli' | 'connect-here' | 'system';
/** 'system': the console's own background work (an approval window's end and its disconnect). */
export const VIAS: readonly Via[] = ['ui', 'api', 'bulk', 'cli', 'connect-here', 'system'];

/** Every kind of audit entry. Extend at the end; stored as text, so no migration is needed. */
export const AUDIT_ACTIONS = [
  'token.minted',
  // The outcome of a 'token.minted' request: its own entry, never an edit of the request.
  'mint.issued',
  'mint.failed',
  'staff.created',
  'staff.role_changed',
  'staff.disabled',
  'staff.enabled',
  'staff.password_set',
  'api_key.created',
  'api_key.revoked',
  'user.disconnected',
  'message.deleted',
  'event.sent',
  'denylist.added',
  'denylist.removed',
  'preset.created',
  'preset.updated',
  'preset.deleted',
  /** A mint the console refused before calling AWS (policy, deny list, rate limit): no token, no fingerprint. */
  'token.refused',
  'staff.sessions_ended',
  'service_account.created',
  'service_account.disabled',
  'service_account.enabled',
  // Temporary elevated grants on request (lib/approvals): every step of a request.
  'access.requested',
  'access.approved',
  'access.denied',
  'access.expired',
  'access.cancelled',
  'access.ended',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditStatus = 'pending' | 'issued' | 'failed' | 'done';
export type MintStatus = Exclude<AuditStatus, 'done'>;

/**
 * One audit row as the application sees it. JSON columns are parsed; every timestamp is an
 * ISO-8601 UTC string exactly as stored (plain data, so it passes to client components as is).
 * Mint-only fields are null on other actions; `details` is null on mints.
 */
export interface AuditRecord {
  seq: number;
  id: string;
  at: string;
  action: AuditAction;
  actorId: string;
  actorEmail: string;
  actorRole: string;
  via: Via;
  apiKeyName: string | null;
  batchId: string | null;
  roomArn: string | null;
  region: string | null;
  userId: string | null;
  attributes: Record<string, string> | null;
  capabilities: string[] | null;
  durationMinutes: number | null;
  reason: string | null;
  details: unknown;
  status: AuditStatus;
  fingerprint: string | null;
  tokenExpiresAt: string | null;
  sessionExpiresAt: string | null;
  requestId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The completion entry's time (null while pending). */
  completedAt: string | null;
  prevHash: string;
  hash: string;
  /** Id of the chain key this entry was hashed with. */
  keyId: string;
  /** On a completion entry: the seq of the request it completes. */
  refSeq: number | null;
  /** On a mint request: its completion entry's seq, id and hash (null while pending). */
  completionSeq: number | null;
  completionId: string | null;
  completionHash: string | null;
}
