import 'server-only';

/** Where an entry came from; 'connect-here' is the mint page's test connection (its mints and moderation). */
export type Via = 'ui' | 'api' | 'bulk' | 'cli' | 'connect-here';
export const VIAS: readonly Via[] = ['ui', 'api', 'bulk', 'cli', 'connect-here'];

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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditStatus = 'pending' | 'issued' | 'failed' | 'done';
export type MintStatus = Exclude<AuditStatus, 'done'>;

export interface AuditActor {
  staffId: string;
  email: string;
  role: string;
  via: Via;
  apiKeyName?: string | null;
}

/** Suggested shape of `details` for non-mint actions (dub's activity log does the same). */
export interface AuditChange {
  resource: { type: string; id: string; label?: string };
  old?: unknown;
  new?: unknown;
}

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

export interface AuditFilter {
  /** Exact userId. */
  userId?: string;
  /** Exact room ARN. */
  roomArn?: string;
  /** Actor: an email (case-insensitive; anything with an @) or else a staff id, exact. */
  actor?: string;
  status?: MintStatus;
  /** Rows whose capabilities include this value. */
  capability?: string;
  /** Inclusive lower bound on `at`. */
  from?: Date;
  /** Inclusive upper bound on `at`. */
  to?: Date;
  /** Case-insensitive substring of user_id, room_arn, actor_email or reason. */
  q?: string;
  /** Exact action, e.g. 'token.minted' for the mint history. Unset: every action except mint completions (folded into their request's record). */
  action?: string;
  /** Exact batch id (bulk runs). */
  batchId?: string;
  /** Exact via: ui, api, bulk, cli, connect-here. */
  via?: string;
}

export interface AuditPage {
  /** 1 to 500 (clamped). */
  limit: number;
  /** Only rows with seq below this (the previous page's `nextBefore`). */
  before?: number;
}

export interface VerifyProblem {
  kind: 'chain' | 'checkpoint' | 'projection' | 'database';
  seq?: number;
  problem: string;
}

export interface VerifyDetails {
  /** Entries checked (up to the first break of the chain). */
  rows: number;
  head: { seq: number; hash: string; keyId: string } | null;
  /** Runs of entries under one chain key, oldest first. */
  segments: { keyId: string; fromSeq: number; toSeq: number }[];
  checkpoints: { file: string | null; valid: number; matched: number; latest: { seq: number; at: string } | null };
  problems: VerifyProblem[];
  /** Limits of this verification that are not evidence of tampering (no checkpoint yet, a v1 log). */
  warnings: string[];
  ms: number;
}

/** `seq` and `problem` are the first problem's. */
export type VerifyResult = (VerifyDetails & { ok: true }) | (VerifyDetails & { ok: false; seq: number | null; problem: string });

/** The actor of changes made with `npm run staff` on the server's shell. */
export const CLI_ACTOR: AuditActor = Object.freeze({ staffId: 'cli', email: 'cli@localhost', role: 'cli', via: 'cli' });

/** The actor recorded when code changes data without naming one (tests, seeding). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({
  staffId: 'system',
  email: 'system@localhost',
  role: 'system',
  via: 'cli',
});
