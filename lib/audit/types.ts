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
  /** Threads that checked runs of the chain (this one and its workers). */
  threads: number;
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
