import 'server-only';

export {
  AUDIT_ACTIONS,
  VIAS,
  type AuditAction,
  type AuditRecord,
  type AuditStatus,
  type MintStatus,
  type Via,
} from '@/lib/shared/audit/record';
import type { MintStatus, Via } from '@/lib/shared/audit/record';

export interface AuditActor {
  staffId: string;
  email: string;
  role: string;
  via: Via;
  apiKeyName?: string | null;
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
  /** Exact action, e.g. 'token.minted' for the mint history. Unset: every action. */
  action?: string;
}

export interface AuditPage {
  /** 1 to 500 (clamped). */
  limit: number;
  /** Only rows with seq below this (the previous page's `nextBefore`). */
  before?: number;
}

export type VerifyResult = { ok: true; rows: number } | { ok: false; rows: number; seq: number; problem: string };

/** The actor of changes made with `npm run staff` on the server's shell. */
export const CLI_ACTOR: AuditActor = Object.freeze({ staffId: 'cli', email: 'cli@localhost', role: 'cli', via: 'cli' });

/** The actor recorded when code changes data without naming one (tests, seeding). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({
  staffId: 'system',
  email: 'system@localhost',
  role: 'system',
  via: 'cli',
});
